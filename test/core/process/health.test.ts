// Health of real processes: stale from the registry's idle time, zombie (Z and stopped), hog, with thresholds from settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CPU_HOG_SUSTAIN_MS, healthOf, idleSince } from '../../../src/core/process/health.js';
import { readStat } from '../../../src/core/system/probe.js';
import { DEFAULT_SETTINGS } from '../../../src/core/settings/defaults.js';
import { spawnFakeFor, spawnZombie, writeRegistry } from '../../support/fake-claude.js';
import { tempDir, waitFor } from '../../support/tmp.js';
import { monitorIn, stateOf } from './helpers.js';

const HOUR = 3_600_000;

test('stale: idle in the registry longer than the interactive (4 h) or background (8 h) limit', async (t) => {
  const root = tempDir(t, 'tce-health-');
  const { monitor, claudeDir } = monitorIn(root);
  const now = Date.now();
  const idle = async (kind: string, hours: number, status: 'idle' | 'busy' = 'idle') => {
    const fake = await spawnFakeFor(t, 'native-installer', path.join(root, `${kind}-${hours}-${status}`));
    const since = now - hours * HOUR;
    writeRegistry(claudeDir, fake.pid, { kind, status, statusUpdatedAt: since, updatedAt: since, cwd: fake.cwd, sessionId: `s-${kind}-${hours}-${status}` });
    return { pid: fake.pid, since };
  };
  const interactive5h = await idle('interactive', 5);
  const interactive3h = await idle('interactive', 3);
  const busy5h = await idle('interactive', 5, 'busy');
  const background5h = await idle('bg', 5);
  const background9h = await idle('bg', 9);

  const snapshot = await monitor.scan();
  const get = (pid: number) => {
    const p = snapshot.processes.find((q) => q.pid === pid);
    assert.ok(p, `PID ${pid} not listed`);
    return p;
  };
  assert.equal(get(interactive5h.pid).health, 'stale');
  assert.equal(get(interactive5h.pid).activity, 'idle');
  assert.equal(get(interactive5h.pid).idleSince, new Date(interactive5h.since).toISOString());
  assert.equal(get(interactive5h.pid).sessionId, 's-interactive-5-idle');
  assert.equal(get(interactive5h.pid).kind, 'interactive');
  assert.equal(get(interactive5h.pid).interactive, true);
  assert.equal(get(interactive3h.pid).health, 'healthy');
  assert.equal(get(busy5h.pid).health, 'healthy', 'busy is never stale');
  assert.equal(get(busy5h.pid).activity, 'busy');
  assert.equal(get(busy5h.pid).idleSince, null);
  assert.equal(get(background5h.pid).health, 'healthy', 'a background session gets 8 h');
  assert.equal(get(background5h.pid).interactive, false);
  assert.equal(get(background9h.pid).health, 'stale');
  assert.equal(snapshot.summary.stale >= 2, true);

  // The limits are settings: shorter ones make the 3 h and 5 h sessions stale too.
  const tight = monitorIn(path.join(root, 'tight'), { settings: (s) => void Object.assign(s.health, { staleInteractiveHours: 2, staleBackgroundHours: 4 }) });
  for (const name of fs.readdirSync(path.join(claudeDir, 'sessions'))) {
    fs.mkdirSync(path.join(tight.claudeDir, 'sessions'), { recursive: true });
    fs.copyFileSync(path.join(claudeDir, 'sessions', name), path.join(tight.claudeDir, 'sessions', name));
  }
  const tighter = await tight.monitor.scan();
  const health = (pid: number) => tighter.processes.find((p) => p.pid === pid)?.health;
  assert.equal(health(interactive3h.pid), 'stale');
  assert.equal(health(background5h.pid), 'stale');
  assert.equal(health(busy5h.pid), 'healthy');
});

