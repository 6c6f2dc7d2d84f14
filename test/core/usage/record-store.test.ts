// The columnar record store and its file form: one row per message id whatever mix of loaded and new rows, the
// largest copy kept, rows of a file removed, and everything surviving a write and a read of the index file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIndex, encodeIndex } from '../../../src/core/usage/index-file.js';
import { RecordStore, type UsageRecord } from '../../../src/core/usage/record-store.js';
import type { UsageLine } from '../../../src/core/usage/transcript-line.js';

function line(id: string, output: number, ts = 1_700_000_000_000, extra: Partial<UsageLine> = {}): UsageLine {
  return { id, ts, model: 'claude-sonnet-4-5', input: 10, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 100, webSearch: 0, flags: 0, sessionId: 's1', cwd: null, ...extra };
}

function all(store: RecordStore): UsageRecord[] {
  return Array.from({ length: store.length }, (_, row) => store.record(row));
}

function roundTrip(store: RecordStore, files = 3): RecordStore {
  const bytes = encodeIndex({ generation: 'g', files: Array.from({ length: files }, (_, i) => ({ path: `/f${i}`, root: '/', project: 'p', dev: 1, ino: i, size: 0, mtimeMs: 0, offset: 0, head: '', deleted: false, lines: 0, malformed: 0, duplicates: 0, promptFound: false })), store, prompts: {}, projectPaths: {}, costStates: {} });
  return decodeIndex(bytes).store;
}

test('each message id is one row; a larger copy replaces it, a smaller or equal one is a duplicate', () => {
  const store = new RecordStore(4);
  assert.deepEqual(store.addLine(line('msg_a', 5), 'p', 0), { row: 0, added: true });
  assert.deepEqual(store.addLine(line('msg_b', 7), 'p', 0), { row: 1, added: true });
  assert.deepEqual(store.addLine(line('msg_a', 50), 'p', 1), { row: 0, added: false }, 'the larger copy replaced the first');
  assert.deepEqual(store.addLine(line('msg_a', 50), 'p', 2), { row: -1, added: false }, 'an equal copy changes nothing');
  assert.deepEqual(store.addLine(line('msg_a', 1), 'p', 2), { row: -1, added: false });
  assert.equal(store.length, 2);
  assert.deepEqual(store.record(0), { id: 'msg_a', ts: 1_700_000_000_000, model: 'claude-sonnet-4-5', input: 10, output: 50, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 100, webSearch: 0, flags: 0, sessionId: 's1', project: 'p', file: 1 });
});

test('thousands of ids, loaded from the file form and added after it, are all found again (hash table growth included)', () => {
  const store = new RecordStore(16);
  for (let i = 0; i < 3000; i++) store.addLine(line(`msg_${i}_é`, i, 1_700_000_000_000 + ((i * 7919) % 3000) * 1000, { sessionId: `s${i % 17}` }), `p${i % 5}`, i % 3);
  const loaded = roundTrip(store);
  assert.equal(loaded.length, 3000);
  for (let i = 0; i < 3000; i++) assert.equal(loaded.id(loaded.find(`msg_${i}_é`)), `msg_${i}_é`);
  assert.equal(loaded.find('msg_3000_é'), -1);
  for (let i = 3000; i < 6000; i++) assert.equal(loaded.addLine(line(`msg_${i}_é`, 1), 'p', 0).added, true);
  for (let i = 0; i < 6000; i++) assert.equal(loaded.addLine(line(`msg_${i}_é`, 0), 'p', 0).added, false, `msg_${i} is known`);
  assert.equal(loaded.length, 6000);
  const byId = new Map(all(store).map((r) => [r.id, r]));
  for (const r of all(loaded).slice(0, 3000)) assert.deepEqual(r, byId.get(r.id));
});

test('the file form holds rows oldest first; reading it back gives the same records', () => {
  const store = new RecordStore();
  const t0 = Date.UTC(2026, 3, 1);
  store.addLine(line('late', 1, t0 + 3000), 'p', 0);
  store.addLine(line('early', 2, t0 + 1000, { model: 'claude-opus-4-5', sessionId: 'another' }), 'q', 2);
  store.addLine(line('middle', 3, t0 + 2000), 'p', 1);
  const loaded = roundTrip(store);
  assert.deepEqual(all(loaded).map((r) => r.id), ['early', 'middle', 'late']);
  assert.deepEqual(all(loaded).sort((a, b) => a.id.localeCompare(b.id)), all(store).sort((a, b) => a.id.localeCompare(b.id)));
  assert.deepEqual(Array.from(loaded.rowsByTime(new Set([0, 1])), (row) => loaded.id(row)), ['middle', 'late'], 'rows of other files can be left out');
});

