/**
 * Builds the `UsageReport` (totals, models, days, projects, hours, weeks) from deduplicated records, with Claude
 * Code's own figure beside the transcript-based one on days, projects and the total.
 */
import type { StatsCacheDays } from './claude-extras.js';
import { ClaudeCodeSum, forEachDelta } from './claude-code-cost.js';
import type { SessionCostState } from './cost-state.js';
import { type Steps, runSteps } from './pacer.js';
import type { RecordRows } from './record-rows.js';
import { ZonedCalendar, weekStart } from './time-zone.js';
import { byCostThenTokens, emptyTotals, roundCost } from './totals.js';
import type { DailyUsage, ModelUsage, ProjectUsage, TokenTotals, UsageDiagnostics, UsageReport } from './types.js';

export interface ReportInput {
  rows: RecordRows;
  timeZone: string;
  /** Inclusive YYYY-MM-DD bounds in `timeZone`. */
  since?: string;
  until?: string;
  statsCache: StatsCacheDays;
  projectPaths: ReadonlyMap<string, string>;
  /** Claude Code's tallies by session id, and the project of the file each came from. */
  costStates: ReadonlyMap<string, SessionCostState>;
  projectOfFile: (file: number) => string;
  diagnostics: Omit<UsageDiagnostics, 'unpricedModels' | 'statsCacheDays'>;
  /** Fingerprint of the price table the rows' costs come from. */
  prices: string;
  now?: Date;
}

function modelRow(map: Map<string, ModelUsage>, model: string): ModelUsage {
  let row = map.get(model);
  if (!row) {
    row = { model, ...emptyTotals(), unpriced: false };
    map.set(model, row);
  }
  return row;
}

interface Day {
  id: number;
  totals: TokenTotals;
  models: Map<string, ModelUsage>;
  week: TokenTotals;
  cc: ClaudeCodeSum;
}

interface Project {
  usage: Omit<ProjectUsage, 'claudeCode'>;
  cc: ClaudeCodeSum;
  sessions: Set<string>;
}

/** Rows added up between two steps of `reportSteps`. */
const ROWS_PER_STEP = 512;
/** Claude Code's tallies looked at between two steps. */
const TALLIES_PER_STEP = 32;

export function buildReport(input: ReportInput): UsageReport {
  return runSteps(reportSteps(input));
}

