// `npm run bench process-scan`: one scan of the process table with 1,000 extra processes alive, by the Linux /proc
// path against a baseline measured in the same run: systeminformation.processes() (what most monitors call).
// CPU time includes child processes (systeminformation runs `ps`), read from /proc/self/stat.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import si from 'systeminformation';
import { mightBeClaude } from '../src/core/process/detect.js';
import { ProcessMonitor } from '../src/core/process/index.js';
import { LinuxProcSource } from '../src/core/process/sources/linux-proc.js';
import { SettingsStore } from '../src/core/settings/store.js';
import { CLAUDE_KINDS, spawnFake, type FakeProcess } from '../test/support/fake-claude.js';
import { processCount, startSleepers } from './sleepers.js';

const EXTRA_PROCESSES = 1000;
const POLL_SECONDS = 10;
const RATIO_GOAL = 1 / 20;
const POLL_CPU_GOAL_PERCENT = 1;

/** This process's CPU time in ms, its own plus that of the children it has waited for (utime, stime, cutime, cstime). */
function cpuMs(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3, so fields 14-17 are f[11..14]; USER_HZ is 100.
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

interface Measure {
  wallMs: number;
  cpuMs: number;
}

/** Mean wall and CPU time of `runs` calls; `between` runs untimed before each call. */
async function measure(runs: number, call: () => Promise<unknown>, between?: () => Promise<void>): Promise<Measure> {
  let wall = 0;
  let cpu = 0;
  for (let i = 0; i < runs; i++) {
    if (between) await between();
    const c0 = cpuMs();
    const t0 = performance.now();
    await call();
    wall += performance.now() - t0;
    cpu += cpuMs() - c0;
  }
  return { wallMs: wall / runs, cpuMs: cpu / runs };
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

export async function run(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('process-scan: the /proc path exists only on Linux; skipped.');
    return;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-bench-scan-'));
  const fakes: FakeProcess[] = [];
  const sleepers = await startSleepers(EXTRA_PROCESSES, 600, 30_000);
  try {
    for (const kind of CLAUDE_KINDS) fakes.push(await spawnFake(kind, path.join(root, kind)));
    console.log(`${processCount()} processes alive (${EXTRA_PROCESSES} extra sleeps, ${fakes.length} Claude Code look-alikes), ${os.cpus().length} CPUs`);

    const source = new LinuxProcSource();
    const linuxRead = () => source.list({ detail: mightBeClaude });
    await linuxRead(); // warm the file system caches and the JIT, as a running monitor has them
    const linux = await measure(20, linuxRead);
    // A source that remembers nothing: every process's stat and cmdline read (the first pass of a new monitor).
    const firstPass = await measure(10, () => new LinuxProcSource().list({ detail: mightBeClaude }));

    const monitor = new ProcessMonitor({ claudeDirs: [path.join(root, 'claude')], settings: new SettingsStore(path.join(root, 'config.json')), source });
    await monitor.scan();
    const scan = await measure(20, () => monitor.scan());

    // systeminformation answers from its cache within 500 ms of a call: wait that out, untimed.
    const pause = () => new Promise<void>((r) => setTimeout(r, 550));
    await si.processes();
    const baseline = await measure(5, () => si.processes(), pause);

    console.log(`baseline  systeminformation.processes(): ${fmt(baseline.wallMs)} ms wall, ${fmt(baseline.cpuMs)} ms CPU per call`);
    console.log(`linux     /proc first pass (nothing kept): ${fmt(firstPass.wallMs)} ms wall, ${fmt(firstPass.cpuMs)} ms CPU per call`);
    console.log(`linux     /proc one pass (source.list):   ${fmt(linux.wallMs)} ms wall, ${fmt(linux.cpuMs)} ms CPU per call (processes seen before not read again)`);
    console.log(`linux     full ProcessMonitor.scan():      ${fmt(scan.wallMs)} ms wall, ${fmt(scan.cpuMs)} ms CPU per scan`);
    const wallRatio = linux.wallMs / baseline.wallMs;
    const cpuRatio = linux.cpuMs / baseline.cpuMs;
    const scanCpuRatio = scan.cpuMs / baseline.cpuMs;
    console.log(`${verdict(wallRatio <= RATIO_GOAL)} wall time /proc vs systeminformation: 1/${fmt(1 / wallRatio)} (goal <= 1/20)`);
    console.log(`${verdict(cpuRatio <= RATIO_GOAL)} CPU time /proc vs systeminformation: 1/${fmt(1 / cpuRatio)} (goal <= 1/20)`);
    console.log(`${verdict(scanCpuRatio <= RATIO_GOAL)} CPU time full scan vs systeminformation: 1/${fmt(1 / scanCpuRatio)} (goal <= 1/20)`);
    const pollPercent = (scan.cpuMs / (POLL_SECONDS * 1000)) * 100;
    console.log(`${verdict(pollPercent < POLL_CPU_GOAL_PERCENT)} CPU cost of a ${POLL_SECONDS} s poll: ${pollPercent.toFixed(3)}% of one core (goal < ${POLL_CPU_GOAL_PERCENT}%)`);
  } finally {
    for (const fake of fakes) await fake.kill();
    sleepers.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
