// The dashboard's pure view logic, run under Node: chart rows, period cards, ranges, process order and filter,
// structural sharing between snapshots, and when data counts as stale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStale, staleAfterMs } from '../../src/renderer/model/freshness.js';
import { matchesFilter, visibleProcesses } from '../../src/renderer/model/process-view.js';
import { shareSnapshot } from '../../src/renderer/model/sharing.js';
import { chartData, claudeCodeOfDays, periodCards, rangeBounds } from '../../src/renderer/model/usage-view.js';
import type { ClaudeCodeCost } from '../../src/shared/api.js';
import { largeSnapshot, makeProcess, makeReport, makeSnapshot, modelUsage, totals } from '../../e2e/support/snapshots.js';
import { usageToday } from '../../src/core/usage/today.js';
import type { UsageReport } from '../../src/shared/api.js';

/** The cards as the dashboard makes them from a snapshot taken at `at`: its "today" is the core's. */
const cardsAt = (report: UsageReport, at: Date) => periodCards(report, usageToday(report, at.getTime()));

const NOW = new Date('2026-03-15T12:00:00Z');

function day(date: string, ...models: Array<[string, number]>) {
  return { date, models: models.map(([m, tokens]) => modelUsage(m, totals(tokens, 0, 0, 0, tokens / 1000))) };
}

