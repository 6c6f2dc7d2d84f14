// `tce usage`, `tce sessions`, `tce blocks` run as a user runs them: the built CLI in a child process, on temp Claude
// dirs whose answer is known and on the real files Claude Code 2.1.197 wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isolatedEnv, tempDir, writeFile } from '../support/tmp.js';
import { assistantLine, costStateLine, systemLine, userLine, writeTranscript } from '../core/usage/corpus.js';
import { copyFixture } from '../support/fixtures.js';
import { tce } from '../support/tce-cli.js';
import type { SessionUsage, UsageReport } from '../../src/core/usage/index.js';
import { PriceTable } from '../../src/core/usage/prices.js';

const S1 = '12121212-1111-4111-8111-111111111111';
const S2 = '34343434-2222-4222-8222-222222222222';

async function json<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const r = await tce(args, env);
  assert.equal(r.code, 0, `tce ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A Claude dir (CLAUDE_CONFIG_DIR of the env) with duplicates, a malformed line, an unknown model, two projects. */
function known(t: { after(fn: () => unknown): void }) {
  const root = tempDir(t);
  const env = isolatedEnv(root);
  const claude = env.CLAUDE_CONFIG_DIR!;
  const a = { sessionId: S1, cwd: '/work/alpha' };
  writeTranscript(claude, '-work-alpha', `${S1}.jsonl`, [
    userLine({ ...a, ts: '2026-05-04T22:30:00.000Z', text: 'tidy the imports' }),
    // One response, three copies: the largest (output 300) counts. $3/M in, $15/M out.
    assistantLine({ ...a, id: 'r1', ts: '2026-05-04T22:40:00.000Z', input: 1000, output: 1 }),
    assistantLine({ ...a, id: 'r1', ts: '2026-05-04T22:40:00.000Z', input: 1000, output: 300 }),
    assistantLine({ ...a, id: 'r1', ts: '2026-05-04T22:40:00.000Z', input: 1000, output: 20 }),
    '{"type":"assistant","message":',
    assistantLine({ ...a, id: 'r2', ts: '2026-05-05T01:15:00.000Z', input: 2000, output: 100, cacheRead: 10_000, webSearch: 2 }),
    systemLine({ sessionId: S1, ts: '2026-05-05T01:15:05.000Z' }),
    // Claude Code's own tally (2.1.332): the transcripts' $0.0380 plus a title call no transcript shows.
    costStateLine({ sessionId: S1, costUSD: 0.04, linesAdded: 7, linesRemoved: 2 }),
  ]);
  writeTranscript(claude, '-work-beta', `${S2}.jsonl`, [
    userLine({ sessionId: S2, cwd: '/work/beta', ts: '2026-05-05T09:00:00.000Z', text: 'try the new model' }),
    assistantLine({ sessionId: S2, cwd: '/work/beta', id: 'r3', ts: '2026-05-05T09:01:00.000Z', model: 'claude-opus-6', input: 50, output: 5 }),
  ]);
  return { root, env, claude };
}

test('tce usage --json: totals, models (unknown one unpriced), days with models, projects and diagnostics', async (t) => {
  const { env } = known(t);
  const r = await json<UsageReport>(['usage', '--json', '--timezone', 'UTC'], env);
  // r1: 1000 in, 300 out = $0.0075; r2: 2000 in, 100 out, 10k read, 2 searches = $0.0305; r3 unpriced.
  assert.deepEqual(r.totals, { inputTokens: 3050, outputTokens: 405, cacheCreationTokens: 0, cacheReadTokens: 10_000, totalTokens: 13_455, webSearchRequests: 2, costUSD: 0.038, unpricedTokens: 55 });
  assert.deepEqual(r.models.map((m) => [m.model, m.totalTokens, m.costUSD, m.unpriced, m.unpricedTokens]), [
    ['claude-sonnet-4-5', 13_400, 0.038, false, 0],
    ['claude-opus-6', 55, 0, true, 55],
  ]);
  assert.deepEqual(r.daily.map((d) => [d.date, d.totalTokens, d.costUSD, d.unpricedTokens, d.models.map((m) => m.model)]), [
    ['2026-05-04', 1300, 0.0075, 0, ['claude-sonnet-4-5']],
    ['2026-05-05', 12_155, 0.0305, 55, ['claude-sonnet-4-5', 'claude-opus-6']],
  ]);
  assert.deepEqual(r.projects.map((p) => [p.path, p.totalTokens, p.unpricedTokens, p.claudeCode?.costUSD ?? null]), [['/work/alpha', 13_400, 0, 0.04], ['/work/beta', 55, 55, null]]);
  // Which figure is which, and Claude Code's: each response on its day, what the tally adds on the day it was written.
  assert.deepEqual(r.costFigures, { costUSD: 'transcripts', claudeCode: 'cost-state', prices: new PriceTable().fingerprint });
  assert.deepEqual(r.claudeCode, { costUSD: 0.04, transcriptCostUSD: 0.038, notInTranscriptsUSD: 0.002, combinedCostUSD: 0.04, sessions: 1, sessionsWithout: 1, unknownModelCost: false });
  assert.deepEqual(r.daily.map((d) => [d.claudeCode?.costUSD, d.claudeCode?.notInTranscriptsUSD]), [[0.0075, 0], [0.0325, 0.002]]);
  assert.deepEqual(r.diagnostics, { ...r.diagnostics, files: 2, linesRead: 10, malformedLines: 1, duplicateLines: 2, unpricedModels: ['claude-opus-6'] });
});

test('tce usage: --timezone moves days, --since/--until pick days, settings price an unknown model', async (t) => {
  const { env } = known(t);
  const tokyo = await json<UsageReport>(['usage', '--json', '--timezone', 'Asia/Tokyo'], env);
  // 22:40 UTC on the 4th is the 5th in Tokyo; everything falls on the 5th.
  assert.deepEqual(tokyo.daily.map((d) => [d.date, d.totalTokens]), [['2026-05-05', 13_455]]);
  const la = await json<UsageReport>(['usage', '--json', '--timezone', 'America/Los_Angeles', '--since', '2026-05-04', '--until', '2026-05-04'], env);
  assert.deepEqual(la.daily.map((d) => [d.date, d.totalTokens]), [['2026-05-04', 13_400]]);
  assert.equal(la.totals.totalTokens, 13_400);

  writeFile(path.join(env.TCE_DATA_DIR!, 'config.json'), { priceOverrides: { 'claude-opus-6': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1 } } });
  const priced = await json<UsageReport>(['usage', '--json', '--timezone', 'UTC'], env);
  assert.deepEqual(priced.models.map((m) => [m.model, m.costUSD, m.unpriced]), [
    ['claude-sonnet-4-5', 0.038, false],
    ['claude-opus-6', 0.00075, false],
  ]);
  assert.deepEqual(priced.diagnostics.unpricedModels, []);
});

test('tce usage (readable): a table per day with totals, per model and per project, and what was skipped', async (t) => {
  const { env } = known(t);
  const r = await tce(['usage', '--timezone', 'UTC'], env);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines.find((l) => l.startsWith('2026-05-04'))!, /^2026-05-04\s+sonnet-4-5\s+1,000\s+300\s+0\s+0\s+1,300\s+0\s+\$0\.0075\s+\$0\.0075\s+\+\$0\.00$/);
  assert.match(lines.find((l) => l.startsWith('2026-05-05'))!, /sonnet-4-5, opus-6 .* 12,155\s+2\s+\$0\.03\+\?\s+\$0\.03\s+\+\$0\.0020$/);
  assert.match(lines.find((l) => l.startsWith('Total'))!, /3,050\s+405\s+0\s+10,000\s+13,455\s+2\s+\$0\.04\+\?\s+\$0\.04\s+\+\$0\.0020$/);
  assert.match(r.stdout, /^claude-opus-6\s.*\s55\s+0\s+unpriced$/m);
  assert.match(r.stdout, /^\/work\/alpha\s.*\s\$0\.04\s+\$0\.04\s+\+\$0\.0020$/m);
  // A project that used only a model without a price is marked, never a bare $0.00.
  assert.match(r.stdout, /^\/work\/beta\s.*\s55\s+0\s+unpriced\s+-\s+-$/m);
  assert.match(r.stdout, /Claude Code's own figure: \$0\.04 for 1 session, \+\$0\.0020 more than their transcripts show/);
  assert.match(r.stdout, /1 session from Claude Code before 2\.1\.332 wrote no tally/);
  assert.match(r.stdout, /\+\? and unpriced: the cost leaves out tokens of models with no known price/);
  assert.match(r.stdout, /Read 2 transcript files, 10 lines: 1 malformed skipped, 2 duplicate copies counted once\./);
  assert.match(r.stdout, /No price known for claude-opus-6/);
  assert.equal(r.stderr, '', 'no progress line when stderr is not a terminal');
});

test('bad dates, zones, limits and options: a clear message and exit code 2, nothing on stdout', async (t) => {
  const { env } = known(t);
  const cases: Array<[string[], RegExp]> = [
    [['usage', '--since', '2026-02-30'], /--since must be a date written YYYY-MM-DD, got '2026-02-30'/],
    [['usage', '--until', 'yesterday'], /--until must be a date written YYYY-MM-DD/],
    [['usage', '--since', '2026-05-05', '--until', '2026-05-04'], /--since 2026-05-05 is after --until 2026-05-04/],
    [['usage', '--timezone', 'Mars/Olympus_Mons'], /unknown time zone 'Mars\/Olympus_Mons'/],
    [['sessions', '--limit', 'ten'], /--limit must be a whole number/],
    [['blocks', '--timezone', 'Nowhere'], /unknown time zone/],
    [['usage', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const r = await tce(args, env);
    assert.equal(r.code, 2, `tce ${args.join(' ')}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  // Nothing was indexed by the refused commands.
  assert.equal(fs.existsSync(path.join(env.TCE_DATA_DIR!, 'usage-index.bin')), false);
});

