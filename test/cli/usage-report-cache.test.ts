// `tce usage` run again with nothing changed prints the report kept by the last run (core/usage/report-cache.ts); any
// change a report depends on makes it anew. Run as a user runs it: the built CLI in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isolatedEnv, tempDir, writeFile } from '../support/tmp.js';
import { assistantLine, userLine, writeTranscript } from '../core/usage/corpus.js';
import { tce } from '../support/tce-cli.js';
import type { UsageReport } from '../../src/core/usage/index.js';
import { REPORT_CACHE_FILE } from '../../src/core/usage/report-cache.js';

const S1 = '56565656-1111-4111-8111-111111111111';
const a = { sessionId: S1, cwd: '/work/alpha' };

function history(t: { after(fn: () => unknown): void }) {
  const root = tempDir(t);
  const env = isolatedEnv(root);
  const claude = env.CLAUDE_CONFIG_DIR!;
  const lines = [
    userLine({ ...a, ts: '2026-05-04T22:30:00.000Z', text: 'tidy the imports' }),
    assistantLine({ ...a, id: 'r1', ts: '2026-05-04T22:40:00.000Z', input: 1000, output: 300 }),
  ];
  const file = writeTranscript(claude, '-work-alpha', `${S1}.jsonl`, lines);
  const cache = path.join(env.TCE_DATA_DIR!, REPORT_CACHE_FILE);
  return { env, claude, file, cache };
}

async function report(args: string[], env: NodeJS.ProcessEnv): Promise<{ report: UsageReport; stderr: string }> {
  const r = await tce(['usage', '--json', ...args], env);
  assert.equal(r.code, 0, `tce usage failed: ${r.stderr}`);
  return { report: JSON.parse(r.stdout) as UsageReport, stderr: r.stderr };
}

/** The cache file's identity: a run that made its report writes the file again; one that printed a kept one does not. */
function written(file: string): string {
  const st = fs.statSync(file);
  return `${st.ino} ${st.mtimeMs} ${st.size}`;
}

const withoutTime = (r: UsageReport) => ({ ...r, generatedAt: null });

test('nothing changed: the kept report is printed as made (only generatedAt is now), in a private file', async (t) => {
  const { env, cache } = history(t);
  const first = await report(['--timezone', 'UTC'], env);
  assert.equal(first.report.totals.totalTokens, 1300);
  assert.equal(fs.statSync(cache).mode & 0o777, 0o600);
  const made = written(cache);

  const again = await report(['--timezone', 'UTC'], env);
  assert.equal(written(cache), made, 'the second run made its report again');
  assert.deepEqual(withoutTime(again.report), withoutTime(first.report));
  assert.ok(Date.parse(again.report.generatedAt) >= Date.parse(first.report.generatedAt));

  // The readable table comes from the same kept report.
  const text = await tce(['usage', '--timezone', 'UTC'], env);
  assert.match(text.stdout, /2026-05-04/);
});

test('a line appended to a transcript, a new transcript, a deleted one: the report is made again from them', async (t) => {
  const { env, claude, file } = history(t);
  await report(['--timezone', 'UTC'], env);

  fs.appendFileSync(file, `${assistantLine({ ...a, id: 'r2', ts: '2026-05-05T01:00:00.000Z', input: 7, output: 3 })}\n`);
  assert.equal((await report(['--timezone', 'UTC'], env)).report.totals.totalTokens, 1310);

  const S2 = '78787878-2222-4222-8222-222222222222';
  writeTranscript(claude, '-work-beta', `${S2}.jsonl`, [assistantLine({ sessionId: S2, cwd: '/work/beta', id: 'r3', ts: '2026-05-05T02:00:00.000Z', input: 40, output: 2 })]);
  const both = (await report(['--timezone', 'UTC'], env)).report;
  assert.equal(both.totals.totalTokens, 1352);
  assert.equal(both.projects.length, 2);

  fs.rmSync(file);
  const after = (await report(['--timezone', 'UTC'], env)).report;
  // History of a deleted transcript is kept (the index keeps it); the report knows the file is gone.
  assert.equal(after.totals.totalTokens, 1352);
  assert.equal(after.diagnostics.deletedFiles, 1);
});

test('each set of options keeps its own report; the local zone (TZ) and the settings file are part of what it was made from', async (t) => {
  const { env, cache } = history(t);
  // 22:40 UTC on the 4th: the 4th in UTC, the 5th in Tokyo.
  const utc = { ...env, TZ: 'UTC' };
  const tokyo = { ...env, TZ: 'Asia/Tokyo' };
  assert.deepEqual((await report([], utc)).report.daily.map((d) => d.date), ['2026-05-04']);
  assert.deepEqual((await report([], tokyo)).report.daily.map((d) => d.date), ['2026-05-05']);
  assert.deepEqual((await report(['--since', '2026-05-05'], utc)).report.daily, []);
  const made = written(cache);
  // All three kept: asked again, none is made anew.
  assert.deepEqual((await report([], utc)).report.daily.map((d) => d.date), ['2026-05-04']);
  assert.deepEqual((await report([], tokyo)).report.daily.map((d) => d.date), ['2026-05-05']);
  assert.deepEqual((await report(['--since', '2026-05-05'], utc)).report.daily, []);
  assert.equal(written(cache), made);

  // Prices come from the settings file: changed, the report is made with them.
  writeFile(path.join(env.TCE_DATA_DIR!, 'config.json'), { priceOverrides: { 'claude-sonnet-4-5': { input: 30, output: 150, cacheWrite5m: 37.5, cacheWrite1h: 60, cacheRead: 3 } } });
  assert.equal((await report([], utc)).report.totals.costUSD, 0.075);
});

test('a kept report is only for the Claude folders it was made from, and says again what that run said on stderr', async (t) => {
  const { env, claude } = history(t);
  const root = path.dirname(path.dirname(claude));
  const other = path.join(root, 'other-claude');
  const S3 = '90909090-3333-4333-8333-333333333333';
  writeTranscript(other, '-work-gamma', `${S3}.jsonl`, [assistantLine({ sessionId: S3, cwd: '/work/gamma', id: 'r9', ts: '2026-05-06T02:00:00.000Z', input: 5, output: 5 })]);
  assert.equal((await report(['--timezone', 'UTC'], env)).report.totals.totalTokens, 1300);
  assert.equal((await report(['--timezone', 'UTC', '--claude-dir', other], env)).report.totals.totalTokens, 10);
  assert.equal((await report(['--timezone', 'UTC'], env)).report.totals.totalTokens, 1300);

  const missing = path.join(root, 'no-such-claude');
  const told = `tce: no Claude Code folder at ${missing}; nothing is read from there.\n`;
  const first = await report(['--claude-dir', missing], env);
  assert.equal(first.stderr, told);
  const again = await report(['--claude-dir', missing], env);
  assert.equal(again.stderr, told);
  assert.equal(again.report.totals.totalTokens, 0);
});

test('a transcript that cannot be read is never answered from a kept report: the problem is told every run', async (t) => {
  const { env, claude } = history(t);
  // Skipped as not a regular file, whoever runs the test (root reads a file of mode 0).
  const fifo = path.join(claude, 'projects', '-work-alpha', 'pipe.jsonl');
  execFileSync('mkfifo', [fifo]);
  for (let run = 1; run <= 2; run++) {
    const r = await report(['--timezone', 'UTC'], env);
    assert.equal(r.report.totals.totalTokens, 1300);
    assert.ok((r.report.diagnostics.problems ?? []).some((p) => p.includes('pipe.jsonl')), `run ${run}: ${JSON.stringify(r.report.diagnostics.problems)}`);
  }
});
