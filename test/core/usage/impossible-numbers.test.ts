// Numbers that cannot be true (issue 12, finding 3) are rejected, never summed: token counts outside 0..10^12 in a
// transcript make the line malformed, such journal and index records are refused, and prices past their bounds are
// refused with a message. Totals stay finite in the JSON and the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { INDEX_FILE, JOURNAL_FILE, UsageIndex, loadIndex, saveIndex } from '../../../src/core/usage/usage-index.js';
import { UsageEngine, type UsageReport } from '../../../src/core/usage/index.js';
import { tce } from '../../support/tce-cli.js';
import { isolatedEnv, tempDir, writeFile } from '../../support/tmp.js';
import { assistantLine, usageTemp, writeTranscript } from './corpus.js';

const S = '9e9e9e9e-1111-4222-8333-444444444444';
/** The most tokens of one kind one response can count (transcript-line.ts: MAX_TOKENS_PER_RESPONSE), as the issue states it. */
const MAX_TOKENS_PER_RESPONSE = 1e12;
const TS = '2026-05-01T10:00:00.000Z';

/** An assistant line whose usage object is exactly `usage` (numbers written as JSON text, so 1e999 stays 1e999). */
function rawUsageLine(id: string, usage: string): string {
  const base = JSON.parse(assistantLine({ id, sessionId: S, ts: TS })) as { message: { usage: unknown } };
  base.message.usage = '__USAGE__';
  return JSON.stringify(base).replace('"__USAGE__"', usage);
}

const IMPOSSIBLE = [
  rawUsageLine('msg_huge', '{"input_tokens": 1e308, "output_tokens": 1}'),
  rawUsageLine('msg_inf', '{"input_tokens": 1, "output_tokens": 1e999}'),
  rawUsageLine('msg_negative', '{"input_tokens": -5, "output_tokens": 1}'),
  rawUsageLine('msg_trillions', '{"input_tokens": 1, "cache_read_input_tokens": 2000000000000}'),
  rawUsageLine('msg_text', '{"input_tokens": 1, "output_tokens": "100"}'),
  rawUsageLine('msg_split', '{"input_tokens": 1, "cache_creation_input_tokens": 5, "cache_creation": {"ephemeral_1h_input_tokens": 1e300}}'),
];
const GOOD = assistantLine({ id: 'msg_good', sessionId: S, ts: TS, input: 1000, output: 100, model: 'claude-sonnet-4-5' });

