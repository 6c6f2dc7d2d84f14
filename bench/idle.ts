/**
 * `npm run bench idle`: what the running monitor (the tray app's and the dashboard server's `createMonitor`) costs
 * while nothing changes, with 2,000 processes alive and 1,500 transcripts on disk. Every poll does what a real one
 * does (process scan, usage refresh, report, sessions, active block, the snapshot to listeners, which a dashboard
 * serialises); the clock is moved 10 s forward before each, so the once-a-minute process rechecks and the
 * five-minute full rescan of the transcripts come at their real pace. An hour of polls (360) is run back to back:
 * CPU per poll, and the resident memory at its start and end.
 *
 * Baseline in the same run: the same work with nothing remembered between polls (every process's stat and cmdline
 * read, every transcript listed and stat'ed each time), as the monitor did before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMonitor } from '../src/core/create-core.js';
import { keepYoungGenerationSmall } from '../src/core/lean-heap.js';
import { ProcessMonitor } from '../src/core/process/index.js';
import { LinuxProcSource } from '../src/core/process/sources/linux-proc.js';
import { SettingsStore } from '../src/core/settings/store.js';
import { UsageEngine } from '../src/core/usage/index.js';
import type { Snapshot } from '../src/shared/api.js';
import { CLAUDE_KINDS, spawnFake, type FakeProcess } from '../test/support/fake-claude.js';
import { processCount, startSleepers } from './sleepers.js';
import { type Ctx, LineWriter } from './usage-corpus.js';

const PROCESSES = Number(process.env.TCE_BENCH_IDLE_PROCESSES ?? 2000);
const TRANSCRIPTS = Number(process.env.TCE_BENCH_IDLE_TRANSCRIPTS ?? 1500);
const POLLS = Number(process.env.TCE_BENCH_IDLE_POLLS ?? 360);
const POLL_SECONDS = 10;
const GOAL_PERCENT = 0.1;
const MB = 1024 * 1024;

/** Starts sleeping processes until `total` processes are alive; one kill ends them all. */
function fillProcessTable(total: number): Promise<{ stop(): void; started: number }> {
  return startSleepers(Math.max(0, total - processCount()), 3600, 60_000);
}

