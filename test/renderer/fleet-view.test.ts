// What the dashboard and the tray make of remote machines: which processes are listed, filters, totals, cost rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fleetProcesses, fleetTotals, machineUsage, processKey } from '../../src/core/fleet/combined.js';
import { visibleProcesses } from '../../src/renderer/model/process-view.js';
import { machineCostRows } from '../../src/renderer/model/usage-view.js';
import { ALL_MACHINES, THIS_MACHINE } from '../../src/renderer/model/view-state.js';
import { makeMachine, makeProcess, makeReport, modelUsage, totals, utcDay } from '../../e2e/support/snapshots.js';

const machines = [
  makeMachine('devbox', { processes: [makeProcess(7), makeProcess(8, { health: 'stale' })], models: [modelUsage('claude-opus-4-5', totals(100, 10, 0, 0, 3))] }),
  makeMachine('ci', { processes: [makeProcess(9)], models: [modelUsage('claude-sonnet-4-5', totals(50, 5, 0, 0, 1))], down: { error: 'connection refused', lastSeenAgoMs: 60_000 } }),
  makeMachine('new', { down: { error: 'no answer', lastSeenAgoMs: null } }),
];

test('processes: this machine and every answering one, told apart by key, filtered by machine', () => {
  const local = [makeProcess(7), makeProcess(1)];
  const all = fleetProcesses(local, machines);
  assert.deepEqual(all.map((p) => processKey(p)), [7, 1, 'devbox:7', 'devbox:8']);
  const sort = { key: 'pid' as const, direction: 'asc' as const };
  assert.deepEqual(visibleProcesses(all, { text: '', health: 'all', machine: 'devbox' }, sort).map(processKey), ['devbox:7', 'devbox:8']);
  assert.deepEqual(visibleProcesses(all, { text: '', health: 'all', machine: THIS_MACHINE }, sort).map(processKey), [1, 7]);
  assert.deepEqual(visibleProcesses(all, { text: 'devb', health: 'all', machine: ALL_MACHINES }, sort).map(processKey), ['devbox:7', 'devbox:8']);
  assert.deepEqual(visibleProcesses(all, { text: '', health: 'stale' }, sort).map(processKey), ['devbox:8']);
  assert.deepEqual(visibleProcesses(all, { text: '', health: 'all' }, { key: 'machine', direction: 'asc' }).map(processKey), [1, 7, 'devbox:7', 'devbox:8']);
});

test('totals: each machine as last known, one never heard from left out and counted as such', () => {
  const report = makeReport([{ date: utcDay(0), models: [modelUsage('claude-haiku-4-5', totals(10, 1, 0, 0, 0.1))] }]);
  const rows = machineUsage({ today: null, totals: report.totals, unpricedModels: [], processes: 2, generatedAt: new Date().toISOString() }, machines);
  assert.deepEqual(rows.map((r) => [r.machine, r.reachable, r.processes, r.totals?.costUSD ?? null]), [
    [null, true, 2, 0.1],
    ['devbox', true, 2, 3],
    ['ci', false, null, 1],
    ['new', false, null, null],
  ]);
  const total = fleetTotals(rows);
  assert.equal(total.totals.costUSD, 4.1);
  assert.equal(total.totals.totalTokens, 11 + 110 + 55);
  assert.deepEqual([total.counted, total.lastKnown, total.unknown], [3, 1, 1]);
});

test('cost rows of other machines: all time, each tagged with its machine, costliest first', () => {
  const report = makeReport([{ date: utcDay(0), models: [modelUsage('claude-haiku-4-5', totals(10, 1, 0, 0, 0.1))] }]);
  const all = machineCostRows(report, machines, ALL_MACHINES);
  assert.deepEqual(all.models.map((m) => [m.machine ?? 'here', m.model]), [['devbox', 'claude-opus-4-5'], ['ci', 'claude-sonnet-4-5'], ['here', 'claude-haiku-4-5']]);
  assert.deepEqual(machineCostRows(report, machines, 'ci').projects.map((p) => [p.machine, p.project]), [['ci', '-srv-ci-project-0']]);
});
