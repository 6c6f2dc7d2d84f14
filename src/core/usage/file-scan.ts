/**
 * Reads what is new in one transcript and returns what it holds, without touching the index: the engine applies
 * results in file order. Opening a file (and checking it against what the index knows) is separate from reading it,
 * so the next file can be opened, and its first chunk read, while the last chunk of this one is looked at.
 */
import { closeSync, readSync } from 'node:fs';
import { bornOf, openRegularFile } from '../regular-file.js';
import { type ReadAhead, readCompleteLines } from './line-reader.js';
import type { CostStateLine } from './cost-state.js';
import { type PromptLine, type UsageLine, classifyLine, isUserLine, timestampOfLine } from './transcript-line.js';

const HEAD_BYTES = 64;
/** Give up looking for a file's first typed prompt after this many lines (sessions that start with commands only). */
const PROMPT_SEARCH_LINES = 200;

/** What the index knows of a file from earlier reads; null for a file never read. */
export interface KnownFile {
  dev: number;
  ino: number;
  /** Birth time in ms when the file system records one: a file recreated at a reused inode has another. */
  born?: number;
  offset: number;
  /** Hex of the file's first bytes when it was first read. */
  head: string;
  lines: number;
  malformed: number;
  promptFound: boolean;
  /** Time of the last dated line read (NaN if none): dates a cost-state line at the start of the next read. */
  lastTs: number;
}

export interface ScanRequest {
  path: string;
  known: KnownFile | null;
}

export interface FileScan {
  /**
   * Another file now has this path (deleted and recreated, or renamed over): it is read as a new file from the start,
   * and the old one keeps what it contributed, like a deleted transcript.
   */
  replaced: boolean;
  /** The same file was truncated or rewritten in place: what it contributed before must be forgotten first. */
  reset: boolean;
  dev: number;
  ino: number;
  /** Birth time in ms, 0 when the file system records none. */
  born: number;
  size: number;
  mtimeMs: number;
  head: string;
  /** Where the next read starts. */
  offset: number;
  /** Totals for the file after this read (from zero after a reset). */
  lines: number;
  malformed: number;
  promptFound: boolean;
  /** Usage lines in file order. */
  usages: UsageLine[];
  /** The file's first human prompt, if this read found it, and how many of `usages` came before it. */
  prompt: { line: PromptLine; after: number } | null;
  /** Claude Code's cost-state lines in file order, each dated by the nearest line with a time before it (NaN: none). */
  costs: Array<{ line: CostStateLine; ts: number }>;
  /** See KnownFile.lastTs. */
  lastTs: number;
}

export interface ScanOptions {
  reader: ReadAhead;
  /** Bytes not seen before, after every chunk. */
  onBytes?: (bytes: number) => void;
  /** Called once the last read of this file is under way (see `readCompleteLines`). */
  onLastRead?: () => void;
  /** See `ReadOptions.pace`. */
  pace?: () => Promise<void> | null;
}

/** A file opened and checked against what the index knows, not read yet; `readScan` reads and closes it. */
export interface OpenScan {
  request: ScanRequest;
  fd: number;
  /** Where the read starts: 0 for a new, replaced or reset file, else the known offset. */
  from: number;
  scan: FileScan;
}

function readHead(fd: number, length: number): string {
  const buf = Buffer.alloc(length);
  const bytesRead = readSync(fd, buf, 0, length, 0);
  return buf.subarray(0, bytesRead).toString('hex');
}

/** How many lines back a cost-state line looks for a timestamp to be dated by. */
const RECENT_LINES = 8;

/**
 * The last few lines since the last dated one (an assistant or prompt line), as positions in the read buffer. A
 * cost-state line carries no time: it is dated by the newest of them that has a timestamp (in Claude Code's files
 * the `system` line ending the turn), looked up only then, so the many lines that never need it cost nothing. Lines
 * of an earlier chunk of the buffer are gone: then the last known time dates it.
 */
class RecentLines {
  private readonly starts = new Int32Array(RECENT_LINES);
  private readonly ends = new Int32Array(RECENT_LINES);
  private count = 0;
  private next = 0;
  private chunk = -1;

  /** @param chunk where the buffer's first byte is in the file (lines of one chunk share it) */
  add(chunk: number, start: number, end: number): void {
    if (chunk !== this.chunk) {
      this.chunk = chunk;
      this.count = 0;
    }
    this.starts[this.next] = start;
    this.ends[this.next] = end;
    this.next = (this.next + 1) % RECENT_LINES;
    this.count = Math.min(this.count + 1, RECENT_LINES);
  }

  clear(): void {
    this.count = 0;
  }

  /** The timestamp of the newest remembered line that has one, or NaN. */
  newestTime(buf: Buffer, chunk: number): number {
    if (chunk !== this.chunk) return NaN;
    for (let k = 1; k <= this.count; k++) {
      const i = (this.next - k + RECENT_LINES) % RECENT_LINES;
      const ts = timestampOfLine(buf, this.starts[i]!, this.ends[i]!);
      if (Number.isFinite(ts)) return ts;
    }
    return NaN;
  }
}