/** `count` small transcripts over 25 projects (a few turns each, some sub-agents): what a year of use leaves. */
function writeTranscripts(claude: string, count: number): number {
  const w = new LineWriter(11, 2000);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const project = `-home-dev-work-project-${String(i % 25).padStart(2, '0')}`;
    const ctx: Ctx = { cwd: `/home/dev/work/project-${String(i % 25).padStart(2, '0')}`, sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, sidechain: i % 10 === 9, ts: Date.UTC(2026, 0, 1) + i * 3_600_000, context: 10_000 };
    const lines = [...w.turn(ctx, 'claude-sonnet-4-5-20250929'), ...w.turn(ctx, 'claude-sonnet-4-5-20250929')];
    const file = ctx.sidechain ? path.join(claude, 'projects', project, `session-${i - 1}`, 'subagents', `agent-${i}.jsonl`) : path.join(claude, 'projects', project, `${ctx.sessionId}.jsonl`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = `${lines.join('\n')}\n`;
    fs.writeFileSync(file, text);
    bytes += text.length;
  }
  return bytes;
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Moves Date.now and performance.now forward by `ms` (from now on), so timed rechecks come as in real time. */
function clock(): { advance(ms: number): void; restore(): void } {
  const realDate = Date.now;
  const realPerf = performance.now.bind(performance);
  let offset = 0;
  Date.now = () => realDate() + offset;
  performance.now = () => realPerf() + offset;
  return {
    advance: (ms) => (offset += ms),
    restore: () => {
      Date.now = realDate;
      performance.now = realPerf;
    },
  };
}

interface Polled {
  cpuMs: number[];
  wallMs: number[];
  /** RSS every 60 polls (10 minutes of the clock). */
  rssEvery10Min: number[];
  rssStart: number;
  rssEnd: number;
  heapStart: number;
  heapEnd: number;
  externalStart: number;
  externalEnd: number;
}

/** `polls` polls, the clock moved 10 s before each; CPU is the whole process's (every thread). */
async function pollFor(polls: number, poll: () => Promise<unknown>, advance: (ms: number) => void): Promise<Polled> {
  for (let i = 0; i < 5; i++) {
    advance(POLL_SECONDS * 1000);
    await poll();
  }
  collectGarbage();
  const { rss: rssStart, heapUsed: heapStart, external: externalStart } = process.memoryUsage();
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  const rssEvery10Min: number[] = [];
  for (let i = 0; i < polls; i++) {
    if (i % 60 === 0) rssEvery10Min.push(process.memoryUsage().rss);
    advance(POLL_SECONDS * 1000);
    const c = process.cpuUsage();
    const t = performance.now();
    await poll();
    wallMs.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpuMs.push((d.user + d.system) / 1000);
  }
  collectGarbage();
  const { rss: rssEnd, heapUsed: heapEnd, external: externalEnd } = process.memoryUsage();
  rssEvery10Min.push(process.memoryUsage().rss);
  return { cpuMs, wallMs, rssEvery10Min, rssStart, rssEnd, heapStart, heapEnd, externalStart, externalEnd };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export async function run(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('idle: measured on Linux only (its /proc path); skipped.');
    return;
  }
  // As the tray app and the `tce` command (which serves the dashboard) run.
  keepYoungGenerationSmall();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-bench-idle-'));
  const fakes: FakeProcess[] = [];
  const claude = path.join(root, 'claude');
  const table = await fillProcessTable(PROCESSES);
  const time = clock();
  try {
    for (const kind of CLAUDE_KINDS) fakes.push(await spawnFake(kind, path.join(root, kind)));
    const bytes = writeTranscripts(claude, TRANSCRIPTS);
    console.log(`${processCount()} processes alive (${table.started} sleeps started, ${fakes.length} Claude Code look-alikes); ${TRANSCRIPTS} transcripts (${(bytes / MB).toFixed(0)} MB); ${os.cpus().length} CPUs; ${POLLS} polls, clock moved ${POLL_SECONDS} s before each`);

    // The monitor as the tray app and the dashboard server run it; a listener serialises each snapshot as the
    // dashboard's event stream does.
    const monitor = createMonitor({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' });
    let sent = 0;
    monitor.onSnapshot((s: Snapshot) => (sent += JSON.stringify(s).length));
    await monitor.refresh();
    const cached = await pollFor(POLLS, () => monitor.refresh(), time.advance);
    await monitor.stop();
    const last = monitor.current();

    // Baseline: nothing kept between polls but the usage index (a fresh /proc source each poll, no watch).
    const settings = new SettingsStore(path.join(root, 'baseline-config.json'));
    const processes = new ProcessMonitor({ claudeDirs: [claude], settings, source: { name: 'fresh', minSampleMs: 250, list: (o) => new LinuxProcSource().list(o), get: (pid) => new LinuxProcSource().get(pid) } });
    const usage = new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' });
    const basePoll = async () => {
      const [p] = await Promise.all([processes.scan(), usage.refresh()]);
      sent += JSON.stringify({ processes: p, usage: usage.report(), sessions: usage.sessions({ limit: 100 }), activeBlock: usage.activeBlock() }).length;
    };
    await basePoll();
    const baseline = await pollFor(Math.min(POLLS, 60), basePoll, time.advance);
    await usage.close();

    const fmt = (p: Polled) => `${mean(p.cpuMs).toFixed(2)} ms CPU a poll (p95 ${percentile(p.cpuMs, 0.95).toFixed(2)}, max ${Math.max(...p.cpuMs).toFixed(1)}), wall ${mean(p.wallMs).toFixed(2)} ms`;
    const share = (p: Polled) => (mean(p.cpuMs) / (POLL_SECONDS * 1000)) * 100;
    console.log(`  found: ${last?.processes.summary.total ?? 0} Claude processes, ${last?.usage?.diagnostics.files ?? 0} transcripts, ${last?.usage?.totals.totalTokens ?? 0} tokens`);
    console.log(`  baseline, nothing kept between polls:  ${fmt(baseline)} = ${share(baseline).toFixed(3)}% of one core at one poll every ${POLL_SECONDS} s`);
    console.log(`  monitor (createMonitor), unchanged:    ${fmt(cached)} = ${share(cached).toFixed(3)}% of one core`);
    const rss = (p: Polled) =>
      `RSS ${(p.rssStart / MB).toFixed(1)} -> ${(p.rssEnd / MB).toFixed(1)} MB (every 10 minutes: ${p.rssEvery10Min.map((r) => (r / MB).toFixed(1)).join(', ')}); after a full GC: heap ${(p.heapStart / MB).toFixed(1)} -> ${(p.heapEnd / MB).toFixed(1)} MB, external ${(p.externalStart / MB).toFixed(1)} -> ${(p.externalEnd / MB).toFixed(1)} MB`;
    console.log(`  an hour of polls (${POLLS}, back to back): ${rss(cached)}`);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    console.log(`  ${verdict(share(cached) <= GOAL_PERCENT)}  unchanged poll <= ${GOAL_PERCENT}% of one core: ${share(cached).toFixed(3)}% (baseline ${share(baseline).toFixed(3)}%)`);
    // Flat: what is held after a full GC does not grow, and the resident size settles (V8 lets garbage collect in
    // the old space up to a limit before compacting: the first minutes grow, the rest of the hour must not much).
    const grewMB = (cached.rssEnd - cached.rssStart) / MB;
    const heldMB = (cached.heapEnd - cached.heapStart) / MB;
    const lateMB = (cached.rssEnd - (cached.rssEvery10Min[Math.min(2, cached.rssEvery10Min.length - 1)] ?? cached.rssStart)) / MB;
    console.log(`  ${verdict(heldMB < 1 && lateMB < 5)}  memory flat over an hour of polls: held after GC ${heldMB >= 0 ? '+' : ''}${heldMB.toFixed(2)} MB; RSS ${grewMB >= 0 ? '+' : ''}${grewMB.toFixed(1)} MB over the hour, ${lateMB >= 0 ? '+' : ''}${lateMB.toFixed(1)} MB after its first 20 minutes`);
  } finally {
    time.restore();
    for (const fake of fakes) await fake.kill();
    table.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
