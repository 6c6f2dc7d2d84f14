// Generated corpora whose right answer is known: each duplicate form, pricing rules, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { assistantLine, usageTemp, usd, userLine, writeTranscript } from './corpus.js';

function setup(t: { after(fn: () => unknown): void }, options: { timezone?: string } = {}) {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  fs.mkdirSync(claude);
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: options.timezone ?? 'UTC' }));
  return { root, claude, engine };
}

const S1 = '11111111-1111-1111-1111-111111111111';
const S2 = '22222222-2222-2222-2222-222222222222';

test('one API response written once per content block counts once, with the final output count', async (t) => {
  const { claude, engine } = setup(t);
  const base = { id: 'msg_A', sessionId: S1, ts: '2026-03-01T10:00:00.000Z', input: 100, cacheRead: 1000, cacheWrite5m: 200 };
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    userLine({ sessionId: S1, ts: '2026-03-01T09:59:59.000Z', text: 'fix the bug' }),
    assistantLine({ ...base, output: 1, text: 'thinking' }),
    assistantLine({ ...base, output: 7, text: 'tool use' }),
    assistantLine({ ...base, output: 350, text: 'final text' }),
    assistantLine({ ...base, output: 7, text: 'late copy' }),
  ]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.inputTokens, 100);
  assert.equal(r.totals.outputTokens, 350);
  assert.equal(r.totals.cacheReadTokens, 1000);
  assert.equal(r.totals.cacheCreationTokens, 200);
  assert.equal(r.diagnostics.duplicateLines, 3);
  const expected = usd(100, 3) + usd(350, 15) + usd(200, 3.75) + usd(1000, 0.3);
  assert.equal(r.totals.costUSD, Math.round(expected * 1e6) / 1e6);
  assert.equal(engine.sessions()[0]!.firstPrompt, 'fix the bug');
});

test('a resumed session copying old lines and sub-agent files count each response once', async (t) => {
  const { claude, engine } = setup(t);
  const old = [
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-03-01T10:00:00.000Z', input: 10, output: 20 }),
    assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-03-01T10:01:00.000Z', input: 30, output: 40 }),
  ];
  writeTranscript(claude, '-p', `${S1}.jsonl`, old);
  // `--resume` wrote a new file that starts with copies of the old session's lines.
  writeTranscript(claude, '-p', `${S2}.jsonl`, [...old, assistantLine({ id: 'msg_3', sessionId: S2, ts: '2026-03-02T10:00:00.000Z', input: 50, output: 60 })]);
  // A sub-agent of the second session, in its own file; one line also inline (older builds).
  writeTranscript(claude, '-p', `${S2}/subagents/agent-a1.jsonl`, [
    userLine({ sessionId: S2, ts: '2026-03-02T10:00:01.000Z', text: 'search the repo', sidechain: true }),
    assistantLine({ id: 'msg_4', sessionId: S2, ts: '2026-03-02T10:00:02.000Z', input: 70, output: 80, sidechain: true, model: 'claude-haiku-4-5-20251001' }),
  ]);
  writeTranscript(claude, '-p', 'agent-old.jsonl', [
    assistantLine({ id: 'msg_4', sessionId: S2, ts: '2026-03-02T10:00:02.000Z', input: 70, output: 80, sidechain: true, model: 'claude-haiku-4-5-20251001' }),
  ]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.inputTokens, 10 + 30 + 50 + 70);
  assert.equal(r.totals.outputTokens, 20 + 40 + 60 + 80);
  assert.equal(r.diagnostics.duplicateLines, 3);
  assert.equal(r.diagnostics.files, 4);
  assert.deepEqual(r.models.map((m) => [m.model, m.inputTokens]), [['claude-sonnet-4-5', 90], ['claude-haiku-4-5', 70]]);
  const sessions = engine.sessions();
  const second = sessions.find((s) => s.sessionId === S2)!;
  assert.deepEqual(second.models, ['claude-haiku-4-5', 'claude-sonnet-4-5']);
  assert.equal(second.messages, 2);
});

