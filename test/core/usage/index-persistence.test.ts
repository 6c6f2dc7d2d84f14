// The persisted index in TCE's data folder: cheap restarts, history beyond Claude Code's cleanup, re-pricing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { INDEX_FILE, UsageEngine, type UsageProgress, type UsageReport } from '../../../src/core/usage/index.js';
import { JOURNAL_FILE } from '../../../src/core/usage/usage-index.js';
import { assistantLine, costStateLine, usageTemp, usd, userLine, writeTranscript } from './corpus.js';

type Track = ReturnType<typeof usageTemp>['track'];

const S1 = 'cccccccc-1111-4111-8111-111111111111';
const S2 = 'dddddddd-2222-4222-8222-222222222222';
const NOW = new Date('2026-04-03T12:00:00.000Z');

function corpus(claude: string): void {
  writeTranscript(claude, '-home-u-alpha', `${S1}.jsonl`, [
    userLine({ sessionId: S1, ts: '2026-04-01T08:00:00.000Z', text: 'refactor the parser', cwd: '/home/u/alpha' }),
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-04-01T08:00:05.000Z', input: 100, output: 10, cacheWrite1h: 1000, cwd: '/home/u/alpha' }),
    assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-04-01T08:30:00.000Z', input: 200, output: 20, cacheRead: 5000, cwd: '/home/u/alpha', model: 'claude-opus-4-1-20250805' }),
  ]);
  writeTranscript(claude, '-home-u-beta', `${S2}.jsonl`, [
    userLine({ sessionId: S2, ts: '2026-04-02T09:00:00.000Z', text: 'write tests', cwd: '/home/u/beta' }),
    assistantLine({ id: 'msg_3', sessionId: S2, ts: '2026-04-02T09:00:05.000Z', input: 300, output: 30, cwd: '/home/u/beta', model: 'claude-opus-6' }),
    '{"type":"assistant" half',
  ]);
}

/** A temp folder with the corpus in `claude`, an empty `data`, and the path of the alpha session's transcript. */
function withCorpus(t: { after(fn: () => unknown): void }) {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  corpus(claude);
  return { root, track, claude, data: path.join(root, 'data'), alpha: path.join(claude, 'projects', '-home-u-alpha', `${S1}.jsonl`) };
}

function withoutTime(r: UsageReport): Omit<UsageReport, 'generatedAt'> {
  const { generatedAt: _g, ...rest } = r;
  return rest;
}

function engine(track: Track, claude: string, dataDir: string, extra: Partial<ConstructorParameters<typeof UsageEngine>[0]> = {}) {
  const progress: UsageProgress[] = [];
  const e = track(new UsageEngine({ claudeDirs: [claude], dataDir, timezone: 'UTC', onProgress: (p) => progress.push({ ...p }), ...extra }));
  return { e, progress };
}

test('a restart on the persisted index reads no transcript and gives the identical report, sessions and blocks', async (t) => {
  const { track, claude, data } = withCorpus(t);
  const first = engine(track, claude, data);
  await first.e.refresh();
  await first.e.close();
  assert.ok(fs.existsSync(path.join(data, INDEX_FILE)));
  assert.ok(first.progress.length > 0);

  const second = engine(track, claude, data);
  await second.e.refresh();
  assert.equal(second.progress.length, 0, 'nothing was read on the warm start');
  assert.deepEqual(withoutTime(second.e.report({ now: NOW })), withoutTime(first.e.report({ now: NOW })));
  assert.deepEqual(second.e.sessions(), first.e.sessions());
  assert.deepEqual(second.e.blocks(NOW), first.e.blocks(NOW));
  assert.equal(second.e.sessions().find((s) => s.sessionId === S1)!.firstPrompt, 'refactor the parser');
});

