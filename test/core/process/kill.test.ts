// Killing: re-verified right before the signal; refusals signal nothing; a stubborn process gets a --force hint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { neverSignalled, refTo, spawnFake, spawnFakeFor, spawnSigtermIgnoringFake, spawnZombie, ticksPastStart, writeRegistry } from '../../support/fake-claude.js';
import { tempDir, waitFor } from '../../support/tmp.js';
import { canReusePids, monitorIn, replaceAtSamePid, stateOf } from './helpers.js';
import type { ProcessSource, RawProcess } from '../../../src/core/process/index.js';
import { LinuxProcSource } from '../../../src/core/process/sources/linux-proc.js';

const HOUR = 3_600_000;

test('kills a Claude Code session with SIGTERM and reports that it exited', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { monitor } = monitorIn(root);
  const fake = await spawnFakeFor(t, 'native-installer', root);
  await monitor.scan();
  const result = await monitor.kill(refTo(fake.pid), false);
  assert.deepEqual([result.ok, result.outcome], [true, 'killed']);
  assert.match(result.message, new RegExp(`PID ${fake.pid} exited after SIGTERM`));
  // Its parent (this test) had time to reap it: the next scan does not show it as a zombie.
  assert.equal((await monitor.scan()).processes.some((p) => p.pid === fake.pid), false);
  assert.equal(await waitFor('the exit', () => fake.child.signalCode), 'SIGTERM');
  assert.equal(fake.alive(), false);
});

test('refuses a process that is not Claude Code, and a Claude Code helper: both keep running', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { monitor } = monitorIn(root);
  // `exec -a claude sleep` and an argv[0] under @anthropic-ai/claude-code/bin/: named like Claude, running sleep.
  for (const kind of ['decoy-claudette', 'decoy-helper-script', 'decoy-python-arg', 'decoy-cwd', 'decoy-argv0-claude', 'decoy-argv0-npm-path', 'helper-bg-pty-host'] as const) {
    const fake = await spawnFakeFor(t, kind, path.join(root, kind));
    for (const force of [false, true]) {
      const result = await monitor.kill(refTo(fake.pid), force);
      assert.deepEqual([result.ok, result.outcome], [false, 'refused'], kind);
      assert.match(result.message, /not a Claude Code process|helper process/);
      assert.match(result.message, /Nothing was signalled/);
    }
    assert.equal(neverSignalled(fake.pid), true, `${kind} was signalled`);
  }
  const self = await monitor.kill(refTo(process.pid), true);
  assert.deepEqual([self.ok, self.outcome], [false, 'refused']);
});

test('a PID that is not running, or not a PID at all: a clear message', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { monitor } = monitorIn(root);
  const fake = await spawnFake('argv0', root);
  await fake.kill();
  const gone = await monitor.kill(refTo(fake.pid), false);
  assert.deepEqual([gone.ok, gone.outcome], [false, 'not-found']);
  assert.match(gone.message, new RegExp(`No process with PID ${fake.pid} is running; nothing was signalled`));
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    const r = await monitor.kill({ pid: bad, startId: '1' }, false);
    assert.deepEqual([r.ok, r.outcome], [false, 'refused'], String(bad));
    assert.match(r.message, /not a process ID/);
  }
});

test('a session that exits between the scan and the kill', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { monitor } = monitorIn(root);
  const fake = await spawnFakeFor(t, 'desktop-embedded', root);
  const listed = (await monitor.scan()).processes.find((p) => p.pid === fake.pid);
  assert.ok(listed);
  await fake.kill('SIGKILL');
  const result = await monitor.kill(listed, false);
  assert.deepEqual([result.ok, result.outcome], [false, 'not-found']);
});

test('a session that exits after it was verified but before the signal: reported, nothing else signalled', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const fake = await spawnFakeFor(t, 'argv0', root);
  const real = new LinuxProcSource();
  // The process is read and verified alive, then ends (and is reaped) before the kill lands.
  const vanishing: ProcessSource = {
    name: 'vanishing',
    minSampleMs: real.minSampleMs,
    list: (options) => real.list(options),
    async get(pid) {
      const raw = await real.get(pid);
      if (pid === fake.pid) await fake.kill('SIGKILL');
      return raw;
    },
  };
  const { monitor } = monitorIn(root, { source: vanishing });
  const result = await monitor.kill(refTo(fake.pid), false);
  assert.deepEqual([result.ok, result.outcome], [false, 'not-found']);
  assert.match(result.message, new RegExp(`PID ${fake.pid} exited before it could be signalled; nothing was signalled`));
});