test('a registry entry of another process with the same PID (other start time), or a broken one, is not used', async (t) => {
  const root = tempDir(t, 'tce-health-');
  const { monitor, claudeDir } = monitorIn(root);
  const reused = await spawnFakeFor(t, 'argv0', path.join(root, 'a'));
  const broken = await spawnFakeFor(t, 'argv0', path.join(root, 'b'));
  const old = Date.now() - 10 * HOUR;
  // Left behind by a killed Claude Code whose PID this process got: its procStart is not this process's.
  writeRegistry(claudeDir, reused.pid, { procStart: '12', startedAt: old, status: 'idle', statusUpdatedAt: old, updatedAt: old, sessionId: 'gone-session' });
  fs.writeFileSync(path.join(claudeDir, 'sessions', `${broken.pid}.json`), '{"pid": ' + String(broken.pid) + ', "sessionId": "half');
  const snapshot = await monitor.scan();
  for (const pid of [reused.pid, broken.pid]) {
    const p = snapshot.processes.find((q) => q.pid === pid);
    assert.ok(p, `PID ${pid} not listed`);
    assert.equal(p.sessionId, null);
    assert.equal(p.activity, null);
    assert.equal(p.health, 'healthy');
  }
});

test('zombie: a Claude Code process that exited and was never reaped', async (t) => {
  const root = tempDir(t, 'tce-health-');
  const { monitor, claudeDir } = monitorIn(root);
  const embedded = await spawnFakeFor(t, 'desktop-embedded', path.join(root, 'kit'));
  await embedded.kill();
  const file = embedded.file as string;
  // Named `claude` in the kernel: recognised even by a monitor that never saw it alive.
  const first = await spawnZombie(file, 0, root);
  t.after(() => first.parent.kill());
  await waitFor(`PID ${first.childPid} to be a zombie (parent ${first.parent.pid} alive: ${first.parent.alive()})`, () => stateOf(first.childPid) === 'Z', 20_000);
  let snapshot = await monitor.scan();
  let z = snapshot.processes.find((p) => p.pid === first.childPid);
  assert.ok(z, 'zombie not listed');
  assert.equal(z.state, 'Z');
  assert.equal(z.health, 'zombie');
  assert.equal(snapshot.summary.zombie >= 1, true);

  // A native-installer process is named after its version; once a zombie only the registry or an earlier scan knows it.
  const native = await spawnFakeFor(t, 'native-installer', path.join(root, 'native'));
  await native.kill();
  const second = await spawnZombie(native.file as string, 3, path.join(root, 'native'));
  t.after(() => second.parent.kill());
  writeRegistry(claudeDir, second.childPid, { sessionId: 'zombie-session' });
  await waitFor(`PID ${second.childPid} to be a zombie (parent ${second.parent.pid})`, () => stateOf(second.childPid) === 'Z', 20_000);
  snapshot = await monitor.scan();
  z = snapshot.processes.find((p) => p.pid === second.childPid);
  assert.ok(z, 'registered zombie not listed');
  assert.equal(z.health, 'zombie');
  assert.equal(z.sessionId, 'zombie-session');

  // Reaped (its parent gone): no longer listed.
  await second.parent.kill();
  await waitFor('the zombie to be reaped', () => stateOf(second.childPid) === null);
  snapshot = await monitor.scan();
  assert.equal(snapshot.processes.some((p) => p.pid === second.childPid), false);
});

test('zombie: a stopped (SIGSTOP) Claude Code process', async (t) => {
  const root = tempDir(t, 'tce-health-');
  const { monitor } = monitorIn(root);
  const fake = await spawnFakeFor(t, 'npm-native', root);
  process.kill(fake.pid, 'SIGSTOP');
  t.after(() => {
    try {
      process.kill(fake.pid, 'SIGCONT');
    } catch {
      // already gone
    }
  });
  await waitFor('the process to stop', () => stateOf(fake.pid) === 'T');
  const p = (await monitor.scan()).processes.find((q) => q.pid === fake.pid);
  assert.equal(p?.state, 'T');
  assert.equal(p?.health, 'zombie');
});

