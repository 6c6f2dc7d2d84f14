/**
 * Narrows a usage report to an inclusive date range, from its per-day rows: the dashboard's date range while the
 * bridge's report for that range is on its way (or where the bridge has none: IPC).
 */
import type { DailyUsage, ModelUsage, TokenTotals, UsageReport } from '../core/usage/types.js';
import { addTotals, emptyTotals } from '../core/usage/totals.js';

/** Days from transcripts only: stats-cache days are estimates that the report's totals leave out. */
export function countedDays(daily: DailyUsage[]): DailyUsage[] {
  return daily.filter((d) => d.source !== 'stats-cache');
}

/** Totals and per-model rows over the given days (inclusive YYYY-MM-DD bounds; either may be missing). */
export function sumDays(daily: DailyUsage[], since?: string, until?: string): { totals: TokenTotals; models: ModelUsage[] } {
  const totals = emptyTotals();
  const byModel = new Map<string, ModelUsage>();
  for (const day of countedDays(daily)) {
    if (since && day.date < since) continue;
    if (until && day.date > until) continue;
    addTotals(totals, day);
    for (const m of day.models) {
      let row = byModel.get(m.model);
      if (!row) {
        row = { ...emptyTotals(), model: m.model, unpriced: false };
        byModel.set(m.model, row);
      }
      addTotals(row, m);
      row.unpriced ||= m.unpriced;
    }
  }
  // Like the engine's report: sums of float costs drift (0.1 + 0.2), so costs are kept to a millionth of a dollar.
  const round = <T extends TokenTotals>(t: T): T => ({ ...t, costUSD: Math.round(t.costUSD * 1e6) / 1e6 });
  const models = [...byModel.values()].map(round).sort((a, b) => b.costUSD - a.costUSD || b.totalTokens - a.totalTokens);
  return { totals: round(totals), models };
}

/**
 * The report restricted to [since, until]; projects, hours and weeks cannot be split by day and are dropped when a
 * range is set, and so is the report's Claude Code figure (its session counts do not split by day: its dollars over
 * the days are `claudeCodeOfDays` in the dashboard's usage view).
 */
export function reportInRange(report: UsageReport, since?: string, until?: string): UsageReport {
  if (!since && !until) return report;
  const daily = report.daily.filter((d) => (!since || d.date >= since) && (!until || d.date <= until));
  const { totals, models } = sumDays(daily);
  return { ...report, daily, totals, models, claudeCode: null, projects: [], hourOfDay: [], weekly: [] };
}

/** YYYY-MM-DD `days` before `day` (calendar arithmetic, no time zone involved). */
export function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
