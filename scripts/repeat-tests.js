// `npm test` again and again, to show the suite is deterministic on this machine: stops at the first failing run
// (its output kept in test-output/repeat-<n>.log) or after N passing runs in a row, and prints each run's time.
// Usage: node scripts/repeat-tests.js [runs=10]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const runs = Number(process.argv[2] ?? 10);
mkdirSync('test-output', { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
for (let n = 1; n <= runs; n++) {
  const started = Date.now();
  const run = spawnSync(npm, ['test'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const log = `test-output/repeat-${n}.log`;
  writeFileSync(log, `${run.stdout}\n${run.stderr}`);
  const tally = /ℹ tests (\d+)[\s\S]*?ℹ pass (\d+)[\s\S]*?ℹ fail (\d+)/.exec(run.stdout);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`run ${n}/${runs}: ${run.status === 0 ? 'pass' : 'FAIL'} in ${seconds} s (tests ${tally?.[1] ?? '?'}, pass ${tally?.[2] ?? '?'}, fail ${tally?.[3] ?? '?'}; load ${load}) ${new Date().toISOString()}`);
  if (run.status !== 0) {
    console.log(`see ${log}`);
    process.exit(1);
  }
}
console.log(`${runs} runs in a row passed.`);
