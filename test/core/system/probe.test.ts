// The one system probe: /proc/<pid>/stat read from real processes (odd names included), start times, and liveness
// for a running process, a zombie, a reaped one, a reused start, and another user's process (EPERM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bootTimeMs, isRunning, parseStat, pidExists, readStat, startTicksOf, startTimeFromTicks } from '../../../src/core/system/probe.js';
import { spawnFake, spawnZombie } from '../../support/fake-claude.js';
import { makeOtherUser, otherUserProblem } from '../../support/other-user.js';
import { tempDir, waitFor } from '../../support/tmp.js';

const linux = process.platform === 'linux';
const SLEEP = fs.existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep';

test('stat of a real process whose name holds spaces and parentheses: fields counted from the last )', { skip: !linux }, async (t) => {
  const root = tempDir(t, 'tce-probe-');
  // The kernel keeps the first 15 bytes of the executable's name as comm.
  const exe = path.join(root, 'a) (b c)');
  fs.copyFileSync(fs.realpathSync(SLEEP), exe);
  fs.chmodSync(exe, 0o755);
  const before = Date.now();
  const child = spawn(exe, ['600'], { stdio: 'ignore' });
  t.after(() => void child.kill('SIGKILL'));
  const pid = child.pid as number;
  const stat = await waitFor('the exec', () => (readStat(pid)?.comm === 'a) (b c)' ? readStat(pid) : null));
  assert.equal(stat.ppid, process.pid);
  assert.match(stat.state, /^[RSD]$/);
  assert.match(stat.startTicks, /^\d+$/);
  assert.equal(startTicksOf(pid), stat.startTicks);
  // btime is whole seconds, so the computed start may be up to a second early.
  const started = startTimeFromTicks(bootTimeMs(), stat.startTicks);
  assert.ok(started >= before - 1500 && started <= Date.now() + 100, `start ${new Date(started).toISOString()} vs spawn ${new Date(before).toISOString()}`);
  // The same as the kernel's own text, field by field (proc(5): pid, comm, state, ppid, ... starttime is 22).
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  const after = text.slice(text.lastIndexOf(')') + 2).split(' ');
  assert.equal(after[19], stat.startTicks);
});

test('parseStat refuses text that is not a stat line', () => {
  assert.equal(parseStat(''), null);
  assert.equal(parseStat('garbage'), null);
  assert.equal(parseStat('12 (x) S 1 2 3'), null, 'too few fields');
  assert.equal(parseStat('12 x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24'), null, 'no name in parentheses');
});

test('liveness: running, zombie, reaped, and a start that is not the one seen', { skip: !linux }, async (t) => {
  const root = tempDir(t, 'tce-probe-');
  const fake = await spawnFake('native-installer', root);
  t.after(() => fake.kill());
  const ticks = startTicksOf(fake.pid);
  assert.ok(ticks);
  assert.equal(pidExists(fake.pid), true);
  assert.equal(isRunning(fake.pid), true);
  assert.equal(isRunning(fake.pid, ticks), true);
  assert.equal(isRunning(fake.pid, String(Number(ticks) + 1)), false, 'a later process under the same PID is not the one seen');

  const zombie = await spawnZombie(fake.file as string, 0, root);
  t.after(() => zombie.parent.kill());
  await waitFor('the zombie', () => readStat(zombie.childPid)?.state === 'Z', 20_000);
  assert.equal(pidExists(zombie.childPid), true, 'a zombie still answers signal 0');
  assert.equal(isRunning(zombie.childPid), false, 'but runs nothing');

  await fake.kill();
  assert.equal(pidExists(fake.pid), false);
  assert.equal(isRunning(fake.pid), false);
  assert.equal(startTicksOf(fake.pid), null);
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.equal(pidExists(bad), false, String(bad));
    assert.equal(isRunning(bad), false, String(bad));
    assert.equal(readStat(bad), null, String(bad));
  }
});

const problem = otherUserProblem();

test("another user's process is running: signal 0 refused with EPERM counts as alive", { skip: problem ?? false, timeout: 60_000 }, async (t) => {
  const other = makeOtherUser(t);
  const probe = pathToFileURL(path.resolve('dist/src/core/system/probe.js')).href;
  // PID 1 is root's; to the other user, signal 0 to it is refused.
  const run = await other.node(
    `import { pidExists, isRunning } from ${JSON.stringify(probe)};
     let code = null;
     try { process.kill(1, 0); } catch (error) { code = error.code; }
     console.log(JSON.stringify({ code, exists: pidExists(1), running: isRunning(1), gone: pidExists(2 ** 22 + 1) }));`,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { code: 'EPERM', exists: true, running: true, gone: false });
});
