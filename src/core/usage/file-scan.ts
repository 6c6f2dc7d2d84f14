/**
 * Reads what is new in one transcript and returns what it holds, without touching the index: the engine applies
 * results in file order. Opening a file (and checking it against what the index knows) is separate from reading it,
 * so the next file can be opened, and its first chunk read, while the last chunk of this one is looked at.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type ReadAhead, readCompleteLines } from './line-reader.js';
import { type PromptLine, type UsageLine, classifyLine, isUserLine } from './transcript-line.js';

const HEAD_BYTES = 64;
/** Give up looking for a file's first typed prompt after this many lines (sessions that start with commands only). */
const PROMPT_SEARCH_LINES = 200;

/** What the index knows of a file from earlier reads; null for a file never read. */
export interface KnownFile {
  dev: number;
  ino: number;
  offset: number;
  /** Hex of the file's first bytes when it was first read. */
  head: string;
  lines: number;
  malformed: number;
  promptFound: boolean;
}

export interface ScanRequest {
  path: string;
  known: KnownFile | null;
}

export interface FileScan {
  /** The file was replaced, truncated or rewritten in place: what it contributed before must be forgotten first. */
  reset: boolean;
  dev: number;
  ino: number;
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
}

export interface ScanOptions {
  reader: ReadAhead;
  /** Bytes not seen before, after every chunk. */
  onBytes?: (bytes: number) => void;
  /** Called once the last read of this file is under way (see `readCompleteLines`). */
  onLastRead?: () => void;
}

/** A file opened and checked against what the index knows, not read yet; `readScan` reads and closes it. */
export interface OpenScan {
  request: ScanRequest;
  fd: number;
  /** Where the read starts: 0 for a new or reset file, else the known offset. */
  from: number;
  scan: FileScan;
}

function readHead(fd: number, length: number): string {
  const buf = Buffer.alloc(length);
  const bytesRead = readSync(fd, buf, 0, length, 0);
  return buf.subarray(0, bytesRead).toString('hex');
}

function isSubagentFile(file: string): boolean {
  return /[\\/]subagents[\\/]|agent-[^\\/]*\.jsonl$/.test(file);
}

/** Null when the file vanished or cannot be opened since it was listed: the next refresh looks again. */
export function openScan(request: ScanRequest): OpenScan | null {
  // Synchronous open/fstat: a thread-pool round trip per file was a tenth of a cold build.
  let fd: number;
  try {
    fd = openSync(request.path, 'r');
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    const known = request.known;
    let reset = false;
    if (known) {
      const replaced = known.dev !== st.dev || known.ino !== st.ino;
      const truncated = st.size < known.offset;
      reset = replaced || truncated || (known.head.length > 0 && readHead(fd, known.head.length / 2) !== known.head);
    }
    const fresh = !known || reset;
    const from = fresh ? 0 : known.offset;
    const scan: FileScan = {
      reset,
      dev: st.dev,
      ino: st.ino,
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
    const wantPrompt = () => !scan.promptFound && scan.lines <= PROMPT_SEARCH_LINES;
    const result = await readCompleteLines(
      fd,
      open.from,
      {
        line: (buf, start, end, offset) => {
          scan.lines++;
          const k = classifyLine(buf, start, end, wantPrompt(), () => `${request.path}:${offset}`);
          if (k.kind === 'usage') scan.usages.push(k.usage);
          else if (k.kind === 'prompt') {
            scan.promptFound = true;
            scan.prompt = { line: k.prompt, after: scan.usages.length };
          } else if (k.kind === 'malformed') scan.malformed++;
        },
        // Lines longer than the read buffer are nearly always tool results on user lines: those are skipped unread.
        wantsWhole: (buf, start, end) => !isUserLine(buf, start, end) || wantPrompt(),
        skipped: (_offset, object) => {
          scan.lines++;
          if (!object) scan.malformed++;
        },
      },
      // Up to the size seen when opened (what `scan.size` records): what is written later is for the next refresh.
      { reader: options.reader, until: scan.size, onChunk: options.onBytes, onLastRead: options.onLastRead },
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

/** Opens and reads one file; null when it vanished since it was listed. */
export async function scanFile(request: ScanRequest, options: ScanOptions): Promise<FileScan | null> {
  const open = openScan(request);
  return open ? readScan(open, options) : null;
}
