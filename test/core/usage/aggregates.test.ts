// Every aggregate of issue 3 on a corpus whose answer was worked out by hand: days with their model split, models,
// projects, hours, weeks, sessions (live PID, /insights extras), 5-hour blocks with burn rate and projection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ProcessMonitor } from '../../../src/core/process/index.js';
import { SettingsStore } from '../../../src/core/settings/store.js';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { spawnFakeFor, writeRegistry } from '../../support/fake-claude.js';
import { writeFile } from '../../support/tmp.js';
import { assistantLine, usageTemp, userLine, writeTranscript } from './corpus.js';

const S1 = 'eeeeeeee-1111-4111-8111-111111111111';
const S2 = 'ffffffff-2222-4222-8222-222222222222';
const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';
const OPUS = 'claude-opus-4-5-20251101';

function build(claude: string): void {
  const a = { sessionId: S1, cwd: '/home/u/alpha' };
  writeTranscript(claude, '-home-u-alpha', `${S1}.jsonl`, [
    userLine({ ...a, ts: '2026-04-06T08:00:00.000Z', text: 'add a cache' }),
    // $0.0045, $0.003, $0.00525, $0.0003
    assistantLine({ ...a, id: 'm1', ts: '2026-04-06T08:10:00.000Z', model: SONNET, input: 1000, output: 100 }),
    assistantLine({ ...a, id: 'm2', ts: '2026-04-06T09:20:00.000Z', model: HAIKU, input: 2000, output: 200 }),
    assistantLine({ ...a, id: 'm3', ts: '2026-04-06T12:50:00.000Z', model: SONNET, input: 500, output: 50, cacheRead: 10_000 }),
    assistantLine({ ...a, id: 'm4', ts: '2026-04-06T13:05:00.000Z', model: SONNET, input: 100 }),
  ]);
  const b = { sessionId: S2, cwd: '/home/u/beta' };
  writeTranscript(claude, '-home-u-beta', `${S2}.jsonl`, [
    userLine({ ...b, ts: '2026-04-07T00:59:00.000Z', text: 'why is CI red?' }),
    // $0.0003, $0.0001, $0.00015
    assistantLine({ ...b, id: 'm5', ts: '2026-04-07T01:00:00.000Z', model: OPUS, input: 10, output: 10 }),
    assistantLine({ ...b, id: 'm6', ts: '2026-04-13T10:00:00.000Z', model: OPUS, input: 20 }),
    assistantLine({ ...b, id: 'm7', ts: '2026-04-13T10:30:00.000Z', model: OPUS, input: 30 }),
  ]);
}

function setup(t: { after(fn: () => unknown): void }) {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  build(claude);
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  return { root, claude, engine, track };
}

test('totals, models, days with their model split, projects, hours of day and ISO weeks', async (t) => {
  const { engine } = setup(t);
  await engine.refresh();
  const r = engine.report();
  assert.deepEqual(r.totals, { inputTokens: 3660, outputTokens: 360, cacheCreationTokens: 0, cacheReadTokens: 10_000, totalTokens: 14_020, webSearchRequests: 0, costUSD: 0.0136, unpricedTokens: 0 });
  assert.deepEqual(r.models.map((m) => [m.model, m.totalTokens, m.costUSD]), [
    ['claude-sonnet-4-5', 11_750, 0.01005],
    ['claude-haiku-4-5', 2200, 0.003],
    ['claude-opus-4-5', 70, 0.00055],
  ]);
  assert.deepEqual(r.daily.map((d) => [d.date, d.totalTokens, d.costUSD, d.models.map((m) => [m.model, m.totalTokens, m.costUSD])]), [
    ['2026-04-06', 13_950, 0.01305, [['claude-sonnet-4-5', 11_750, 0.01005], ['claude-haiku-4-5', 2200, 0.003]]],
    ['2026-04-07', 20, 0.0003, [['claude-opus-4-5', 20, 0.0003]]],
    ['2026-04-13', 50, 0.00025, [['claude-opus-4-5', 50, 0.00025]]],
  ]);
  assert.deepEqual(r.projects.map((p) => [p.project, p.path, p.totalTokens, p.costUSD]), [
    ['-home-u-alpha', '/home/u/alpha', 13_950, 0.01305],
    ['-home-u-beta', '/home/u/beta', 70, 0.00055],
  ]);
  assert.deepEqual(r.hourOfDay.filter((h) => h.totalTokens > 0).map((h) => [h.hour, h.totalTokens]), [[1, 20], [8, 1100], [9, 2200], [10, 50], [12, 10_550], [13, 100]]);
  assert.deepEqual(r.weekly.map((w) => [w.weekStart, w.totalTokens, w.costUSD]), [['2026-04-06', 13_970, 0.01335], ['2026-04-13', 50, 0.00025]]);
  assert.deepEqual(engine.report({ since: '2026-04-07', until: '2026-04-07' }).totals.totalTokens, 20);
});