test('removing a file drops its rows only; the others keep their ids and are still found', () => {
  const store = roundTrip((() => {
    const s = new RecordStore();
    for (let i = 0; i < 10; i++) s.addLine(line(`m${i}`, i), 'p', i % 2);
    return s;
  })());
  store.addLine(line('m10', 10), 'p', 1);
  assert.equal(store.removeFile(1), 6);
  assert.equal(store.length, 5);
  assert.deepEqual(all(store).map((r) => r.id).sort(), ['m0', 'm2', 'm4', 'm6', 'm8']);
  assert.equal(store.find('m1'), -1);
  assert.equal(store.id(store.find('m8')), 'm8');
  assert.equal(store.removeFile(1), 0);
});

test('a damaged file form is refused with what is wrong, never read as other numbers', () => {
  const store = new RecordStore();
  store.addLine(line('a', 1), 'p', 0);
  const bytes = encodeIndex({ generation: 'g', files: [], store, prompts: {}, projectPaths: {}, costStates: {} });
  assert.throws(() => decodeIndex(bytes), /record 0 is damaged/, 'a record naming a file the header does not list');
  assert.throws(() => decodeIndex(bytes.subarray(0, bytes.length - 1)), /bytes, its header says/);
  assert.throws(() => decodeIndex(Buffer.from('{"version":1}')), /not a TCE usage index/);
  const early = new RecordStore();
  early.addLine(line('b', 1, 5), 'p', 0);
  assert.throws(() => roundTrip(early, 1), /record 0 has no valid time/, 'a time no transcript can hold');
});

test('rows by time: the same order as a comparison sort (ties in row order), for times over years, within a minute, or with fractions', () => {
  const t0 = Date.UTC(2024, 0, 1);
  const spreads: Array<[string, (i: number) => number]> = [
    ['years', (i) => t0 + ((i * 7919) % 1000) * 86_400_000 * 0.73 + (i % 3) * 1000],
    ['one minute', (i) => t0 + ((i * 31) % 60_000)],
    ['ties', (i) => t0 + (i % 7) * 3_600_000],
    ['fractions', (i) => t0 + ((i * 7919) % 1000) * 1.5],
  ];
  for (const [name, ts] of spreads) {
    const store = new RecordStore(8);
    for (let i = 0; i < 5000; i++) store.addLine(line(`m${i}`, 1, Math.round(ts(i) * 2) / 2), 'p', i % 4);
    const num = store.num.ts;
    const expected = (rows: number[]) => rows.sort((a, b) => num[a]! - num[b]! || a - b);
    assert.deepEqual(Array.from(store.rowsByTime(null)), expected(Array.from({ length: store.length }, (_, i) => i)), name);
    const some = new Set([1, 3]);
    assert.deepEqual(Array.from(store.rowsByTime(some)), expected(Array.from({ length: store.length }, (_, i) => i).filter((r) => some.has(store.ref.file[r]!))), `${name}, two files`);
  }
});

test('the file form written in parts is the one JSON.stringify of its header gives, keyed parts as maps or objects', () => {
  const store = new RecordStore();
  for (let i = 0; i < 700; i++) store.addLine(line(`msg_${i}`, i, 1_700_000_000_000 + i), 'p', i % 2);
  const files = Array.from({ length: 600 }, (_, i) => ({ path: `/f${i}`, root: '/', project: 'p', dev: 1, ino: i, size: 0, mtimeMs: 0, offset: 0, head: '', deleted: false, lines: 0, malformed: 0, duplicates: 0, promptFound: false, ...(i % 2 ? { lastTs: i } : {}) }));
  const prompts = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`s${i}`, { prompt: `do "${i}" ✓`, ts: i }]));
  const projectPaths = { p: '/home/u/p', q: '/home/u/q' };
  const bytes = encodeIndex({ generation: 'g', files, store, prompts, projectPaths, costStates: {} });
  const headerBytes = bytes.readUInt32LE(8 + 8);
  const header = bytes.toString('utf8', 8 + 32, 8 + 32 + headerBytes);
  assert.equal(header, JSON.stringify({ generation: 'g', files, prompts, projectPaths, costStates: {} }));
  const fromMaps = encodeIndex({ generation: 'g', files, store, prompts: new Map(Object.entries(prompts)), projectPaths: new Map(Object.entries(projectPaths)), costStates: new Map() });
  assert.ok(fromMaps.equals(bytes));
});
