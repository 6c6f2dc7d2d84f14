/**
 * Streams the complete lines of a file from an offset, in chunks, without decoding them:
 * callers look at raw bytes first and decode only the few lines they need.
 */
import { readSync } from 'node:fs';

/**
 * Small on purpose: reading page-cached files into a 128 KiB buffer ran at about 10 GB/s here, into 256 KiB or more
 * at under 3 GB/s (the copy no longer stays in the CPU's cache), and a cold read is mostly this copy.
 */
export const READ_BUFFER_BYTES = 128 * 1024;
const YIELD_EVERY_BYTES = 8 * 1024 * 1024;
const NEWLINE = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

export interface LineSink {
  /** Called once per complete line; `end` excludes the newline and a trailing CR. `offset` is the line's byte offset in the file. */
  line(buf: Buffer, start: number, end: number, offset: number): void;
  /**
   * Asked about a line longer than the read buffer, given its first buffer-full: whether the whole line is needed.
   * A line that is not is never copied or joined, and reaches `skipped` instead of `line`.
   */
  wantsWhole(buf: Buffer, start: number, end: number): boolean;
  /** A long line passed over; `object` says whether it starts with `{` and ends with `}` (before a CR), as JSON objects do. */
  skipped(offset: number, object: boolean): void;
}

export interface ReadResult {
  /** Byte offset just after the last complete line: where the next read starts. */
  offset: number;
  /** Bytes of the file from `from` that were looked at, including an incomplete last line. */
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
  /** Called after every chunk with the number of bytes not seen before. */
  onChunk?: (bytes: number) => void;
  /** Where chunks are read into: pass one to reuse it across files (one reader at a time). */
  buffer?: Buffer;
  pacer?: Pacer;
}

/**
 * Reads from `from` to the end of the file, handing `sink` every line that ends in a newline. An unterminated last
 * line (still being written) is left for the next read.
 *
 * Every chunk starts at a line's start: a line cut by the end of the buffer is read again, whole, by the next chunk.
 * Only a line longer than the buffer spans chunks; it is joined from copies if the sink wants it, else skipped.
 */
export async function readCompleteLines(fd: number, from: number, sink: LineSink, options: ReadOptions = {}): Promise<ReadResult> {
  const { onChunk, buffer, pacer = { bytesSinceYield: 0 } } = options;
  // One buffer for every chunk (and, when the caller passes one, every file). Sinks must not keep references into it.
  const chunk = buffer ?? Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const size = chunk.length;
  let position = from;
  /** Start of the first line not yet handed over: where the next read of this file begins. */
  let committed = from;
  let furthest = from;
  /** A line longer than the buffer: the pieces read so far (when wanted), or null when it is being skipped. */
  let long: { pieces: Buffer[] | null; opensObject: boolean; last: number; beforeLast: number } | null = null;
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
    const dataStart = position;
    if (dataStart + n > furthest) {
      onChunk?.(dataStart + n - furthest);
      furthest = dataStart + n;
    }
    const data = n === size ? chunk : chunk.subarray(0, n);
    let nl = data.indexOf(NEWLINE);
    let lineStart = 0;
    if (long) {
      if (nl === -1) {
        long.pieces?.push(Buffer.from(data));
        [long.beforeLast, long.last] = n > 1 ? [data[n - 2]!, data[n - 1]!] : [long.last, data[0]!];
        position += n;
        continue;
      }
      if (long.pieces) {
        const line = Buffer.concat([...long.pieces, data.subarray(0, nl)]);
        sink.line(line, 0, trimCr(line, 0, line.length), committed);
      } else {
        if (nl > 1) [long.beforeLast, long.last] = [data[nl - 2]!, data[nl - 1]!];
        else if (nl === 1) [long.beforeLast, long.last] = [long.last, data[0]!];
        const closing = long.last === CR ? long.beforeLast : long.last;
        sink.skipped(committed, long.opensObject && closing === CLOSE_BRACE);
      }
      long = null;
      lineStart = nl + 1;
      nl = data.indexOf(NEWLINE, lineStart);
    }
    while (nl !== -1) {
      sink.line(data, lineStart, trimCr(data, lineStart, nl), dataStart + lineStart);
      lineStart = nl + 1;
      nl = data.indexOf(NEWLINE, lineStart);
    }
    committed = dataStart + lineStart;
    if (lineStart === n) {
      position = dataStart + n;
    } else if (lineStart > 0) {
      position = committed; // the cut line is read again from its start, whole
    } else if (n < size) {
      break; // an unterminated last line, shorter than the buffer: still being written
    } else {
      long = { pieces: sink.wantsWhole(data, 0, n) ? [Buffer.from(data)] : null, opensObject: data[0] === OPEN_BRACE, last: data[n - 1]!, beforeLast: data[n - 2]! };
      position = dataStart + n;
    }
  }
  return { offset: committed, bytesRead: furthest - from };
}