test('usage of transcripts Claude Code deleted survives a restart, and a new price table re-prices it', async (t) => {
  const { track, claude, data } = withCorpus(t);
  const first = engine(track, claude, data);
  await first.e.refresh();
  const before = first.e.report({ now: NOW });
  assert.deepEqual(before.diagnostics.unpricedModels, ['claude-opus-6']);
  await first.e.close();

  fs.rmSync(path.join(claude, 'projects'), { recursive: true });
  const override = { 'claude-opus-6': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1 } };
  const second = engine(track, claude, data, { priceOverrides: override });
  await second.e.refresh();
  const after = second.e.report({ now: NOW });
  assert.equal(second.progress.length, 0);
  assert.deepEqual({ ...after.totals, costUSD: 0, unpricedTokens: 0 }, { ...before.totals, costUSD: 0, unpricedTokens: 0 });
  assert.equal(before.totals.unpricedTokens, 330, 'the unknown model was unpriced before the override');
  assert.equal(after.totals.unpricedTokens, 0);
  assert.equal(after.diagnostics.files, 0);
  assert.equal(after.diagnostics.deletedFiles, 2);
  assert.deepEqual(after.diagnostics.unpricedModels, []);
  const opus5 = usd(300, 10) + usd(30, 50);
  assert.equal(after.totals.costUSD, Math.round((before.totals.costUSD + opus5) * 1e6) / 1e6);
  assert.deepEqual(after.projects.map((p) => p.path).sort(), ['/home/u/alpha', '/home/u/beta']);
  assert.deepEqual(second.e.sessions().map((s) => [s.sessionId, s.firstPrompt]), [[S2, 'write tests'], [S1, 'refactor the parser']]);
});

test('a damaged index is reported and rebuilt from the transcripts; nothing else changes', async (t) => {
  const { root, track, claude, data } = withCorpus(t);
  const clean = engine(track, claude, path.join(root, 'clean'));
  await clean.e.refresh();
  const expected = clean.e.report({ now: NOW });
  await clean.e.close();
  const whole = fs.readFileSync(path.join(root, 'clean', INDEX_FILE));
  const flipped = Buffer.from(whole);
  flipped.writeUInt32LE(999_999, 8 + 4 * 4); // a string count that does not fit the file
  const accent = Buffer.from(whole); // two bytes of a message id become one character, é: same size, one letter short
  accent.set([0xc3, 0xa9], whole.indexOf('msg_1'));
  const badFile = Buffer.from(whole.toString('latin1').replace('"offset":', '"offsex":'), 'latin1');

  for (const damage of ['{"version":1,"strings":["a"],"records":{"id":["x"],"ts":[]}', '', whole.subarray(0, whole.length - 5), flipped, accent, badFile]) {
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, INDEX_FILE), damage);
    const e = engine(track, claude, data);
    await e.e.refresh();
    const r = e.e.report({ now: NOW });
    assert.deepEqual(r.totals, expected.totals, `totals after damage ${String(damage).slice(0, 40)}`);
    assert.match((r.diagnostics.problems ?? []).join('\n'), /usage-index\.bin is damaged .*rebuilding/);
    await e.e.close();
    // The rebuilt index is whole again.
    const again = engine(track, claude, data);
    await again.e.refresh();
    assert.equal(again.progress.length, 0);
    assert.deepEqual(again.e.report({ now: NOW }).diagnostics.problems, []);
    await again.e.close();
    fs.rmSync(data, { recursive: true });
  }
});

test('several Claude dirs are counted together; one index can serve engines on different dirs', async (t) => {
  const { root, track } = usageTemp(t);
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  const data = path.join(root, 'data');
  writeTranscript(a, '-p', `${S1}.jsonl`, [assistantLine({ id: 'msg_a', sessionId: S1, ts: '2026-04-01T08:00:00.000Z', input: 1 })]);
  writeTranscript(b, '-p', `${S2}.jsonl`, [assistantLine({ id: 'msg_b', sessionId: S2, ts: '2026-04-01T08:00:00.000Z', input: 2 })]);
  const both = engine(track, a, data, { claudeDirs: [a, b] });
  await both.e.refresh();
  assert.equal(both.e.report().totals.inputTokens, 3);
  await both.e.close();
  const onlyB = engine(track, b, data);
  await onlyB.e.refresh();
  assert.equal(onlyB.e.report().totals.inputTokens, 2);
  assert.equal(onlyB.progress.length, 0);
});

