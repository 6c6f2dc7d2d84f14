/** Builds the `UsageReport` (totals, models, days, projects, hours, weeks) from deduplicated records. */
import type { StatsCacheDays } from './claude-extras.js';
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
  diagnostics: Omit<UsageDiagnostics, 'unpricedModels' | 'statsCacheDays'>;
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

export function buildReport(input: ReportInput): UsageReport {
  const calendar = ZonedCalendar.of(input.timeZone);
  const totals = emptyTotals();
  const models = new Map<string, ModelUsage>();
  const days = new Map<string, { totals: TokenTotals; models: Map<string, ModelUsage>; week: TokenTotals }>();
  const projects = new Map<string, ProjectUsage>();
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, ...emptyTotals() }));
  const weeks = new Map<string, TokenTotals>();
  const unpriced = new Set<string>();

  const rows = input.rows;
  const strings = rows.strings;
  // Per model and project id (small integers): arrays instead of lookups by name on every row.
  const modelById: Array<ModelUsage | undefined> = [];
  const projectById: Array<ProjectUsage | undefined> = [];
  let lastDate = '';
  let day: { totals: TokenTotals; models: Map<string, ModelUsage>; week: TokenTotals } | undefined;
  for (let k = 0; k < rows.count; k++) {
    rows.at(k);
    const local = calendar.at(rows.ts);
    if ((input.since && local.date < input.since) || (input.until && local.date > input.until)) continue;
    const c = rows.cost();
    if (c === null) unpriced.add(rows.model);
    const cost = c ?? 0;
    rows.addTo(totals, cost);
    const m = (modelById[rows.modelId] ??= modelRow(models, rows.model));
    rows.addTo(m, cost);
    if (c === null) m.unpriced = true;
    if (!day || local.date !== lastDate) {
      lastDate = local.date;
      day = days.get(local.date);
      if (!day) {
        const week = weekStart(local.date);
        let w = weeks.get(week);
        if (!w) {
          w = emptyTotals();
          weeks.set(week, w);
        }
        day = { totals: emptyTotals(), models: new Map(), week: w };
        days.set(local.date, day);
      }
    }
    rows.addTo(day.totals, cost);
    const dm = modelRow(day.models, rows.model);
    rows.addTo(dm, cost);
    if (c === null) dm.unpriced = true;
    let p = projectById[rows.projectId];
    if (!p) {
      const name = strings[rows.projectId]!;
      p = projects.get(name);
      if (!p) {
        p = { project: name, path: input.projectPaths.get(name) ?? null, ...emptyTotals() };
        projects.set(name, p);
      }
      projectById[rows.projectId] = p;
    }
    rows.addTo(p, cost);
    rows.addTo(hours[local.hour]!, cost);
    rows.addTo(day.week, cost);
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
