/**
 * Reading files TCE does not own (Claude Code's transcripts and side files) without ever hanging: a FIFO put where a
 * transcript was would block a plain open forever, a device may do something when opened, and a link could point
 * anywhere. The type is checked before opening, the open does not block or follow links, and the opened file is
 * checked again. What is skipped comes back as a problem to show, never silently.
 */
import type { Dirent, Stats } from 'node:fs';

// See private-file.ts.
const fs = process.getBuiltinModule('node:fs');

const { O_RDONLY, O_NONBLOCK = 0, O_NOFOLLOW = 0 } = fs.constants;
/** Opening a FIFO this way returns at once instead of waiting for a writer; regular files read as usual. */
const SAFE_OPEN_FLAGS = O_RDONLY | O_NONBLOCK | O_NOFOLLOW;

/** What kind of thing a non-regular file is, in words. */
export function kindOf(st: Stats | Dirent): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link (not followed)';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The birth time a stat reports, or 0 when the file system keeps none. */
export function bornOf(st: { birthtimeMs: number }): number {
  return st.birthtimeMs > 0 ? st.birthtimeMs : 0;
}

/** Why a file cannot be read, for a problem list; null when it simply does not exist (any more). */
export function readProblem(file: string, error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return null;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read ${file}: permission denied`;
  if (code === 'ELOOP') return `skipped ${file}: a symbolic link (not followed)`;
  return `cannot read ${file}: ${(error as Error).message}`;
}

export type Opened = { fd: number; stat: Stats } | { fd: null; problem: string | null };

/** Opens `file` if it is a regular file; else says why not (problem null: it is gone). The caller closes `fd`. */
export function openRegularFile(file: string): Opened {
  try {
    const before = fs.lstatSync(file);
    if (!before.isFile()) return { fd: null, problem: `skipped ${file}: ${kindOf(before)}, not a regular file` };
  } catch (error) {
    return { fd: null, problem: readProblem(file, error) };
  }
  let fd: number;
  try {
    fd = fs.openSync(file, SAFE_OPEN_FLAGS);
  } catch (error) {
    return { fd: null, problem: readProblem(file, error) };
  }
  // Swapped between the check and the open (a FIFO put in its place): what was opened is what counts.
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    fs.closeSync(fd);
    return { fd: null, problem: `skipped ${file}: ${kindOf(stat)}, not a regular file` };
  }
  return { fd, stat };
}

/** The whole text of a regular file, or why it was skipped (problem null: it is gone). */
export function readRegularText(file: string): { text: string; stat: Stats } | { text: null; problem: string | null } {
  const opened = openRegularFile(file);
  if (opened.fd === null) return { text: null, problem: opened.problem };
  try {
    return { text: fs.readFileSync(opened.fd, 'utf8'), stat: opened.stat };
  } catch (error) {
    return { text: null, problem: readProblem(file, error) };
  } finally {
    fs.closeSync(opened.fd);
  }
}
