import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NotificationPlanner } from '../../src/main/notification-planner.js';
import type { NotificationSettings } from '../../src/core/settings/types.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/defaults.js';
import type { ClaudeProcess } from '../../src/shared/api.js';
import { claudeProcess } from './snapshots.js';

const ON: NotificationSettings = { ...DEFAULT_SETTINGS.notifications, stale: true, zombie: true, hog: true, cooldownMinutes: 30, pausedUntil: null };
const MIN = 60_000;
const T0 = Date.parse('2026-11-25T12:00:00.000Z');

const as = (p: ClaudeProcess, health: ClaudeProcess['health']): ClaudeProcess => ({ ...p, health });

describe('notification planner', () => {
  it('notifies once when a process becomes stale, not on every poll while it stays stale', () => {
    const planner = new NotificationPlanner();
    const p = claudeProcess({ pid: 900, project: 'api' });
    assert.equal(planner.plan([p], ON, T0), null);
    const notice = planner.plan([as(p, 'stale')], ON, T0 + MIN);
    assert.ok(notice);
    assert.equal(notice.title, 'Claude Code process is stale');
    assert.match(notice.body, /^api \(pid 900\) has been idle/);
    assert.equal(notice.focusPid, 900);
    assert.deepEqual(notice.pids, [900]);
    for (let i = 2; i < 100; i++) assert.equal(planner.plan([as(p, 'stale')], ON, T0 + i * MIN), null);
  });

  it('names each kind in its own words', () => {
    const planner = new NotificationPlanner();
    const z = claudeProcess({ pid: 901 });
    const h = claudeProcess({ pid: 902 });
    planner.plan([z, h], ON, T0);
    assert.equal(planner.plan([as(z, 'zombie'), h], ON, T0 + MIN)!.title, 'Claude Code process is a zombie');
    assert.equal(planner.plan([as(z, 'zombie'), as(h, 'hog')], ON, T0 + 2 * MIN)!.title, 'Claude Code process is a hog');
  });

  it('groups several transitions of one poll into one notice, worst kind first', () => {
    const planner = new NotificationPlanner();
    const ps = [901, 902, 903, 904, 905, 906].map((pid) => claudeProcess({ pid, project: `p${pid}` }));
    planner.plan(ps, ON, T0);
    const next = [as(ps[0]!, 'stale'), as(ps[1]!, 'zombie'), as(ps[2]!, 'hog'), as(ps[3]!, 'stale'), as(ps[4]!, 'stale'), as(ps[5]!, 'stale')];
    const notice = planner.plan(next, ON, T0 + MIN);
    assert.ok(notice);
    assert.equal(notice.title, '6 Claude Code processes need attention');
    assert.equal(notice.focusPid, 902, 'the zombie comes first');
    assert.deepEqual(notice.pids, [902, 903, 901, 904, 905, 906]);
    assert.equal(notice.body, '1 zombie, 1 hog, 4 stale: p902 (pid 902), p903 (pid 903), p901 (pid 901), p904 (pid 904), and 2 more.');
  });

  it('notifies for a process first seen in a bad state', () => {
    const planner = new NotificationPlanner();
    const notice = planner.plan([claudeProcess({ pid: 910, health: 'zombie' })], ON, T0);
    assert.equal(notice?.focusPid, 910);
  });

  it('waits out the cooldown before the same process notifies again', () => {
    const planner = new NotificationPlanner();
    const p = claudeProcess({ pid: 920 });
    assert.ok(planner.plan([as(p, 'stale')], ON, T0));
    // Back to healthy, stale again 10 minutes later: within the 30-minute cooldown.
    planner.plan([p], ON, T0 + 5 * MIN);
    assert.equal(planner.plan([as(p, 'stale')], ON, T0 + 10 * MIN), null);
    // Another transition after the cooldown is announced.
    planner.plan([p], ON, T0 + 35 * MIN);
    assert.ok(planner.plan([as(p, 'hog')], ON, T0 + 36 * MIN));
    // The cooldown is per process: another one is not held back.
    const other = claudeProcess({ pid: 921, health: 'stale' });
    assert.equal(planner.plan([as(p, 'hog'), other], ON, T0 + 37 * MIN)?.focusPid, 921);
  });

  it('says nothing while paused, and a transition during the pause is not announced afterwards', () => {
    const planner = new NotificationPlanner();
    const p = claudeProcess({ pid: 930 });
    const q = claudeProcess({ pid: 931 });
    planner.plan([p, q], ON, T0);
    const paused = { ...ON, pausedUntil: new Date(T0 + 60 * MIN).toISOString() };
    assert.equal(planner.plan([as(p, 'zombie'), q], paused, T0 + MIN), null);
    assert.equal(planner.plan([as(p, 'zombie'), q], paused, T0 + 61 * MIN), null, 'pause over, but no new transition');
    assert.equal(planner.plan([as(p, 'zombie'), as(q, 'stale')], paused, T0 + 62 * MIN)?.focusPid, 931);
  });

  it('honours each kind’s switch', () => {
    const planner = new NotificationPlanner();
    const ps = [940, 941, 942].map((pid) => claudeProcess({ pid }));
    planner.plan(ps, ON, T0);
    const settings = { ...ON, stale: false, hog: false };
    const notice = planner.plan([as(ps[0]!, 'stale'), as(ps[1]!, 'hog'), as(ps[2]!, 'zombie')], settings, T0 + MIN);
    assert.deepEqual(notice?.pids, [942]);
    const none = new NotificationPlanner();
    none.plan(ps, ON, T0);
    assert.equal(none.plan([as(ps[0]!, 'stale')], { ...ON, stale: false }, T0 + MIN), null);
  });

  it('treats a reused PID as a new process', () => {
    const planner = new NotificationPlanner();
    const first = claudeProcess({ pid: 950, health: 'stale', startedAt: '2026-11-25T01:00:00.000Z' });
    assert.ok(planner.plan([first], ON, T0));
    const reused = { ...first, startedAt: '2026-11-25T11:59:00.000Z' };
    assert.ok(planner.plan([reused], ON, T0 + MIN), 'another process with the same pid is announced despite the cooldown');
  });

  it('does not take a start time that wobbles between polls for a new process', () => {
    const planner = new NotificationPlanner();
    const p = claudeProcess({ pid: 960, health: 'stale', startedAt: '2026-11-25T09:00:00.000Z' });
    assert.ok(planner.plan([p], ON, T0));
    for (let i = 1; i < 10; i++) {
      const wobble = new Date(Date.parse(p.startedAt) + (i % 2 === 0 ? 400 : -300)).toISOString();
      assert.equal(planner.plan([{ ...p, startedAt: wobble }], ON, T0 + i * 40 * MIN), null, `poll ${i}`);
    }
  });
});