/** The real /proc source, with `get` answers that a test can replace (to play what root alone can stage for real). */
function steerableSource(): { source: ProcessSource; steer(pid: number, answer: () => Promise<RawProcess | null>): void } {
  const real = new LinuxProcSource();
  const steered = new Map<number, () => Promise<RawProcess | null>>();
  return {
    source: {
      name: 'steerable',
      minSampleMs: real.minSampleMs,
      list: (options) => real.list(options),
      get: (pid) => (steered.get(pid) ?? (() => real.get(pid)))(),
    },
    steer: (pid, answer) => void steered.set(pid, answer),
  };
}

test('a PID reused since the scan, even by another Claude Code, is refused and left running', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { source, steer } = steerableSource();
  const { monitor } = monitorIn(root, { source });
  const listed = await spawnFake('native-installer', path.join(root, 'listed'));
  t.after(() => listed.kill());
  // What the user saw: the process as the scan listed it, PID and start.
  const seen = (await monitor.scan()).processes.find((p) => p.pid === listed.pid);
  assert.ok(seen);
  // Start ticks count hundredths of a second: two processes that took one PID within the same tick would look alike.
  // A process anyone saw listed has lived longer than that; a few ticks here, not the 1.5 s start times needed.
  await ticksPastStart(listed.pid);
  const makeNewcomer = () => spawnFake('npm-native', path.join(root, 'newcomer'));
  let newcomer = canReusePids() ? await replaceAtSamePid(listed, makeNewcomer) : null;
  await listed.kill();
  if (!newcomer) {
    // Without the right to pick the next PID: the source reports the newcomer under the listed PID.
    t.diagnostic('PID reuse played by the source (needs root to happen for real)');
    const other = await makeNewcomer();
    steer(listed.pid, async () => {
      const raw = await new LinuxProcSource().get(other.pid);
      return raw && { ...raw, pid: listed.pid };
    });
    newcomer = other;
  }
  const reused = newcomer;
  t.after(() => reused.kill());
  // The monitor has scanned again since (the newcomer is what it lists now): the request's start still tells them apart.
  await monitor.scan();
  const result = await monitor.kill({ pid: seen.pid, startId: seen.startId }, true);
  assert.deepEqual([result.ok, result.outcome], [false, 'not-found']);
  assert.match(result.message, new RegExp(`PID ${seen.pid}: that process is gone; .*Nothing was signalled`));
  assert.equal(neverSignalled(reused.pid), true);
  const pin = await monitor.pin({ pid: seen.pid, startId: seen.startId });
  assert.deepEqual([pin.ok, pin.outcome], [false, 'not-found']);
  assert.match(pin.message, /that process is gone/);
});

test("another user's Claude Code is refused and left running", async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { source, steer } = steerableSource();
  const { monitor } = monitorIn(root, { source });
  const sleep = fs.existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep';
  const asRoot = process.getuid?.() === 0;
  // Root starts it as `nobody` for real; anyone else gets it reported under another uid by the source. A copy of
  // sleep named `claude` that `nobody` can run: Claude's binary by its name.
  const claude = path.join(root, 'shared', 'claude');
  fs.mkdirSync(path.dirname(claude), { recursive: true });
  fs.copyFileSync(fs.realpathSync(sleep), claude);
  fs.chmodSync(claude, 0o755);
  for (let dir = path.dirname(claude); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (dir.startsWith(root)) fs.chmodSync(dir, 0o755);
  }
  const child = spawn(claude, ['3600'], { argv0: 'claude', ...(asRoot ? { uid: 65534, gid: 65534 } : {}), cwd: '/', stdio: 'ignore' });
  t.after(() => {
    child.kill('SIGKILL');
  });
  const pid = child.pid as number;
  const otherUid = asRoot ? 65534 : (process.getuid?.() ?? 0) + 1;
  if (!asRoot) {
    t.diagnostic('another owner played by the source (needs root to happen for real)');
    steer(pid, async () => {
      const raw = await new LinuxProcSource().get(pid);
      return raw && { ...raw, uid: otherUid };
    });
  }
  await waitFor('the other user’s process', () => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('claude'));
  const listed = (await monitor.scan()).processes.find((p) => p.pid === pid);
  assert.ok(listed, 'another user’s session is still listed');
  const result = await monitor.kill(listed, true);
  assert.deepEqual([result.ok, result.outcome], [false, 'refused']);
  assert.match(result.message, new RegExp(`belongs to another user \\(uid ${otherUid}\\)`));
  assert.equal(neverSignalled(pid), true);
  assert.equal(child.exitCode, null);
  assert.equal(child.signalCode, null);
});

