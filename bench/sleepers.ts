/** A crowded process table for the process benches: many sleeping processes, started and ended as one group. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export function processCount(): number {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;
}

/**
 * Starts `n` sleeping processes (each sleeps `seconds`) in one new process group, and waits up to `waitMs` until they
 * are all alive. One kill ends them all; it also runs when this process exits.
 */
export async function startSleepers(n: number, seconds: number, waitMs: number): Promise<{ stop(): void; started: number }> {
  const before = processCount();
  const group = spawn('/bin/sh', ['-c', `i=0; while [ $i -lt ${n} ]; do sleep ${seconds} & i=$((i+1)); done; wait`], { detached: true, stdio: 'ignore' });
  const pgid = group.pid as number;
  const stop = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', stop);
  const deadline = Date.now() + waitMs;
  while (processCount() < before + n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return { stop, started: n };
}
