// The dashboard's and server's date-range narrowing of a report (src/shared/usage-range.ts) must agree with the
// engine reporting the same range itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { daysBefore, reportInRange, sumDays } from '../../../src/shared/usage-range.js';
import { usageToday } from '../../../src/core/usage/today.js';
import { makeReport } from '../../../e2e/support/snapshots.js';
import { writeFile } from '../../support/tmp.js';
import { assistantLine, usageTemp, writeTranscript } from './corpus.js';

const S = '99999999-1111-4111-8111-111111111111';

test('reportInRange gives the totals and models the engine reports for that range; stats-cache days stay out', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const models = ['claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001', 'claude-opus-5'];
  // Thirty days of responses with costs that do not add up exactly in floating point.
  const lines = Array.from({ length: 90 }, (_, i) =>
    assistantLine({ id: `r${i}`, sessionId: S, ts: new Date(Date.UTC(2026, 5, 1 + (i % 30), i % 24, 7)).toISOString(), model: models[i % 4], input: 33 + i, output: 7 * i, cacheRead: 1001 * i, cacheWrite5m: 11 * i }),
  );
  writeTranscript(claude, '-p', `${S}.jsonl`, lines);
  writeFile(path.join(claude, 'stats-cache.json'), { dailyModelTokens: [{ date: '2026-05-20', tokensByModel: { 'claude-sonnet-4-5': 5000 } }] });
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await engine.refresh();
  const full = engine.report();
  assert.equal(full.daily[0]!.source, 'stats-cache');
  for (const [since, until] of [['2026-06-03', '2026-06-17'], ['2026-05-01', '2026-06-01'], [undefined, '2026-06-10'], ['2026-06-25', undefined]] as const) {
    const narrowed = reportInRange(full, since, until);
    const direct = engine.report({ since, until });
    const { costUSD: a, ...tokensA } = narrowed.totals;
    const { costUSD: b, ...tokensB } = direct.totals;
    assert.deepEqual(tokensA, tokensB, `${since}..${until}`);
    assert.ok(Math.abs(a - b) < 1e-5, `${since}..${until}: ${a} vs ${b}`);
    assert.deepEqual(narrowed.models.map((m) => [m.model, m.totalTokens, m.unpriced]), direct.models.map((m) => [m.model, m.totalTokens, m.unpriced]));
    assert.equal(narrowed.totals.costUSD, Math.round(narrowed.totals.costUSD * 1e6) / 1e6, 'costs are rounded like the engine rounds them');
  }
  assert.equal(reportInRange(full), full);
  assert.deepEqual(sumDays(full.daily).totals.totalTokens, full.totals.totalTokens);
});

test('today in the report\'s zone, and daysBefore: calendar days across month ends and DST changes', () => {
  const empty = makeReport([]);
  assert.equal(usageToday({ ...empty, timezone: 'Asia/Tokyo' }, Date.parse('2026-03-01T23:30:00Z')).date, '2026-03-02');
  assert.equal(usageToday({ ...empty, timezone: 'America/Los_Angeles' }, Date.parse('2026-03-01T23:30:00Z')).date, '2026-03-01');
  assert.equal(daysBefore('2026-03-01', 1), '2026-02-28');
  assert.equal(daysBefore('2028-03-01', 1), '2028-02-29');
  assert.equal(daysBefore('2026-03-30', 7), '2026-03-23');
  assert.equal(daysBefore('2026-01-05', 30), '2025-12-06');
});
