// The REAL Claude Code writes transcripts during the test (against the local stand-in API, whose answers' usage is
// known); the engine must find them and count exactly the tokens the API reported, once per response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createCore } from '../../../src/core/create-core.js';
import { PriceTable, UsageEngine, normaliseModel, requestCost } from '../../../src/core/usage/index.js';
import { FAST_REQUEST, US_INFERENCE } from '../../../src/core/usage/prices.js';
import { readRecords } from '../../../src/core/statusline/records.js';
import { type InteractiveClaude, makeClaudeHome, runPrint, startInteractive, transcriptTruth } from '../../support/real-claude.js';
import { makeTempDir, waitFor } from '../../support/tmp.js';
import { type LedgerEntry, startStandInApi } from '../../support/stand-in-api.js';
import { TCE_BIN } from '../../support/tce-cli.js';
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
  // Which session runs in which process: the process scan's (the registry entry of the running Claude Code).
  const processes = createCore({ claudeDirs: [home.configDir], dataDir: path.join(root, 'tce-data') }).processes;
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
  const [live] = e.sessions({ livePids: await processes.livePids() });
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
  assert.equal(e.sessions({ livePids: await processes.livePids() })[0]!.livePid, null, 'no live PID once Claude Code has exited');
  assert.equal(e.report().totals.inputTokens, INPUT * n, 'its usage stays');
});

/** What the stand-in's answer costs, priced by TCE's table (the same usage TCE reads from the transcript). */
function ledgerCost(e: LedgerEntry): number {
  const u = e.usage;
  const price = new PriceTable().get(normaliseModel(e.model));
  assert.ok(price, `no price for ${e.model}`);
  const oneHour = Math.min(u.cache_creation_input_tokens, u.cache_creation.ephemeral_1h_input_tokens);
  return requestCost(price, {
    input: u.input_tokens,
    output: u.output_tokens,
    cacheWrite5m: u.cache_creation_input_tokens - oneHour,
    cacheWrite1h: oneHour,
    cacheRead: u.cache_read_input_tokens,
    webSearch: u.server_tool_use.web_search_requests,
    flags: (u.speed === 'fast' ? FAST_REQUEST : 0) | (u.inference_geo === 'us' ? US_INFERENCE : 0),
  });
}

const micro = (x: number) => Math.round(x * 1e6) / 1e6;

