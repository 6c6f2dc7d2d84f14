// Claude Code's own tally (cost-state lines) beside the transcript-based cost: per session, per day (what it grew by
// that day), per project and in total; persisted with the index, surviving deleted transcripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { costStateLine, assistantLine, systemLine, usageTemp, userLine, usd, writeTranscript } from './corpus.js';
import { PriceTable } from '../../../src/core/usage/prices.js';

const S1 = 'aaaaaaaa-1111-4111-8111-111111111111';
const S2 = 'bbbbbbbb-2222-4222-8222-222222222222';
const S3 = 'cccccccc-3333-4333-8333-333333333333';
const OPUS55 = 'claude-opus-5-5';
/** One response of 1000 input tokens on Opus 5.5 ($4 per million). */
const ONE = usd(1000, 4);
const NOW = new Date('2026-03-02T12:00:00.000Z');

function setup(t: { after(fn: () => unknown): void }) {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  fs.mkdirSync(claude);
  const data = path.join(root, 'data');
  const make = (timezone = 'UTC') => track(new UsageEngine({ claudeDirs: [claude], dataDir: data, timezone }));
  return { root, claude, data, make };
}

/** S1 (2.1.332, with tallies) across UTC midnight; S2 from an older Claude Code (no tally) on the second day. */
function twoDays(claude: string): { s1: string } {
  const s1 = writeTranscript(claude, '-home-u-alpha', `${S1}.jsonl`, [
    userLine({ sessionId: S1, ts: '2026-03-01T23:50:00.000Z', text: 'first', cwd: '/home/u/alpha' }),
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-03-01T23:50:05.000Z', model: OPUS55, input: 1000, cwd: '/home/u/alpha' }),
    systemLine({ sessionId: S1, ts: '2026-03-01T23:50:10.000Z' }),
    costStateLine({ sessionId: S1, costUSD: 0.01, linesAdded: 5, linesRemoved: 1 }),
    costStateLine({ sessionId: S1, costUSD: 0.01, linesAdded: 5, linesRemoved: 1 }),
    userLine({ sessionId: S1, ts: '2026-03-02T00:10:00.000Z', text: 'second', cwd: '/home/u/alpha' }),
    assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-03-02T00:10:05.000Z', model: OPUS55, input: 1000, cwd: '/home/u/alpha' }),
    systemLine({ sessionId: S1, ts: '2026-03-02T00:10:10.000Z' }),
    costStateLine({ sessionId: S1, costUSD: 0.03, linesAdded: 12, linesRemoved: 4, models: { [OPUS55]: { cost: 0.025, tokens: 2000 }, 'claude-haiku-5-5': { cost: 0.005, tokens: 700 } } }),
  ]);
  writeTranscript(claude, '-home-u-beta', `${S2}.jsonl`, [
    assistantLine({ id: 'msg_3', sessionId: S2, ts: '2026-03-02T09:00:00.000Z', model: OPUS55, input: 1000, cwd: '/home/u/beta' }),
  ]);
  return { s1 };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

test("a session's figure is its last tally; each day gets what the tally grew by that day; lines come from it; older sessions say null", async (t) => {
  const { claude, make } = setup(t);
  twoDays(claude);
  const engine = make();
  await engine.refresh();
  const r = engine.report({ now: NOW });
  assert.deepEqual(
    r.daily.map((d) => [d.date, d.costUSD, d.claudeCode]),
    [
      ['2026-03-01', round(ONE), { costUSD: 0.01, transcriptCostUSD: round(ONE), notInTranscriptsUSD: round(0.01 - ONE), combinedCostUSD: 0.01, sessions: 1, sessionsWithout: 0, unknownModelCost: false }],
      ['2026-03-02', round(2 * ONE), { costUSD: 0.02, transcriptCostUSD: round(ONE), notInTranscriptsUSD: round(0.02 - ONE), combinedCostUSD: round(0.02 + ONE), sessions: 1, sessionsWithout: 1, unknownModelCost: false }],
    ],
  );
  assert.deepEqual(r.claudeCode, { costUSD: 0.03, transcriptCostUSD: round(2 * ONE), notInTranscriptsUSD: round(0.03 - 2 * ONE), combinedCostUSD: round(0.03 + ONE), sessions: 1, sessionsWithout: 1, unknownModelCost: false });
  assert.deepEqual(r.costFigures, { costUSD: 'transcripts', claudeCode: 'cost-state', prices: new PriceTable().fingerprint });
  assert.deepEqual(r.projects.map((p) => [p.path, p.claudeCode?.costUSD ?? null]), [['/home/u/alpha', 0.03], ['/home/u/beta', null]]);

  const [s2, s1] = engine.sessions();
  assert.equal(s2!.sessionId, S2);
  assert.equal(s2!.claudeCode, null, 'an older Claude Code wrote no tally: no figure, not $0');
  assert.equal(s2!.linesAdded, null);
  assert.deepEqual(s1!.claudeCode, {
    costUSD: 0.03,
    transcriptCostUSD: round(2 * ONE),
    notInTranscriptsUSD: round(0.03 - 2 * ONE),
    combinedCostUSD: 0.03,
    sessions: 1,
    sessionsWithout: 0,
    unknownModelCost: false,
    models: [
      { model: OPUS55, costUSD: 0.025, totalTokens: 2000, webSearchRequests: 0 },
      { model: 'claude-haiku-5-5', costUSD: 0.005, totalTokens: 700, webSearchRequests: 0 },
    ],
  });
  assert.deepEqual([s1!.linesAdded, s1!.linesRemoved], [12, 4]);

  // In Berlin (UTC+1) both turns fall on March 2nd; a range that starts on March 2nd (UTC) holds only the second.
  const berlin = engine.report({ timezone: 'Europe/Berlin', now: NOW });
  assert.deepEqual(berlin.daily.map((d) => [d.date, d.claudeCode?.costUSD]), [['2026-03-02', 0.03]]);
  const since = engine.report({ since: '2026-03-02', now: NOW });
  assert.equal(since.claudeCode?.costUSD, 0.02);
  assert.equal(since.claudeCode?.transcriptCostUSD, round(ONE));
});

test('tallies are kept with the index: a journal line on the next refresh, replayed at a restart; a deleted transcript keeps its tally', async (t) => {
  const { claude, make, data } = setup(t);
  const { s1 } = twoDays(claude);
  const first = make();
  await first.refresh();
  // Claude Code resumes the session in the same file and carries the tally on.
  fs.appendFileSync(s1, `${[assistantLine({ id: 'msg_4', sessionId: S1, ts: '2026-03-02T10:00:00.000Z', model: OPUS55, input: 1000 }), systemLine({ sessionId: S1, ts: '2026-03-02T10:00:05.000Z' }), costStateLine({ sessionId: S1, costUSD: 0.05 })].join('\n')}\n`);
  await first.refresh();
  await first.close();
  assert.match(fs.readFileSync(path.join(data, 'usage-index.journal'), 'utf8'), /"costStates"/);
  const expected = first.report({ now: NOW });
  assert.equal(expected.claudeCode?.costUSD, 0.05);

  const second = make();
  await second.refresh();
  assert.deepEqual({ ...second.report({ now: NOW }), generatedAt: '' }, { ...expected, generatedAt: '' });
  await second.close();

  fs.rmSync(path.join(claude, 'projects', '-home-u-alpha'), { recursive: true });
  const third = make();
  await third.refresh();
  const r = third.report({ now: NOW });
  assert.equal(r.claudeCode?.costUSD, 0.05, 'the tally outlives the transcript, like its records');
  assert.equal(third.sessions().find((s) => s.sessionId === S1)?.claudeCode?.costUSD, 0.05);
});

test('a rewritten transcript takes its tally with it; a tally at the start of a read is dated by the line before it, even across refreshes', async (t) => {
  const { claude, make } = setup(t);
  const file = writeTranscript(claude, '-p', `${S1}.jsonl`, [
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-03-01T23:59:00.000Z', model: OPUS55, input: 1000 }),
  ]);
  const engine = make();
  await engine.refresh();
  // Written after midnight, but it follows a line of March 1st: the tally grew on March 1st.
  fs.appendFileSync(file, `${costStateLine({ sessionId: S1, costUSD: 0.02 })}\n`);
  await engine.refresh();
  assert.deepEqual(engine.report({ now: NOW }).daily.map((d) => [d.date, d.claudeCode?.costUSD]), [['2026-03-01', 0.02]]);

  // Rewritten in place (a new session in the same file): the old tally goes, the new one counts.
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    assistantLine({ id: 'msg_9', sessionId: S3, ts: '2026-03-02T08:00:00.000Z', model: OPUS55, input: 1000 }),
    costStateLine({ sessionId: S3, costUSD: 0.007 }),
  ]);
  await engine.refresh();
  const r = engine.report({ now: NOW });
  assert.equal(r.claudeCode?.costUSD, 0.007);
  assert.deepEqual(engine.sessions().map((s) => [s.sessionId, s.claudeCode?.costUSD]), [[S3, 0.007]]);
});

