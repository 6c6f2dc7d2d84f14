// The "needs you" decision: which processes started waiting for their user, once per wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionLabel, attentionOrder, decideWaits } from '../../../src/core/process/attention.js';
import { makeProcess } from '../../../e2e/support/snapshots.js';

const waiting = (pid: number, since: string, over = {}) => makeProcess(pid, { activity: 'waiting', waitingFor: 'permission prompt', activitySince: since, ...over });

test('each wait notifies once; a new wait of the same session notifies again; busy and idle never do', () => {
  const a = waiting(101, '2026-11-30T10:00:00.000Z', { sessionName: 'proj-beta-b8' });
  const b = makeProcess(102, { activity: 'busy' });
  let d = decideWaits([a, b], new Set(), true);
  assert.deepEqual(d.notify.map((p) => p.pid), [101]);
  d = decideWaits([a, b], d.seen, true);
  assert.deepEqual(d.notify, [], 'still the same wait');
  // Answered, then waiting again later: a new wait.
  d = decideWaits([{ ...a, activity: 'busy', waitingFor: null }], d.seen, true);
  assert.equal(d.seen.size, 0);
  const again = { ...a, activitySince: '2026-11-30T10:05:00.000Z' };
  d = decideWaits([again], d.seen, true);
  assert.deepEqual(d.notify.map((p) => p.activitySince), ['2026-11-30T10:05:00.000Z']);
  // A new process with a reused PID is another wait.
  d = decideWaits([{ ...again, startedAt: '2026-11-30T11:00:00.000Z' }], d.seen, true);
  assert.equal(d.notify.length, 1);
  assert.equal(attentionLabel(a), 'proj-beta-b8');
  assert.equal(attentionLabel({ ...a, sessionName: null }), 'project-101');
});

test('several start waiting at once: the longest wait first; with the setting off nothing notifies, and turning it on does not announce old waits', () => {
  const early = waiting(201, '2026-11-30T09:00:00.000Z');
  const late = waiting(202, '2026-11-30T09:30:00.000Z');
  assert.deepEqual(decideWaits([late, early], new Set(), true).notify.map((p) => p.pid), [201, 202]);
  const off = decideWaits([late, early], new Set(), false);
  assert.deepEqual(off.notify, []);
  assert.equal(decideWaits([late, early], off.seen, true).notify.length, 0);
  const third = waiting(203, '2026-11-30T09:40:00.000Z');
  assert.deepEqual(decideWaits([late, early, third], off.seen, true).notify.map((p) => p.pid), [203]);
});

test('attention order: waiting sessions first, the longest wait first; the others left to the caller', () => {
  const busy = makeProcess(301, { activity: 'busy' });
  const idle = makeProcess(302, { activity: 'idle' });
  const recent = waiting(303, '2026-11-30T09:50:00.000Z');
  const long = waiting(304, '2026-11-30T09:00:00.000Z');
  const sorted = [busy, recent, idle, long].sort((a, b) => attentionOrder(a, b) || b.pid - a.pid);
  assert.deepEqual(sorted.map((p) => p.pid), [304, 303, 302, 301]);
  assert.equal(attentionOrder(busy, idle), 0);
  assert.equal(attentionOrder(long, { ...long }), 0);
});