test('Claude Code 2.1.332 end to end: titles, a sub-agent, /compact, web search, --continue, --resume; TCE equals the transcripts, its Claude Code figure equals cost-state and the API ledger', { timeout: 240_000 }, async (t) => {
  const tmp = makeTempDir('tce-usage-truth-');
  let claude: InteractiveClaude | null = null;
  const api = await startStandInApi({ varied: true, outputTokens: 40 });
  const dataDir = path.join(tmp.dir, 'tce-data');
  t.after(async () => {
    await claude?.stop();
    await api.close();
    tmp.remove();
  });
  // Session titles are "non-essential traffic": allowed here, they are part of the spend no transcript shows. TCE's
  // statusline runs as Claude Code's statusLine, so its record of each session can be held against the tally too.
  // refreshInterval: Claude Code also runs it every second, not only after its messages, so it catches up for sure.
  const statusLine = { type: 'command', command: `TCE_DATA_DIR='${dataDir}' '${process.execPath}' '${TCE_BIN}' statusline`, refreshInterval: 1 };
  const home = makeClaudeHome({ root: tmp.dir, apiUrl: api.url, extraEnv: { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: undefined }, settings: { statusLine } });
  const answered = () => api.ledger.length;
  const main = () => api.ledger.filter((e) => e.model === 'claude-opus-5-5').length;

  claude = await startInteractive(home, [], 60_000);
  const session = claude;
  session.type('hello there');
  session.keys('Enter');
  await waitFor('the answer and its session title', () => main() >= 1 && api.ledger.some((e) => e.model === 'claude-haiku-5-5'), 60_000, 100);
  session.type('please SPAWN_AGENT now');
  session.keys('Enter');
  await waitFor('the sub-agent to finish and the main thread to answer after it', () => /Agent "Sub job" finished/.test(session.screen()) && api.ledger.filter((e) => e.reply === 'agent').length === 1 && main() >= 4, 60_000, 200);
  const beforeCompact = answered();
  session.type('/compact');
  session.keys('Enter');
  await session.waitForScreen(/Compacted/, 60_000);
  await waitFor('the compaction answered', () => answered() > beforeCompact, 10_000);
  const interactiveId = api.ledger[0]!.sessionId!;
  // Claude Code runs TCE's statusline after its answers: its record of the session shows Claude Code's cost so far,
  // which is what the API billed for the session (the stand-in's ledger, as TCE prices it).
  const billedSoFar = () => api.ledger.filter((e) => e.sessionId === interactiveId).reduce((n, e) => n + ledgerCost(e), 0);
  const record = await waitFor("the statusline's record of the session to show its cost", () => {
    const r = readRecords(dataDir).find((x) => x.sessionId === interactiveId);
    return r && r.costUSD !== null && Math.abs(r.costUSD - billedSoFar()) < 1e-9 ? r : null;
  }, 30_000, 200);
  assert.deepEqual([record.modelId, record.claudeCodeVersion, record.cwd], ['claude-opus-5-5', '2.1.332', home.projectDir]);
  assert.match(session.screen(), /proj · Opus 5\.5 · \$\d+\.\d+ · today \$/, "TCE's line in Claude Code's status bar");
  await session.stop();

  const web = await runPrint(home, 'WEB_SEARCH please');
  assert.equal(web.code, 0, web.stderr);
  const continued = await runPrint(home, 'and one more thing', ['--continue']);
  assert.equal(continued.code, 0, continued.stderr);
  const resumed = await runPrint(home, 'back to the first one', ['--resume', interactiveId]);
  assert.equal(resumed.code, 0, resumed.stderr);

  const engine = new UsageEngine({ claudeDirs: [home.configDir], dataDir, timezone: 'UTC' });
  t.after(() => engine.close());
  await engine.refresh();
  const r = engine.report();
  const truth = transcriptTruth(home.configDir);

  // TCE's totals are the transcripts', model by model, each response once.
  const expected = new Map<string, { input: number; output: number; cacheWrite: number; cacheRead: number; webSearch: number; responses: number }>();
  for (const [model, m] of truth.models) {
    const into = expected.get(normaliseModel(model)) ?? { input: 0, output: 0, cacheWrite: 0, cacheRead: 0, webSearch: 0, responses: 0 };
    for (const k of Object.keys(into) as Array<keyof typeof into>) into[k] += m[k];
    expected.set(normaliseModel(model), into);
  }
  assert.deepEqual(
    Object.fromEntries(r.models.map((m) => [m.model, [m.inputTokens, m.outputTokens, m.cacheCreationTokens, m.cacheReadTokens, m.webSearchRequests]])),
    Object.fromEntries([...expected].map(([model, m]) => [model, [m.input, m.output, m.cacheWrite, m.cacheRead, m.webSearch]])),
  );
  const sessions = engine.sessions();
  assert.equal(sessions.reduce((n, s) => n + s.messages, 0), truth.messageIds.size);
  assert.equal(r.totals.webSearchRequests, 1, 'the one web search');
  assert.equal(r.totals.unpricedTokens, 0);
  assert.equal(r.diagnostics.malformedLines, 0);
  // The transcripts miss the session titles and the /compact summary; the stand-in sent them.
  const hidden = api.ledger.filter((e) => !truth.messageIds.has(e.messageId));
  assert.ok(hidden.some((e) => e.model === 'claude-haiku-5-5'), 'title calls reach no transcript');
  assert.ok(hidden.length >= 2, `${hidden.length} answers no transcript holds`);

  // Claude Code's own figure: the last cost-state of each session; and it is what the API billed, as TCE prices it.
  assert.equal(sessions.length, truth.tallies.size);
  assert.equal(sessions.length, 2, 'the interactive session (resumed) and the -p one (continued)');
  for (const s of sessions) {
    const tally = truth.tallies.get(s.sessionId);
    assert.ok(tally !== undefined && s.claudeCode, s.sessionId);
    assert.equal(s.claudeCode.costUSD, micro(tally), `${s.sessionId}: TCE shows Claude Code's last tally`);
    const billed = api.ledger.filter((e) => e.sessionId === s.sessionId);
    assert.ok(Math.abs(billed.reduce((n, e) => n + ledgerCost(e), 0) - tally) < 1e-9, `${s.sessionId}: the ledger priced by TCE is Claude Code's tally`);
    const notInTranscripts = billed.filter((e) => !truth.messageIds.has(e.messageId)).reduce((n, e) => n + ledgerCost(e), 0);
    assert.ok(Math.abs(s.claudeCode.notInTranscriptsUSD - notInTranscripts) < 2e-6, `${s.sessionId}: not in transcripts ${s.claudeCode.notInTranscriptsUSD} vs ${notInTranscripts}`);
  }
  assert.ok(sessions.find((s) => s.sessionId === interactiveId)!.claudeCode!.notInTranscriptsUSD > 0);
  assert.ok(record.costUSD! <= truth.tallies.get(interactiveId)!, 'the statusline saw the tally before the resumed turn added to it');
  assert.equal(r.claudeCode?.costUSD, micro([...truth.tallies.values()].reduce((a, b) => a + b, 0)));
  assert.equal(r.claudeCode?.sessionsWithout, 0);
});
