import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { renderMetrics } from '../../src/server/metrics.js';
import type { Snapshot } from '../../src/shared/api.js';
import { createCore } from '../../src/core/create-core.js';
import { TCE_VERSION } from '../../src/core/version.js';
import { parseMetrics, type MetricSample } from './fixtures.js';
import { makeProcess, makeReport, makeSnapshot, modelUsage, totals } from '../../e2e/support/snapshots.js';
import { assistantLine, costStateLine, writeTranscript } from '../core/usage/corpus.js';
import { tempDir, writeFile } from '../support/tmp.js';

function valueOf(samples: MetricSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

const sum = (samples: MetricSample[], name: string, where: (s: MetricSample) => boolean = () => true) =>
  samples.filter((s) => s.name === name && where(s)).reduce((n, s) => n + s.value, 0);

/** Label names a series may carry: each has a handful of values, never one per day or per process. */
const BOUNDED_LABELS = new Set(['version', 'node', 'health', 'activity', 'model', 'type', 'project', 'pricing', 'timezone', 'window']);

describe('renderMetrics', () => {
  it('says tce_up 0 and its build before the first snapshot', () => {
    const { samples } = parseMetrics(renderMetrics(null));
    assert.deepEqual(samples, [
      { name: 'tce_build_info', labels: { version: TCE_VERSION, node: process.version }, value: 1 },
      { name: 'tce_up', labels: {}, value: 0 },
    ]);
  });

  it('follows the naming conventions: counters end in _total, units in names, no date or other unbounded labels', () => {
    const report = makeReport([
      { date: '2026-02-27', models: [modelUsage('claude-sonnet-4-5', totals(100, 50, 0, 0, 0.25))] },
      { date: '2026-03-01', models: [modelUsage('claude-opus-4-5', totals(10, 20, 5, 1000, 1.5))] },
    ]);
    const snapshot = makeSnapshot({
      usage: report,
      generatedAt: '2026-03-01T10:00:00.000Z',
      processList: [makeProcess(1), makeProcess(2, { health: 'stale' })],
      plan: { windows: [{ window: 'five_hour', label: '5-hour', usedPercentage: 93, resetsAt: '2026-03-01T12:00:00.000Z', observedAt: '2026-03-01T09:59:00.000Z', hasReset: false, sessionId: 's' }], updatedAt: '2026-03-01T09:59:00.000Z' },
    });
    const { samples, types } = parseMetrics(renderMetrics(snapshot));
    for (const [name, type] of types) {
      assert.ok(name.startsWith('tce_'), name);
      if (type === 'counter') assert.match(name, /_total$/, `${name} is a counter`);
      else assert.doesNotMatch(name, /_total$/, `${name} is a ${type} and must not end in _total`);
      assert.doesNotMatch(name, /_(percent|minutes?|hours?|ms|milliseconds)(_|$)/, `${name}: base units (seconds, ratio, usd) only`);
    }
    for (const s of samples) for (const label of Object.keys(s.labels)) assert.ok(BOUNDED_LABELS.has(label), `${s.name} has the label ${label}`);
    assert.equal(types.get('tce_tokens_total'), 'counter');
    assert.equal(types.get('tce_cost_usd_total'), 'counter');
    assert.equal(types.get('tce_project_cost_usd_total'), 'counter');
    assert.equal(valueOf(samples, 'tce_plan_used_ratio', { window: 'five_hour' }), 0.93);
    assert.equal(valueOf(samples, 'tce_last_poll_timestamp_seconds'), Date.parse('2026-03-01T10:00:00.000Z') / 1000);
    assert.equal(valueOf(samples, 'tce_build_info', { version: TCE_VERSION }), 1);
  });

  it('counts tokens and cost per model and per project over all history, leaving unpriced cost out and escaping labels', () => {
    const odd = 'vendor/"quoted"\\back\nline';
    const report = makeReport([
      { date: '2026-02-01', models: [modelUsage(odd, totals(10, 20, 0, 0, 0.5))] },
      { date: '2026-03-01', models: [modelUsage(odd, totals(5, 5, 0, 0, 0.25)), { ...modelUsage('mystery-model', { ...totals(7, 3), unpricedTokens: 10 }), unpriced: true }] },
    ]);
    report.models = [
      { ...modelUsage(odd, totals(15, 25, 0, 0, 0.75)), webSearchRequests: 3 },
      { ...modelUsage('mystery-model', { ...totals(7, 3), unpricedTokens: 10 }), unpriced: true },
    ];
    report.totals = { ...totals(22, 28, 0, 0, 0.75), unpricedTokens: 10, webSearchRequests: 3 };
    report.projects = [
      { project: '-home-u-alpha', path: '/home/u/alpha', ...totals(15, 25, 0, 0, 0.75), claudeCode: null },
      { project: '-home-u-beta', path: '/home/u/beta', ...{ ...totals(7, 3), unpricedTokens: 10 }, claudeCode: null },
    ];
    const { samples } = parseMetrics(renderMetrics(makeSnapshot({ usage: report })));
    const pricing = report.costFigures.prices;
    assert.equal(valueOf(samples, 'tce_tokens_total', { model: odd, type: 'input' }), 15);
    assert.equal(valueOf(samples, 'tce_tokens_total', { model: 'mystery-model', type: 'output' }), 3);
    assert.equal(sum(samples, 'tce_tokens_total'), report.totals.totalTokens);
    assert.equal(valueOf(samples, 'tce_cost_usd_total', { model: odd, pricing }), 0.75);
    assert.ok(!samples.some((s) => s.name === 'tce_cost_usd_total' && s.labels.model === 'mystery-model'), 'an unpriced model has no cost sample: unknown, not 0');
    assert.equal(valueOf(samples, 'tce_unpriced_tokens_total', { pricing }), 10);
    assert.equal(valueOf(samples, 'tce_web_search_requests_total', { model: odd }), 3);
    assert.equal(valueOf(samples, 'tce_project_tokens_total', { project: '-home-u-beta', type: 'input' }), 7);
    assert.equal(sum(samples, 'tce_project_tokens_total'), report.totals.totalTokens);
    assert.equal(valueOf(samples, 'tce_project_cost_usd_total', { project: '-home-u-alpha', pricing }), 0.75);
    assert.ok(!samples.some((s) => 'date' in s.labels), 'no series per day');
  });

  it('processes by every health and activity pair, the longest wait, the active block in base units', () => {
    const scannedAt = '2026-03-01T10:00:00.000Z';
    const processes = [
      makeProcess(1, { activity: 'waiting', waitingFor: 'permission prompt', activitySince: '2026-03-01T09:58:00.000Z' }),
      makeProcess(2, { activity: 'waiting', waitingFor: 'input needed', activitySince: '2026-03-01T09:59:30.000Z', health: 'stale' }),
      makeProcess(3, { activity: 'busy', health: 'hog' }),
      makeProcess(4, { activity: null }),
    ];
    const snapshot: Snapshot = {
      ...makeSnapshot({ processList: processes }),
      activeBlock: {
        ...totals(1000, 200, 0, 0, 1.5),
        start: '2026-03-01T09:00:00.000Z',
        end: '2026-03-01T14:00:00.000Z',
        lastActivity: '2026-03-01T09:50:00.000Z',
        active: true,
        models: ['claude-sonnet-4-5'],
        burnRate: { tokensPerMinute: 24, costPerHour: 1.8 },
        projection: { totalTokens: 7200, costUSD: 9 },
      },
    };
    snapshot.processes.scannedAt = scannedAt;
    const { samples } = parseMetrics(renderMetrics(snapshot));
    const states = samples.filter((s) => s.name === 'tce_processes');
    assert.equal(states.length, 5 * 4, 'every pair, zeros included');
    assert.equal(valueOf(samples, 'tce_processes', { health: 'healthy', activity: 'waiting' }), 1);
    assert.equal(valueOf(samples, 'tce_processes', { health: 'stale', activity: 'waiting' }), 1);
    assert.equal(valueOf(samples, 'tce_processes', { health: 'hog', activity: 'busy' }), 1);
    assert.equal(valueOf(samples, 'tce_processes', { health: 'healthy', activity: 'unknown' }), 1);
    assert.equal(sum(states, 'tce_processes'), 4);
    assert.equal(valueOf(samples, 'tce_waiting_longest_seconds'), 120);
    assert.equal(valueOf(samples, 'tce_active_block'), 1);
    assert.equal(valueOf(samples, 'tce_active_block_tokens'), 1200);
    assert.equal(valueOf(samples, 'tce_active_block_cost_usd'), 1.5);
    assert.equal(valueOf(samples, 'tce_active_block_burn_rate_tokens_per_second'), 24 / 60);
    assert.equal(valueOf(samples, 'tce_active_block_burn_rate_usd_per_second'), 1.8 / 3600);
    assert.equal(valueOf(samples, 'tce_active_block_projected_cost_usd'), 9);
    assert.equal(valueOf(samples, 'tce_active_block_end_timestamp_seconds'), Date.parse('2026-03-01T14:00:00.000Z') / 1000);
    // Without statusline data: no plan samples at all (not zeros); without a block, 0.
    const none = parseMetrics(renderMetrics(makeSnapshot())).samples;
    assert.ok(!none.some((s) => s.name.startsWith('tce_plan_')));
    assert.equal(valueOf(none, 'tce_active_block'), 0);
    assert.equal(valueOf(none, 'tce_waiting_longest_seconds'), 0);
  });
});

describe('metrics over the real engine', () => {
  it('counters start from the whole history after a restart (deleted transcripts included) and a price change names new series', async (t) => {
    const root = tempDir(t);
    const claudeDir = path.join(root, 'claude');
    const dataDir = path.join(root, 'data');
    const ts = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const session = 'aaaaaaaa-1111-4222-8333-444444444444';
    writeTranscript(claudeDir, '-home-u-alpha', `${session}.jsonl`, [
      assistantLine({ id: 'msg_1', model: 'claude-sonnet-4-5', ts, sessionId: session, cwd: '/home/u/alpha', input: 1_000_000, output: 100_000 }),
      costStateLine({ sessionId: session, costUSD: 5, models: { 'claude-sonnet-4-5': { cost: 5 } } }),
    ]);
    const gone = writeTranscript(claudeDir, '-home-u-beta', 'bbbbbbbb-1111-4222-8333-444444444444.jsonl', [
      assistantLine({ id: 'msg_2', model: 'claude-opus-4-5', ts, sessionId: 'bbbbbbbb-1111-4222-8333-444444444444', cwd: '/home/u/beta', input: 200_000, output: 10_000 }),
    ]);
    const scrape = async (): Promise<MetricSample[]> => {
      const core = createCore({ claudeDirs: [claudeDir], dataDir, timezone: 'UTC' });
      try {
        return parseMetrics(renderMetrics(await core.monitor.refresh())).samples;
      } finally {
        await core.monitor.stop();
      }
    };
    const first = await scrape();
    // Sonnet 4.5: $3 in, $15 out per million; Opus 4.5: $5 in, $25 out.
    const sonnet = 3 + 1.5;
    const opus = 1 + 0.25;
    const pricing = first.find((s) => s.name === 'tce_cost_usd_total')?.labels.pricing as string;
    assert.match(pricing, /^[0-9a-f]{8}$/);
    assert.equal(valueOf(first, 'tce_cost_usd_total', { model: 'claude-sonnet-4-5', pricing }), sonnet);
    assert.equal(valueOf(first, 'tce_cost_usd_total', { model: 'claude-opus-4-5', pricing }), opus);
    assert.equal(valueOf(first, 'tce_project_cost_usd_total', { project: '-home-u-beta', pricing }), opus);
    assert.equal(valueOf(first, 'tce_claude_code_cost_usd_total'), 5);
    assert.equal(sum(first, 'tce_tokens_total'), 1_310_000);

    // Claude Code deleted a transcript, then TCE restarted: the index remembers it, so nothing goes down.
    fs.rmSync(gone);
    const second = await scrape();
    for (const name of ['tce_tokens_total', 'tce_cost_usd_total', 'tce_project_tokens_total', 'tce_project_cost_usd_total']) {
      assert.deepEqual(second.filter((s) => s.name === name), first.filter((s) => s.name === name), `${name} after a restart`);
    }

    // A price override re-prices the whole history: the cost counters change under another `pricing` label.
    writeFile(path.join(dataDir, 'config.json'), { priceOverrides: { 'claude-sonnet-4-5': { input: 6, output: 30, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6 } } });
    const third = await scrape();
    const repriced = third.find((s) => s.name === 'tce_cost_usd_total')?.labels.pricing as string;
    assert.notEqual(repriced, pricing);
    assert.ok(!third.some((s) => s.labels.pricing === pricing), 'the old prices name no series any more');
    assert.equal(valueOf(third, 'tce_cost_usd_total', { model: 'claude-sonnet-4-5', pricing: repriced }), 2 * sonnet);
    assert.deepEqual(third.filter((s) => s.name === 'tce_tokens_total'), first.filter((s) => s.name === 'tce_tokens_total'), 'tokens do not depend on prices');
  });
});
