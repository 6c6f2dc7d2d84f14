// Live transcripts: files that grow (with half-written lines), shrink, get replaced or deleted while the engine runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UsageEngine, type UsageReport } from '../../../src/core/usage/index.js';
import { assistantLine, usageTemp, userLine, writeTranscript } from './corpus.js';

type Track = ReturnType<typeof usageTemp>['track'];

const S1 = 'aaaaaaaa-1111-4111-8111-111111111111';
const S2 = 'bbbbbbbb-2222-4222-8222-222222222222';

function engineFor(track: Track, claude: string, dataDir: string): UsageEngine {
  return track(new UsageEngine({ claudeDirs: [claude], dataDir, timezone: 'UTC' }));
}

/** The parts of a report that must not depend on how the files were read. */
function counted(r: UsageReport): Omit<UsageReport, 'generatedAt' | 'diagnostics'> & { malformed: number; duplicates: number } {
  const { generatedAt: _g, diagnostics, ...rest } = r;
  return { ...rest, malformed: diagnostics.malformedLines, duplicates: diagnostics.duplicateLines };
}

/** A session as Claude Code writes it: prompts, big tool results, responses repeated once per content block. */
function sessionLines(sessionId: string, responses: number, seed: number): string[] {
  const lines: string[] = [userLine({ sessionId, ts: '2026-04-01T08:00:00.000Z', text: `task ${seed}` })];
  for (let i = 0; i < responses; i++) {
    const ts = new Date(Date.UTC(2026, 3, 1, 8, i * 7 + seed)).toISOString();
    const base = { id: `msg_${seed}_${i}`, sessionId, ts, input: 3 + i, cacheRead: 1000 * i, cacheWrite5m: 100 + seed, model: i % 3 === 0 ? 'claude-haiku-4-5-20251001' : 'claude-sonnet-4-5-20250929' };
    lines.push(assistantLine({ ...base, output: 1, text: 'thinking…' }));
    lines.push(assistantLine({ ...base, output: 40 + i * 11, text: 'done' }));
    lines.push(userLine({ sessionId, ts, toolResultBytes: 2000 + ((i * 7919) % 5000) }));
  }
  lines.push('{"type":"assistant","message":{"id":"broken"'); // a malformed line in the middle of the stream
  lines.push(JSON.stringify({ type: 'summary', summary: 'x', leafUuid: 'u' }));
  return lines;
}

test('a file that grows in arbitrary pieces, cut mid-line and mid-character, ends up counted exactly like a full read', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const text = Buffer.from(`${sessionLines(S1, 40, 1).join('\n')}\n${userLine({ sessionId: S1, ts: '2026-04-01T12:00:00.000Z', text: 'ünïcödé ✓ prompt' })}\n`);
  const file = writeTranscript(claude, '-home-u-proj', `${S1}.jsonl`, []);
  const live = engineFor(track, claude, path.join(root, 'live-data'));
  // Deterministic uneven cut points, some inside multi-byte characters and many inside lines.
  let offset = 0;
  let step = 1;
  let refreshes = 0;
  while (offset < text.length) {
    step = (step * 48271) % 2147483647;
    const size = 1 + (step % 9000);
    fs.appendFileSync(file, text.subarray(offset, offset + size));
    offset += size;
    await live.refresh();
    refreshes++;
  }
  assert.ok(refreshes > 20, `the file grew in ${refreshes} pieces`);

  const full = engineFor(track, claude, path.join(root, 'full-data'));
  await full.refresh();
  const a = live.report();
  const b = full.report();
  assert.deepEqual(counted(a), counted(b));
  assert.equal(a.diagnostics.linesRead, b.diagnostics.linesRead);
  assert.deepEqual(live.sessions(), full.sessions());
  // And the right answer itself: 40 responses, each counted once with its final output count.
  assert.equal(b.totals.outputTokens, Array.from({ length: 40 }, (_, i) => 40 + i * 11).reduce((x, y) => x + y, 0));
  assert.equal(b.diagnostics.duplicateLines, 40);
  assert.equal(b.diagnostics.malformedLines, 1);
});

