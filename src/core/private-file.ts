/**
 * TCE's data folder is private to the user who runs TCE: the usage index holds each session's first prompt, copied
 * from transcripts Claude Code writes 0600, and the dashboard's state file holds the secret that controls it. The one
 * home for how TCE writes there: folder 0700, files 0600, whole files replaced atomically.
 */
// Synchronous calls and no node:crypto, like the index code that uses this: see usage-index.ts.
import type { Stats } from 'node:fs';
import path from 'node:path';
import { pidExists } from './system/probe.js';

// node:fs taken from the module itself: its ES module face loads fs/promises, streams and readline, ~3 ms of every
// `tce` run (a `tce usage` with nothing to read takes ~15 ms beside Node's start).
const fs = process.getBuiltinModule('node:fs');

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A temporary file left by a write: `<name>.<pid>[.<more>].tmp`. */
const TEMP_NAME = /\.(\d+)(?:\.[0-9a-z]+)*\.tmp$/;
/** No write takes this long: an older temporary file is left over even if its PID runs again (reused). */
const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

const posix = process.platform !== 'win32';
const myUid = typeof process.getuid === 'function' ? process.getuid() : null;

/** Drops group and other bits from something we own; never follows a link inside the folder. */
function tighten(file: string, st: Stats, mode: number): void {
  if (!posix || (myUid !== null && st.uid !== myUid) || (st.mode & 0o777 & ~mode) === 0) return;
  try {
    fs.chmodSync(file, mode);
  } catch {
    // A file we cannot change stays as it is; the next start tries again.
  }
}

/**
 * Removes temporary files that a write which never finished (a crash, a kill -9) left in `dir`: those whose writer is
 * gone, and any over an hour old. A write still running in another TCE process keeps its file.
 */
export function removeLeftoverTemps(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    try {
      const st = fs.lstatSync(file);
      if (!st.isFile()) continue;
      const pid = Number(m[1]);
      const writerGone = pid === process.pid || !pidExists(pid);
      if (!writerGone && now - st.mtimeMs < TEMP_MAX_AGE_MS) continue;
      fs.rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}

/** Creates `dir` (0700) if missing, and makes an existing one 0700 if it is ours (older versions left it 0755). */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode passes through the umask, and a folder an older TCE made kept its 0755.
  tighten(dir, fs.statSync(dir), PRIVATE_DIR_MODE);
}

const secured = new Set<string>();

/**
 * Fixes what older versions left: the folder 0700, every file directly in it 0600, and temporary files of writes that
 * never finished removed. Once per folder and process; a folder that does not exist yet is left to the first write.
 */
export function securePrivateDir(dir: string): void {
  const key = path.resolve(dir);
  if (secured.has(key)) return;
  let st: Stats;
  try {
    st = fs.statSync(key);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  secured.add(key);
  tighten(key, st, PRIVATE_DIR_MODE);
  removeLeftoverTemps(key);
  let names: string[];
  try {
    names = fs.readdirSync(key);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(key, name);
    try {
      const f = fs.lstatSync(file);
      if (f.isFile()) tighten(file, f, PRIVATE_FILE_MODE);
    } catch {
      // gone meanwhile
    }
  }
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let at = 0;
  while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
}

/**
 * A new 0600 temporary file beside `file`, created exclusively (so never through a link someone planted), in a
 * private folder: what every whole-file write fills, syncs and renames over `file`.
 */
function openPrivateTemp(file: string): { tmp: string; fd: number } {
  const dir = path.dirname(file);
  ensurePrivateDir(dir);
  securePrivateDir(dir);
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    // The umask may have taken bits away from the mode above; set it exactly.
    if (posix) fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    discardTemp(tmp, fd);
    throw error;
  }
  return { tmp, fd };
}

function discardTemp(tmp: string, fd: number | null): void {
  if (fd !== null) fs.closeSync(fd);
  fs.rmSync(tmp, { force: true });
}

/**
 * Replaces `file` with `data`, atomically: a private temporary file beside it, written and synced, then renamed over
 * it. Readers see the old file or the new one, whole.
 */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const { tmp, fd } = openPrivateTemp(file);
  try {
    writeAll(fd, data);
    fs.fsyncSync(fd);
  } catch (error) {
    discardTemp(tmp, fd);
    throw error;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    discardTemp(tmp, null);
    throw error;
  }
}

/** Parts handed to one writev: below every system's IOV_MAX (1024 on Linux and macOS). */
const WRITEV_PARTS = 512;

/** `fs` calls on libuv's thread pool, through their callback forms (node:fs/promises costs a few MB to load). */
function onPool<T>(call: (done: (error: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => call((error, value) => (error ? reject(error) : resolve(value as T))));
}

/**
 * `writePrivateFile` of the parts of a file, in order, with the writes, the sync and the rename on the thread pool: a
 * running app goes on meanwhile. The same guarantees: exclusive 0600 temporary file, synced, renamed over.
 */
export async function writePrivateFileAsync(file: string, parts: readonly Uint8Array[]): Promise<void> {
  const { tmp, fd } = openPrivateTemp(file);
  try {
    // In batches (writev takes at most IOV_MAX parts), each written whole (a short write leaves the rest for the next).
    let left = parts.filter((p) => p.length > 0);
    while (left.length > 0) {
      const batch = left.slice(0, WRITEV_PARTS);
      let written = await onPool<number>((done) => fs.writev(fd, batch, null, done));
      let k = 0;
      while (k < batch.length && written >= batch[k]!.length) written -= batch[k++]!.length;
      left = k < batch.length ? [batch[k]!.subarray(written), ...batch.slice(k + 1), ...left.slice(batch.length)] : left.slice(batch.length);
    }
    await onPool<void>((done) => fs.fsync(fd, done));
  } catch (error) {
    discardTemp(tmp, fd);
    throw error;
  }
  fs.closeSync(fd);
  try {
    await onPool<void>((done) => fs.rename(tmp, file, done));
  } catch (error) {
    discardTemp(tmp, null);
    throw error;
  }
}

/** Appends `text` to `file`, creating it 0600 (and making a looser one left by an older version 0600). */
export function appendPrivateFile(file: string, text: string): void {
  const dir = path.dirname(file);
  ensurePrivateDir(dir);
  securePrivateDir(dir);
  const fd = fs.openSync(file, 'a', PRIVATE_FILE_MODE);
  try {
    if (posix) {
      const st = fs.fstatSync(fd);
      if ((st.mode & 0o077) !== 0 && (myUid === null || st.uid === myUid)) fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    }
    writeAll(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}