test('5-hour blocks start on the hour of their first message; the active one has burn rate and projection', async (t) => {
  const { engine } = setup(t);
  await engine.refresh();
  const now = new Date('2026-04-13T11:00:00.000Z');
  const blocks = engine.blocks(now);
  assert.deepEqual(blocks.map((b) => [b.start, b.end, b.totalTokens, b.costUSD, b.active, b.models]), [
    ['2026-04-06T08:00:00.000Z', '2026-04-06T13:00:00.000Z', 13_850, 0.01275, false, ['claude-haiku-4-5', 'claude-sonnet-4-5']],
    // 13:05 is past the first block's end: a new block, on the hour.
    ['2026-04-06T13:00:00.000Z', '2026-04-06T18:00:00.000Z', 100, 0.0003, false, ['claude-sonnet-4-5']],
    ['2026-04-07T01:00:00.000Z', '2026-04-07T06:00:00.000Z', 20, 0.0003, false, ['claude-opus-4-5']],
    ['2026-04-13T10:00:00.000Z', '2026-04-13T15:00:00.000Z', 50, 0.00025, true, ['claude-opus-4-5']],
  ]);
  assert.equal(blocks[0]!.burnRate, null, 'only the active block has a burn rate');
  const active = engine.activeBlock(now)!;
  assert.equal(active.lastActivity, '2026-04-13T10:30:00.000Z');
  // 50 tokens and $0.00025 over the 30 minutes from first to last message; 240 minutes left at 11:00.
  assert.ok(Math.abs(active.burnRate!.tokensPerMinute - 50 / 30) < 1e-9);
  assert.ok(Math.abs(active.burnRate!.costPerHour - 0.0005) < 1e-12);
  assert.deepEqual(active.projection, { totalTokens: 450, costUSD: 0.00225 });
  assert.equal(engine.activeBlock(new Date('2026-04-13T15:00:00.000Z')), null, 'the block is over at its end');
});

test('sessions: project, start at the first prompt, duration, models, responses, cost, first prompt and live PID', async (t) => {
  const { root, claude, engine } = setup(t);
  // A Claude Code process running S2; which session runs where comes from the process scan's registry entries.
  const child = await spawnFakeFor(t, 'native-installer', root);
  writeRegistry(claude, child.pid, { sessionId: S2 });
  // A registry entry left behind by a process that is gone, and one whose PID was reused by another process.
  writeRegistry(claude, process.pid, { sessionId: S1, procStart: '1' });
  writeFile(path.join(claude, 'sessions', '999999.json'), { pid: 999999, sessionId: S1, procStart: '1' });
  writeFile(path.join(claude, 'usage-data', 'session-meta', `${S1}.json`), { session_id: S1, first_prompt: 'add a cache please', summary: 'Added an LRU cache', lines_added: 40, lines_removed: 3, files_modified: 2, tool_counts: { Edit: 4 } });
  writeFile(path.join(claude, 'usage-data', 'session-meta', 'broken.json'), '{"session_id": ');
  await engine.refresh();
  // "Today" is 2026-04-06 (UTC): all of S1 falls on it.
  const processes = new ProcessMonitor({ claudeDirs: [claude], settings: new SettingsStore(path.join(root, 'data', 'config.json')) });
  const livePids = await processes.livePids();
  assert.deepEqual([...livePids], [[S2, child.pid]], 'the gone and the reused PID are no live sessions');
  const [s2, s1] = engine.sessions({ now: new Date('2026-04-06T20:00:00.000Z'), livePids });
  assert.deepEqual(
    s1,
    {
      sessionId: S1,
      project: '-home-u-alpha',
      path: '/home/u/alpha',
      startedAt: '2026-04-06T08:00:00.000Z',
      endedAt: '2026-04-06T13:05:00.000Z',
      durationSeconds: 5 * 3600 + 5 * 60,
      models: ['claude-haiku-4-5', 'claude-sonnet-4-5'],
      messages: 4,
      firstPrompt: 'add a cache please',
      summary: 'Added an LRU cache',
      livePid: null,
      linesAdded: 40,
      linesRemoved: 3,
      filesModified: 2,
      toolCounts: { Edit: 4 },
      unpricedModels: [],
      inputTokens: 3600,
      outputTokens: 350,
      cacheCreationTokens: 0,
      cacheReadTokens: 10_000,
      totalTokens: 13_950,
      webSearchRequests: 0,
      costUSD: 0.01305,
      unpricedTokens: 0,
      today: { inputTokens: 3600, outputTokens: 350, cacheCreationTokens: 0, cacheReadTokens: 10_000, totalTokens: 13_950, webSearchRequests: 0, costUSD: 0.01305, unpricedTokens: 0 },
      claudeCode: null,
    },
  );
  assert.equal(s2!.sessionId, S2);
  assert.equal(s2!.livePid, child.pid);
  assert.equal(s2!.firstPrompt, 'why is CI red?');
  assert.equal(s2!.summary, null);
  assert.equal(engine.sessions({ limit: 1 }).length, 1);
  assert.deepEqual(engine.sessions({ project: 'beta' }).map((s) => s.sessionId), [S2]);
  assert.match(engine.report().diagnostics.problems!.join('\n'), /malformed .*broken\.json/);

  await child.kill('SIGKILL');
  await engine.refresh();
  assert.equal(engine.sessions({ livePids: await processes.livePids() })[0]!.livePid, null, 'a dead process is no longer live');
});

