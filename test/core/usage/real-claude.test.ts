// The REAL Claude Code writes transcripts during the test (against the local stand-in API, whose answers' usage is
// known); the engine must find them and count exactly the tokens the API reported, once per response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { makeClaudeHome, runPrint } from '../../support/real-claude.js';
import { startStandInApi } from '../../support/stand-in-api.js';
import { usageTemp } from './corpus.js';

// What the stand-in reports on every response (see test/support/stand-in-api.ts), plus the output we choose.
const INPUT = 120;
const CACHE_WRITE = 500;
const CACHE_READ = 2000;
const OUTPUT = 777;
const MODEL = 'claude-sonnet-4-5-20250929';

test('transcripts the real Claude Code writes are picked up with the exact token numbers of the API', { timeout: 180_000 }, async (t) => {
  const { root, track } = usageTemp(t);
  const api = await startStandInApi({ outputTokens: OUTPUT, text: 'Counted once, I hope.' });
  t.after(() => api.close());
  const home = makeClaudeHome({ root, apiUrl: api.url });
  const engine = track(new UsageEngine({ claudeDirs: [home.configDir], dataDir: path.join(root, 'tce-data'), timezone: 'UTC' }));
  await engine.refresh();
  assert.equal(engine.report().totals.totalTokens, 0);

  const run = await runPrint(home, 'say hello', ['--model', MODEL], 120_000);
  assert.equal(run.code, 0, `claude -p failed: ${run.stderr}`);
  const main = api.log.filter((r) => r.path === '/v1/messages' && r.model === MODEL && r.messageId !== null);
  assert.ok(main.length >= 1, `the main model was asked (${JSON.stringify(api.log.map((r) => [r.path, r.model]))})`);

  await engine.refresh();
  let r = engine.report();
  const n = r.models.find((m) => m.model === 'claude-sonnet-4-5')?.inputTokens ?? 0;
  assert.ok(n > 0, `usage was found: ${JSON.stringify(r.diagnostics)}`);
  const responses = n / INPUT;
  // Every response of the main model the API answered, each counted once with its final output count.
  assert.equal(responses, main.length, `${responses} responses counted, ${main.length} answered`);
  const expect = (k: number) => ({ inputTokens: INPUT * k, outputTokens: OUTPUT * k, cacheCreationTokens: CACHE_WRITE * k, cacheReadTokens: CACHE_READ * k, totalTokens: (INPUT + OUTPUT + CACHE_WRITE + CACHE_READ) * k });
  const { costUSD, ...tokens } = r.totals;
  assert.deepEqual(tokens, expect(responses));
  // Sonnet 4.5: $3 in, $15 out, $3.75 5-minute cache write, $0.30 cache read per million.
  assert.equal(costUSD, Math.round(((INPUT * 3 + OUTPUT * 15 + CACHE_WRITE * 3.75 + CACHE_READ * 0.3) * responses) / 1e6 * 1e6) / 1e6);
  assert.deepEqual(r.projects.map((p) => p.path), [home.projectDir]);
  const sessions = engine.sessions();
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0]!.firstPrompt, 'say hello');
  assert.equal(sessions[0]!.messages, responses);

  // A second turn in a new session appends a new transcript; the next refresh adds exactly its responses.
  const before = api.log.length;
  const second = await runPrint(home, 'and again', ['--model', MODEL], 120_000);
  assert.equal(second.code, 0, `claude -p failed: ${second.stderr}`);
  assert.ok(api.log.slice(before).some((e) => e.model === MODEL));
  await engine.refresh();
  r = engine.report();
  const after = r.models.find((m) => m.model === 'claude-sonnet-4-5')!.inputTokens / INPUT;
  assert.equal(after, api.log.filter((e) => e.path === '/v1/messages' && e.model === MODEL && e.messageId !== null).length);
  assert.ok(after > responses);
  const { costUSD: _c, ...tokens2 } = r.totals;
  assert.deepEqual(tokens2, expect(after));
  assert.equal(engine.sessions().length, 2);
  assert.equal(r.diagnostics.malformedLines, 0);
});
