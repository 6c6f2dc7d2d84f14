// The REAL Claude Code writes transcripts during the test (against the local stand-in API, whose answers' usage is
// known); the engine must find them and count exactly the tokens the API reported, once per response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { type InteractiveClaude, makeClaudeHome, runPrint, startInteractive } from '../../support/real-claude.js';
import { makeTempDir, waitFor } from '../../support/tmp.js';
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
  const { costUSD, unpricedTokens: _u, webSearchRequests: _w, ...tokens } = r.totals;
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
  const { costUSD: _c, unpricedTokens: _u2, webSearchRequests: _w2, ...tokens2 } = r.totals;
  assert.deepEqual(tokens2, expect(after));
  assert.equal(engine.sessions().length, 2);
  assert.equal(r.diagnostics.malformedLines, 0);
});

test('a live interactive Claude Code: each answered prompt shows up on the next refresh, with its live PID', { timeout: 240_000 }, async (t) => {
  // One clean-up, in order: Claude Code writes as it exits, then the engine saves, then the folder goes.
  const tmp = makeTempDir('tce-usage-live-');
  const root = tmp.dir;
  let claude: InteractiveClaude | null = null;
  let engine: UsageEngine | null = null;
  const api = await startStandInApi({ outputTokens: OUTPUT });
  t.after(async () => {
    await claude?.stop();
    await api.close();
    await engine?.close();
    tmp.remove();
  });
  const home = makeClaudeHome({ root, apiUrl: api.url });
  engine = new UsageEngine({ claudeDirs: [home.configDir], dataDir: path.join(root, 'tce-data'), timezone: 'UTC' });
  const e = engine;
  claude = await startInteractive(home, ['--model', MODEL], 60_000);
  const session = claude;
  const answered = () => api.log.filter((r) => r.path === '/v1/messages' && r.model === MODEL && r.messageId !== null).length;
  const counted = async () => {
    await e.refresh();
    return (e.report().models.find((m) => m.model === 'claude-sonnet-4-5')?.inputTokens ?? 0) / INPUT;
  };

  session.type('first question');
  session.keys('Enter');
  await waitFor('an answer from the stand-in API', () => answered() >= 1, 60_000, 100);
  await waitFor('the answer counted', async () => (await counted()) === answered() && answered() > 0, 30_000, 200);
  const afterFirst = e.report();
  assert.equal(afterFirst.diagnostics.files, 1);
  const [live] = e.sessions();
  assert.equal(live!.livePid, session.pid, 'the session is tied to the running Claude Code process');
  assert.equal(live!.firstPrompt, 'first question');

  const before = answered();
  session.type('second question');
  session.keys('Enter');
  await waitFor('a second answer', () => answered() > before, 60_000, 100);
  await waitFor('the second answer counted', async () => (await counted()) === answered(), 30_000, 200);
  const r = e.report();
  const n = answered();
  const { costUSD: _c, unpricedTokens: _u, webSearchRequests: _w, ...tokens } = r.totals;
  assert.deepEqual(tokens, { inputTokens: INPUT * n, outputTokens: OUTPUT * n, cacheCreationTokens: CACHE_WRITE * n, cacheReadTokens: CACHE_READ * n, totalTokens: (INPUT + OUTPUT + CACHE_WRITE + CACHE_READ) * n });
  // The same transcript grew: read on from where the first refresh stopped.
  assert.equal(r.diagnostics.files, 1);
  assert.ok(r.diagnostics.linesRead > afterFirst.diagnostics.linesRead);
  assert.equal(e.sessions().length, 1);

  await session.stop();
  await e.refresh();
  assert.equal(e.sessions()[0]!.livePid, null, 'no live PID once Claude Code has exited');
  assert.equal(e.report().totals.inputTokens, INPUT * n, 'its usage stays');
});
