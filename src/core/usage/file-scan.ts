/**
 * Reads what is new in one transcript and returns what it holds, without touching the index: the same code runs on
 * the engine's thread and in the scan worker, and the engine applies results in file order either way.
 */
import { closeSync, readSync } from 'node:fs';
import { openRegularFile } from '../regular-file.js';
import { type Pacer, readCompleteLines } from './line-reader.js';
import { type PromptLine, type UsageLine, classifyLine, isUserLine } from './transcript-line.js';

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
}

export interface ScanOptions {
  buffer: Buffer;
  pacer?: Pacer;
  /** Bytes not seen before, after every chunk. */
  onBytes?: (bytes: number) => void;
}

function readHead(fd: number, length: number): string {
  const buf = Buffer.alloc(length);
  const bytesRead = readSync(fd, buf, 0, length, 0);
  return buf.subarray(0, bytesRead).toString('hex');
}

function isSubagentFile(file: string): boolean {
  return /[\\/]subagents[\\/]|agent-[^\\/]*\.jsonl$/.test(file);
}

/** The birth time a stat reports, or 0 when the file system keeps none. */
export function bornOf(st: { birthtimeMs: number }): number {
  return st.birthtimeMs > 0 ? st.birthtimeMs : 0;
}

/** Whether a file seen now is another file than the one known at its path (deleted and recreated, renamed over). */
export function isAnotherFile(known: { dev: number; ino: number; born?: number }, now: { dev: number; ino: number; born: number }): boolean {
  return known.dev !== now.dev || known.ino !== now.ino || (known.born !== undefined && known.born > 0 && now.born > 0 && known.born !== now.born);
}

/**
 * What the file holds beyond what is known, or why it was not read: `problem` to show (unreadable, not a regular file:
 * a FIFO swapped in never blocks the read), or null when it vanished since it was listed (the next refresh looks again).
 */
export async function scanFile(request: ScanRequest, options: ScanOptions): Promise<FileScan | { problem: string | null }> {
  // Synchronous open/fstat/close like the reads: a thread-pool round trip per file was a tenth of a cold build.
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
    };
    const wantPrompt = () => !scan.promptFound && scan.lines <= PROMPT_SEARCH_LINES;
    const result = await readCompleteLines(
      fd,
      from,
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
      { buffer: options.buffer, pacer: options.pacer, onChunk: options.onBytes },
    );
    // The size and mtime seen before reading: if the file grew meanwhile, the next refresh looks again.
    scan.offset = result.offset;
    return scan;
  } finally {
    closeSync(fd);
  }
}
