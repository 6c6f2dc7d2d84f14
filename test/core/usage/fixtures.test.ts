// The real files Claude Code 2.1.197 wrote (test/fixtures), copied into a temporary Claude dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { usageTemp } from './corpus.js';
import { copyFixture } from '../../support/fixtures.js';

function copyFixtures(root: string): string {
  return copyFixture('claude-code-2.1.197', path.join(root, 'claude'));
}

test('real transcripts: four Opus 4.8 responses, the <synthetic> one not counted', async (t) => {
  const { root, track } = usageTemp(t);
  const engine = track(new UsageEngine({ claudeDirs: [copyFixtures(root)], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await engine.refresh();
  const r = engine.report();
  // By hand: msg_fake2 (1002 in), msg_fake3 (1003), msg_fake5 (1005), msg_fake14 (1014); each 42 out, 500 5m-writes, 2000 reads.
  const input = 1002 + 1003 + 1005 + 1014;
  assert.deepEqual(r.totals, {
    inputTokens: input,
    outputTokens: 4 * 42,
    cacheCreationTokens: 4 * 500,
    cacheReadTokens: 4 * 2000,
    totalTokens: input + 168 + 2000 + 8000,
    webSearchRequests: 0,
    unpricedTokens: 0,
    // Opus 4.8: $5 in, $25 out, $6.25 5m write, $0.50 read per million.
    costUSD: Math.round(((input * 5 + 168 * 25 + 2000 * 6.25 + 8000 * 0.5) / 1e6) * 1e6) / 1e6,
  });
  assert.equal(r.totals.costUSD, 0.04082);
  assert.deepEqual(r.models.map((m) => [m.model, m.unpriced]), [['claude-opus-4-8', false]]);
  assert.deepEqual(r.daily.map((d) => d.date), ['2026-11-23']);
  assert.deepEqual(r.projects.map((p) => [p.project, p.path]), [['-home-user-proj', '/home/user/proj']]);
  assert.equal(r.diagnostics.files, 3);
  assert.equal(r.diagnostics.linesRead, 7 + 21 + 9);
  assert.equal(r.diagnostics.malformedLines, 0);
  assert.equal(r.diagnostics.duplicateLines, 0);
  assert.deepEqual(r.diagnostics.unpricedModels, []);
  assert.equal(r.hourOfDay[21]!.totalTokens, r.totals.totalTokens);
  assert.deepEqual(r.weekly.map((w) => w.weekStart), ['2026-11-23']);
});

test('real sessions: newest first, first prompts, /insights extras, no live pid for a dead registry entry', async (t) => {
  const { root, track } = usageTemp(t);
  const engine = track(new UsageEngine({ claudeDirs: [copyFixtures(root)], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await engine.refresh();
  const sessions = engine.sessions();
  assert.deepEqual(sessions.map((s) => [s.sessionId, s.messages, s.firstPrompt]), [
    ['853c5dfb-97d1-4cd0-994c-08942802dd7b', 3, 'hello there'],
    ['16cf4987-b12e-4cdc-83b3-0cc32cff2079', 1, 'say hi'],
  ]);
  const long = sessions[0]!;
  assert.equal(long.startedAt, '2026-11-23T21:48:00.382Z');
  assert.equal(long.endedAt, '2026-11-23T21:58:02.832Z');
  assert.equal(long.durationSeconds, 602);
  assert.equal(long.inputTokens, 1003 + 1005 + 1014);
  assert.deepEqual(long.toolCounts, {});
  assert.equal(long.linesAdded, 0);
  // sessions/12726.json names this session, but that process (start time 42905) is not running here.
  assert.equal(long.livePid, null);
  assert.deepEqual(engine.sessions({ limit: 1 }).length, 1);
  assert.deepEqual(engine.sessions({ project: 'proj' }).length, 2);
  assert.deepEqual(engine.sessions({ project: 'other' }).length, 0);
});

test('real transcripts: one 5-hour block from 21:00 UTC, active with a burn rate only while it lasts', async (t) => {
  const { root, track } = usageTemp(t);
  const engine = track(new UsageEngine({ claudeDirs: [copyFixtures(root)], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await engine.refresh();
  const during = new Date('2026-11-23T23:00:00Z');
  const [block] = engine.blocks(during);
  assert.equal(block!.start, '2026-11-23T21:00:00.000Z');
  assert.equal(block!.end, '2026-11-24T02:00:00.000Z');
  assert.equal(block!.lastActivity, '2026-11-23T21:58:02.832Z');
  assert.equal(block!.active, true);
  const minutes = (Date.parse('2026-11-23T21:58:02.832Z') - Date.parse('2026-11-23T21:46:48.433Z')) / 60000;
  assert.ok(Math.abs(block!.burnRate!.tokensPerMinute - 14192 / minutes) < 1e-6);
  assert.ok(Math.abs(block!.burnRate!.costPerHour - (0.04082 / minutes) * 60) < 1e-6);
  // Projection: the same rate over the 3 hours left.
  assert.equal(block!.projection!.totalTokens, Math.round(14192 + (14192 / minutes) * 180));
  assert.deepEqual(engine.activeBlock(during)?.start, block!.start);
  assert.equal(engine.activeBlock(new Date('2026-11-24T02:00:00Z')), null);
  assert.equal(engine.blocks(new Date('2026-11-24T03:00:00Z'))[0]!.burnRate, null);
});
