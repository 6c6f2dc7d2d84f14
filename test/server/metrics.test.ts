import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderMetrics } from '../../src/server/metrics.js';
import type { DailyUsage, Snapshot } from '../../src/shared/api.js';
import { parseMetrics } from './fixtures.js';
import { makeProcess } from '../../e2e/support/snapshots.js';

function totals(input: number, output: number, costUSD: number) {
  return { inputTokens: input, outputTokens: output, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: input + output, webSearchRequests: 0, costUSD, unpricedTokens: 0 };
}

function snapshotWith(daily: DailyUsage[], over: Partial<Snapshot> = {}): Snapshot {
  return {
    processes: { processes: [], summary: { total: 3, healthy: 1, stale: 1, zombie: 0, hog: 1, pinned: 0 }, scannedAt: '2026-03-01T10:00:00.000Z' },
    usage: {
      totals: totals(0, 0, 0),
      claudeCode: null,
      costFigures: { costUSD: 'transcripts', claudeCode: 'cost-state' },
      models: [],
      daily,
      projects: [],
      hourOfDay: [],
      weekly: [],
      diagnostics: { files: 0, linesRead: 0, malformedLines: 0, duplicateLines: 0, unpricedModels: [] },
      timezone: 'UTC',
      generatedAt: '2026-03-01T10:00:00.000Z',
    },
    sessions: [],
    activeBlock: {
      ...totals(1000, 200, 1.5),
      start: '2026-03-01T09:00:00.000Z',
      end: '2026-03-01T14:00:00.000Z',
      lastActivity: '2026-03-01T09:50:00.000Z',
      active: true,
      models: ['claude-sonnet-4-5'],
      burnRate: { tokensPerMinute: 24, costPerHour: 1.8 },
      projection: null,
    },
    plan: null,
    warnings: [],
    generatedAt: '2026-03-01T10:00:00.000Z',
    pollIntervalSeconds: 10,
    usageRevision: 1,
    today: null,
    ...over,
  };
}

