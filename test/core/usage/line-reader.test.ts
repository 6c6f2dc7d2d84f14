// The chunked line reader: every complete line exactly once with its byte offset, whatever the buffer size; lines
// longer than the buffer joined or skipped as the sink asks; an unterminated last line left for the next read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LineSink, ReadAhead, readCompleteLines } from '../../../src/core/usage/line-reader.js';

interface Seen {
  lines: Array<{ text: string; offset: number }>;
  skipped: number[];
  asked: string[];
}

function sink(wantLong: (head: string) => boolean): LineSink & { seen: Seen } {
  const seen: Seen = { lines: [], skipped: [], asked: [] };
  return {
    seen,
    line: (buf, start, end, offset) => seen.lines.push({ text: buf.toString('utf8', start, end), offset }),
    wantsWhole: (buf, start, end) => {
      const head = buf.toString('latin1', start, Math.min(end, start + 24));
      seen.asked.push(head);
      return wantLong(head);
    },
    skipped: (offset, object) => seen.skipped.push(object ? offset : -offset),
  };
}

function tempFile(t: { after: (fn: () => void) => void }, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-line-reader-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'lines.jsonl');
  fs.writeFileSync(file, content);
  return file;
}

async function readWith(sync: boolean, file: string, from: number, s: LineSink, bufferBytes: number) {
  const fd = fs.openSync(file, 'r');
  try {
    return await readCompleteLines(fd, from, s, { reader: new ReadAhead(bufferBytes, sync) });
  } finally {
    fs.closeSync(fd);
  }
}

/** Lines of many lengths (some longer than small buffers), with CRLF endings and multi-byte characters. */
function sampleLines(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 60; i++) out.push(`{"n":${i},"text":"${'é€x'.repeat((i * 37) % 50)}"}`);
  return out;
}

// Each behaviour with chunks read ahead on the thread pool (the app) and read when asked for (a command).
for (const sync of [false, true]) {
  const how = sync ? ' (synchronous reads)' : ' (reads ahead on the thread pool)';
  const read = (file: string, from: number, s: LineSink, bufferBytes: number) => readWith(sync, file, from, s, bufferBytes);

  test(`every complete line arrives once, with its byte offset, for buffer sizes from tiny to larger than the file${how}`, async (t) => {
    const lines = sampleLines();
    const text = lines.map((l, i) => (i % 7 === 0 ? `${l}\r\n` : `${l}\n`)).join('');
    const file = tempFile(t, text);
    const expected: Array<{ text: string; offset: number }> = [];
    let offset = 0;
    lines.forEach((l, i) => {
      expected.push({ text: l, offset });
      offset += Buffer.byteLength(l) + (i % 7 === 0 ? 2 : 1);
    });
    for (const size of [16, 64, 100, 257, 4096, 1 << 20]) {
      const s = sink(() => true);
      const result = await read(file, 0, s, size);
      assert.deepEqual(s.seen.lines, expected, `buffer of ${size} bytes`);
      assert.equal(result.offset, Buffer.byteLength(text));
      assert.equal(result.bytesRead, Buffer.byteLength(text));
    }
  });

  test(`a line longer than the buffer is joined when wanted, and skipped without reaching line() when not${how}`, async (t) => {
    const long = `{"type":"user","content":"${'z'.repeat(5000)}"}`;
    const longAssistant = `{"type":"assistant","content":"${'y'.repeat(3000)}"}`;
    const text = `{"a":1}\n${long}\n{"b":2}\n${longAssistant}\n{"c":3}\n`;
    const file = tempFile(t, text);
    const s = sink((head) => !head.includes('user'));
    await read(file, 0, s, 256);
    const short = (text: string) => `${text.slice(0, 20)}… ${text.length}`;
    assert.deepEqual(
      s.seen.lines.map((l) => short(l.text)),
      ['{"a":1}', '{"b":2}', longAssistant, '{"c":3}'].map(short),
    );
    assert.deepEqual(s.seen.skipped, [8], 'the skipped line is reported at its offset, as an object');
    assert.equal(s.seen.asked.length, 2, 'only lines longer than the buffer are asked about');
    assert.equal(s.seen.lines[2]!.offset, 8 + long.length + 1 + 8);
  });

  test(`a skipped long line is told apart from one that is not a whole JSON object, whatever the chunk bounds and line ends${how}`, async (t) => {
    const cut = `{"type":"user","content":"${'z'.repeat(300)}`;
    const whole = `{"type":"user","content":"${'z'.repeat(300)}"}`;
    for (const eol of ['\n', '\r\n']) {
      const text = `${whole}${eol}${cut}${eol}{"a":1}${eol}`;
      const file = tempFile(t, text);
      for (const size of [64, 100, 101, 128, 150, 299]) {
        const s = sink(() => false);
        await read(file, 0, s, size);
        assert.deepEqual(s.seen.skipped, [0, -(whole.length + eol.length)], `buffer of ${size} bytes, ${JSON.stringify(eol)}`);
        assert.deepEqual(s.seen.lines.map((l) => l.text), ['{"a":1}']);
      }
    }
  });

  test(`an unterminated last line is left for the next read, which starts where this one stopped${how}`, async (t) => {
    const file = tempFile(t, '{"a":1}\n{"b":2}\n{"half":');
    for (const size of [4, 64]) {
      const s = sink(() => true);
      const first = await read(file, 0, s, size);
      assert.deepEqual(s.seen.lines.map((l) => l.text), ['{"a":1}', '{"b":2}']);
      assert.equal(first.offset, 16, `buffer of ${size}`);
      fs.appendFileSync(file, ' 3}\n{"d":4}\n');
      const s2 = sink(() => true);
      const second = await read(file, first.offset, s2, size);
      assert.deepEqual(s2.seen.lines, [
        { text: '{"half": 3}', offset: 16 },
        { text: '{"d":4}', offset: 28 },
      ]);
      assert.equal(second.offset, 36);
      fs.writeFileSync(file, '{"a":1}\n{"b":2}\n{"half":');
    }
  });

  test(`an unterminated line longer than the buffer is neither handed over nor skipped until its newline arrives${how}`, async (t) => {
    const file = tempFile(t, `{"a":1}\n{"long":"${'q'.repeat(500)}`);
    const s = sink(() => false);
    const result = await read(file, 0, s, 64);
    assert.deepEqual(s.seen.lines.map((l) => l.text), ['{"a":1}']);
    assert.deepEqual(s.seen.skipped, []);
    assert.equal(result.offset, 8);
  });
}