/** Every number in the report is finite, and every field that should hold one does (JSON writes Infinity as null). */
function assertFiniteReport(value: unknown, where = 'report'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where} is ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertFiniteReport(v, `${where}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // costFigures names which figure each total uses ('transcripts', 'cost-state'): labels, not amounts.
      if (/(Tokens|costUSD|Lines|Files|files)$/.test(k) && !where.endsWith('.costFigures')) assert.equal(typeof v, 'number', `${where}.${k} is ${JSON.stringify(v)}`);
      assertFiniteReport(v, `${where}.${k}`);
    }
  }
}

test('transcript lines with impossible token counts are malformed, counted as such, and never summed (JSON and table)', async (t) => {
  const root = tempDir(t, 'tce-numbers-');
  const env = isolatedEnv(root, { TZ: 'UTC' });
  writeTranscript(env.CLAUDE_CONFIG_DIR as string, '-p', `${S}.jsonl`, [...IMPOSSIBLE, GOOD]);
  const json = await tce(['usage', '--json'], env);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as UsageReport;
  assertFiniteReport(report);
  assert.equal(report.totals.inputTokens, 1000);
  assert.equal(report.totals.outputTokens, 100);
  assert.equal(report.totals.totalTokens, 1100);
  assert.ok(Math.abs(report.totals.costUSD - (1000 * 3 + 100 * 15) / 1e6) < 1e-12, String(report.totals.costUSD));
  assert.equal(report.diagnostics.malformedLines, IMPOSSIBLE.length);
  assert.equal(report.diagnostics.linesRead, IMPOSSIBLE.length + 1);

  const table = await tce(['usage'], env);
  assert.equal(table.code, 0, table.stderr);
  assert.doesNotMatch(table.stdout, /Infinity|In,fin|NaN|null/);
  assert.match(table.stdout, /Total .*1,100/);
  assert.match(table.stdout, /6 malformed skipped/);
});

test('a token count up to 10^12 is a count; one past it is malformed', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  writeTranscript(claude, '-p', `${S}.jsonl`, [
    rawUsageLine('msg_max', `{"input_tokens": ${MAX_TOKENS_PER_RESPONSE}}`),
    rawUsageLine('msg_past', `{"input_tokens": ${MAX_TOKENS_PER_RESPONSE + 1}}`),
  ]);
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await engine.refresh();
  const report = engine.report();
  assert.equal(report.totals.inputTokens, MAX_TOKENS_PER_RESPONSE);
  assert.equal(report.diagnostics.malformedLines, 1);
});

test('a journal record with an impossible count is refused: the replay stops and the transcripts are read again', async (t) => {
  const root = tempDir(t, 'tce-numbers-');
  const env = isolatedEnv(root, { TZ: 'UTC' });
  const data = env.TCE_DATA_DIR as string;
  writeTranscript(env.CLAUDE_CONFIG_DIR as string, '-p', `${S}.jsonl`, [GOOD]);
  assert.equal((await tce(['usage', '--json'], env)).code, 0);
  const generation = /"generation":"([^"]+)"/.exec(fs.readFileSync(path.join(data, INDEX_FILE), 'latin1'))?.[1];
  assert.ok(generation, 'the index names its generation');
  // A journal line on top of that index, whole and of the right generation, but with a count no response has.
  const line = { generation, records: [['msg_evil', Date.parse(TS), 'claude-sonnet-4-5', 1e308, 0, 0, 0, 0, S, '-p', 0]], files: [], prompts: {}, projectPaths: {} };
  fs.appendFileSync(path.join(data, JOURNAL_FILE), `${JSON.stringify(line)}\n`);
  const after = await tce(['usage', '--json'], env);
  assert.equal(after.code, 0, after.stderr);
  const report = JSON.parse(after.stdout) as UsageReport;
  assertFiniteReport(report);
  assert.equal(report.totals.inputTokens, 1000);
});

test('an index file holding an impossible count is damaged: reported and rebuilt from the transcripts', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const data = path.join(root, 'data');
  writeTranscript(claude, '-p', `${S}.jsonl`, [GOOD]);
  // An index an older version wrote after summing a 1e308 line.
  const poisoned = new UsageIndex();
  poisoned.addFile({ path: path.join(claude, 'projects', '-p', 'gone.jsonl'), root: claude, project: '-p', dev: 1, ino: 1, size: 1, mtimeMs: 1, offset: 1, head: '', deleted: true, lines: 1, malformed: 0, duplicates: 0, promptFound: false });
  poisoned.store.append('msg_old', { ts: Date.parse(TS), model: 'claude-sonnet-4-5', input: 1e308, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, webSearch: 0, flags: 0, sessionId: S, project: '-p', file: 0 });
  await saveIndex(data, poisoned);
  const loaded = await loadIndex(data);
  assert.match(loaded.problem ?? '', /damaged/);
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: data, timezone: 'UTC' }));
  await engine.refresh();
  const report = engine.report();
  assertFiniteReport(report);
  assert.equal(report.totals.inputTokens, 1000);
  assert.ok(report.diagnostics.problems?.some((p) => /damaged.*rebuilding/.test(p)), JSON.stringify(report.diagnostics.problems));
});

test('a price override past its bounds is refused with a message; costs stay finite', async (t) => {
  const root = tempDir(t, 'tce-numbers-');
  const env = isolatedEnv(root, { TZ: 'UTC' });
  writeTranscript(env.CLAUDE_CONFIG_DIR as string, '-p', `${S}.jsonl`, [GOOD]);
  const price = { input: 1e308, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 };
  writeFile(path.join(env.TCE_DATA_DIR as string, 'config.json'), { priceOverrides: { 'claude-sonnet-4-5': price, 'claude-x': { ...price, input: -1 } } });
  const run = await tce(['usage', '--json'], env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /priceOverrides\.claude-sonnet-4-5\.input must be a price from 0 to 1000 USD per million tokens, got 1e\+308/);
  assert.match(run.stderr, /priceOverrides\.claude-x\.input must be a price from 0 to 1000/);
  const report = JSON.parse(run.stdout) as UsageReport;
  assertFiniteReport(report);
  assert.ok(Math.abs(report.totals.costUSD - (1000 * 3 + 100 * 15) / 1e6) < 1e-12, 'the built-in price is used instead');
  const table = await tce(['usage'], env);
  assert.doesNotMatch(table.stdout, /Infinity|In,fin|NaN/);
});
