/** Builds the `UsageReport` (totals, models, days, projects, hours, weeks) from deduplicated records. */
import type { PriceTable } from './prices.js';
import { requestCost } from './prices.js';
import type { StatsCacheDays } from './claude-extras.js';
import { ZonedCalendar, weekStart } from './time-zone.js';
import { addRecord, byCostThenTokens, emptyTotals, roundCost } from './totals.js';
import type { DailyUsage, ModelUsage, ProjectUsage, TokenTotals, UsageDiagnostics, UsageReport } from './types.js';
import type { UsageRecord } from './usage-index.js';

export interface ReportInput {
  records: Iterable<UsageRecord>;
  prices: PriceTable;
  timeZone: string;
  /** Inclusive YYYY-MM-DD bounds in `timeZone`. */
  since?: string;
  until?: string;
  statsCache: StatsCacheDays;
  projectPaths: ReadonlyMap<string, string>;
  diagnostics: Omit<UsageDiagnostics, 'unpricedModels' | 'statsCacheDays'>;
  now?: Date;
}

/** Cost of one record, or null when its model has no price. */
export function recordCost(r: UsageRecord, prices: PriceTable): number | null {
  const price = prices.get(r.model);
  return price ? requestCost(r.model, price, r) : null;
}

function modelRow(map: Map<string, ModelUsage>, model: string): ModelUsage {
  let row = map.get(model);
  if (!row) {
    row = { model, ...emptyTotals(), unpriced: false };
    map.set(model, row);
  }
  return row;
}

export function buildReport(input: ReportInput): UsageReport {
  const calendar = new ZonedCalendar(input.timeZone);
  const totals = emptyTotals();
  const models = new Map<string, ModelUsage>();
  const days = new Map<string, { totals: TokenTotals; models: Map<string, ModelUsage> }>();
  const projects = new Map<string, ProjectUsage>();
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, ...emptyTotals() }));
  const weeks = new Map<string, TokenTotals>();
  const unpriced = new Set<string>();
  const weekOf = new Map<string, string>();

  for (const r of input.records) {
    const local = calendar.at(r.ts);
    if ((input.since && local.date < input.since) || (input.until && local.date > input.until)) continue;
    const c = recordCost(r, input.prices);
    if (c === null) unpriced.add(r.model);
    const cost = c ?? 0;
    addRecord(totals, r, cost);
    const m = modelRow(models, r.model);
    addRecord(m, r, cost);
    if (c === null) m.unpriced = true;
    let day = days.get(local.date);
    if (!day) {
      day = { totals: emptyTotals(), models: new Map() };
      days.set(local.date, day);
    }
    addRecord(day.totals, r, cost);
    const dm = modelRow(day.models, r.model);
    addRecord(dm, r, cost);
    if (c === null) dm.unpriced = true;
    let p = projects.get(r.project);
    if (!p) {
      p = { project: r.project, path: input.projectPaths.get(r.project) ?? null, ...emptyTotals() };
      projects.set(r.project, p);
    }
    addRecord(p, r, cost);
    addRecord(hours[local.hour]!, r, cost);
    let week = weekOf.get(local.date);
    if (week === undefined) {
      week = weekStart(local.date);
      weekOf.set(local.date, week);
    }
    let w = weeks.get(week);
    if (!w) {
      w = emptyTotals();
      weeks.set(week, w);
    }
    addRecord(w, r, cost);
  }

  const daily: DailyUsage[] = [...days].map(([date, d]) => ({
    date,
    ...roundCost(d.totals),
    models: [...d.models.values()].map(roundCost).sort(byCostThenTokens),
    source: 'transcripts' as const,
  }));
  let statsCacheDays = 0;
  for (const [date, byModel] of input.statsCache) {
    if (days.has(date) || (input.since && date < input.since) || (input.until && date > input.until)) continue;
    const dayModels: ModelUsage[] = [...byModel].map(([model, n]) => ({ model, ...emptyTotals(), totalTokens: n, unpriced: true }));
    const dayTotal = dayModels.reduce((s, m) => s + m.totalTokens, 0);
    daily.push({ date, ...emptyTotals(), totalTokens: dayTotal, models: dayModels, source: 'stats-cache' });
    statsCacheDays++;
  }
  daily.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  return {
    totals: roundCost(totals),
    models: [...models.values()].map(roundCost).sort(byCostThenTokens),
    daily,
    projects: [...projects.values()].map(roundCost).sort(byCostThenTokens),
    hourOfDay: hours.map(roundCost),
    weekly: [...weeks].sort(([a], [b]) => (a < b ? -1 : 1)).map(([weekStart, t]) => ({ weekStart, ...roundCost(t) })),
    diagnostics: { ...input.diagnostics, unpricedModels: [...unpriced].sort(), statsCacheDays },
    timezone: input.timeZone,
    generatedAt: (input.now ?? new Date()).toISOString(),
  };
}