test('stats-cache.json fills days the transcripts no longer hold, outside the totals; a broken one is only a note', async (t) => {
  const { claude, engine } = setup(t);
  writeFile(path.join(claude, 'stats-cache.json'), {
    version: 2,
    dailyModelTokens: [
      { date: '2026-03-01', tokensByModel: { [SONNET]: 5000, [OPUS]: 700 } },
      { date: '2026-04-06', tokensByModel: { [SONNET]: 999_999 } },
    ],
  });
  await engine.refresh();
  const r = engine.report();
  assert.deepEqual(r.daily.map((d) => [d.date, d.source, d.totalTokens]), [
    ['2026-03-01', 'stats-cache', 5700],
    ['2026-04-06', 'transcripts', 13_950],
    ['2026-04-07', 'transcripts', 20],
    ['2026-04-13', 'transcripts', 50],
  ]);
  assert.ok(r.daily[0]!.models.every((m) => m.unpriced));
  assert.equal(r.totals.totalTokens, 14_020);
  assert.equal(r.diagnostics.statsCacheDays, 1);

  fs.writeFileSync(path.join(claude, 'stats-cache.json'), '{"dailyModelTokens": [');
  await engine.refresh();
  const broken = engine.report();
  assert.equal(broken.totals.totalTokens, 14_020);
  assert.equal(broken.daily.length, 3);
  assert.match(broken.diagnostics.problems!.join('\n'), /ignored malformed .*stats-cache\.json/);
});

test('an /insights file written or changed while the engine runs is picked up by the next refresh; a removed one goes', async (t) => {
  const { claude, engine } = setup(t);
  await engine.refresh();
  const s1 = () => engine.sessions().find((s) => s.sessionId === S1)!;
  assert.equal(s1().summary, null);
  const meta = path.join(claude, 'usage-data', 'session-meta', `${S1}.json`);
  writeFile(meta, { session_id: S1, summary: 'first summary', lines_added: 1 });
  await engine.refresh();
  assert.deepEqual([s1().summary, s1().linesAdded], ['first summary', 1]);
  writeFile(meta, { session_id: S1, summary: 'a longer, second summary', lines_added: 12 });
  await engine.refresh();
  assert.deepEqual([s1().summary, s1().linesAdded], ['a longer, second summary', 12]);
  fs.writeFileSync(meta, '{"session_id": "x", ');
  await engine.refresh();
  assert.equal(s1().summary, null);
  assert.match(engine.report().diagnostics.problems!.join('\n'), /ignored malformed .*session-meta/);
  await engine.refresh();
  assert.equal(engine.report().diagnostics.problems!.length, 1, 'the same problem is reported once per refresh, not piled up');
  fs.rmSync(meta);
  await engine.refresh();
  assert.deepEqual(engine.report().diagnostics.problems, []);
});