describe('renderMetrics', () => {
  it('says tce_up 0 and nothing else before the first snapshot', () => {
    const { samples } = parseMetrics(renderMetrics(null));
    assert.deepEqual(samples, [{ name: 'tce_up', labels: {}, value: 0 }]);
  });

  it('escapes label values so odd model names survive a parser, and leaves unpriced cost and stats-cache days out', () => {
    const odd = 'vendor/"quoted"\\back\nline';
    const text = renderMetrics(
      snapshotWith([
        { date: '2026-03-01', ...totals(10, 20, 0.5), models: [{ model: odd, unpriced: false, ...totals(10, 20, 0.5) }], source: 'transcripts', claudeCode: null },
        { date: '2026-03-01', ...totals(5, 5, 0), models: [{ model: 'mystery-model', unpriced: true, ...totals(5, 5, 0) }], claudeCode: null },
        { date: '2026-02-01', ...totals(99, 0, 0), models: [{ model: 'claude-opus-4-5', unpriced: true, ...totals(99, 0, 0) }], source: 'stats-cache', claudeCode: null },
      ]),
    );
    const { samples } = parseMetrics(text);
    const oddInput = samples.find((s) => s.name === 'tce_tokens' && s.labels.model === odd && s.labels.type === 'input');
    assert.equal(oddInput?.value, 10);
    assert.equal(samples.find((s) => s.name === 'tce_cost_usd' && s.labels.model === odd)?.value, 0.5);
    assert.ok(samples.some((s) => s.name === 'tce_tokens' && s.labels.model === 'mystery-model'), 'tokens of an unpriced model are counted');
    assert.ok(!samples.some((s) => s.name === 'tce_cost_usd' && s.labels.model === 'mystery-model'), 'its cost is unknown, not 0');
    assert.ok(!samples.some((s) => s.labels.date === '2026-02-01'), 'stats-cache estimates are not exported');
    assert.equal(samples.find((s) => s.name === 'tce_processes' && s.labels.health === 'hog')?.value, 1);
    assert.equal(samples.find((s) => s.name === 'tce_active_block_burn_rate_tokens_per_minute')?.value, 24);
    assert.equal(samples.find((s) => s.name === 'tce_active_block_burn_rate_cost_per_hour')?.value, 1.8);
    assert.equal(samples.find((s) => s.name === 'tce_active_block_tokens')?.value, 1200);
    assert.equal(samples.find((s) => s.name === 'tce_snapshot_timestamp_seconds')?.value, Date.parse('2026-03-01T10:00:00.000Z') / 1000);
  });

  it('processes by activity and the longest wait, unpriced tokens, web searches, Claude Code\'s figure, plan windows', () => {
    const scannedAt = '2026-03-01T10:00:00.000Z';
    const processes = [
      makeProcess(1, { activity: 'waiting', waitingFor: 'permission prompt', activitySince: '2026-03-01T09:58:00.000Z' }),
      makeProcess(2, { activity: 'waiting', waitingFor: 'input needed', activitySince: '2026-03-01T09:59:30.000Z' }),
      makeProcess(3, { activity: 'busy' }),
      makeProcess(4, { activity: null }),
    ];
    const day: DailyUsage = {
      date: '2026-03-01',
      ...totals(10, 20, 0.5),
      unpricedTokens: 30,
      models: [{ model: 'claude-opus-5-5', unpriced: false, ...totals(10, 20, 0.5), webSearchRequests: 2 }],
      source: 'transcripts',
      claudeCode: { costUSD: 0.7, transcriptCostUSD: 0.5, notInTranscriptsUSD: 0.2, combinedCostUSD: 0.7, sessions: 1, sessionsWithout: 0, unknownModelCost: false },
    };
    const plan = {
      windows: [
        { window: 'five_hour', label: '5-hour', usedPercentage: 81.5, resetsAt: '2026-03-01T12:00:00.000Z', observedAt: '2026-03-01T09:59:00.000Z', hasReset: false, sessionId: 's' },
        { window: 'seven_day', label: 'weekly', usedPercentage: 40, resetsAt: '2026-03-05T00:00:00.000Z', observedAt: '2026-03-01T09:59:00.000Z', hasReset: false, sessionId: 's' },
      ],
      updatedAt: '2026-03-01T09:59:00.000Z',
    };
    const { samples } = parseMetrics(renderMetrics(snapshotWith([day], { processes: { processes, summary: { total: 4, healthy: 4, stale: 0, zombie: 0, hog: 0, pinned: 0 }, scannedAt }, plan })));
    const value = (name: string, labels: Record<string, string> = {}) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    assert.deepEqual(['busy', 'idle', 'waiting', 'unknown'].map((activity) => value('tce_processes_by_activity', { activity })), [1, 0, 2, 1]);
    assert.equal(value('tce_waiting_longest_seconds'), 120);
    assert.equal(value('tce_unpriced_tokens', { date: '2026-03-01' }), 30);
    assert.equal(value('tce_web_search_requests', { model: 'claude-opus-5-5', date: '2026-03-01' }), 2);
    assert.equal(value('tce_claude_code_cost_usd', { date: '2026-03-01' }), 0.7);
    assert.equal(value('tce_not_in_transcripts_usd', { date: '2026-03-01' }), 0.2);
    assert.equal(value('tce_plan_used_percent', { window: 'five_hour' }), 81.5);
    assert.equal(value('tce_plan_used_percent', { window: 'seven_day' }), 40);
    assert.equal(value('tce_plan_resets_at_seconds', { window: 'five_hour' }), Date.parse('2026-03-01T12:00:00.000Z') / 1000);
    assert.equal(value('tce_active_block_cost_usd'), 1.5);
    // Without statusline data: no plan samples at all (not zeros).
    const none = parseMetrics(renderMetrics(snapshotWith([day]))).samples;
    assert.ok(!none.some((s) => s.name.startsWith('tce_plan_')));
    assert.equal(none.find((s) => s.name === 'tce_waiting_longest_seconds')?.value, 0);
  });
});
