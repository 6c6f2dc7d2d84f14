// The real run of Claude Code 2.1.332 in test/fixtures/claude-code-2.1.332 (its README says what is true in it): the
// transcript totals per model, Claude Code's own tally ($4.054387 over ten sessions, from the last cost-state line of
// each), and the spend no transcript shows (title calls and the /compact summary: 688,247 tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { copyFixture } from '../../support/fixtures.js';
import { usageTemp } from './corpus.js';

const TRUTH: Record<string, [number, number, number, number, number, number]> = {
  // model: input, output, cache write, cache read, web searches, total tokens
  'claude-opus-5-5': [40_473, 41_012, 334_389, 1_085_464, 1, 1_501_338],
  'claude-sonnet-4-5': [3_633, 5_724, 27_237, 290_867, 0, 327_461],
  'claude-haiku-4-5': [3_272, 4_838, 35_941, 163_019, 0, 207_070],
  'claude-opus-4-1': [3_260, 745, 1_574, 57_471, 0, 63_050],
};

/** The last cost-state line of every session, read the plain way (every line of every file). */
function lastTallies(claude: string): Map<string, { totalCostUSD: number; tokens: number }> {
  const out = new Map<string, { totalCostUSD: number; tokens: number }>();
  for (const f of fs.readdirSync(path.join(claude, 'projects'), { recursive: true, withFileTypes: true })) {
    if (!f.isFile() || !f.name.endsWith('.jsonl')) continue;
    for (const line of fs.readFileSync(path.join(f.parentPath, f.name), 'utf8').split('\n')) {
      if (!line.includes('"cost-state"')) continue;
      const o = JSON.parse(line) as { type: string; sessionId: string; totalCostUSD: number; modelUsage: Record<string, Record<string, number>> };
      if (o.type !== 'cost-state') continue;
      const tokens = Object.values(o.modelUsage).reduce((s, m) => s + m.inputTokens! + m.outputTokens! + m.cacheReadInputTokens! + m.cacheCreationInputTokens!, 0);
      out.set(o.sessionId, { totalCostUSD: o.totalCostUSD, tokens });
    }
  }
  return out;
}

test('Claude Code 2.1.332 fixture: transcript totals per model, its own tally per session, and what no transcript shows', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = copyFixture('claude-code-2.1.332', path.join(root, 'claude'));
  fs.rmSync(path.join(claude, 'sessions'), { recursive: true });
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await engine.refresh();
  const r = engine.report();

  for (const [model, [input, output, write, read, searches, total]] of Object.entries(TRUTH)) {
    const m = r.models.find((x) => x.model === model);
    assert.ok(m, model);
    assert.deepEqual([m.inputTokens, m.outputTokens, m.cacheCreationTokens, m.cacheReadTokens, m.webSearchRequests, m.totalTokens], [input, output, write, read, searches, total], model);
  }
  assert.equal(r.models.length, 4);
  assert.equal(r.totals.totalTokens, 2_098_919);
  const sessions = engine.sessions();
  assert.equal(sessions.reduce((s, x) => s + x.messages, 0), 29, '29 responses');
  // Every model of the run is priced: nothing unpriced, nowhere.
  assert.equal(r.totals.unpricedTokens, 0);
  assert.deepEqual(r.diagnostics.unpricedModels, []);
  assert.ok(r.projects.every((p) => p.unpricedTokens === 0 && p.costUSD > 0), 'no project shows a bare $0');

  // Claude Code's own figure: the last tally of each of the ten sessions.
  const tallies = lastTallies(claude);
  assert.equal(tallies.size, 10);
  assert.equal(sessions.length, 10);
  for (const s of sessions) {
    const tally = tallies.get(s.sessionId);
    assert.ok(tally && s.claudeCode, s.sessionId);
    assert.equal(s.claudeCode.costUSD, Math.round(tally.totalCostUSD * 1e6) / 1e6, s.sessionId);
    assert.equal(s.claudeCode.transcriptCostUSD, s.costUSD);
    // Priced as Claude Code prices them, the transcripts never come to more than its own tally.
    assert.ok(s.claudeCode.notInTranscriptsUSD >= -1e-6, `${s.sessionId}: ${s.claudeCode.notInTranscriptsUSD}`);
    assert.equal(s.claudeCode.models.reduce((n, m) => n + m.totalTokens, 0), tally.tokens);
    assert.equal(s.linesAdded, 0);
    assert.equal(s.linesRemoved, 0);
  }
  assert.ok(r.claudeCode);
  assert.equal(r.claudeCode.costUSD, 4.054387);
  assert.equal(r.claudeCode.sessions, 10);
  assert.equal(r.claudeCode.sessionsWithout, 0);
  assert.equal(r.claudeCode.transcriptCostUSD, r.totals.costUSD);
  assert.equal(r.claudeCode.notInTranscriptsUSD, Math.round((4.054386865 - r.totals.costUSD) * 1e6) / 1e6);
  assert.equal(r.claudeCode.combinedCostUSD, r.claudeCode.costUSD);
  // The 13 responses no transcript holds: 12 session titles on Haiku 5.5 and the /compact summary.
  const ccTokens = sessions.reduce((n, s) => n + s.claudeCode!.models.reduce((k, m) => k + m.totalTokens, 0), 0);
  assert.equal(ccTokens - r.totals.totalTokens, 688_247);
  const titles = sessions.flatMap((s) => s.claudeCode!.models.filter((m) => m.model === 'claude-haiku-5-5'));
  assert.ok(titles.length > 0 && titles.every((m) => m.costUSD > 0), 'title calls on Haiku 5.5, priced');
  // One day: its Claude Code figure is the whole tally.
  assert.deepEqual(r.daily.map((d) => [d.date, d.claudeCode?.costUSD]), [['2026-11-30', 4.054387]]);
  assert.equal(r.projects.reduce((n, p) => n + p.claudeCode!.sessions, 0), 10);
  assert.equal(Math.round(r.projects.reduce((n, p) => n + p.claudeCode!.costUSD, 0) * 1e6) / 1e6, 4.054387);

  // The same after a restart on the saved index.
  await engine.close();
  const again = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await again.refresh();
  assert.deepEqual(again.report().claudeCode, r.claudeCode);
  assert.deepEqual(again.sessions(), sessions);
});