test("Haiku 5.5's long-prompt tier per response (prompt above 100k); Sonnet 4.5 without a premium, as Claude Code prices them", async (t) => {
  const { claude, engine } = setup(t);
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    // 60k read + 40k write + 1 input = 100,001 > 100k: every token at the long-prompt rates.
    assistantLine({ id: 'msg_long', sessionId: S1, ts: '2026-03-01T10:00:00.000Z', model: 'claude-haiku-5-5', input: 1, cacheRead: 60_000, cacheWrite5m: 40_000, output: 1000 }),
    // Exactly 100k: standard rates, however long the output.
    assistantLine({ id: 'msg_edge', sessionId: S1, ts: '2026-03-01T10:01:00.000Z', model: 'claude-haiku-5-5', input: 0, cacheRead: 60_000, cacheWrite5m: 40_000, output: 900_000 }),
    assistantLine({ id: 'msg_sonnet', sessionId: S1, ts: '2026-03-01T10:02:00.000Z', input: 1, cacheRead: 250_000, output: 1000 }),
  ]);
  await engine.refresh();
  const cost = (m: string) => engine.report().models.find((x) => x.model === m)!.costUSD;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const long = usd(1, 0.5) + usd(60_000, 0.05) + usd(40_000, 0.625) + usd(1000, 2.5);
  const edge = usd(60_000, 0.01) + usd(40_000, 0.125) + usd(900_000, 0.5);
  assert.equal(cost('claude-haiku-5-5'), round(long + edge));
  assert.equal(cost('claude-sonnet-4-5'), round(usd(1, 3) + usd(250_000, 0.3) + usd(1000, 15)));
});

test('web searches are counted per response (from the copy kept) and priced per request; fast mode and US inference as Claude Code prices them', async (t) => {
  const { claude, engine } = setup(t);
  const base = { sessionId: S1, ts: '2026-03-01T10:00:00.000Z', model: 'claude-opus-5-5', input: 100, cacheRead: 1000 };
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    // Early copies of one response: the one with the final output count also carries the search.
    assistantLine({ ...base, id: 'msg_search', output: 1, webSearch: 0 }),
    assistantLine({ ...base, id: 'msg_search', output: 40, webSearch: 2 }),
    assistantLine({ ...base, id: 'msg_search', output: 40, webSearch: 2 }),
    assistantLine({ ...base, id: 'msg_fast', output: 10, speed: 'fast' }),
    assistantLine({ ...base, id: 'msg_us', output: 10, speed: 'standard', geo: 'us' }),
  ]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.webSearchRequests, 2);
  assert.equal(r.models[0]!.webSearchRequests, 2);
  assert.equal(r.daily[0]!.webSearchRequests, 2);
  assert.equal(engine.sessions()[0]!.webSearchRequests, 2);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const standard = (out: number) => usd(100, 4) + usd(1000, 0.2) + usd(out, 20);
  const fast = usd(100, 8) + usd(1000, 0.4) + usd(10, 40);
  assert.equal(r.totals.costUSD, round(standard(40) + 2 * 0.01 + fast + standard(10) * 1.1));
});

test('1-hour cache writes are priced apart from 5-minute ones; lines without the split count as 5-minute', async (t) => {
  const { claude, engine } = setup(t);
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    assistantLine({ id: 'msg_a', sessionId: S1, ts: '2026-03-01T10:00:00.000Z', model: 'claude-opus-4-1-20250805', cacheWrite1h: 1000, cacheWrite5m: 2000 }),
    assistantLine({ id: 'msg_b', sessionId: S1, ts: '2026-03-01T10:00:01.000Z', model: 'claude-opus-4-1-20250805', cacheWrite5m: 4000, noSplit: true }),
  ]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.cacheCreationTokens, 7000);
  assert.equal(r.totals.costUSD, Math.round((usd(1000, 30) + usd(6000, 18.75)) * 1e6) / 1e6);
});