test('tce sessions: newest first with project, start, models, cost and first prompt; --limit', async (t) => {
  const { env } = known(t);
  const sessions = await json<SessionUsage[]>(['sessions', '--json'], env);
  assert.deepEqual(sessions.map((s) => [s.sessionId, s.path, s.startedAt, s.durationSeconds, s.messages, s.costUSD, s.unpricedTokens, s.webSearchRequests, s.firstPrompt, s.livePid]), [
    [S2, '/work/beta', '2026-05-05T09:00:00.000Z', 60, 1, 0, 55, 0, 'try the new model', null],
    [S1, '/work/alpha', '2026-05-04T22:30:00.000Z', 2 * 3600 + 45 * 60, 2, 0.038, 0, 2, 'tidy the imports', null],
  ]);
  assert.equal(sessions[0]!.claudeCode, null);
  assert.deepEqual([sessions[1]!.claudeCode?.costUSD, sessions[1]!.claudeCode?.notInTranscriptsUSD, sessions[1]!.linesAdded, sessions[1]!.linesRemoved], [0.04, 0.002, 7, 2]);
  const newest = await json<Array<{ sessionId: string; unpricedModels: string[] }>>(['sessions', '--json', '--limit', '1'], env);
  assert.deepEqual(newest.map((s) => [s.sessionId, s.unpricedModels]), [[S2, ['claude-opus-6']]]);
  // Claude Code's project folder names start with a dash, so they are given as --project=NAME.
  for (const project of ['/work/alpha', 'alpha', '-work-alpha']) {
    assert.deepEqual((await json<Array<{ sessionId: string }>>(['sessions', '--json', `--project=${project}`], env)).map((s) => s.sessionId), [S1], project);
  }
  assert.match((await tce(['sessions', '--project', 'nowhere'], env)).stdout, /^No sessions found\.$/m);
  const readable = await tce(['sessions', '--timezone', 'UTC'], env);
  assert.equal(readable.code, 0);
  assert.match(readable.stdout, /^34343434\s+\/work\/beta\s+2026-05-05 09:00\s+1m\s+opus-6\s+1\s+55\s+unpriced\s+-\s+-\s+try the new model$/m);
  assert.match(readable.stdout, /^12121212\s+\/work\/alpha\s+2026-05-04 22:30\s+2h 45m\s+sonnet-4-5\s+2\s+13,400\s+\$0\.04\s+\$0\.04\s+\+7\/-2\s+tidy the imports$/m);
  assert.match(readable.stdout, /^Claude Code: -: no figure of its own\. .* \(1 of 2 sessions here\)$/m);
});

