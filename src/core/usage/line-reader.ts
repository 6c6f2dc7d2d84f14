/**
 * Streams the complete lines of a file from an offset, in chunks, without decoding them:
 * callers look at raw bytes first and decode only the few lines they need.
 */
import { read, readSync } from 'node:fs';

/**
 * Inside the app, chunks are read on libuv's thread pool, one read ahead of the lines being looked at, so a read that
 * waits for the disk never holds the event loop. 256 KiB chunks: each is one trip through the event loop, and 1,300
 * trips cost the main thread ~4 ms, where 128 KiB chunks (2,560 trips) cost as much as the copies they hid.
 * A command that has nothing else to do reads synchronously: on the 320 MB bench corpus (page cache warm, 2 cores)
 * the main thread waited 100 ms in all for chunks read ahead, where reading them itself took 50 ms.
 */
export const READ_BUFFER_BYTES = 256 * 1024;
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

interface Chunk {
  buf: Buffer;
  bytes: number;
}

/**
 * Two buffers and at most one read in flight: the chunk being looked at sits in one, the next chunk (of the same
 * file, or the first of the next file: see `prefetch`) is read into the other meanwhile. One reader serves one
 * sequence of reads at a time; a chunk handed out stays valid until the next `read`.
 */
export class ReadAhead {
  private readonly buffers: [Buffer, Buffer];
  /** Index of the buffer the consumer holds. */
  private held = 0;
  private ahead: { fd: number; position: number; done: Promise<Chunk> } | null = null;

  /** @param sync read each chunk when it is asked for, on this thread (see READ_BUFFER_BYTES) */
  constructor(
    readonly chunkBytes = READ_BUFFER_BYTES,
    readonly sync = false,
  ) {
    this.buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  }

  /** Starts reading the chunk at `position` of `fd` into the free buffer (ignored while another read is in flight). */
  prefetch(fd: number, position: number): void {
    if (this.ahead) return;
    if (this.sync) return;
    const buf = this.buffers[1 - this.held]!;
    const done = new Promise<Chunk>((resolve, reject) => {
      read(fd, buf, 0, buf.length, position, (error, bytes) => (error ? reject(error) : resolve({ buf, bytes })));
    });
    // A prefetch nobody asks for (the file was dropped) must not become an unhandled rejection.
    done.catch(() => undefined);
    this.ahead = { fd, position, done };
  }

  /** The chunk at `position` of `fd`: the one read ahead if it is that one, else read now. */
  async read(fd: number, position: number): Promise<Chunk> {
    if (this.sync) {
      this.held = 1 - this.held;
      const buf = this.buffers[this.held]!;
      return { buf, bytes: readSync(fd, buf, 0, buf.length, position) };
    }
    if (this.ahead && (this.ahead.fd !== fd || this.ahead.position !== position)) await this.settle(this.ahead.fd);
    if (!this.ahead) this.prefetch(fd, position);
    const ahead = this.ahead!;
    this.ahead = null;
    this.held = 1 - this.held;
    return ahead.done;
  }

  /** Waits until no read of `fd` is in flight, so it can be closed. */
  async settle(fd: number): Promise<void> {
    const ahead = this.ahead;
    if (!ahead || ahead.fd !== fd) return;
    this.ahead = null;
    await ahead.done.catch(() => undefined);
  }
}

export interface ReadOptions {
  reader: ReadAhead;
  /** Reads stop once they reach this offset (the size the caller saw); what is written later is for the next read. */
  until?: number;
  /** Called after every chunk with the number of bytes not seen before. */
  onChunk?: (bytes: number) => void;
  /** Called once the last read of this file is under way: the moment to `prefetch` the next file's first chunk. */
  onLastRead?: () => void;
  /** Asked before each chunk is looked at: a turn of the event loop to wait for first, or null (see pacer.ts). */
  pace?: () => Promise<void> | null;
}

/**
 * Reads from `from` to the end of the file, handing `sink` every line that ends in a newline. An unterminated last
 * line (still being written) is left for the next read.
 *
 * Every chunk starts at a line's start: a line cut by the end of the buffer is read again, whole, by the next chunk.
 * Only a line longer than the buffer spans chunks; it is joined from copies if the sink wants it, else skipped.
 * The next chunk's start is known as soon as a chunk arrives (after its last newline), so it is read meanwhile.
 */
export async function readCompleteLines(fd: number, from: number, sink: LineSink, options: ReadOptions): Promise<ReadResult> {
  const { reader, until = Infinity, onChunk, onLastRead, pace } = options;
  const size = reader.chunkBytes;
  let position = from;
  /** Start of the first line not yet handed over: where the next read of this file begins. */
  let committed = from;
  let furthest = from;
  /** A line longer than the buffer: the pieces read so far (when wanted), or null when it is being skipped. */
  let long: { pieces: Buffer[] | null; opensObject: boolean; last: number; beforeLast: number } | null = null;
  let pending = position < until ? reader.read(fd, position) : null;
  if (!pending) onLastRead?.();
  while (pending) {
    // Chunks read ahead are mostly there already: without a turn asked for, the loop would not give one.
    const turn = pace?.();
    if (turn) await turn;
    const { buf: chunk, bytes: n } = await pending;
    pending = null;
    if (n === 0) {
      onLastRead?.();
      break;
    }
    const dataStart = position;
    if (dataStart + n > furthest) {
      onChunk?.(dataStart + n - furthest);
      furthest = dataStart + n;
    }
    const data = n === size ? chunk : chunk.subarray(0, n);
    // Where the next chunk starts (after the last newline; further on inside a line longer than the buffer), and
    // whether there is one: a short read ended at the end of the file.
    const lastNewline = data.lastIndexOf(NEWLINE);
    const next = dataStart + (lastNewline === -1 ? n : lastNewline + 1);
    const more = n === size && next < until;
    if (more) reader.prefetch(fd, next);
    else onLastRead?.();

    let nl = data.indexOf(NEWLINE);
    let lineStart = 0;
    if (long) {
      if (nl === -1) {
        long.pieces?.push(Buffer.from(data));
        [long.beforeLast, long.last] = n > 1 ? [data[n - 2]!, data[n - 1]!] : [long.last, data[0]!];
        position = next;
        if (more) pending = reader.read(fd, next);
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
    // No newline in a whole buffer-full: a line longer than the buffer starts here. (Without one in a short read, it is
    // an unterminated last line, still being written: left for the next read.)
    if (lineStart === 0 && n === size) {
      long = { pieces: sink.wantsWhole(data, 0, n) ? [Buffer.from(data)] : null, opensObject: data[0] === OPEN_BRACE, last: data[n - 1]!, beforeLast: data[n - 2]! };
    }
    // The next chunk starts after the last line handed over (a cut line is read again, whole), or inside a long line.
    position = next;
    if (more) pending = reader.read(fd, next);
  }
  return { offset: committed, bytesRead: furthest - from };
}
