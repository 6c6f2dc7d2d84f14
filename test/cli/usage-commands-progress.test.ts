// The indexing progress line: on a terminal only, only after a second, erased at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexProgress } from '../../src/cli/format/usage-progress.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (c: string) => chunks.push(c) };
}

const step = (bytesDone: number) => ({ filesDone: 3, filesTotal: 10, bytesDone, bytesTotal: 400 * 1024 * 1024 });

test('nothing is drawn during the first second, then the line shows files and MB and is erased when done', () => {
  let now = 1000;
  const out = stream(true);
  const p = new IndexProgress(out, { now: () => now });
  p.update(step(1));
  now += 999;
  p.update(step(2));
  assert.deepEqual(out.chunks, []);
  now += 2;
  p.update(step(100 * 1024 * 1024));
  assert.deepEqual(out.chunks, ['\r\x1b[2KIndexing Claude Code transcripts: 3/10 files, 100/400 MB (25%)']);
  // Redraws are spaced out.
  now += 50;
  p.update(step(101 * 1024 * 1024));
  assert.equal(out.chunks.length, 1);
  now += 100;
  p.update(step(200 * 1024 * 1024));
  assert.match(out.chunks[1]!, /200\/400 MB \(50%\)$/);
  p.done();
  assert.equal(out.chunks.at(-1), '\r\x1b[2K');
});

test('a quick build, or a stderr that is not a terminal, never shows the line', () => {
  let now = 0;
  const quick = stream(true);
  const fast = new IndexProgress(quick, { now: () => now });
  now = 500;
  fast.update(step(1));
  fast.done();
  assert.deepEqual(quick.chunks, []);

  const piped = stream(false);
  const slow = new IndexProgress(piped, { now: () => now });
  now = 60_000;
  slow.update(step(1));
  slow.done();
  assert.deepEqual(piped.chunks, []);
});