function isSubagentFile(file: string): boolean {
  return /[\\/]subagents[\\/]|agent-[^\\/]*\.jsonl$/.test(file);
}

/** Whether a file seen now is another file than the one known at its path (deleted and recreated, renamed over). */
export function isAnotherFile(known: { dev: number; ino: number; born?: number }, now: { dev: number; ino: number; born: number }): boolean {
  return known.dev !== now.dev || known.ino !== now.ino || (known.born !== undefined && known.born > 0 && now.born > 0 && known.born !== now.born);
}

/**
 * Opens a file and checks it against what the index knows; or says why it was not opened: `problem` to show
 * (unreadable, not a regular file: a FIFO swapped in never blocks the read), or null when it vanished since it was
 * listed (the next refresh looks again).
 */
export function openScan(request: ScanRequest): OpenScan | { problem: string | null } {
  // Synchronous open/fstat like the reads: a thread-pool round trip per file was a tenth of a cold build.
  const opened = openRegularFile(request.path);
  if (opened.fd === null) return { problem: opened.problem };
  const fd = opened.fd;
  try {
    const st = opened.stat;
    const born = bornOf(st);
    const replaced = request.known !== null && isAnotherFile(request.known, { dev: st.dev, ino: st.ino, born });
    const known = replaced ? null : request.known;
    let reset = false;
    if (known) {
      const truncated = st.size < known.offset;
      reset = truncated || (known.head.length > 0 && readHead(fd, known.head.length / 2) !== known.head);
    }
    const fresh = !known || reset;
    const from = fresh ? 0 : known.offset;
    const scan: FileScan = {
      replaced,
      reset,
      dev: st.dev,
      ino: st.ino,
      born,
      size: st.size,
      mtimeMs: st.mtimeMs,
      // Taken again until it is whole: a head of the few bytes a first read saw would miss most rewrites.
      head: !fresh && known.head.length >= HEAD_BYTES * 2 ? known.head : st.size > 0 ? readHead(fd, Math.min(HEAD_BYTES, st.size)) : '',
      offset: from,
      lines: fresh ? 0 : known.lines,
      malformed: fresh ? 0 : known.malformed,
      promptFound: (!fresh && known.promptFound) || isSubagentFile(request.path),
      usages: [],
      prompt: null,
      costs: [],
      lastTs: fresh ? NaN : known.lastTs,
    };
    return { request, fd, from, scan };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads an opened file up to the size it had when opened, and closes it. */
export async function readScan(open: OpenScan, options: ScanOptions): Promise<FileScan> {
  const { request, fd, scan } = open;
  try {
    // A sub-agent's file holds lines of its parent's session; the parent's tally already counts the sub-agent.
    const subagent = isSubagentFile(request.path);
    const recent = new RecentLines();
    const wantPrompt = () => !scan.promptFound && scan.lines <= PROMPT_SEARCH_LINES;
    const result = await readCompleteLines(
      fd,
      open.from,
      {
        line: (buf, start, end, offset) => {
          scan.lines++;
          const k = classifyLine(buf, start, end, wantPrompt(), () => `${request.path}:${offset}`);
          if (k.kind === 'usage') {
            scan.usages.push(k.usage);
            scan.lastTs = k.usage.ts;
            recent.clear();
          } else if (k.kind === 'skip' || k.kind === 'prompt') {
            if (k.kind === 'prompt') {
              scan.promptFound = true;
              scan.prompt = { line: k.prompt, after: scan.usages.length };
            }
            recent.add(offset - start, start, end);
          } else if (k.kind === 'cost') {
            const ts = recent.newestTime(buf, offset - start);
            if (Number.isFinite(ts)) {
              scan.lastTs = ts;
              recent.clear();
            }
            if (!subagent) scan.costs.push({ line: k.cost, ts: scan.lastTs });
          } else scan.malformed++;
        },
        // Lines longer than the read buffer are nearly always tool results on user lines: those are skipped unread.
        wantsWhole: (buf, start, end) => !isUserLine(buf, start, end) || wantPrompt(),
        skipped: (_offset, object) => {
          scan.lines++;
          if (!object) scan.malformed++;
        },
      },
      // Up to the size seen when opened (what `scan.size` records): what is written later is for the next refresh.
      { reader: options.reader, until: scan.size, onChunk: options.onBytes, onLastRead: options.onLastRead, pace: options.pace },
    );
    scan.offset = result.offset;
    return scan;
  } finally {
    await closeScan(open, options.reader);
  }
}

/** Closes an opened file without reading it (once no read of it is in flight). */
export async function closeScan(open: OpenScan, reader: ReadAhead): Promise<void> {
  await reader.settle(open.fd);
  closeSync(open.fd);
}

/** Opens and reads one file; see `openScan` for what comes back when it cannot be read. */
export async function scanFile(request: ScanRequest, options: ScanOptions): Promise<FileScan | { problem: string | null }> {
  const open = openScan(request);
  return 'fd' in open ? readScan(open, options) : open;
}