test('a truncated file and a file rewritten in place are read again from the start', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const line = (id: string, input: number) => assistantLine({ id, sessionId: S1, ts: '2026-04-01T08:00:00.000Z', input });
  const file = writeTranscript(claude, '-p', `${S1}.jsonl`, [line('msg_1', 1), line('msg_2', 2), line('msg_3', 4)]);
  const engine = engineFor(track, claude, path.join(root, 'data'));
  await engine.refresh();
  assert.equal(engine.report().totals.inputTokens, 7);

  writeTranscript(claude, '-p', `${S1}.jsonl`, [line('msg_1', 1)]);
  await engine.refresh();
  assert.equal(engine.report().totals.inputTokens, 1, 'the responses cut off are no longer counted');

  // Same inode, new content that is longer than what was read: only the changed head tells.
  const rewritten = [line('msg_9', 100), line('msg_8', 200), line('msg_7', 400)].join('\n') + '\n';
  fs.writeFileSync(file, rewritten);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.inputTokens, 700);
  assert.equal(r.diagnostics.linesRead, 3);
});

test('a replaced file (new inode) is read afresh; a resumed copy of its responses keeps them counted', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const old = [
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-04-01T08:00:00.000Z', input: 10, output: 1 }),
    assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-04-01T08:01:00.000Z', input: 20, output: 2 }),
  ];
  const first = writeTranscript(claude, '-p', `${S1}.jsonl`, old);
  // The resumed session (read second: files are read in path order) starts with copies of the old lines.
  writeTranscript(claude, '-p', `${S2}.jsonl`, [...old, assistantLine({ id: 'msg_3', sessionId: S2, ts: '2026-04-02T08:00:00.000Z', input: 40, output: 4 })]);
  const engine = engineFor(track, claude, path.join(root, 'data'));
  await engine.refresh();
  assert.equal(engine.report().totals.inputTokens, 70);

  // Replace the first file by a new one (atomic rename: another inode) holding one different response.
  const tmp = `${first}.tmp`;
  fs.writeFileSync(tmp, `${assistantLine({ id: 'msg_5', sessionId: S1, ts: '2026-04-01T09:00:00.000Z', input: 1000, output: 5 })}\n`);
  fs.renameSync(tmp, first);
  await engine.refresh();
  const r = engine.report();
  // The old file keeps its records as a deleted transcript does (history is never lost), and the resumed copies of
  // msg_1 and msg_2 stay duplicates of them: each response counted once.
  assert.equal(r.totals.inputTokens, 10 + 20 + 40 + 1000);
  assert.equal(r.totals.outputTokens, 1 + 2 + 4 + 5);
  assert.equal(r.diagnostics.duplicateLines, 2);
  assert.equal(r.diagnostics.files, 2);
  assert.equal(r.diagnostics.deletedFiles, 1);
});