test('an index that cannot be saved is reported; usage is still counted and nothing else breaks', async (t) => {
  const { root, track, claude } = withCorpus(t);
  // The data folder path is taken by a file: neither loading nor saving can work.
  const blocked = path.join(root, 'not-a-folder');
  fs.writeFileSync(blocked, 'x');
  const { e } = engine(track, claude, blocked);
  await e.refresh();
  await e.close();
  const r = e.report({ now: NOW });
  assert.equal(r.totals.inputTokens, 600);
  assert.match((r.diagnostics.problems ?? []).join('\n'), /cannot save the usage index in .*not-a-folder.*reads every transcript again/);
  assert.equal(fs.readFileSync(blocked, 'utf8'), 'x');
});

test('refreshes that add usage append a journal line instead of rewriting the index; a restart replays it', async (t) => {
  const { track, claude, data, alpha } = withCorpus(t);
  const live = engine(track, claude, data);
  await live.e.refresh();
  const base = fs.readFileSync(path.join(data, INDEX_FILE));
  const file = alpha;
  for (let i = 0; i < 3; i++) {
    fs.appendFileSync(file, `${assistantLine({ id: `msg_more_${i}`, sessionId: S1, ts: `2026-04-01T09:0${i}:00.000Z`, input: 1000, output: 1, cwd: '/home/u/alpha' })}\n`);
    await live.e.refresh();
  }
  assert.ok(fs.readFileSync(path.join(data, INDEX_FILE)).equals(base), 'the full index was not rewritten');
  const journal = fs.readFileSync(path.join(data, JOURNAL_FILE), 'utf8').trim().split('\n');
  assert.equal(journal.length, 3);
  await live.e.close();

  const again = engine(track, claude, data);
  await again.e.refresh();
  assert.equal(again.progress.length, 0, 'the journal told it everything: no transcript was read');
  assert.deepEqual(withoutTime(again.e.report({ now: NOW })), withoutTime(live.e.report({ now: NOW })));
  assert.equal(again.e.report().totals.inputTokens, 3600);
  assert.deepEqual(again.e.sessions(), live.e.sessions());
});