test('tce blocks: 5-hour windows; --active shows the running one with burn rate and projection', async (t) => {
  const { env, claude } = known(t);
  const blocks = await json<Array<{ start: string; end: string; totalTokens: number; active: boolean }>>(['blocks', '--json'], env);
  assert.deepEqual(blocks.map((b) => [b.start, b.end, b.totalTokens, b.active]), [
    ['2026-05-04T22:00:00.000Z', '2026-05-05T03:00:00.000Z', 13_400, false],
    ['2026-05-05T09:00:00.000Z', '2026-05-05T14:00:00.000Z', 55, false],
  ]);
  assert.equal((await tce(['blocks', '--active', '--json'], env)).stdout.trim(), 'null');
  assert.match((await tce(['blocks', '--active'], env)).stdout, /No active 5-hour block/);

  // Work happening now: two responses 20 minutes apart, the last one a minute ago.
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  writeTranscript(claude, '-work-gamma', 'now.jsonl', [
    assistantLine({ id: 'n1', sessionId: S2, ts: at(21 * 60_000), input: 6000, output: 0 }),
    assistantLine({ id: 'n2', sessionId: S2, ts: at(60_000), input: 6000, output: 0 }),
  ]);
  const active = await json<{ active: boolean; totalTokens: number; burnRate: { tokensPerMinute: number; costPerHour: number }; projection: { totalTokens: number } }>(['blocks', '--active', '--json'], env);
  assert.equal(active.active, true);
  assert.equal(active.totalTokens, 12_000);
  assert.ok(Math.abs(active.burnRate.tokensPerMinute - 600) < 1, `burn rate ${active.burnRate.tokensPerMinute}`);
  assert.ok(Math.abs(active.burnRate.costPerHour - 0.108) < 0.001);
  assert.ok(active.projection.totalTokens > 12_000);
  const text = await tce(['blocks', '--active', '--timezone', 'UTC'], env);
  assert.match(text.stdout, /^Active 5-hour block: .* \(UTC\)$/m);
  assert.match(text.stdout, /Burn rate\s+600 tokens\/min, \$0\.11\/h/);
});

