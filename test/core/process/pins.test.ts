// Pins: keyed by PID and start time, kept in the settings file across restarts, never inherited, pruned when dead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ProcessMonitor } from '../../../src/core/process/index.js';
import { refTo, spawnFake, spawnFakeFor, writeRegistry } from '../../support/fake-claude.js';
import { tempDir } from '../../support/tmp.js';
import { canReusePids, monitorIn, reusePid } from './helpers.js';

const HOUR = 3_600_000;

function pinsIn(file: string): Array<{ pid: number; startedAt: string }> {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { pins: Array<{ pid: number; startedAt: string }> }).pins;
}

test('a pin survives a restart (a new monitor on the same settings file) and keeps a stale session from being stale', async (t) => {
  const root = tempDir(t, 'tce-pins-');
  const { monitor, settings, claudeDir } = monitorIn(root);
  const fake = await spawnFakeFor(t, 'native-installer', path.join(root, 'p'));
  const idle = Date.now() - 6 * HOUR;
  writeRegistry(claudeDir, fake.pid, { status: 'idle', statusUpdatedAt: idle, updatedAt: idle });
  assert.equal((await monitor.scan()).processes.find((p) => p.pid === fake.pid)?.health, 'stale');

  const result = await monitor.pin(refTo(fake.pid));
  assert.deepEqual([result.ok, result.outcome], [true, 'pinned']);
  assert.match(result.message, new RegExp(`Pinned PID ${fake.pid}`));
  const stored = pinsIn(settings.file);
  assert.equal(stored.length, 1);
  assert.equal(stored[0]?.pid, fake.pid);

  const again = await monitor.pin(refTo(fake.pid));
  assert.equal(again.ok, true);
  assert.match(again.message, /already pinned/);
  assert.equal(pinsIn(settings.file).length, 1);

  const restarted = new ProcessMonitor({ claudeDirs: [claudeDir], settings });
  const seen = (await restarted.scan()).processes.find((p) => p.pid === fake.pid);
  assert.equal(seen?.pinned, true);
  assert.equal(seen?.health, 'pinned');
  assert.equal(seen?.startedAt, stored[0]?.startedAt);

  const unpinned = await restarted.unpin(refTo(fake.pid));
  assert.deepEqual([unpinned.ok, unpinned.outcome], [true, 'unpinned']);
  assert.deepEqual(pinsIn(settings.file), []);
  assert.equal((await restarted.scan()).processes.find((p) => p.pid === fake.pid)?.health, 'stale');
  const twice = await restarted.unpin(refTo(fake.pid));
  assert.deepEqual([twice.ok, twice.outcome], [false, 'not-found']);
});

test('a pin of an earlier process with the same PID is not inherited, and is pruned', async (t) => {
  const root = tempDir(t, 'tce-pins-');
  const { monitor, settings } = monitorIn(root);
  const fake = await spawnFakeFor(t, 'argv0', path.join(root, 'p'));
  // Written by a monitor that pinned the previous owner of this PID an hour before this process started.
  const earlier = new Date(Date.now() - HOUR).toISOString();
  settings.update((s) => void (s.pins = [{ pid: fake.pid, startedAt: earlier }]));
  const seen = (await monitor.scan()).processes.find((p) => p.pid === fake.pid);
  assert.equal(seen?.pinned, false);
  assert.equal(seen?.health, 'healthy');
  assert.deepEqual(pinsIn(settings.file), []);
});

test('a real reused PID does not inherit the pin of the process that had it before', { skip: !canReusePids() && 'needs root to choose the next PID' }, async (t) => {
  const root = tempDir(t, 'tce-pins-');
  const { settings, claudeDir } = monitorIn(root);
  let round = 0;
  const { first, newcomer: second } = await reusePid(
    () => spawnFake('native-installer', path.join(root, `first-${round++}`)),
    // Pinned while it ran (a round whose PID another process took leaves a pin of a process gone: pruned all the same).
    async (fake) => assert.equal((await new ProcessMonitor({ claudeDirs: [claudeDir], settings }).pin(refTo(fake.pid))).ok, true),
    () => spawnFake('npm-native', path.join(root, 'second')),
  );
  t.after(() => second.kill());
  const seen = (await new ProcessMonitor({ claudeDirs: [claudeDir], settings }).scan()).processes.find((p) => p.pid === first.pid);
  assert.equal(seen?.installForm, 'npm-native', 'the new process is listed');
  assert.equal(seen?.pinned, false);
  assert.deepEqual(pinsIn(settings.file), []);
});

test('the pin of a process that exited is pruned on the next scan', async (t) => {
  const root = tempDir(t, 'tce-pins-');
  const { monitor, settings } = monitorIn(root);
  const gone = await spawnFakeFor(t, 'desktop-embedded', path.join(root, 'a'));
  const stays = await spawnFakeFor(t, 'desktop-embedded', path.join(root, 'b'));
  await monitor.pin(refTo(gone.pid));
  await monitor.pin(refTo(stays.pid));
  assert.equal(pinsIn(settings.file).length, 2);
  await gone.kill();
  await monitor.scan();
  assert.deepEqual(pinsIn(settings.file).map((p) => p.pid), [stays.pid]);
});

test('pinning something that is not a Claude Code session changes nothing', async (t) => {
  const root = tempDir(t, 'tce-pins-');
  const { monitor, settings } = monitorIn(root);
  const decoy = await spawnFakeFor(t, 'decoy-claudette', path.join(root, 'd'));
  const helper = await spawnFakeFor(t, 'helper-bg-spare', path.join(root, 'h'));
  settings.update(() => undefined);
  const before = fs.readFileSync(settings.file, 'utf8');
  const refused = await monitor.pin(refTo(decoy.pid));
  assert.deepEqual([refused.ok, refused.outcome], [false, 'refused']);
  assert.match(refused.message, /not a Claude Code process/);
  const helperRefused = await monitor.pin(refTo(helper.pid));
  assert.match(helperRefused.message, /helper/);
  const missing = await monitor.pin(refTo(gonePid()));
  assert.deepEqual([missing.ok, missing.outcome], [false, 'not-found']);
  assert.equal(fs.readFileSync(settings.file, 'utf8'), before);
});

/** A PID no process has: above pid_max. */
function gonePid(): number {
  return Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
}