test('provider ids normalise to one model; an unknown model keeps its tokens and is unpriced, never $0', async (t) => {
  const { claude, engine } = setup(t);
  const ids = ['claude-opus-4-5-20251101', 'us.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5@20251101', 'claude-opus-4-5[1m]'];
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    ...ids.map((model, i) => assistantLine({ id: `msg_${i}`, sessionId: S1, ts: '2026-03-01T10:00:00.000Z', model, input: 1_000_000 })),
    assistantLine({ id: 'msg_new', sessionId: S1, ts: '2026-03-01T11:00:00.000Z', model: 'claude-opus-6', input: 500, output: 5 }),
    assistantLine({ id: 'msg_syn', sessionId: S1, ts: '2026-03-01T11:00:01.000Z', model: '<synthetic>', input: 0 }),
  ]);
  await engine.refresh();
  const r = engine.report();
  assert.deepEqual(r.models.map((m) => [m.model, m.inputTokens, m.costUSD, m.unpriced, m.unpricedTokens]), [
    ['claude-opus-4-5', 4_000_000, 20, false, 0],
    ['claude-opus-6', 500, 0, true, 505],
  ]);
  assert.deepEqual(r.diagnostics.unpricedModels, ['claude-opus-6']);
  assert.equal(r.totals.inputTokens, 4_000_500);
  assert.equal(r.totals.costUSD, 20);
  // Every row that holds the unknown model says how much of it is unpriced.
  assert.equal(r.totals.unpricedTokens, 505);
  assert.deepEqual(r.daily.map((d) => d.unpricedTokens), [505]);
  assert.deepEqual(r.projects.map((p) => p.unpricedTokens), [505]);
  assert.deepEqual(r.weekly.map((w) => w.unpricedTokens), [505]);
  assert.equal(r.hourOfDay[11]!.unpricedTokens, 505);
  assert.equal(engine.sessions()[0]!.unpricedTokens, 505);
  assert.deepEqual(engine.blocks().map((b) => b.unpricedTokens), [505]);
  // A price override prices the new model and changes an old one, without re-reading anything.
  fs.rmSync(path.join(claude, 'projects'), { recursive: true });
  engine.setPriceOverrides({ 'claude-opus-6': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1 }, 'claude-opus-4-5-20251101': { input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 } });
  const repriced = engine.report();
  assert.deepEqual(repriced.models.map((m) => [m.model, m.costUSD, m.unpriced]), [
    ['claude-opus-4-5', 4, false],
    ['claude-opus-6', Math.round((usd(500, 10) + usd(5, 50)) * 1e6) / 1e6, false],
  ]);
  assert.deepEqual(repriced.diagnostics.unpricedModels, []);
});

test('malformed lines are counted and skipped, CRLF and empty files are fine, a half-written last line waits', async (t) => {
  const { claude, engine } = setup(t);
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-03-01T10:00:00.000Z', input: 5, output: 6 }),
    '{"type":"assistant","message":{"id":"msg_broken","usage":{"input_tokens":99',
    'not json at all',
    '',
    assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-03-01T10:00:01.000Z', input: 7, output: 8 }),
  ], '\r\n');
  writeTranscript(claude, '-q', `${S2}.jsonl`, []);
  const growing = writeTranscript(claude, '-q', 'grow.jsonl', [assistantLine({ id: 'msg_3', sessionId: S2, ts: '2026-03-01T10:00:02.000Z', input: 1, output: 1 })]);
  const next = assistantLine({ id: 'msg_4', sessionId: S2, ts: '2026-03-01T10:00:03.000Z', input: 1000, output: 1000 });
  fs.appendFileSync(growing, next.slice(0, 60));
  await engine.refresh();
  let r = engine.report();
  assert.equal(r.totals.inputTokens, 5 + 7 + 1);
  assert.equal(r.diagnostics.malformedLines, 2);
  assert.equal(r.diagnostics.files, 3);
  fs.appendFileSync(growing, `${next.slice(60)}\n`);
  await engine.refresh();
  r = engine.report();
  assert.equal(r.totals.inputTokens, 5 + 7 + 1 + 1000);
  assert.equal(r.diagnostics.malformedLines, 2);
});