test('real Claude Code files: the four Opus 4.8 responses, two sessions with prompts, one block', async (t) => {
  const root = tempDir(t);
  const claude = path.join(root, 'claude');
  copyFixture('claude-code-2.1.197', claude);
  const env = isolatedEnv(root, { CLAUDE_CONFIG_DIR: path.join(root, 'elsewhere') });
  const args = ['--claude-dir', claude];
  const r = await json<UsageReport>(['usage', '--json', '--timezone', 'UTC', ...args], env);
  assert.deepEqual(r.totals, { inputTokens: 4024, outputTokens: 168, cacheCreationTokens: 2000, cacheReadTokens: 8000, totalTokens: 14_192, webSearchRequests: 0, costUSD: 0.04082, unpricedTokens: 0 });
  assert.deepEqual(r.daily.map((d) => d.date), ['2026-11-23']);
  const sessions = await json<Array<{ firstPrompt: string; messages: number }>>(['sessions', '--json', ...args], env);
  assert.deepEqual(sessions.map((s) => [s.firstPrompt, s.messages]), [['hello there', 3], ['say hi', 1]]);
  const blocks = await json<Array<{ start: string; totalTokens: number }>>(['blocks', '--json', ...args], env);
  assert.deepEqual(blocks.map((b) => [b.start, b.totalTokens]), [['2026-11-23T21:00:00.000Z', 14_192]]);

  // A second run starts from the index; after Claude Code deletes the transcripts their usage is still reported.
  fs.rmSync(path.join(claude, 'projects'), { recursive: true });
  const again = await json<UsageReport>(['usage', '--json', '--timezone', 'UTC', ...args], env);
  assert.deepEqual(again.totals, r.totals);
  assert.equal(again.diagnostics.deletedFiles, 3);
});

test('a Claude folder that does not exist is named on stderr; the report is empty, not an error', async (t) => {
  const root = tempDir(t);
  const env = isolatedEnv(root);
  const missing = path.join(root, 'no-such-claude');
  const r = await tce(['usage', '--json', '--claude-dir', missing], env);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, `tce: no Claude Code folder at ${missing}; nothing is read from there.\n`);
  assert.equal((JSON.parse(r.stdout) as UsageReport).totals.totalTokens, 0);
  const text = await tce(['usage', '--claude-dir', missing], env);
  assert.match(text.stdout, /No usage found\./);
});