/** A legacy npm install whose cli.js spins: real CPU use, seen as Claude Code. */
async function spawnSpinning(t: { after: (fn: () => void) => void }, root: string): Promise<{ pid: number }> {
  const cliJs = path.join(root, 'busy', 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js');
  fs.mkdirSync(path.dirname(cliJs), { recursive: true });
  fs.writeFileSync(cliJs, 'for (;;) { Math.sqrt(Math.random()); }\n');
  const busy = spawn(process.execPath, [cliJs], { stdio: 'ignore' });
  t.after(() => {
    busy.kill('SIGKILL');
  });
  await waitFor('the busy process to start', () => busy.pid !== undefined && stateOf(busy.pid) !== null);
  return { pid: busy.pid! };
}

/** CPU time `pid` has used so far, in ms. */
function cpuMs(pid: number): number {
  return ((readStat(pid)?.cpuTicks ?? 0) * 1000) / 100;
}

/**
 * Waits until `pid` has used 200 ms more CPU time than it had when the last scan read it: the next reading then
 * covers real work, whatever the load (a fixed pause could end before a starved process ran at all).
 */
async function moreCpu(pid: number, since: number): Promise<void> {
  await waitFor(`PID ${pid} to use more CPU`, () => cpuMs(pid) >= since + 200, 60_000, 20);
}

/**
 * The monitor's clock, stopped: how long a process has been over the hog line is counted in it, so the test moves it
 * on by the time it means instead of waiting for the real clock and racing the threshold. (CPU % is still measured
 * over real time between readings.)
 */
function stoppedClock(): { now: () => number; advance(ms: number): void } {
  let at = Date.now();
  return { now: () => at, advance: (ms) => void (at += ms) };
}

test('hog: over the memory or CPU threshold of the settings', async (t) => {
  const root = tempDir(t, 'tce-health-');
  const quiet = await spawnFakeFor(t, 'argv0', path.join(root, 'quiet'));
  const busy = await spawnSpinning(t, root);

  const clock = stoppedClock();
  const byCpu = monitorIn(path.join(root, 'cpu'), { now: clock.now, settings: (s) => void (s.health.hogCpuPercent = 5) });
  await byCpu.monitor.scan({ sampleMs: 500 });
  // Over the line in every reading for longer than the sustain time.
  await moreCpu(busy.pid, cpuMs(busy.pid));
  clock.advance(CPU_HOG_SUSTAIN_MS + 1000);
  const snapshot = await byCpu.monitor.scan();
  const busyP = snapshot.processes.find((p) => p.pid === busy.pid);
  assert.ok(busyP, 'busy process not listed');
  assert.ok(busyP.cpuPercent > 5, `busy process at ${busyP.cpuPercent}% CPU`);
  assert.equal(busyP.health, 'hog');
  assert.equal(busyP.idleSince, null, 'a process using CPU now is not idle');
  assert.equal(snapshot.processes.find((p) => p.pid === quiet.pid)?.health, 'healthy');

  // Memory: a sleep uses about 2 MiB, over a 1 MiB limit.
  const byMemory = monitorIn(path.join(root, 'mem'), { settings: (s) => void (s.health.hogMemoryMiB = 1) });
  const quietP = (await byMemory.monitor.scan()).processes.find((p) => p.pid === quiet.pid);
  assert.ok(quietP && quietP.rssBytes > 1024 * 1024);
  assert.equal(quietP.health, 'hog');
});

test('CPU use makes a hog only once it has stayed over the line: not a process seconds into a busy start', async (t) => {
  const root = tempDir(t, 'tce-health-');
  const busy = await spawnSpinning(t, root);
  const clock = stoppedClock();
  const { monitor } = monitorIn(path.join(root, 'cpu'), { now: clock.now, settings: (s) => void (s.health.hogCpuPercent = 5) });
  const first = (await monitor.scan({ sampleMs: 500 })).processes.find((p) => p.pid === busy.pid);
  let used = cpuMs(busy.pid);
  assert.ok(first && first.cpuPercent > 5, `busy process at ${first?.cpuPercent}% CPU`);
  assert.equal(first.health, 'healthy', `over the line since it started, a second or so of the ${CPU_HOG_SUSTAIN_MS / 1000} s it takes`);
  await moreCpu(busy.pid, used);
  clock.advance(CPU_HOG_SUSTAIN_MS / 2);
  const halfway = (await monitor.scan()).processes.find((p) => p.pid === busy.pid);
  used = cpuMs(busy.pid);
  assert.equal(halfway?.health, 'healthy', 'half way there');
  await moreCpu(busy.pid, used);
  clock.advance(CPU_HOG_SUSTAIN_MS / 2 + 1000);
  const later = (await monitor.scan()).processes.find((p) => p.pid === busy.pid);
  assert.equal(later?.health, 'hog', 'over the line in every reading for the whole sustain time');
});

test('health precedence: zombie and hog over pinned, pinned over stale', () => {
  const t = DEFAULT_SETTINGS.health;
  const now = Date.now();
  const base = { state: 'S', cpuPercent: 0, rssBytes: 1000, interactive: true, pinned: false, idleSince: now - 5 * HOUR };
  assert.equal(healthOf(base, t, now), 'stale');
  assert.equal(healthOf({ ...base, pinned: true }, t, now), 'pinned');
  assert.equal(healthOf({ ...base, pinned: true, state: 'Z' }, t, now), 'zombie');
  assert.equal(healthOf({ ...base, pinned: true, cpuPercent: 95 }, t, now), 'hog');
  assert.equal(healthOf({ ...base, cpuPercent: 2 }, t, now), 'healthy', 'using CPU now: not stale');
  assert.equal(healthOf({ ...base, interactive: false }, t, now), 'healthy');
  assert.equal(healthOf({ ...base, idleSince: null }, t, now), 'healthy');
  assert.equal(healthOf({ ...base, idleSince: null, cpuPercent: 95, cpuOverSince: now - 59_000 }, t, now), 'healthy', 'over the line for 59 s');
  assert.equal(healthOf({ ...base, idleSince: null, cpuPercent: 95, cpuOverSince: now - 60_000 }, t, now), 'hog', 'over the line for a minute');
  assert.equal(healthOf({ ...base, rssBytes: 10 * 1024 ** 3, cpuOverSince: null }, t, now), 'hog', 'memory counts at once');
});

test('idle since, without a registry: the last time the monitor saw CPU use, not the start of a mostly quiet life', () => {
  const now = Date.now();
  const start = now - 10 * HOUR;
  const base = { activity: null, activitySince: null, startTime: start, now, idleCpuPercent: 1 };
  // 1 minute of CPU in 10 hours (0.17 % on average), but busy 20 minutes ago.
  const quietLife = { ...base, cpuTimeMs: 60_000 };
  assert.equal(idleSince({ ...quietLife, watched: { activeNow: false, lastActive: now - 20 * 60_000, firstSeen: now - HOUR } }), now - 20 * 60_000);
  assert.equal(idleSince({ ...quietLife, watched: { activeNow: true, lastActive: now, firstSeen: now - HOUR } }), null);
  // Never seen busy: its lifetime average decides.
  assert.equal(idleSince({ ...quietLife, watched: { activeNow: false, lastActive: null, firstSeen: now - HOUR } }), start);
  assert.equal(idleSince({ ...base, cpuTimeMs: 3 * HOUR, watched: { activeNow: false, lastActive: null, firstSeen: now - HOUR } }), now - HOUR);
  // The registry knows better than CPU samples.
  assert.equal(idleSince({ ...quietLife, activity: 'idle', activitySince: now - 2 * HOUR, watched: null }), now - 2 * HOUR);
  assert.equal(idleSince({ ...quietLife, activity: 'busy', activitySince: now - 2 * HOUR, watched: null }), null);
});
