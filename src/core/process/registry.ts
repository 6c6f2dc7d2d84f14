import fs from 'node:fs';
import path from 'node:path';
import { readRegularText } from '../regular-file.js';
import type { Activity } from './types.js';

/** What Claude Code's `sessions/<pid>.json` says about a live process (only the fields TCE uses). */
export interface RegistryEntry {
  pid: number;
  sessionId: string | null;
  cwd: string | null;
  /** ms since the epoch. */
  startedAt: number | null;
  procStart: string | null;
  version: string | null;
  kind: string | null;
  /** `cli`, `sdk-cli` (a `-p` run), `sdk-ts`, ... */
  entrypoint: string | null;
  name: string | null;
  activity: Activity | null;
  /** ms since the epoch. */
  activitySince: number | null;
  /** With `waiting`: what for (`permission prompt`, `input needed`, `dialog open`, ...). */
  waitingFor: string | null;
  /** The file it came from. */
  file: string;
}

/** Claude Code records `startedAt` when its JavaScript starts, a little after the kernel started the process. */
const STARTED_AT_SLACK_BEFORE_MS = 2_000;
const STARTED_AT_SLACK_AFTER_MS = 30_000;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Parses one registry file's text; null when it is not a usable entry (half-written, wrong shape). */
export function parseRegistryEntry(text: string, file: string): RegistryEntry | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const pid = num(r.pid);
  if (pid === null || !Number.isInteger(pid) || pid <= 0) return null;
  const status = r.status === 'busy' || r.status === 'idle' || r.status === 'waiting' ? r.status : null;
  const procStart = typeof r.procStart === 'number' ? String(r.procStart) : str(r.procStart);
  return {
    pid,
    sessionId: str(r.sessionId),
    cwd: str(r.cwd),
    startedAt: num(r.startedAt),
    procStart,
    version: str(r.version),
    kind: str(r.kind),
    entrypoint: str(r.entrypoint),
    name: str(r.name),
    activity: status,
    activitySince: status ? (num(r.statusUpdatedAt) ?? num(r.updatedAt)) : null,
    // A waiting session that does not say what for still waits for its user.
    waitingFor: status === 'waiting' ? (str(r.waitingFor) ?? 'input') : null,
    file,
  };
}

/**
 * Every `sessions/<pid>.json` in the given Claude dirs, keyed by pid. Unreadable dirs and malformed files are
 * skipped (a file may be half-written at any moment); when two dirs list one pid, the newest file wins.
 */
export function readRegistry(claudeDirs: string[]): Map<number, RegistryEntry> {
  const byPid = new Map<number, RegistryEntry & { mtime: number }>();
  for (const dir of claudeDirs) {
    const sessions = path.join(dir, 'sessions');
    let names: string[];
    try {
      names = fs.readdirSync(sessions);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/^\d+\.json$/.test(name)) continue;
      const file = path.join(sessions, name);
      // Never a plain read: a FIFO under this name would block the scan (and the tray) forever.
      const read = readRegularText(file);
      if (read.text === null) continue;
      const text = read.text;
      const mtime = read.stat.mtimeMs;
      const entry = parseRegistryEntry(text, file);
      if (!entry || `${entry.pid}.json` !== name) continue;
      const previous = byPid.get(entry.pid);
      if (!previous || previous.mtime < mtime) byPid.set(entry.pid, { ...entry, mtime });
    }
  }
  return new Map([...byPid].map(([pid, { mtime: _mtime, ...entry }]) => [pid, entry]));
}

/**
 * Does the entry describe this very process, not an earlier one with the same PID? Linux: `procStart` equals the
 * live start ticks. Elsewhere (or without procStart): `startedAt` shortly after the process's start time.
 */
export function registryMatches(entry: RegistryEntry, startTicks: string | null, startTimeMs: number): boolean {
  if (entry.procStart !== null && startTicks !== null) return entry.procStart === startTicks;
  if (entry.startedAt === null || !Number.isFinite(startTimeMs)) return false;
  const delta = entry.startedAt - startTimeMs;
  return delta >= -STARTED_AT_SLACK_BEFORE_MS && delta <= STARTED_AT_SLACK_AFTER_MS;
}