test('a deleted transcript keeps its usage (Claude Code cleans up old files); a new file appears on the next refresh', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const oldFile = writeTranscript(claude, '-p', `${S1}.jsonl`, [assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-01-01T08:00:00.000Z', input: 10, output: 1 })]);
  const engine = engineFor(track, claude, path.join(root, 'data'));
  await engine.refresh();
  fs.rmSync(oldFile);
  writeTranscript(claude, '-q', `${S2}.jsonl`, [assistantLine({ id: 'msg_2', sessionId: S2, ts: '2026-04-01T08:00:00.000Z', input: 20, output: 2 })]);
  await engine.refresh();
  const r = engine.report();
  assert.equal(r.totals.inputTokens, 30);
  assert.deepEqual(r.daily.map((d) => [d.date, d.inputTokens]), [['2026-01-01', 10], ['2026-04-01', 20]]);
  assert.equal(r.diagnostics.files, 1);
  assert.equal(r.diagnostics.deletedFiles, 1);
  assert.deepEqual(engine.sessions().map((s) => s.sessionId), [S2, S1]);
});

test('an appended line is picked up by the next refresh, which reads only the new bytes', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const big = Array.from({ length: 200 }, (_, i) => userLine({ sessionId: S1, ts: '2026-04-01T08:00:00.000Z', toolResultBytes: 10_000 + i }));
  const file = writeTranscript(claude, '-p', `${S1}.jsonl`, [...big, assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-04-01T08:00:00.000Z', input: 1 })]);
  const progress: Array<{ filesTotal: number; bytesTotal: number }> = [];
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC', onProgress: (p) => progress.push({ ...p }) }));
  await engine.refresh();
  const firstBytes = progress.at(-1)!.bytesTotal;
  assert.equal(firstBytes, fs.statSync(file).size);
  const added = `${assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-04-01T08:05:00.000Z', input: 2 })}\n`;
  fs.appendFileSync(file, added);
  progress.length = 0;
  await engine.refresh();
  assert.deepEqual(progress.at(-1), { ...progress.at(-1), filesTotal: 1, bytesTotal: Buffer.byteLength(added) });
  assert.equal(engine.report().totals.inputTokens, 3);
  // Nothing changed: nothing is read.
  progress.length = 0;
  await engine.refresh();
  assert.equal(progress.length, 0);
});

test('inside the running app (a watching engine), a first build over many small files gives the event loop turns', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  // 48 files of about 1 MB: none is big enough to pause on its own; the pauses must count bytes across files.
  for (let f = 0; f < 48; f++) {
    const sessionId = `00000000-0000-4000-8000-${String(f).padStart(12, '0')}`;
    const lines = Array.from({ length: 10 }, () => userLine({ sessionId, ts: '2026-04-01T08:00:00.000Z', toolResultBytes: 100_000 }));
    lines.push(assistantLine({ id: `msg_small_${f}`, sessionId, ts: '2026-04-01T08:00:01.000Z', input: 1 }));
    writeTranscript(claude, '-p', `${sessionId}.jsonl`, lines);
  }
  let turns = 0;
  let spinning = true;
  const spin = () => {
    turns++;
    if (spinning) setImmediate(spin);
  };
  const turnsAtProgress: number[] = [];
  // A command's engine (no watch) reads straight through: nothing else waits for its thread.
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC', watch: true, onProgress: () => turnsAtProgress.push(turns) }));
  setImmediate(spin);
  await engine.refresh();
  spinning = false;
  const during = turnsAtProgress.at(-1)! - turnsAtProgress[0]!;
  assert.ok(during >= 4, `other work ran ${during} times while 48 MB were read`);
  assert.equal(engine.report().totals.inputTokens, 48);
});

test('a file first seen as a few bytes of its first line, then rewritten in place with the same start, is read again', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const engine = engineFor(track, claude, path.join(root, 'data'));
  const first = assistantLine({ id: 'first', sessionId: S1, ts: '2026-04-01T08:00:00.000Z', input: 200 });
  const file = writeTranscript(claude, '-p', `${S1}.jsonl`, [], '');
  fs.writeFileSync(file, first.slice(0, 20)); // Claude Code has begun the first line
  await engine.refresh();
  assert.equal(engine.report().totals.inputTokens, 0);
  fs.appendFileSync(file, `${first.slice(20)}\n`);
  await engine.refresh();
  assert.equal(engine.report().totals.inputTokens, 200);
  // Rewritten in place (same inode, larger): every Claude Code line starts alike, so the first 20 bytes match.
  const other = assistantLine({ id: 'other', sessionId: S1, ts: '2026-04-01T09:00:00.000Z', input: 3, text: 'a longer answer than before' });
  assert.equal(other.slice(0, 20), first.slice(0, 20));
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, `${other}\n`, 0);
  fs.closeSync(fd);
  await engine.refresh();
  assert.equal(engine.report().totals.inputTokens, 3, 'the rewritten file counts alone, from its start');
});