test("a sub-agent's file is not a second tally; a session with a tally but no counted response still shows; bad tallies are malformed lines", async (t) => {
  const { claude, make } = setup(t);
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-03-01T10:00:00.000Z', model: OPUS55, input: 1000 }),
    costStateLine({ sessionId: S1, costUSD: 0.02 }),
  ]);
  writeTranscript(claude, '-p', `${S1}/subagents/agent-x.jsonl`, [
    assistantLine({ id: 'msg_sub', sessionId: S1, ts: '2026-03-01T10:00:01.000Z', model: OPUS55, input: 1000, sidechain: true }),
    costStateLine({ sessionId: S1, costUSD: 9 }),
  ]);
  // Every main request of this session failed: only the title call cost anything.
  writeTranscript(claude, '-p', `${S2}.jsonl`, [
    userLine({ sessionId: S2, ts: '2026-03-01T11:00:00.000Z', text: 'this never got an answer' }),
    costStateLine({ sessionId: S2, costUSD: 0.0004, models: { 'claude-haiku-5-5': { cost: 0.0004, tokens: 900 } } }),
    costStateLine({ sessionId: S2, costUSD: -1 }),
    JSON.stringify({ type: 'cost-state', sessionId: S2, totalCostUSD: 'lots' }),
  ]);
  const engine = make();
  await engine.refresh();
  const r = engine.report({ now: NOW });
  assert.equal(r.claudeCode?.costUSD, 0.0204);
  assert.equal(r.diagnostics.malformedLines, 2);
  const s2 = engine.sessions().find((s) => s.sessionId === S2);
  assert.ok(s2, 'the session with a tally alone is listed');
  assert.deepEqual([s2.messages, s2.totalTokens, s2.costUSD, s2.claudeCode?.costUSD, s2.firstPrompt], [0, 0, 0, 0.0004, 'this never got an answer']);
  assert.equal(s2.claudeCode?.notInTranscriptsUSD, 0.0004);
  assert.equal(engine.sessions({ limit: 1 })[0]!.sessionId, S2, 'the latest session, by its tally');
});