describe('usage view', () => {
  const report = makeReport([day('2026-01-02', ['opus', 500]), day('2026-03-10', ['sonnet', 100], ['opus', 50]), day('2026-03-15', ['sonnet', 7])]);

  it('period cards sum the days in the report time zone; all time is the report total', () => {
    const cards = Object.fromEntries(cardsAt(report, NOW).map((c) => [c.id, c.totals.totalTokens]));
    assert.deepEqual(cards, { today: 7, '7d': 157, '30d': 157, all: 657 });
    // 2026-03-15T23:30 in UTC is already the 16th in Tokyo: "today" there has nothing yet.
    const tokyo = { ...report, timezone: 'Asia/Tokyo' };
    assert.equal(cardsAt(tokyo, new Date('2026-03-15T23:30:00Z'))[0]?.totals.totalTokens, 0);
  });

  it('period cards name the unpriced models used in each period, so their cost is marked as partial', () => {
    const days = [day('2026-01-02', ['mystery', 500]), day('2026-03-14', ['sonnet', 100]), day('2026-03-15', ['sonnet', 7], ['mystery', 3])];
    for (const d of days) for (const m of d.models) m.unpriced = m.model === 'mystery';
    const withUnpriced = makeReport(days);
    for (const m of withUnpriced.models) m.unpriced = m.model === 'mystery';
    const unpriced = Object.fromEntries(cardsAt(withUnpriced, NOW).map((c) => [c.id, c.unpriced]));
    assert.deepEqual(unpriced, { today: ['mystery'], '7d': ['mystery'], '30d': ['mystery'], all: ['mystery'] });
    const yesterday = cardsAt(withUnpriced, new Date('2026-03-14T12:00:00Z'));
    assert.deepEqual(yesterday.map((c) => c.unpriced), [[], [], [], ['mystery']], 'before the 15th only January used it');
  });

  it("period cards carry the tokens their cost leaves out, and Claude Code's figure over days: dollars add up, sessions are not counted", () => {
    const days = [day('2026-01-02', ['mystery', 500]), day('2026-03-14', ['sonnet', 100]), day('2026-03-15', ['sonnet', 7], ['mystery', 3])];
    for (const m of days.flatMap((d) => d.models)) if (m.model === 'mystery') Object.assign(m, { unpriced: true, costUSD: 0, unpricedTokens: m.totalTokens });
    const r = makeReport(days);
    const cards = Object.fromEntries(cardsAt(r, NOW).map((c) => [c.id, c]));
    assert.deepEqual([cards.today!.totals.unpricedTokens, cards['7d']!.totals.unpricedTokens, cards.all!.totals.unpricedTokens], [3, 3, 503]);

    const figure = (costUSD: number, transcriptCostUSD: number, over: Partial<ClaudeCodeCost> = {}): ClaudeCodeCost => ({
      costUSD,
      transcriptCostUSD,
      notInTranscriptsUSD: costUSD - transcriptCostUSD,
      combinedCostUSD: costUSD,
      sessions: 2,
      sessionsWithout: 0,
      unknownModelCost: false,
      ...over,
    });
    assert.equal(claudeCodeOfDays(r.daily), null, 'no day has one: none');
    r.daily[1]!.claudeCode = figure(4.05, 3);
    r.daily[2]!.claudeCode = figure(1.1, 1, { unknownModelCost: true });
    const sum = claudeCodeOfDays(r.daily)!;
    assert.equal(sum.costUSD, 5.15);
    assert.equal(sum.transcriptCostUSD, 4);
    assert.equal(sum.notInTranscriptsUSD, 1.15);
    assert.equal(sum.combinedCostUSD, 5.15 + r.daily[0]!.costUSD, "the day without a figure counts with its transcripts' cost");
    assert.deepEqual([sum.sessions, sum.sessionsWithout, sum.partial, sum.unknownModelCost], [null, null, true, true]);
    assert.equal(claudeCodeOfDays(r.daily.slice(1))!.partial, false);
    const figures = Object.fromEntries(cardsAt(r, NOW).map((c) => [c.id, c.claudeCode]));
    assert.equal(figures.today!.costUSD, 1.1);
    assert.equal(figures['7d']!.costUSD, 5.15);
    assert.equal(figures.all, null, "all time is the report's own figure (none here)");
  });

  it('presets are inclusive day ranges ending today; all is open', () => {
    assert.deepEqual(rangeBounds('7d', { since: '', until: '' }, '2026-03-15'), { since: '2026-03-09', until: '2026-03-15' });
    assert.deepEqual(rangeBounds('30d', { since: '', until: '' }, '2026-03-15'), { since: '2026-02-14', until: '2026-03-15' });
    assert.deepEqual(rangeBounds('all', { since: 'x', until: 'y' }, '2026-03-15'), { since: '', until: '' });
    assert.deepEqual(rangeBounds('custom', { since: '2026-01-01', until: '2026-01-31' }, '2026-03-15'), { since: '2026-01-01', until: '2026-01-31' });
    assert.deepEqual(rangeBounds('7d', { since: '', until: '' }, ''), { since: '', until: '' }, 'no report yet: no day to count from');
  });

  it('chart: one slot per day of the range, idle days as zero, stacked per model, totals kept', () => {
    const chart = chartData(report.daily, '2026-03-09', '2026-03-15');
    assert.equal(chart.granularity, 'day');
    assert.deepEqual(chart.rows.map((r) => r.label), ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15']);
    assert.deepEqual(chart.models, ['sonnet', 'opus']);
    assert.deepEqual(chart.rows[1], { label: '2026-03-10', __total: 150, sonnet: 100, opus: 50 });
    assert.deepEqual(chart.rows[2], { label: '2026-03-11', __total: 0, sonnet: 0, opus: 0 });
    assert.equal(chart.totalTokens, 157);
    assert.deepEqual(chartData(report.daily, '2025-01-01', '2025-01-31').rows, [], 'no usage in range: no bars at all');
  });

  it('chart: a range over 92 days becomes weekly bars (Monday first) with the same total', () => {
    assert.equal(chartData(report.daily, '', '').granularity, 'day', '2026-01-02 to 2026-03-15 is 73 days');
    const long = makeReport([day('2025-10-01', ['opus', 40]), ...report.daily.map((d) => ({ date: d.date, models: d.models }))]);
    const chart = chartData(long.daily, '', '');
    assert.equal(chart.granularity, 'week');
    assert.equal(chart.rows[0]?.label, '2025-09-29'); // the Monday of Wednesday 2025-10-01
    assert.equal(chart.rows[chart.rows.length - 1]?.label, '2026-03-09');
    assert.equal(chart.rows.length, 24);
    assert.equal(chart.totalTokens, 697);
    assert.equal(chart.rows.reduce((sum, r) => sum + Number(r.__total), 0), 697);
  });

  it('chart: past eight models the smallest are summed as "other"', () => {
    const many = makeReport([day('2026-03-15', ...Array.from({ length: 10 }, (_, i) => [`m${i}`, 100 - i] as [string, number]))]);
    const chart = chartData(many.daily, '', '');
    assert.equal(chart.models.length, 8);
    assert.equal(chart.models[7], 'other');
    assert.equal(chart.rows[0]?.other, 93 + 92 + 91);
  });
});

describe('process view', () => {
  const list = [
    makeProcess(3, { project: 'beta', cpuPercent: 5, health: 'stale' }),
    makeProcess(1, { project: 'alpha', cpuPercent: 50, health: 'zombie' }),
    makeProcess(2, { project: 'gamma', cpuPercent: 5, health: 'healthy', sessionName: 'refactor' }),
  ];
  const all = { text: '', health: 'all' as const };

  it('sorts both ways with PID breaking ties, worst health first', () => {
    assert.deepEqual(visibleProcesses(list, all, { key: 'cpu', direction: 'desc' }).map((p) => p.pid), [1, 2, 3]);
    assert.deepEqual(visibleProcesses(list, all, { key: 'cpu', direction: 'asc' }).map((p) => p.pid), [2, 3, 1]);
    assert.deepEqual(visibleProcesses(list, all, { key: 'health', direction: 'asc' }).map((p) => p.pid), [1, 3, 2]);
    assert.deepEqual(visibleProcesses(list, all, { key: 'project', direction: 'desc' }).map((p) => p.pid), [2, 3, 1]);
  });

  it('lists sessions waiting for their user first, the longest wait first, whatever the sort', () => {
    const waiting = [
      makeProcess(9, { cpuPercent: 0, activity: 'waiting', waitingFor: 'permission prompt', activitySince: '2026-03-15T11:50:00.000Z' }),
      makeProcess(8, { cpuPercent: 0, activity: 'waiting', waitingFor: 'dialog open', activitySince: '2026-03-15T11:00:00.000Z' }),
      ...list,
    ];
    assert.deepEqual(visibleProcesses(waiting, all, { key: 'cpu', direction: 'desc' }).map((p) => p.pid), [8, 9, 1, 2, 3]);
    assert.deepEqual(visibleProcesses(waiting, all, { key: 'pid', direction: 'desc' }).map((p) => p.pid), [8, 9, 3, 2, 1]);
    assert.deepEqual(visibleProcesses(waiting, { text: 'dialog', health: 'all' }, { key: 'pid', direction: 'asc' }).map((p) => p.pid), [8], 'what it waits for is searchable');
  });

  it('filters by text over pid, project, session name and path, and by health', () => {
    assert.equal(matchesFilter(list[2]!, { text: 'REFAC', health: 'all' }), true);
    assert.equal(matchesFilter(list[2]!, { text: 'project-2', health: 'all' }), true, 'cwd matches');
    assert.deepEqual(visibleProcesses(list, { text: '', health: 'stale' }, { key: 'pid', direction: 'asc' }).map((p) => p.pid), [3]);
    assert.deepEqual(visibleProcesses(list, { text: 'nothing-like-this', health: 'all' }, { key: 'pid', direction: 'asc' }), []);
  });
});

describe('snapshot sharing', () => {
  it('keeps unchanged parts as the same objects and replaces what changed', () => {
    const a = largeSnapshot(20, 40);
    const b = JSON.parse(JSON.stringify(a)) as typeof a;
    b.generatedAt = new Date(Date.parse(a.generatedAt) + 10_000).toISOString();
    b.processes.processes[3]!.cpuPercent += 1;
    const shared = shareSnapshot(a, b);
    assert.equal(shared.usage, a.usage, 'same usage: same object, so the chart skips its render');
    assert.equal(shared.sessions, a.sessions);
    assert.equal(shared.processes.processes[0], a.processes.processes[0]);
    assert.notEqual(shared.processes.processes[3], a.processes.processes[3]);
    assert.equal(shared.processes.processes[3]!.cpuPercent, a.processes.processes[3]!.cpuPercent + 1);
    assert.equal(shared.generatedAt, b.generatedAt);

    b.usage!.totals.totalTokens += 5;
    assert.equal(shareSnapshot(a, b).usage, a.usage, 'the same usage revision is the same report: kept whole');
    b.usageRevision = a.usageRevision + 1;
    assert.notEqual(shareSnapshot(a, b).usage, a.usage, 'new tokens, a new revision: a new report');
    assert.equal(shareSnapshot(a, b).usage?.totals, b.usage!.totals);
    b.sessions[0]!.livePid = null;
    assert.equal(shareSnapshot(a, b).sessions, b.sessions);
  });

  it("follows Claude Code's tally and the plan windows, which change without a token in the transcripts", () => {
    const a = largeSnapshot(2, 5);
    const tally = { costUSD: 1, transcriptCostUSD: 0.8, notInTranscriptsUSD: 0.2, combinedCostUSD: 1, sessions: 1, sessionsWithout: 0, unknownModelCost: false };
    a.usage!.claudeCode = tally;
    a.usage!.daily.at(-1)!.claudeCode = tally;
    a.today!.claudeCode = tally;
    a.sessions[0]!.claudeCode = { ...tally, models: [] };
    a.plan = { windows: [{ window: 'five_hour', label: '5-hour', usedPercentage: 10, resetsAt: '2026-03-15T14:00:00.000Z', observedAt: '2026-03-15T11:00:00.000Z', hasReset: false, sessionId: 's' }], updatedAt: '2026-03-15T11:00:00.000Z' };
    const same = JSON.parse(JSON.stringify(a)) as typeof a;
    assert.equal(shareSnapshot(a, same).plan, a.plan, 'an equal plan keeps its object');
    assert.equal(shareSnapshot(a, same).usage, a.usage);
    // A session title call: Claude Code's tally grows (a new revision of the usage index), the transcripts do not.
    const titled = JSON.parse(JSON.stringify(a)) as typeof a;
    titled.usageRevision = a.usageRevision + 1;
    titled.today!.claudeCode!.costUSD = 1.01;
    titled.usage!.claudeCode!.costUSD = 1.01;
    titled.usage!.daily.at(-1)!.claudeCode!.costUSD = 1.01;
    titled.sessions[0]!.claudeCode!.costUSD = 1.01;
    const shared = shareSnapshot(a, titled);
    assert.equal(shared.usage!.claudeCode!.costUSD, 1.01);
    assert.equal(shared.usage!.daily.at(-1)!.claudeCode!.costUSD, 1.01, 'the day row is the new one');
    assert.equal(shared.today!.claudeCode!.costUSD, 1.01, "today's figures too");
    assert.equal(shared.sessions[0]!.claudeCode!.costUSD, 1.01);
    const later = JSON.parse(JSON.stringify(a)) as typeof a;
    later.plan!.windows[0]!.usedPercentage = 11;
    assert.equal(shareSnapshot(a, later).plan!.windows[0]!.usedPercentage, 11);
  });

  it('a PID reused by a new process is a new row, not the old one', () => {
    const a = makeSnapshot({ processList: [makeProcess(7, { startedAt: '2026-01-01T00:00:00.000Z' })] });
    const b = makeSnapshot({ processList: [makeProcess(7, { startedAt: '2026-02-01T00:00:00.000Z' })] });
    assert.equal(shareSnapshot(a, b).processes.processes[0]?.startedAt, '2026-02-01T00:00:00.000Z');
  });
});

describe('freshness', () => {
  it('data is stale once older than one poll plus a grace for the scan', () => {
    assert.equal(staleAfterMs(10), 15_000);
    assert.equal(staleAfterMs(1), 3000);
    const snapshot = makeSnapshot({ generatedAt: '2026-03-15T12:00:00.000Z', pollIntervalSeconds: 10 });
    assert.equal(isStale(snapshot, Date.parse('2026-03-15T12:00:14.000Z')), false);
    assert.equal(isStale(snapshot, Date.parse('2026-03-15T12:00:16.000Z')), true);
    assert.equal(isStale({ ...snapshot, generatedAt: 'garbage' }, Date.now()), true, 'an unreadable time is not fresh');
  });
});

describe('snapshot sharing of usage days', () => {
  it('a report with new tokens today keeps every other day as the same object', () => {
    const a = largeSnapshot(1, 30);
    const b = JSON.parse(JSON.stringify(a)) as typeof a;
    const today = b.usage!.daily[29]!;
    today.models[0]!.totalTokens += 10;
    today.totalTokens += 10;
    b.usage!.totals.totalTokens += 10;
    b.usageRevision = a.usageRevision + 1;
    const shared = shareSnapshot(a, b).usage!;
    assert.notEqual(shared, a.usage);
    assert.equal(shared.totals.totalTokens, a.usage!.totals.totalTokens + 10);
    assert.equal(shared.daily[0], a.usage!.daily[0]);
    assert.equal(shared.daily[28], a.usage!.daily[28]);
    assert.equal(shared.daily[29], today, 'the changed day is the new one');
  });
});

describe('settings form', () => {
  it('turns only the changed fields into a nested patch, and names each bad value', async () => {
    const { DEFAULT_SETTINGS } = await import('../../src/core/settings/defaults.js');
    const { formFrom, patchFrom } = await import('../../src/renderer/model/settings-form.js');
    const saved = structuredClone(DEFAULT_SETTINGS);
    const values = formFrom(saved);
    assert.deepEqual(patchFrom(values, saved), { patch: {}, errors: {} });

    values.poll = '5';
    values.hogMemory = '8192';
    values.staleInteractive = '2.5';
    values.notifyZombie = false;
    assert.deepEqual(patchFrom(values, saved), {
      patch: { pollIntervalSeconds: 5, health: { staleInteractiveHours: 2.5, hogMemoryMiB: 8192 }, notifications: { zombie: false } },
      errors: {},
    });

    values.poll = '0';
    values.port = '80.5';
    values.cooldown = 'soon';
    const bad = patchFrom(values, saved);
    assert.deepEqual(Object.keys(bad.errors).sort(), ['cooldown', 'poll', 'port']);
    assert.match(bad.errors.poll ?? '', /from 1 to 3600/);
    assert.match(bad.errors.port ?? '', /whole number/);
    assert.match(bad.errors.cooldown ?? '', /Enter a number/);
  });

  it('takes its limits and messages from the settings schema: what the store accepts, the form accepts', async () => {
    const { DEFAULT_SETTINGS } = await import('../../src/core/settings/defaults.js');
    const { NUMBER_RULES, normaliseSettings, patchOf, applyPatch } = await import('../../src/core/settings/schema.js');
    const { NUMBER_FIELDS, formFrom, patchFrom } = await import('../../src/renderer/model/settings-form.js');
    const saved = structuredClone(DEFAULT_SETTINGS);
    for (const f of NUMBER_FIELDS) {
      const rule = NUMBER_RULES[f.setting];
      assert.deepEqual([f.min, f.max, f.integer], [rule.min, rule.max, rule.integer], f.key);
      for (const value of [rule.min, rule.max]) {
        const values = formFrom(saved);
        values[f.key] = String(value);
        const { errors } = patchFrom(values, saved);
        assert.deepEqual(errors, {}, `${f.key} = ${value}`);
        assert.deepEqual(normaliseSettings(applyPatch(saved, patchOf(f.setting, value))).problems, [], `the store takes ${f.key} = ${value} too`);
      }
      const values = formFrom(saved);
      values[f.key] = String(rule.max + 1);
      assert.equal(patchFrom(values, saved).errors[f.key], `Enter ${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}.`);
    }
    const values = formFrom(saved);
    values.hogCpu = '0';
    assert.deepEqual(patchFrom(values, saved).patch, { health: { hogCpuPercent: 0 } }, 'hog CPU from 0, as the store takes it');
  });

  it('switches the wait and plan notifications and takes the plan percents as a list', async () => {
    const { DEFAULT_SETTINGS } = await import('../../src/core/settings/defaults.js');
    const { formFrom, patchFrom } = await import('../../src/renderer/model/settings-form.js');
    const saved = structuredClone(DEFAULT_SETTINGS);
    const values = formFrom(saved);
    assert.equal(values.planPercents, '80, 95');
    values.notifyWaiting = false;
    values.notifyPlan = false;
    values.planPercents = '90 50, 90';
    assert.deepEqual(patchFrom(values, saved), { patch: { notifications: { waiting: false, planThresholds: false, planThresholdPercents: [50, 90] } }, errors: {} });
    for (const bad of ['', 'eighty', '0', '101', '10, 20, 30, 40, 50, 60']) {
      values.planPercents = bad;
      assert.match(patchFrom(values, saved).errors.planPercents ?? '', /one to 5 percentages from 1 to 100/, JSON.stringify(bad));
    }
    values.planPercents = ' 95,80 ';
    assert.deepEqual(patchFrom(values, saved).patch, { notifications: { waiting: false, planThresholds: false } }, 'the same list written otherwise changes nothing');
  });
});
