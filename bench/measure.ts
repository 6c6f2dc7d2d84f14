/** What the benchmarks share: running a command for its wall time, CPU time and peak memory; ccusage from npm. */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * ccusage comes from npm into a temp prefix (not a dependency of TCE). 20.0.24 is the newest release whose native
 * linux-x64 package is on the registry (20.0.26 names a platform package version that was never published).
 */
export const CCUSAGE_VERSION = process.env.TCE_BENCH_CCUSAGE_VERSION ?? '20.0.24';
const TIME = '/usr/bin/time';

export interface Measured {
  ms: number;
  rssMB: number;
  /** User + system CPU time: less disturbed than wall time by other work on a shared machine. */
  cpuMs: number;
  stdout: string;
}

/** Runs a command under /usr/bin/time for its peak RSS; wall time from here (spawn to exit). */
export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  const timeFile = path.join(os.tmpdir(), `tce-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const useTime = fs.existsSync(TIME);
  const [file, argv] = useTime ? [TIME, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`));
      let rssMB = NaN;
      let cpuMs = NaN;
      if (useTime) {
        const [rssKB, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
        rssMB = rssKB / 1024;
        cpuMs = (user + sys) * 1000;
        fs.rmSync(timeFile, { force: true });
      }
      resolve({ ms, rssMB, cpuMs, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Summary {
  ms: number;
  cpuMs: number;
  rssMB: number;
  runs: number[];
}

export function summary(runs: Measured[]): Summary {
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMB: Math.max(...runs.map((r) => r.rssMB)), runs: runs.map((r) => Math.round(r.ms)) };
}

export async function repeat(n: number, run: () => Promise<Measured>): Promise<Summary> {
  const runs: Measured[] = [];
  for (let i = 0; i < n; i++) runs.push(await run());
  return summary(runs);
}

export function ccusageBin(): string {
  for (const prefix of [process.env.TCE_BENCH_CCUSAGE_PREFIX, '/opt/ccusage', path.join(os.tmpdir(), `tce-bench-ccusage-${CCUSAGE_VERSION}`)]) {
    if (!prefix) continue;
    const bin = path.join(prefix, 'node_modules', '.bin', 'ccusage');
    const pkg = path.join(prefix, 'node_modules', 'ccusage', 'package.json');
    if (fs.existsSync(bin) && fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version === CCUSAGE_VERSION) return bin;
  }
  const prefix = path.join(os.tmpdir(), `tce-bench-ccusage-${CCUSAGE_VERSION}`);
  console.log(`installing ccusage@${CCUSAGE_VERSION} into ${prefix} ...`);
  execFileSync('npm', ['install', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', `ccusage@${CCUSAGE_VERSION}`], { stdio: 'inherit' });
  return path.join(prefix, 'node_modules', '.bin', 'ccusage');
}


/** A full garbage collection, so heap numbers count what is held, not what is merely not yet collected. */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