/** `buildReport` in steps (see pacer.ts): over years of history the sums take tens of milliseconds. */
export function* reportSteps(input: ReportInput): Steps<UsageReport> {
  const calendar = ZonedCalendar.of(input.timeZone);
  const totals = emptyTotals();
  const models = new Map<string, ModelUsage>();
  const days = new Map<string, Day>();
  const projects = new Map<string, Project>();
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, ...emptyTotals() }));
  const weeks = new Map<string, TokenTotals>();
  const unpriced = new Set<string>();

  const rows = input.rows;
  const strings = rows.strings;
  const dayOf = (date: string): Day => {
    let d = days.get(date);
    if (!d) {
      const week = weekStart(date);
      let w = weeks.get(week);
      if (!w) {
        w = emptyTotals();
        weeks.set(week, w);
      }
      d = { id: days.size, totals: emptyTotals(), models: new Map(), week: w, cc: new ClaudeCodeSum() };
      days.set(date, d);
    }
    return d;
  };
  const projectOf = (name: string): Project => {
    let p = projects.get(name);
    if (!p) {
      p = { usage: { project: name, path: input.projectPaths.get(name) ?? null, ...emptyTotals() }, cc: new ClaudeCodeSum(), sessions: new Set() };
      projects.set(name, p);
    }
    return p;
  };
  // Claude Code's figure: each session of a day, a project and the range counted once, with its tally or without.
  const totalCc = new ClaudeCodeSum();
  const sessionsInRange = new Set<string>();
  const sessionDays = new Set<string>();
  const countSession = (session: string, d: Day, p: Project, state: SessionCostState | undefined): void => {
    const key = `${d.id}\0${session}`;
    if (sessionDays.has(key)) return;
    sessionDays.add(key);
    d.cc.countSession(state);
    if (!p.sessions.has(session)) {
      p.sessions.add(session);
      p.cc.countSession(state);
    }
    if (!sessionsInRange.has(session)) {
      sessionsInRange.add(session);
      totalCc.countSession(state);
    }
  };

  // Per model, project and session id (small integers): arrays instead of lookups by name on every row.
  const modelById: Array<ModelUsage | undefined> = [];
  const projectById: Array<Project | undefined> = [];
  const stateById: Array<SessionCostState | null | undefined> = [];
  /** The id of the day a session's rows were last on: rows come oldest first, so a session meets each day once. */
  const lastDayOfSession: Array<number | undefined> = [];
  /**
   * A session's tally covers its responses up to each point: per point, what the transcripts of the responses since
   * the previous point cost, and for each session the first point not before the row at hand (rows come oldest first).
   */
  const coveredCost = new Map<string, Float64Array>();
  const pointOf: number[] = [];
  let lastDate = '';
  let day: Day | undefined;
  for (let k = 0; k < rows.count; k++) {
    if (k % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    rows.at(k);
    let state = stateById[rows.sessionId];
    if (state === undefined) {
      state = input.costStates.get(strings[rows.sessionId]!) ?? null;
      stateById[rows.sessionId] = state;
    }
    const local = calendar.at(rows.ts);
    const inRange = !((input.since && local.date < input.since) || (input.until && local.date > input.until));
    if (!inRange && state === null) continue;
    const c = rows.cost();
    // Whether the session's tally has counted this response yet (a point at or after it), and at which point.
    let point = -1;
    if (state !== null) {
      const points = state.points;
      let at = pointOf[rows.sessionId] ?? 0;
      while (2 * at < points.length && points[2 * at]! < rows.ts) at++;
      pointOf[rows.sessionId] = at;
      if (2 * at < points.length) point = at;
      if (point !== -1 && c !== null) {
        let costs = coveredCost.get(strings[rows.sessionId]!);
        if (!costs) coveredCost.set(strings[rows.sessionId]!, (costs = new Float64Array(points.length / 2)));
        costs[point] = costs[point]! + c;
      }
    }
    if (!inRange) continue;
    if (c === null) unpriced.add(rows.model);
    rows.addTo(totals, c);
    const m = (modelById[rows.modelId] ??= modelRow(models, rows.model));
    rows.addTo(m, c);
    if (c === null) m.unpriced = true;
    if (!day || local.date !== lastDate) {
      lastDate = local.date;
      day = dayOf(local.date);
    }
    rows.addTo(day.totals, c);
    const dm = modelRow(day.models, rows.model);
    rows.addTo(dm, c);
    if (c === null) dm.unpriced = true;
    const p = (projectById[rows.projectId] ??= projectOf(strings[rows.projectId]!));
    rows.addTo(p.usage, c);
    rows.addTo(hours[local.hour]!, c);
    rows.addTo(day.week, c);
    if (lastDayOfSession[rows.sessionId] !== day.id) {
      lastDayOfSession[rows.sessionId] = day.id;
      countSession(strings[rows.sessionId]!, day, p, state ?? undefined);
    }
    if (state !== null && c !== null) {
      day.cc.transcriptCostUSD += c;
      p.cc.transcriptCostUSD += c;
      totalCc.transcriptCostUSD += c;
      // Claude Code's figure for a day holds the responses its tally has counted on that day ...
      if (point !== -1) {
        day.cc.costUSD += c;
        p.cc.costUSD += c;
        totalCc.costUSD += c;
      }
    }
  }
  // ... and, on the day of each point, what the tally grew by beyond those responses' cost: the calls no transcript
  // shows (session titles, /compact), made in that stretch of the session. So the days of a session add up to its
  // tally, and a turn that runs past midnight does not move its cost from one day to the next.
  let tallies = 0;
  for (const [session, state] of input.costStates) {
    if (++tallies % TALLIES_PER_STEP === TALLIES_PER_STEP - 1) yield;
    const p = projectOf(input.projectOfFile(state.file));
    const costs = coveredCost.get(session);
    let i = 0;
    forEachDelta(state, (ts, delta) => {
      const beyond = delta - (costs?.[i++] ?? 0);
      const date = calendar.at(ts).date;
      if ((input.since && date < input.since) || (input.until && date > input.until)) return;
      const d = dayOf(date);
      countSession(session, d, p, state);
      d.cc.costUSD += beyond;
      p.cc.costUSD += beyond;
      totalCc.costUSD += beyond;
    });
  }

  const daily: DailyUsage[] = [...days].map(([date, d]) => ({
    date,
    ...roundCost(d.totals),
    models: [...d.models.values()].map(roundCost).sort(byCostThenTokens),
    source: 'transcripts' as const,
    claudeCode: d.cc.result(d.totals.costUSD),
  }));
  let statsCacheDays = 0;
  for (const [date, byModel] of input.statsCache) {
    if (days.has(date) || (input.since && date < input.since) || (input.until && date > input.until)) continue;
    const dayModels: ModelUsage[] = [...byModel].map(([model, n]) => ({ model, ...emptyTotals(), totalTokens: n, unpricedTokens: n, unpriced: true }));
    const dayTotal = dayModels.reduce((s, m) => s + m.totalTokens, 0);
    daily.push({ date, ...emptyTotals(), totalTokens: dayTotal, unpricedTokens: dayTotal, models: dayModels, source: 'stats-cache', claudeCode: null });
    statsCacheDays++;
  }
  daily.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  return {
    totals: roundCost(totals),
    claudeCode: totalCc.result(totals.costUSD),
    costFigures: { costUSD: 'transcripts', claudeCode: 'cost-state', prices: input.prices },
    models: [...models.values()].map(roundCost).sort(byCostThenTokens),
    daily,
    projects: [...projects.values()].map((p) => ({ ...roundCost(p.usage), claudeCode: p.cc.result(p.usage.costUSD) })).sort(byCostThenTokens),
    hourOfDay: hours.map(roundCost),
    weekly: [...weeks].sort(([a], [b]) => (a < b ? -1 : 1)).map(([weekStart, t]) => ({ weekStart, ...roundCost(t) })),
    diagnostics: { ...input.diagnostics, unpricedModels: [...unpriced].sort(), statsCacheDays },
    timezone: input.timeZone,
    generatedAt: (input.now ?? new Date()).toISOString(),
  };
}
