// `npm run bench fleet`: what remote machines cost this machine. The local poll (processes and usage) with the
// maximum of 16 remotes, half of them answering (TCE servers in another process, 200 processes and a year of usage each) and
// half never answering (a socket that accepts and stays silent), against the same poll without remotes, measured in
// the same run. Then how long a round of the answering ones takes, and what the machines add to the snapshot that
// every poll pushes to the dashboard and to /metrics' render.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createCore } from '../src/core/create-core.js';
import { Fleet } from '../src/core/fleet/fleet.js';
import { MAX_REMOTES } from '../src/core/settings/schema.js';
import { renderMetrics } from '../src/server/metrics.js';
import { snapshotJson } from '../src/server/snapshot-json.js';
import { writeMachineHome } from '../test/support/machine-home.js';
import { writeSettings, writeTokenFile } from '../test/support/tce-server.js';
import { yearOfHistory } from '../e2e/support/snapshots.js';
import { median } from './measure.js';

const CHILD = fileURLToPath(new URL('./fleet-remotes-child.js', import.meta.url));
const POLLS = 60;
/** Remotes that never answer cost the local poll nothing but starting their requests: nothing waits for them. */
const GOAL_SILENT_MS = 1;
/** An answer is read and checked on the same thread: under a millisecond each for 200 processes and a year of usage. */
const GOAL_PER_ANSWER_MS = 1;

/** Median poll time of each core, one core after the other (a core's remotes answer during its own polls). */
async function pollTimes(cores: Array<ReturnType<typeof createCore>>): Promise<number[]> {
  const medians: number[] = [];
  for (const core of cores) {
    await core.monitor.refresh();
    const times: number[] = [];
    for (let i = 0; i < POLLS; i++) {
      const t0 = performance.now();
      await core.monitor.refresh();
      times.push(performance.now() - t0);
    }
    medians.push(median(times));
    // The answers still on their way (a round takes tens of milliseconds) belong to this core's polls, not the next's.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return medians;
}

export async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-bench-fleet-'));
  const token = 'bench-token-0123456789abcdef';
  const child = fork(CHILD, [String(MAX_REMOTES / 2), token], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const held: net.Socket[] = [];
  const silent = net.createServer((s) => held.push(s));
  try {
    const claudeDir = path.join(root, 'claude');
    writeMachineHome(claudeDir, { '-home-me-here': Array.from({ length: 200 }, (_, i) => ({ model: 'claude-sonnet-4-5' as const, input: 1000 + i, output: 100, daysAgo: i % 90 })) });
    const { file } = writeTokenFile(path.join(root, 'token'), token);
    const urls = await new Promise<string[]>((resolve) => child.once('message', (m: { urls: string[] }) => resolve(m.urls)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const remotes = [
      ...urls.map((url, i) => ({ name: `answering-${i}`, url, tokenFile: file })),
      ...Array.from({ length: MAX_REMOTES / 2 }, (_, i) => ({ name: `silent-${i}`, url: silentUrl, tokenFile: file })),
    ];

    const coreWith = (name: string, list: typeof remotes) => {
      const dir = path.join(root, name);
      writeSettings(dir, { remotes: list });
      return createCore({ claudeDirs: [claudeDir], dataDir: dir, timezone: 'UTC' });
    };
    const cores = [
      coreWith('plain', []),
      coreWith('silent', Array.from({ length: MAX_REMOTES }, (_, i) => ({ name: `silent-${i}`, url: silentUrl, tokenFile: file }))),
      coreWith('fleet', remotes),
    ];
    const [plain, dead, mixed] = (await pollTimes(cores)) as [number, number, number];
    const line = (label: string, ms: number, goal: number) => {
      const extra = ms - plain;
      console.log(`${label.padEnd(52)} ${ms.toFixed(2)} ms: ${extra >= 0 ? '+' : ''}${extra.toFixed(2)} ms (goal under +${goal} ms) ${extra < goal ? 'OK' : 'OVER'}`);
    };
    console.log(`${'local poll, no remotes (baseline)'.padEnd(52)} ${plain.toFixed(2)} ms (median of ${POLLS} polls)`);
    line(`local poll, ${MAX_REMOTES} remotes that never answer`, dead, GOAL_SILENT_MS);
    line(`local poll, ${MAX_REMOTES / 2} answering and ${MAX_REMOTES / 2} silent remotes`, mixed, GOAL_PER_ANSWER_MS * (MAX_REMOTES / 2));
    const withFleet = { core: cores[2]! };

    // A round of the answering ones alone, asked at once (what a poll waits for none of).
    const answering = new Fleet();
    answering.configure(remotes.filter((r) => r.name.startsWith('answering')).map((r) => ({ ...r, trustedLink: false })));
    const rounds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await answering.pollAll();
      rounds.push(performance.now() - t0);
    }
    if (!answering.machines().every((m) => m.reachable)) throw new Error(`a remote did not answer: ${JSON.stringify(answering.machines().map((m) => m.error))}`);
    console.log(`a round of 8 answering remotes (200 processes and a year each), asked at once: ${median(rounds).toFixed(1)} ms median`);

    const snapshot = withFleet.core.monitor.current()!;
    const bare = { ...snapshot, machines: [] };
    const size = (s: typeof snapshot) => Buffer.byteLength(snapshotJson(s));
    console.log(`snapshot pushed per poll: ${(size(bare) / 1024).toFixed(0)} KB without remotes, ${(size(snapshot) / 1024).toFixed(0)} KB with them (${snapshot.machines.filter((m) => m.summary).length} summaries)`);
    const t0 = performance.now();
    const year = yearOfHistory();
    for (let i = 0; i < 50; i++) renderMetrics(year);
    console.log(`/metrics of a year of history (9 models, 60 projects, 200 processes): ${((performance.now() - t0) / 50).toFixed(2)} ms per scrape`);
    for (const core of cores) await core.monitor.stop();
  } finally {
    for (const s of held) s.destroy();
    silent.close();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(root, { recursive: true, force: true });
  }
}
