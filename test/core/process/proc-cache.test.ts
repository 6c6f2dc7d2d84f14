// The /proc source remembers what it read: a process seen before is not read again unless it is wanted in detail,
// registers itself, or is due for its recheck, which finds a shell that exec'd into Claude Code (same PID, same
// start time, another program).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LinuxProcSource } from '../../../src/core/process/sources/linux-proc.js';
import { writeRegistry } from '../../support/fake-claude.js';
import { tempDir, waitFor } from '../../support/tmp.js';
import { monitorIn } from './helpers.js';

const linux = process.platform === 'linux';

/** Counts the files opened under /proc/<pid>/. */
function countOpens(t: { after(fn: () => unknown): void }, pid: number): { count(): number } {
  const writable = fs as { openSync: typeof fs.openSync };
  const real = fs.openSync;
  let n = 0;
  writable.openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
    if (String(file).startsWith(`/proc/${pid}/`)) n++;
    return (real as (...a: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync;
  t.after(() => (writable.openSync = real));
  return { count: () => n };
}

/** Moves performance.now forward by `ms` for the rest of the test. */
function later(t: { after(fn: () => unknown): void }, ms: number): void {
  const real = performance.now.bind(performance);
  performance.now = () => real() + ms;
  t.after(() => (performance.now = real));
}

/**
 * A bash that waits for `go` to appear in `dir`, then execs a copy of `sleep` named `claude` (same PID and start
 * time). The program comes from the environment: a command line mentioning Claude would make the shell a candidate
 * from the start.
 */
function execingShell(t: { after(fn: () => unknown): void }, dir: string): { pid: number; go(): void } {
  const exe = path.join(dir, 'claude');
  fs.copyFileSync('/bin/sleep', exe);
  fs.chmodSync(exe, 0o755);
  const child = spawn('bash', ['-c', 'while [ ! -e go ]; do sleep 0.02; done; exec "$NEW_PROGRAM" 600'], { cwd: dir, stdio: 'ignore', env: { ...process.env, NEW_PROGRAM: exe } });
  t.after(() => child.kill('SIGKILL'));
  return { pid: child.pid!, go: () => fs.writeFileSync(path.join(dir, 'go'), '') };
}

test('a process seen before and not wanted in detail is not read again', { skip: !linux }, async (t) => {
  const dir = tempDir(t);
  const shell = execingShell(t, dir);
  const source = new LinuxProcSource();
  const options = { detail: () => false, alsoDetail: () => false };
  const first = (await source.list(options)).find((p) => p.pid === shell.pid);
  assert.equal(first?.comm, 'bash');
  const opens = countOpens(t, shell.pid);
  const again = (await source.list(options)).find((p) => p.pid === shell.pid);
  assert.equal(opens.count(), 0, 'nothing under /proc/<pid> was opened');
  assert.deepEqual(again?.argv, first?.argv);
  // Wanted by PID (a registry entry appeared): read at once, in detail.
  const wanted = (await source.list({ detail: () => false, alsoDetail: (pid) => pid === shell.pid })).find((p) => p.pid === shell.pid);
  assert.ok(opens.count() > 0);
  assert.equal(wanted?.detailed, true);
  assert.equal(wanted?.cwd, fs.realpathSync(dir));
});

test('a shell that exec\'s into Claude Code is found at its recheck, or at once when it registers', { skip: !linux }, async (t) => {
  const root = tempDir(t);
  for (const registers of [false, true]) {
    const dir = path.join(root, String(registers));
    fs.mkdirSync(dir);
    const shell = execingShell(t, dir);
    const { monitor, claudeDir } = monitorIn(path.join(root, `m-${registers}`), { source: new LinuxProcSource() });
    await waitFor('the shell', () => fs.readFileSync(`/proc/${shell.pid}/comm`, 'latin1').trim() === 'bash');
    const pids = async () => (await monitor.scan({ sampleMs: 10 })).processes.map((p) => p.pid);
    assert.ok(!(await pids()).includes(shell.pid), 'a shell is not Claude Code');
    shell.go();
    await waitFor('the exec', () => fs.readFileSync(`/proc/${shell.pid}/comm`, 'latin1').trim() === 'claude');
    if (registers) {
      writeRegistry(claudeDir, shell.pid);
      assert.ok((await pids()).includes(shell.pid), 'found at the next scan once registered');
    } else {
      assert.ok(!(await pids()).includes(shell.pid), 'not read again before its recheck');
      later(t, 8 * 60_000);
      const found = (await monitor.scan()).processes.find((p) => p.pid === shell.pid);
      assert.equal(found?.installForm, 'argv0', 'found at its recheck: same PID and start time, another comm');
      assert.equal(found?.name, 'claude');
    }
  }
});
