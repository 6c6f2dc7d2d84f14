/**
 * Claude Code's own cost tally: the `cost-state` lines 2.1.332 and later write into a session's transcript. Each is
 * the session's running total so far (resumed sessions append to the same file and carry the total on), so the last
 * one of a session is its cost, calls that never reach a transcript (session titles, `/compact` summaries) included.
 * The index keeps one `SessionCostState` per session: the last line's figures and how the tally grew over time.
 */
import { normaliseModel } from './prices.js';

export interface CostStateModel {
  costUSD: number;
  /** Input, output, cache write and cache read tokens. */
  tokens: number;
  webSearch: number;
}

/** One `cost-state` line, checked. */
export interface CostStateLine {
  sessionId: string;
  /** `totalCostUSD`. */
  costUSD: number;
  linesAdded: number | null;
  linesRemoved: number | null;
  /** ms since the epoch the session started (`startTime`), if given. */
  startTime: number | null;
  /** `hasUnknownModelCost`: Claude Code priced a model it did not know at a default rate. */
  unknownModelCost: boolean;
  /** By normalised model id. */
  models: Record<string, CostStateModel>;
}

/** What the index remembers of one session's tally. */
export interface SessionCostState extends Omit<CostStateLine, 'sessionId'> {
  /** Index into `UsageIndex.files` of the transcript the lines came from. */
  file: number;
  /**
   * How the tally grew, oldest first, flat: [ms, total, ms, total, ...]. A point is dated by the nearest line with a
   * timestamp before its `cost-state` line (the lines carry none). Changes within one quarter hour of UTC time keep
   * only the last one: every time zone's offset is a whole number of quarter hours, so days (and 5-hour blocks,
   * which start on the hour) still get exactly what grew in them, and a long session keeps a few points an hour.
   */
  points: number[];
}

/** A dollar figure Claude Code could have written: finite, not negative, under a million. */
function dollars(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e6 ? v : null;
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1e12 ? v : null;
}

/** A parsed line's object as a cost-state line, or null when a field that matters is missing or cannot be true. */
export function costStateOf(o: Record<string, unknown>): CostStateLine | null {
  const sessionId = typeof o.sessionId === 'string' && o.sessionId !== '' ? o.sessionId : null;
  const costUSD = dollars(o.totalCostUSD);
  if (sessionId === null || costUSD === null) return null;
  const models: Record<string, CostStateModel> = {};
  const usage = o.modelUsage;
  if (usage !== undefined && (typeof usage !== 'object' || usage === null || Array.isArray(usage))) return null;
  for (const [raw, value] of Object.entries((usage ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) return null;
    const m = value as Record<string, unknown>;
    const cost = dollars(m.costUSD);
    const parts = [m.inputTokens, m.outputTokens, m.cacheReadInputTokens, m.cacheCreationInputTokens].map((v) => (v === undefined ? 0 : count(v)));
    const webSearch = m.webSearchRequests === undefined ? 0 : count(m.webSearchRequests);
    if (cost === null || webSearch === null || parts.some((p) => p === null)) return null;
    const model = normaliseModel(raw);
    const into = (models[model] ??= { costUSD: 0, tokens: 0, webSearch: 0 });
    into.costUSD += cost;
    into.tokens += (parts as number[]).reduce((a, b) => a + b, 0);
    into.webSearch += webSearch;
  }
  // Within the years usage is accepted in (see transcript-line.ts isUsageTime): it may date a point of the tally.
  const startTime = typeof o.startTime === 'number' && o.startTime >= Date.UTC(2000, 0, 1) && o.startTime < Date.UTC(2200, 0, 1) ? o.startTime : null;
  return {
    sessionId,
    costUSD,
    linesAdded: count(o.totalLinesAdded),
    linesRemoved: count(o.totalLinesRemoved),
    startTime,
    unknownModelCost: o.hasUnknownModelCost === true,
    models,
  };
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/**
 * Folds the next line of a session's tally into its state: a new state when there was none or it came from another
 * file (Claude Code appends a resumed session to its own file, so one session has one). The last line wins, so if a
 * tally ever went down (a restart that did not carry it on) that day gets a negative share and the days still add up
 * to the session's figure. Returns the state when anything changed, else null.
 */
export function foldCostState(state: SessionCostState | undefined, line: CostStateLine, file: number, ts: number): SessionCostState | null {
  const { sessionId: _s, ...figures } = line;
  if (!state || state.file !== file) return { ...figures, file, points: [ts, line.costUSD] };
  const n = state.points.length;
  const lastTs = state.points[n - 2]!;
  const lastCost = state.points[n - 1]!;
  const same = lastCost === line.costUSD && JSON.stringify(figures) === JSON.stringify({ costUSD: state.costUSD, linesAdded: state.linesAdded, linesRemoved: state.linesRemoved, startTime: state.startTime, unknownModelCost: state.unknownModelCost, models: state.models });
  if (same) return null;
  Object.assign(state, figures);
  if (lastCost === line.costUSD) return state;
  if (Math.floor(lastTs / QUARTER_HOUR_MS) === Math.floor(ts / QUARTER_HOUR_MS)) {
    state.points[n - 2] = Math.max(lastTs, ts);
    state.points[n - 1] = line.costUSD;
  } else {
    state.points.push(Math.max(lastTs, ts), line.costUSD);
  }
  return state;
}

/** Whether a value read from disk (index header, journal) is a whole SessionCostState naming one of `files` files. */
export function isSessionCostState(v: unknown, files: number): v is SessionCostState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  const nullableCount = (x: unknown) => x === null || count(x) !== null;
  if (!Number.isInteger(s.file) || (s.file as number) < 0 || (s.file as number) >= files) return false;
  if (dollars(s.costUSD) === null || !nullableCount(s.linesAdded) || !nullableCount(s.linesRemoved) || typeof s.unknownModelCost !== 'boolean') return false;
  if (!(s.startTime === null || (typeof s.startTime === 'number' && Number.isFinite(s.startTime)))) return false;
  if (typeof s.models !== 'object' || s.models === null || Array.isArray(s.models)) return false;
  for (const m of Object.values(s.models as Record<string, unknown>)) {
    if (typeof m !== 'object' || m === null) return false;
    const mm = m as Record<string, unknown>;
    if (dollars(mm.costUSD) === null || count(mm.tokens) === null || count(mm.webSearch) === null) return false;
  }
  const p = s.points;
  if (!Array.isArray(p) || p.length < 2 || p.length % 2 !== 0) return false;
  for (let i = 0; i < p.length; i += 2) {
    if (typeof p[i] !== 'number' || !Number.isFinite(p[i]) || dollars(p[i + 1]) === null) return false;
  }
  return true;
}
