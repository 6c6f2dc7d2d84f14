/** Today's figures from a report: the one place that says which day is today and what it holds. */
import { ZonedCalendar } from './time-zone.js';
import { emptyTotals } from './totals.js';
import type { TokenTotals, UsageReport, UsageToday } from './types.js';

const totalsOf = (t: TokenTotals): TokenTotals => ({
  inputTokens: t.inputTokens,
  outputTokens: t.outputTokens,
  cacheCreationTokens: t.cacheCreationTokens,
  cacheReadTokens: t.cacheReadTokens,
  totalTokens: t.totalTokens,
  webSearchRequests: t.webSearchRequests,
  costUSD: t.costUSD,
  unpricedTokens: t.unpricedTokens,
});

/** The day of `now` in the report's zone, and its counted row (a stats-cache estimate is no count). */
export function usageToday(report: UsageReport, now: number): UsageToday {
  const date = ZonedCalendar.of(report.timezone).at(now).date;
  const row = report.daily.find((d) => d.date === date && d.source !== 'stats-cache');
  return {
    date,
    timezone: report.timezone,
    ...(row ? totalsOf(row) : emptyTotals()),
    unpricedModels: row ? [...new Set(row.models.filter((m) => m.unpriced).map((m) => m.model))] : [],
    claudeCode: row?.claudeCode ?? null,
  };
}
