/**
 * Streams the complete lines of a file from an offset, in chunks, without decoding them:
 * callers look at raw bytes first and decode only the few lines they need.
 */
import { readSync } from 'node:fs';

export const READ_BUFFER_BYTES = 4 * 1024 * 1024;
const YIELD_EVERY_BYTES = 8 * 1024 * 1024;
const NEWLINE = 0x0a;
const CR = 0x0d;

/** Called once per complete line; `end` excludes the newline and a trailing CR. `offset` is the line's byte offset in the file. */
export type LineVisitor = (buf: Buffer, start: number, end: number, offset: number) => void;

export interface ReadResult {
  /** Byte offset just after the last complete line: where the next read starts. */
  offset: number;
  /** Bytes read past `offset`, including an incomplete last line. */
  bytesRead: number;
}

function trimCr(buf: Buffer, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

/** Counts bytes read since the event loop last had a turn; share one across the files of a refresh. */
export interface Pacer {
  bytesSinceYield: number;
}

export interface ReadOptions {
  /** Called after every chunk with its size. */
  onChunk?: (bytes: number) => void;
  /** Where chunks are read into: pass one to reuse it across files (one reader at a time). */
  buffer?: Buffer;
  pacer?: Pacer;
}

/**
 * Reads from `from` to the end of the file, calling `visit` for every line that ends in a newline.
 * An unterminated last line (still being written) is left for the next read.
 */
export async function readCompleteLines(fd: number, from: number, visit: LineVisitor, options: ReadOptions = {}): Promise<ReadResult> {
  const { onChunk, buffer, pacer = { bytesSinceYield: 0 } } = options;
  let position = from;
  let committed = from;
  // Pieces of a line that spans chunks; joined once its newline arrives.
  let carry: Buffer[] = [];
  let carryStart = from;
  let bytesRead = 0;
  // One buffer for every chunk (and, when the caller passes one, every file): fresh buffers per chunk or file kept
  // the garbage collector busier than the parsing and raised peak memory. Visitors must not keep references into
  // it; pieces carried over to the next chunk are copied.
  const chunk = buffer ?? Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const size = chunk.length;
  for (;;) {
    // Synchronous reads of page-cached data cost a fraction of a thread-pool round trip each; the event loop still
    // gets a turn every few megabytes (counted across files), so a cold build of hundreds of MB never freezes the
    // app or the server.
    if (pacer.bytesSinceYield >= YIELD_EVERY_BYTES) {
      pacer.bytesSinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const n = readSync(fd, chunk, 0, size, position);
    pacer.bytesSinceYield += n;
    if (n === 0) break;
    const data = chunk.subarray(0, n);
    const dataStart = position;
    position += n;
    bytesRead += n;
    onChunk?.(n);
    let nl = data.indexOf(NEWLINE);
    if (nl === -1) {
      if (carry.length === 0) carryStart = dataStart;
      carry.push(Buffer.from(data));
      continue;
    }
    let lineStart = 0;
    if (carry.length > 0) {
      const line = Buffer.concat([...carry, data.subarray(0, nl)]);
      visit(line, 0, trimCr(line, 0, line.length), carryStart);
      carry = [];
      lineStart = nl + 1;
      nl = data.indexOf(NEWLINE, lineStart);
    }
    while (nl !== -1) {
      visit(data, lineStart, trimCr(data, lineStart, nl), dataStart + lineStart);
      lineStart = nl + 1;
      nl = data.indexOf(NEWLINE, lineStart);
    }
    committed = dataStart + lineStart;
    if (lineStart < n) {
      carry.push(Buffer.from(data.subarray(lineStart)));
      carryStart = committed;
    }
  }
  return { offset: committed, bytesRead };
}