test('days follow the chosen time zone; bad dates and zones are refused', async (t) => {
  const { claude, engine } = setup(t);
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-03-01T23:30:00.000Z', input: 1 }),
    assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-03-02T00:30:00.000Z', input: 2 }),
    assistantLine({ id: 'msg_3', sessionId: S1, ts: '2026-03-02T04:30:00.000Z', input: 4 }),
  ]);
  await engine.refresh();
  const days = (tz: string) => engine.report({ timezone: tz }).daily.map((d) => [d.date, d.inputTokens]);
  assert.deepEqual(days('UTC'), [['2026-03-01', 1], ['2026-03-02', 6]]);
  assert.deepEqual(days('America/New_York'), [['2026-03-01', 7]]);
  assert.deepEqual(days('Asia/Kolkata'), [['2026-03-02', 7]]);
  const tokyo = engine.report({ timezone: 'Asia/Tokyo' });
  assert.deepEqual(tokyo.daily.map((d) => [d.date, d.inputTokens]), [['2026-03-02', 7]]);
  assert.deepEqual(tokyo.hourOfDay.filter((h) => h.totalTokens > 0).map((h) => [h.hour, h.inputTokens]), [[8, 1], [9, 2], [13, 4]]);
  assert.deepEqual(engine.report({ timezone: 'UTC', since: '2026-03-02' }).totals.inputTokens, 6);
  assert.deepEqual(engine.report({ timezone: 'UTC', until: '2026-03-01' }).totals.inputTokens, 1);
  assert.throws(() => engine.report({ timezone: 'Mars/Olympus' }), /time zone/);
  assert.throws(() => engine.report({ since: '2026-02-30' }), /YYYY-MM-DD/);
});

test('lines longer than the read buffer: a huge tool result is passed over, a huge response is still counted, the first prompt still found', async (t) => {
  const { claude, engine } = setup(t);
  const big = (id: string, output: number, textBytes: number) => assistantLine({ id, sessionId: S1, ts: '2026-03-02T10:00:00.000Z', input: 5, output, text: 'w'.repeat(textBytes) });
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    userLine({ sessionId: S1, ts: '2026-03-02T09:59:00.000Z', text: `rewrite it all ${'x'.repeat(150_000)}` }),
    big('msg_big', 900, 400_000),
    userLine({ sessionId: S1, ts: '2026-03-02T10:00:01.000Z', toolResultBytes: 1_000_000 }),
    big('msg_after', 30, 10),
    userLine({ sessionId: S1, ts: '2026-03-02T10:00:02.000Z', toolResultBytes: 300_000 }),
  ]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.outputTokens, 930);
  assert.equal(r.totals.inputTokens, 10);
  assert.equal(r.diagnostics.linesRead, 5);
  assert.equal(r.diagnostics.malformedLines, 0);
  const [session] = engine.sessions();
  assert.match(session!.firstPrompt ?? '', /^rewrite it all x+…$/);
});

test('a response stamped outside 2000–2199 is malformed, counted as such, and leaves every report readable in any zone', async (t) => {
  const { claude, engine } = setup(t, { timezone: 'Europe/Berlin' });
  writeTranscript(claude, '-p', `${S1}.jsonl`, [
    assistantLine({ id: 'ok', sessionId: S1, ts: '2026-04-01T10:00:00.000Z', input: 10 }),
    assistantLine({ id: 'far', sessionId: S1, ts: '+275760-09-12T23:30:00.000Z', input: 1000 }),
    assistantLine({ id: 'old', sessionId: S1, ts: '0050-06-01T10:00:00.000Z', input: 2000 }),
    assistantLine({ id: 'never', sessionId: S1, ts: 'yesterday', input: 4000 }),
  ]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.inputTokens, 10);
  assert.deepEqual(r.daily.map((d) => d.date), ['2026-04-01']);
  assert.equal(r.diagnostics.malformedLines, 3);
  assert.equal(engine.sessions()[0]?.endedAt, '2026-04-01T10:00:00.000Z');
  assert.equal(engine.blocks().length, 1);
});

test('a response whose tool input holds "type":"user" near the start of its line is still counted', async (t) => {
  const { claude, engine } = setup(t);
  const line = JSON.parse(assistantLine({ id: 'msg_tool', sessionId: S1, ts: '2026-03-01T10:00:00.000Z', input: 40, output: 60 })) as {
    message: { content: unknown[] };
  };
  // A tool call's input is an object: its keys and values are written unescaped, within the line's first bytes.
  line.message.content = [{ type: 'tool_use', id: 'toolu_1', name: 'SendMessage', input: { type: 'user', text: 'hello' } }];
  const text = JSON.stringify(line);
  assert.ok(text.indexOf('"type":"user"') < 300, 'the key sits where the user-line check looks');
  writeTranscript(claude, '-p', `${S1}.jsonl`, [userLine({ sessionId: S1, ts: '2026-03-01T09:59:59.000Z', text: 'ask' }), text]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.inputTokens, 40);
  assert.equal(r.totals.outputTokens, 60);
  assert.equal(engine.sessions()[0]!.firstPrompt, 'ask');
});
