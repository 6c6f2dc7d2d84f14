import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderMetrics } from '../../src/server/metrics.js';
import type { DailyUsage, Snapshot } from '../../src/shared/api.js';
import { parseMetrics } from './fixtures.js';

function totals(input: number, output: number, costUSD: number) {
  return { inputTokens: input, outputTokens: output, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: input + output, webSearchRequests: 0, costUSD, unpricedTokens: 0 };
}

function snapshotWith(daily: DailyUsage[]): Snapshot {
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
    warnings: [],
    generatedAt: '2026-03-01T10:00:00.000Z',
    pollIntervalSeconds: 10,
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
});