test("each session's share of today follows the calendar day of the engine's time zone", async (t) => {
  const { root, claude, engine, track } = setup(t);
  await engine.refresh();
  // m6 and m7 (50 Opus tokens, $0.00025) were at 10:00 and 10:30 UTC on 2026-04-13; m5 days before.
  const now = new Date('2026-04-13T12:00:00.000Z');
  const todayOf = (sessions: ReturnType<UsageEngine['sessions']>, id: string) => sessions.find((s) => s.sessionId === id)?.today;
  const utc = engine.sessions({ now });
  assert.deepEqual(todayOf(utc, S2), { inputTokens: 50, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 50, webSearchRequests: 0, costUSD: 0.00025, unpricedTokens: 0 });
  assert.equal(utc.find((s) => s.sessionId === S2)?.totalTokens, 70, 'the whole session is more than today');
  assert.equal(todayOf(utc, S1)?.totalTokens, 0);
  // At UTC-11 it is 01:00 on the 13th there, and m6/m7 fell on the 12th: nothing today.
  const behind = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data-behind'), timezone: 'Pacific/Pago_Pago' }));
  await behind.refresh();
  assert.equal(todayOf(behind.sessions({ now }), S2)?.totalTokens, 0);
});

test('the shortcuts monitors take every poll give what the full walks give: active block, latest sessions, repeated report', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  // Twelve sessions over three days, with gaps of more and less than 5 h, and two sessions ending on the same ms.
  for (let s = 0; s < 12; s++) {
    const sessionId = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
    const lines = [userLine({ sessionId, ts: new Date(Date.UTC(2026, 4, 1, s * 5)).toISOString(), text: `task ${s}` })];
    for (let i = 0; i < 5; i++) {
      const minute = s === 11 ? (i === 4 ? 3348 : 3000 + i * 37) : s * 300 + i * 37 + (s % 3) * 200; // 11 ends when 10 does
      lines.push(assistantLine({ sessionId, id: `m${s}-${i}`, ts: new Date(Date.UTC(2026, 4, 1) + minute * 60_000).toISOString(), input: 10 + s, output: i, model: s % 2 ? SONNET : HAIKU }));
    }
    // Session 11 is listed before session 10 (and its rows stored first) but starts later: the tie must still go its way.
    writeTranscript(claude, s === 11 ? '-p0' : `-p${s % 4}`, `${sessionId}.jsonl`, lines);
  }
  // 4.5 h apart, the second inside the first one's block: a walk starting at the second would open a block of its own.
  const late = '00000000-0000-4000-8000-0000000000aa';
  writeTranscript(claude, '-p1', `${late}.jsonl`, [
    assistantLine({ sessionId: late, id: 'g1', ts: '2026-05-04T10:10:00.000Z', input: 5 }),
    assistantLine({ sessionId: late, id: 'g2', ts: '2026-05-04T14:40:00.000Z', input: 7 }),
  ]);
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC' }));
  await engine.refresh();
  for (let hoursAfter = -2; hoursAfter < 24 * 4 + 12; hoursAfter += 0.4) {
    const now = new Date(Date.UTC(2026, 4, 1) + hoursAfter * 3_600_000);
    assert.deepEqual(engine.activeBlock(now), engine.blocks(now).find((b) => b.active) ?? null, `${now.toISOString()}`);
  }
  assert.equal(engine.activeBlock(new Date('2026-05-04T14:48:00.000Z'))?.start, '2026-05-04T10:00:00.000Z');
  const all = engine.sessions();
  assert.equal(all.length, 13);
  for (let limit = 0; limit <= 14; limit++) assert.deepEqual(engine.sessions({ limit }), all.slice(0, limit), `limit ${limit}`);

  const first = engine.report();
  first.daily.length = 0; // a caller changing what it got changes nothing for the next one
  const again = engine.report();
  assert.ok(again.daily.length > 0);
  const sessionFile = path.join(claude, 'projects', '-p0', '00000000-0000-4000-8000-000000000000.jsonl');
  fs.appendFileSync(sessionFile, `${assistantLine({ sessionId: '00000000-0000-4000-8000-000000000000', id: 'late', ts: '2026-05-03T10:00:00.000Z', input: 1000 })}\n`);
  await engine.refresh();
  assert.equal(engine.report().totals.inputTokens, again.totals.inputTokens + 1000, 'a new response shows in the next report');
  engine.setPriceOverrides({ 'claude-sonnet-4-5': { input: 1000, output: 1000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 } });
  assert.ok(engine.report().totals.costUSD > again.totals.costUSD + 1, 'new prices show in the next report');
});