test('a session that ignores SIGTERM: reported still running with a --force hint; --force ends it', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  // SIGTERM is ignored (the kernel drops it, nothing pends), so the soft kill's budget always runs out, however short.
  const { monitor } = monitorIn(root, { killWaitMs: 1000 });
  const stubborn = await spawnSigtermIgnoringFake(root);
  t.after(() => stubborn.kill());
  const soft = await monitor.kill(refTo(stubborn.pid), false);
  assert.deepEqual([soft.ok, soft.outcome], [false, 'still-running']);
  assert.match(soft.message, new RegExp(`tce kill ${stubborn.pid} --force`));
  assert.equal(stubborn.alive(), true);
  // SIGKILL with the generous budget of every other kill here: it returns once the process has gone.
  const hard = await monitorIn(root, {}).monitor.kill(refTo(stubborn.pid), true);
  assert.deepEqual([hard.ok, hard.outcome], [true, 'killed']);
  assert.match(hard.message, /SIGKILL/);
  await waitFor('the stubborn process to be reaped', () => !stubborn.alive());
});

test('a stopped session is ended by SIGTERM (it is resumed to act on it)', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { monitor } = monitorIn(root);
  const fake = await spawnFakeFor(t, 'npm-native', root);
  process.kill(fake.pid, 'SIGSTOP');
  await waitFor('the process to stop', () => stateOf(fake.pid) === 'T');
  const result = await monitor.kill(refTo(fake.pid), false);
  assert.deepEqual([result.ok, result.outcome], [true, 'killed']);
  assert.equal(await waitFor('the exit', () => fake.child.signalCode), 'SIGTERM');
});

test('a zombie is refused with the PID of the parent that must reap it', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  const { monitor } = monitorIn(root);
  const kit = await spawnFake('desktop-embedded', path.join(root, 'kit'));
  await kit.kill();
  const zombie = await spawnZombie(kit.file as string, 0, root);
  t.after(() => zombie.parent.kill());
  await waitFor(`PID ${zombie.childPid} to be a zombie (parent ${zombie.parent.pid})`, () => stateOf(zombie.childPid) === 'Z', 20_000);
  const result = await monitor.kill(refTo(zombie.childPid), true);
  assert.deepEqual([result.ok, result.outcome], [false, 'refused']);
  assert.match(result.message, new RegExp(`only its parent, PID ${zombie.parent.pid}, can clear it`));
  assert.equal(zombie.parent.alive(), true);
});

test('kill-stale: --dry-run lists the stale sessions and signals nothing; without it only they are ended', async (t) => {
  const root = tempDir(t, 'tce-kill-');
  // Limits no real session on this machine can reach (11 years): only the sessions this test backdates are stale.
  const { monitor, claudeDir } = monitorIn(root, { settings: (s) => void Object.assign(s.health, { staleInteractiveHours: 100_000, staleBackgroundHours: 100_000 }) });
  const stale = await spawnFakeFor(t, 'native-installer', path.join(root, 'stale'));
  const fresh = await spawnFakeFor(t, 'native-installer', path.join(root, 'fresh'));
  const pinned = await spawnFakeFor(t, 'native-installer', path.join(root, 'pinned'));
  const old = Date.now() - 100_005 * HOUR;
  for (const fake of [stale, pinned]) writeRegistry(claudeDir, fake.pid, { status: 'idle', statusUpdatedAt: old, updatedAt: old });
  writeRegistry(claudeDir, fresh.pid, { status: 'idle' });
  assert.equal((await monitor.pin(refTo(pinned.pid))).ok, true);

  const dry = await monitor.killStale({ dryRun: true });
  assert.deepEqual(dry.map((r) => [r.pid, r.outcome]), [[stale.pid, 'would-kill']]);
  assert.match(dry[0]?.message ?? '', new RegExp(`Would end PID ${stale.pid} \\(work, idle 100005\\.0 h\\)`));
  for (const fake of [stale, fresh, pinned]) assert.equal(neverSignalled(fake.pid), true);

  const wet = await monitor.killStale({ dryRun: false });
  assert.deepEqual(wet.map((r) => [r.pid, r.outcome]), [[stale.pid, 'killed']]);
  await waitFor('the stale session to exit', () => !stale.alive());
  assert.equal(fresh.alive(), true);
  assert.equal(pinned.alive(), true);
});
