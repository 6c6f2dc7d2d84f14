/**
 * What `tce statusline` learns of each session, kept in TCE's data folder (`statusline/<sessionId>.json`, one small
 * file per session so concurrent sessions never write the same file): Claude Code's cost of the session, the context
 * window and the plan windows, with the time it saw them. Written atomically (a temp file renamed over) and privately
 * (files 0600 in a 0700 folder). Kept a little longer than the longest plan window (a week).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../private-file.js';
import type { PlanWindowReading, StatuslineInput } from './input.js';

export const STATUSLINE_DIR = 'statusline';
const RECORD_VERSION = 1;
const KEEP_MS = 8 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 24 * 3_600_000;
const PRUNE_MARK = '.pruned';

export interface StatuslineRecord {
  sessionId: string;
  /** ms since the epoch the statusline ran with this. */
  observedAt: number;
  sessionName: string | null;
  cwd: string | null;
  projectDir: string | null;
  modelId: string | null;
  modelName: string | null;
  claudeCodeVersion: string | null;
  /** Claude Code's cost of the session so far. */
  costUSD: number | null;
  linesAdded: number | null;
  linesRemoved: number | null;
  contextUsedPercentage: number | null;
  contextWindowSize: number | null;
  rateLimits: Record<string, PlanWindowReading>;
  /**
   * The local day of this record and the session's cost when that day began for it: what it spent today is
   * costUSD - startCostUSD. Null when the day's start is not known.
   */
  day: { date: string; startCostUSD: number } | null;
}

/** YYYY-MM-DD of a time in the local zone (no Intl: its first use costs tens of ms of a statusline's start). */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function localMidnight(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** A session id usable as a file name, or null (nothing is recorded for it). */
export function recordName(sessionId: string): string | null {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(sessionId) ? `${sessionId}.json` : null;
}

/**
 * The record for this statusline run.
 * @param previous the session's last record, if any
 */
export function recordOf(input: StatuslineInput & { sessionId: string }, previous: StatuslineRecord | null, now: number): StatuslineRecord {
  const sessionAgeMs = input.durationMs;
  const today = localDate(now);
  let day: StatuslineRecord['day'] = null;
  if (input.costUSD !== null) {
    if (previous?.day?.date === today) day = previous.day;
    else if (previous && previous.costUSD !== null) day = { date: today, startCostUSD: previous.costUSD };
    // First seen today: all of its cost is today's if it started today; else only what comes from now on is known.
    else if (sessionAgeMs !== null && now - sessionAgeMs >= localMidnight(now)) day = { date: today, startCostUSD: 0 };
    else day = { date: today, startCostUSD: input.costUSD };
    if (day.startCostUSD > input.costUSD) day = { date: today, startCostUSD: 0 };
  }
  return {
    sessionId: input.sessionId,
    observedAt: now,
    sessionName: input.sessionName,
    cwd: input.cwd,
    projectDir: input.projectDir,
    modelId: input.modelId,
    modelName: input.modelName,
    claudeCodeVersion: input.claudeCodeVersion,
    costUSD: input.costUSD,
    linesAdded: input.linesAdded,
    linesRemoved: input.linesRemoved,
    contextUsedPercentage: input.contextUsedPercentage,
    contextWindowSize: input.contextWindowSize,
    rateLimits: input.rateLimits,
    day,
  };
}

function isRecord(v: unknown): v is StatuslineRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const numOrNull = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
  const strOrNull = (x: unknown) => x === null || typeof x === 'string';
  const limits = r.rateLimits;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) return false;
  for (const w of Object.values(limits as Record<string, unknown>)) {
    const ww = w as Record<string, unknown> | null;
    if (!ww || typeof ww.usedPercentage !== 'number' || !Number.isFinite(ww.usedPercentage) || typeof ww.resetsAt !== 'number' || !Number.isFinite(ww.resetsAt)) return false;
  }
  const day = r.day as Record<string, unknown> | null;
  return (
    typeof r.sessionId === 'string' &&
    typeof r.observedAt === 'number' &&
    Number.isFinite(r.observedAt) &&
    ['sessionName', 'cwd', 'projectDir', 'modelId', 'modelName', 'claudeCodeVersion'].every((k) => strOrNull(r[k])) &&
    ['costUSD', 'linesAdded', 'linesRemoved', 'contextUsedPercentage', 'contextWindowSize'].every((k) => numOrNull(r[k])) &&
    (day === null || (typeof day === 'object' && typeof day.date === 'string' && typeof day.startCostUSD === 'number'))
  );
}

/** A record file's contents, or null when it is missing, unreadable or not a record. */
function readFile(file: string): StatuslineRecord | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown; record?: unknown };
    return o.version === RECORD_VERSION && isRecord(o.record) ? o.record : null;
  } catch {
    return null;
  }
}

export function readRecord(dataDir: string, sessionId: string): StatuslineRecord | null {
  const name = recordName(sessionId);
  return name ? readFile(path.join(dataDir, STATUSLINE_DIR, name)) : null;
}

/** Every record in the data folder, newest first. */
export function readRecords(dataDir: string): StatuslineRecord[] {
  const dir = path.join(dataDir, STATUSLINE_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: StatuslineRecord[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const r = readFile(path.join(dir, name));
    if (r && recordName(r.sessionId) === name) out.push(r);
  }
  return out.sort((a, b) => b.observedAt - a.observedAt);
}

/** Writes a session's record atomically and privately; now and then drops records older than a week. */
export function writeRecord(dataDir: string, record: StatuslineRecord): void {
  const name = recordName(record.sessionId);
  if (!name) return;
  const dir = path.join(dataDir, STATUSLINE_DIR);
  writePrivateFile(path.join(dir, name), JSON.stringify({ version: RECORD_VERSION, record }));
  pruneNowAndThen(dir, record.observedAt);
}

function pruneNowAndThen(dir: string, now: number): void {
  const mark = path.join(dir, PRUNE_MARK);
  try {
    if (now - fs.statSync(mark).mtimeMs < PRUNE_EVERY_MS) return;
  } catch {
    // never pruned
  }
  writePrivateFile(mark, '');
  fs.utimesSync(mark, new Date(now), new Date(now));
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > KEEP_MS) fs.rmSync(file, { force: true });
    } catch {
      // gone meanwhile
    }
  }
}
