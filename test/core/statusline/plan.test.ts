// Plan windows from the statusline records, and the threshold decision the tray shows as notifications.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePlanAlerts, planUsage } from '../../../src/core/statusline/plan.js';
import { parseStatuslineInput } from '../../../src/core/statusline/input.js';
import { type StatuslineRecord, recordOf } from '../../../src/core/statusline/records.js';

const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const HOUR = 3_600_000;

function record(sessionId: string, observedAt: number, limits: Record<string, [number, number]>): StatuslineRecord {
  const rateLimits = Object.fromEntries(Object.entries(limits).map(([k, [usedPercentage, resetsAt]]) => [k, { usedPercentage, resetsAt }]));
  return { ...recordOf({ ...parseStatuslineInput('{}'), sessionId }, null, observedAt), rateLimits };
}

test('the newest reading of each window across sessions; a window that has reset since is marked', () => {
  assert.equal(planUsage([], NOW), null, 'no statusline ever ran');
  const plan = planUsage(
    [
      record('a', NOW - 10 * 60_000, { five_hour: [50, NOW + 2 * HOUR], seven_day: [30, NOW + 80 * HOUR] }),
      record('b', NOW - 60_000, { five_hour: [55, NOW + 2 * HOUR], spend_limit: [10, NOW + 300 * HOUR] }),
      record('c', NOW - 30_000, {}),
    ],
    NOW,
  )!;
  assert.deepEqual(plan.windows.map((w) => [w.window, w.label, w.usedPercentage, w.sessionId, w.hasReset]), [
    ['five_hour', '5-hour', 55, 'b', false],
    ['seven_day', 'weekly', 30, 'a', false],
    ['spend_limit', 'spend limit', 10, 'b', false],
  ]);
  assert.equal(plan.updatedAt, new Date(NOW - 30_000).toISOString());
  assert.equal(planUsage([record('a', NOW - 6 * HOUR, { five_hour: [90, NOW - HOUR] })], NOW)!.windows[0]!.hasReset, true);
});

test('thresholds notify once per window instance, the highest crossed; a new window notifies again; off remembers', () => {
  const at = (used: number, resetsAt = NOW + 2 * HOUR) => planUsage([record('s', NOW, { five_hour: [used, resetsAt], seven_day: [10, NOW + 90 * HOUR] })], NOW);
  let d = decidePlanAlerts(at(70), [80, 95], new Set(), true);
  assert.deepEqual(d.alerts, []);
  d = decidePlanAlerts(at(81), [80, 95], d.seen, true);
  assert.deepEqual(d.alerts.map((a) => [a.window, a.label, a.threshold, a.usedPercentage]), [['five_hour', '5-hour', 80, 81]]);
  d = decidePlanAlerts(at(85), [80, 95], d.seen, true);
  assert.deepEqual(d.alerts, [], 'once per window and threshold');
  // A reading that moves the reset time by seconds is the same window.
  d = decidePlanAlerts(at(86, NOW + 2 * HOUR + 2000), [80, 95], d.seen, true);
  assert.deepEqual(d.alerts, []);
  d = decidePlanAlerts(at(96), [80, 95], d.seen, true);
  assert.deepEqual(d.alerts.map((a) => a.threshold), [95]);
  // The next 5-hour window: it notifies again when it fills up; jumping past both says the higher one.
  d = decidePlanAlerts(at(97, NOW + 7 * HOUR), [80, 95], d.seen, true);
  assert.deepEqual(d.alerts.map((a) => [a.threshold, a.resetsAt]), [[95, new Date(NOW + 7 * HOUR).toISOString()]]);
  // Turned off: nothing, and what was crossed meanwhile is not announced later.
  const off = decidePlanAlerts(at(82, NOW + 12 * HOUR), [80, 95], new Set(), false);
  assert.deepEqual(off.alerts, []);
  assert.deepEqual(decidePlanAlerts(at(83, NOW + 12 * HOUR), [80, 95], off.seen, true).alerts, []);
  assert.deepEqual(decidePlanAlerts(null, [80, 95], d.seen, true), { alerts: [], seen: new Set() });
});

test('the statusline JSON: fields checked, a value that cannot be true left out', () => {
  const input = parseStatuslineInput(
    JSON.stringify({
      session_id: 's1',
      model: { id: 'claude-opus-5-5', display_name: 'Opus 5.5' },
      workspace: { current_dir: '/w/x', project_dir: '/w' },
      cost: { total_cost_usd: 0.5, total_duration_ms: 1000 },
      context_window: { context_window_size: 200_000, current_usage: { input_tokens: 1000, cache_read_input_tokens: 49_000, cache_creation_input_tokens: 0 } },
      rate_limits: { five_hour: { used_percentage: 12, resets_at: 1_900_000_000 }, seven_day: { used_percentage: 'x', resets_at: 1 }, 'bad name!': { used_percentage: 1, resets_at: 1_900_000_000 } },
    }),
  );
  assert.deepEqual([input.sessionId, input.cwd, input.projectDir, input.modelName, input.costUSD, input.durationMs, input.contextUsedPercentage], ['s1', '/w/x', '/w', 'Opus 5.5', 0.5, 1000, 25]);
  assert.deepEqual(input.rateLimits, { five_hour: { usedPercentage: 12, resetsAt: 1_900_000_000_000 } });
  assert.throws(() => parseStatuslineInput('nope'), /not JSON/);
});
