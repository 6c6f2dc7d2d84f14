/**
 * Optional files Claude Code sometimes writes beside the transcripts: `usage-data/session-meta/*.json` (from
 * `/insights`) and `stats-cache.json` (from `/stats`). None is ever required; a malformed one becomes a problem
 * message and is otherwise ignored. (The live registry `sessions/<pid>.json` is the process scan's: see
 * process/registry.ts; which session runs in which process comes from there.)
 */
import { lstatSync, readdirSync } from 'node:fs';
import { kindOf, readProblem, readRegularText } from '../regular-file.js';
import path from 'node:path';

export interface SessionMeta {
  firstPrompt: string | null;
  summary: string | null;
  linesAdded: number | null;
  linesRemoved: number | null;
  filesModified: number | null;
  toolCounts: Record<string, number> | null;
}

/** Per day (as the writer's local date) and model: input+output tokens. */
export type StatsCacheDays = Map<string, Map<string, number>>;

export interface ClaudeExtras {
  sessionMeta: Map<string, SessionMeta>;
  statsCache: StatsCacheDays;
  problems: string[];
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

async function listJson(dir: string): Promise<string[]> {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/**
 * Parsed optional files by path, with the size and mtime they were read at: a monitor refreshes every few seconds
 * and users of /insights have hundreds of session-meta files, so only changed files are read again.
 */
export type JsonCache = Map<string, { size: number; mtimeMs: number; value: Record<string, unknown> | null; problem: string | null }>;

async function readJson(file: string, problems: string[], cache?: JsonCache, seen?: JsonCache): Promise<Record<string, unknown> | null> {
  let stat;
  try {
    // lstat: a FIFO or device under that name is skipped (and shown), never opened.
    stat = lstatSync(file);
  } catch (error) {
    const problem = readProblem(file, error);
    if (problem) problems.push(problem);
    return null;
  }
  if (!stat.isFile()) {
    problems.push(`skipped ${file}: ${kindOf(stat)}, not a regular file`);
    return null;
  }
  const hit = cache?.get(file);
  if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) {
    seen?.set(file, hit);
    if (hit.problem) problems.push(hit.problem);
    return hit.value;
  }
  const entry = { size: stat.size, mtimeMs: stat.mtimeMs, value: null as Record<string, unknown> | null, problem: null as string | null };
  const read = readRegularText(file);
  if (read.text === null) {
    if (read.problem === null) return null;
    entry.problem = read.problem;
  } else {
    try {
      const v: unknown = JSON.parse(read.text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
      entry.value = v as Record<string, unknown>;
    } catch (error) {
      entry.problem = `ignored malformed ${file}: ${(error as Error).message}`;
    }
  }
  seen?.set(file, entry);
  if (entry.problem) problems.push(entry.problem);
  return entry.value;
}

function sessionMetaOf(o: Record<string, unknown>): SessionMeta {
  const tools = o.tool_counts;
  let toolCounts: Record<string, number> | null = null;
  if (tools && typeof tools === 'object' && !Array.isArray(tools)) {
    toolCounts = {};
    for (const [k, v] of Object.entries(tools)) if (typeof v === 'number') toolCounts[k] = v;
  }
  return {
    firstPrompt: str(o.first_prompt),
    summary: str(o.summary),
    linesAdded: num(o.lines_added),
    linesRemoved: num(o.lines_removed),
    filesModified: num(o.files_modified),
    toolCounts,
  };
}

function statsCacheInto(o: Record<string, unknown>, days: StatsCacheDays, file: string, problems: string[]): void {
  const list = o.dailyModelTokens;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    problems.push(`ignored ${file}: dailyModelTokens is not a list`);
    return;
  }
  for (const entry of list as Array<Record<string, unknown>>) {
    const date = entry && typeof entry.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.date) ? entry.date : null;
    const byModel = entry?.tokensByModel;
    if (!date || !byModel || typeof byModel !== 'object') continue;
    const day = days.get(date) ?? new Map<string, number>();
    for (const [model, n] of Object.entries(byModel as Record<string, unknown>)) {
      if (typeof n === 'number' && n > 0) day.set(model, Math.max(day.get(model) ?? 0, n));
    }
    if (day.size > 0) days.set(date, day);
  }
}

/** Reads every optional file; with `cache`, files unchanged since the last call are not read again (the cache is updated). */
export async function readClaudeExtras(claudeDirs: string[], cache?: JsonCache): Promise<ClaudeExtras> {
  const extras: ClaudeExtras = { sessionMeta: new Map(), statsCache: new Map(), problems: [] };
  const seen: JsonCache = new Map();
  for (const dir of claudeDirs) {
    for (const file of await listJson(path.join(dir, 'usage-data', 'session-meta'))) {
      const o = await readJson(file, extras.problems, cache, seen);
      const id = o && (str(o.session_id) ?? path.basename(file, '.json'));
      if (o && id) extras.sessionMeta.set(id, sessionMetaOf(o));
    }
    const stats = await readJson(path.join(dir, 'stats-cache.json'), extras.problems, cache, seen);
    if (stats) statsCacheInto(stats, extras.statsCache, path.join(dir, 'stats-cache.json'), extras.problems);
  }
  if (cache) {
    cache.clear();
    for (const [k, v] of seen) cache.set(k, v);
  }
  return extras;
}