test('a journal line cut short by a crash, or left from an older index, is not trusted: that part is read again', async (t) => {
  const { track, claude, data, alpha } = withCorpus(t);
  const first = engine(track, claude, data);
  await first.e.refresh();
  const file = alpha;
  fs.appendFileSync(file, `${assistantLine({ id: 'msg_more', sessionId: S1, ts: '2026-04-01T09:00:00.000Z', input: 1000, cwd: '/home/u/alpha' })}\n`);
  await first.e.refresh();
  await first.e.close();
  const expected = withoutTime(first.e.report({ now: NOW }));
  const journalFile = path.join(data, JOURNAL_FILE);
  const line = fs.readFileSync(journalFile, 'utf8');

  // Cut short: half the line.
  fs.writeFileSync(journalFile, line.slice(0, Math.floor(line.length / 2)));
  const cut = engine(track, claude, data);
  await cut.e.refresh();
  assert.ok(cut.progress.length > 0, 'the appended part was read again');
  assert.deepEqual(withoutTime(cut.e.report({ now: NOW })), expected);
  await cut.e.close();
  assert.equal(fs.existsSync(journalFile), false, 'the next save folded everything into a full write');

  // From an older full write: its generation does not match.
  fs.writeFileSync(journalFile, line.replace(/"generation":"[^"]*"/, '"generation":"an-older-one"'));
  const stale = engine(track, claude, data);
  await stale.e.refresh();
  assert.deepEqual(withoutTime(stale.e.report({ now: NOW })), expected);
});

test('the journal is folded into a full write once it has grown large', async (t) => {
  const { track, claude, data, alpha } = withCorpus(t);
  const live = engine(track, claude, data);
  await live.e.refresh();
  const file = alpha;
  const many = Array.from({ length: 9000 }, (_, i) => assistantLine({ id: `msg_bulk_${i}`, sessionId: S1, ts: '2026-04-01T10:00:00.000Z', input: 1, cwd: '/home/u/alpha' }));
  fs.appendFileSync(file, `${many.join('\n')}\n`);
  await live.e.refresh();
  assert.ok(fs.statSync(path.join(data, JOURNAL_FILE)).size > 1024 * 1024);
  fs.appendFileSync(file, `${assistantLine({ id: 'msg_last', sessionId: S1, ts: '2026-04-01T10:00:01.000Z', input: 1, cwd: '/home/u/alpha' })}\n`);
  await live.e.refresh();
  assert.equal(fs.existsSync(path.join(data, JOURNAL_FILE)), false);
  await live.e.close();
  const again = engine(track, claude, data);
  await again.e.refresh();
  assert.equal(again.progress.length, 0);
  assert.equal(again.e.report().totals.inputTokens, 600 + 9001);
});

test('the tray app and the CLI saving into one data folder at once never spoil it: a later start matches a fresh read', async (t) => {
  const { root, track, claude, data, alpha } = withCorpus(t);
  const file = alpha;
  let n = 0;
  const append = (count: number) => {
    const lines = Array.from({ length: count }, () => assistantLine({ id: `msg_shared_${n++}`, sessionId: S1, ts: '2026-04-01T11:00:00.000Z', input: 2, output: 1, cwd: '/home/u/alpha' }));
    fs.appendFileSync(file, `${lines.join('\n')}\n`);
  };
  const tray = engine(track, claude, data);
  await tray.e.refresh();
  append(3);
  const cli = engine(track, claude, data);
  await cli.e.refresh(); // loads the tray's index, reads the 3 new responses, appends its journal line
  append(2);
  await tray.e.refresh(); // its own line, from its own view
  append(9000); // enough for the tray's next save to be a full write that drops the journal
  await tray.e.refresh();
  append(1);
  await cli.e.refresh(); // still on the old full write: its line is stale now
  await cli.e.close();
  await tray.e.close();

  const later = engine(track, claude, data);
  await later.e.refresh();
  const fresh = engine(track, claude, path.join(root, 'fresh-data'));
  await fresh.e.refresh();
  assert.deepEqual(withoutTime(later.e.report({ now: NOW })).totals, withoutTime(fresh.e.report({ now: NOW })).totals);
  assert.deepEqual(later.e.sessions(), fresh.e.sessions());
  assert.equal(later.e.report().totals.inputTokens, 600 + 2 * n);
});

test('an index in the JSON form of earlier versions is read, history included, and replaced by the current form', async (t) => {
  const { track, claude, data } = withCorpus(t);
  const gone = path.join(claude, 'projects', '-home-u-old', 'deleted-by-cleanup.jsonl');
  const fileState = { path: gone, root: claude, project: '-home-u-old', dev: 1, ino: 2, size: 900, mtimeMs: 1, offset: 900, head: '7b', deleted: false, lines: 3, malformed: 0, duplicates: 0, promptFound: true };
  const legacy = {
    version: 1,
    generation: 'old-generation',
    strings: ['claude-sonnet-4-5-20250929', 'old-session', '-home-u-old'],
    records: { id: ['msg_old'], ts: [Date.parse('2026-02-01T10:00:00.000Z')], model: [0], input: [4000], output: [500], cw5m: [0], cw1h: [0], cacheRead: [0], session: [1], project: [2], file: [0] },
    files: [fileState],
    prompts: { 'old-session': { prompt: 'the old work', ts: Date.parse('2026-02-01T09:59:00.000Z') } },
    projectPaths: { '-home-u-old': '/home/u/old' },
  };
  fs.mkdirSync(data, { recursive: true });
  fs.writeFileSync(path.join(data, 'usage-index.json'), JSON.stringify(legacy));

  const first = engine(track, claude, data);
  await first.e.refresh();
  const r = first.e.report({ now: NOW });
  assert.equal(r.totals.inputTokens, 4000 + 100 + 200 + 300);
  assert.deepEqual(r.daily.find((d) => d.date === '2026-02-01')?.inputTokens, 4000);
  assert.equal(r.diagnostics.deletedFiles, 1);
  assert.equal(first.e.sessions().find((s) => s.sessionId === 'old-session')?.firstPrompt, 'the old work');
  await first.e.close();
  assert.ok(fs.existsSync(path.join(data, INDEX_FILE)));
  assert.equal(fs.existsSync(path.join(data, 'usage-index.json')), false, 'the old form is gone once the new one is written');

  const second = engine(track, claude, data);
  await second.e.refresh();
  assert.equal(second.progress.length, 0);
  assert.deepEqual(withoutTime(second.e.report({ now: NOW })), withoutTime(r));
});

/** The index file as TCE wrote it before format 3: no web search or flag columns, no tallies in the header. */
function asFormat2(bytes: Buffer): Buffer {
  const u32 = (at: number) => bytes.readUInt32LE(at);
  const pad8 = (n: number) => (n + 7) & ~7;
  const [headerBytes, n, stringCount, stringBytes, idBytes] = [16, 20, 24, 28, 32].map(u32) as [number, number, number, number, number];
  const header = JSON.parse(bytes.toString('utf8', 40, 40 + headerBytes)) as Record<string, unknown>;
  delete header.costStates;
  const stringsAt = pad8(40 + headerBytes);
  const columnsAt = pad8(pad8(stringsAt + 4 * stringCount + stringBytes) + 4 * (n + 1) + idBytes);
  const newHeader = Buffer.from(JSON.stringify(header));
  const fixed = Buffer.from(bytes.subarray(0, 40));
  fixed.writeUInt32LE(2, 8);
  fixed.writeUInt32LE(newHeader.length, 16);
  const head = Buffer.concat([fixed, newHeader]);
  const middle = bytes.subarray(stringsAt, columnsAt);
  const sixColumns = bytes.subarray(columnsAt, columnsAt + 6 * 8 * n);
  const refColumns = bytes.subarray(columnsAt + 8 * 8 * n);
  return Buffer.concat([head, Buffer.alloc(pad8(head.length) - head.length), middle, sixColumns, refColumns]);
}

test('an index of format 2 still loads: deleted transcripts keep their history, those on disk are read again for web searches and tallies', async (t) => {
  const { track, claude, data } = withCorpus(t);
  const gone = writeTranscript(claude, '-home-u-old', 'old-session.jsonl', [assistantLine({ id: 'msg_old', sessionId: 'old-session', ts: '2026-02-01T10:00:00.000Z', input: 4000, cwd: '/home/u/old' })]);
  writeTranscript(claude, '-home-u-new', `${S1}-new.jsonl`, [
    assistantLine({ id: 'msg_web', sessionId: 'new-session', ts: '2026-04-02T10:00:00.000Z', model: 'claude-opus-5-5', input: 10, output: 5, webSearch: 3 }),
    costStateLine({ sessionId: 'new-session', costUSD: 0.5 }),
  ]);
  const first = engine(track, claude, data);
  await first.e.refresh();
  const before = first.e.report({ now: NOW });
  await first.e.close();
  const current = fs.readFileSync(path.join(data, INDEX_FILE));
  fs.writeFileSync(path.join(data, INDEX_FILE), asFormat2(current));
  fs.rmSync(gone);

  const upgraded = engine(track, claude, data);
  await upgraded.e.refresh();
  const r = upgraded.e.report({ now: NOW });
  assert.equal(r.daily.find((d) => d.date === '2026-02-01')?.inputTokens, 4000, 'the deleted transcript kept its history');
  assert.equal(r.diagnostics.deletedFiles, 1);
  assert.equal(r.totals.webSearchRequests, 3, 'read again: the web searches are back');
  assert.equal(r.claudeCode?.costUSD, 0.5, 'and the tally');
  const { diagnostics: _g, generatedAt: _a, ...same } = r;
  const { diagnostics: _g2, generatedAt: _a2, ...sameBefore } = before;
  assert.deepEqual(same, sameBefore, 'the same report as before the upgrade');
  assert.deepEqual(upgraded.e.sessions(), first.e.sessions().map((s) => ({ ...s, livePid: null })));
  await upgraded.e.close();
  assert.equal(fs.readFileSync(path.join(data, INDEX_FILE)).readUInt32LE(8), 3, 'saved in the current format');
});
