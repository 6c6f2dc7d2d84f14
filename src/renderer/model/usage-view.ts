/** Numbers the Usage tab shows, derived from one report: period cards, the selected range and chart rows. */
import type { ClaudeCodeCost, DailyUsage, MachineState, ModelUsage, TokenTotals, UsageReport, UsageToday } from '../../shared/api.js';

type ProjectUsage = UsageReport['projects'][number];
import { countedDays, daysBefore } from '../../shared/usage-range.js';
import { addTotals, emptyTotals } from '../../core/usage/totals.js';
import { ALL_MACHINES, type RangePreset } from './view-state.js';

export interface PeriodCard {
  id: 'today' | '7d' | '30d' | 'all';
  label: string;
  totals: TokenTotals;
  /** Models used in the period that have no price: the cost leaves their share out. */
  unpriced: string[];
  /** Claude Code's own figure for the period, or null when no session of it wrote one. */
  claudeCode: ClaudeCodeSpend | null;
}

/**
 * Claude Code's figure as the dashboard shows it: a row's, or a sum over days. Dollars add up day by day, sessions
 * do not (a session spans days), so a sum leaves the counts out (null) and says whether some sessions wrote none.
 */
export interface ClaudeCodeSpend extends Omit<ClaudeCodeCost, 'sessions' | 'sessionsWithout'> {
  sessions: number | null;
  sessionsWithout: number | null;
  /** A sum over days some of whose sessions wrote no figure (Claude Code before 2.1.332). */
  partial?: boolean;
}

const roundUSD = (n: number): number => Math.round(n * 1e6) / 1e6;

/** Claude Code's figure over the counted days, or null when none of them has one. */
export function claudeCodeOfDays(days: Iterable<DailyUsage>): ClaudeCodeSpend | null {
  const sum: ClaudeCodeSpend = { costUSD: 0, transcriptCostUSD: 0, notInTranscriptsUSD: 0, combinedCostUSD: 0, sessions: null, sessionsWithout: null, unknownModelCost: false, partial: false };
  let any = false;
  for (const day of days) {
    if (day.source === 'stats-cache') continue;
    const cc = day.claudeCode;
    if (!cc) {
      sum.combinedCostUSD += day.costUSD;
      if (day.totalTokens > 0) sum.partial = true;
      continue;
    }
    any = true;
    sum.costUSD += cc.costUSD;
    sum.transcriptCostUSD += cc.transcriptCostUSD;
    sum.notInTranscriptsUSD += cc.notInTranscriptsUSD;
    sum.combinedCostUSD += cc.combinedCostUSD;
    if (cc.sessionsWithout > 0) sum.partial = true;
    if (cc.unknownModelCost) sum.unknownModelCost = true;
  }
  if (!any) return null;
  return { ...sum, costUSD: roundUSD(sum.costUSD), transcriptCostUSD: roundUSD(sum.transcriptCostUSD), notInTranscriptsUSD: roundUSD(sum.notInTranscriptsUSD), combinedCostUSD: roundUSD(sum.combinedCostUSD) };
}

/** The unpriced models among `models`, each once, in order of first use. */
export function unpricedModels(models: Iterable<{ model: string; unpriced: boolean }>): string[] {
  const names = new Set<string>();
  for (const m of models) if (m.unpriced) names.add(m.model);
  return [...names];
}

/** Totals of the counted days in [since, until] (inclusive), and the unpriced models among them. */
function periodBetween(daily: DailyUsage[], since: string, until: string): Pick<PeriodCard, 'totals' | 'unpriced' | 'claudeCode'> {
  const totals = emptyTotals();
  const unpriced = new Set<string>();
  const days: DailyUsage[] = [];
  for (const day of daily) {
    if (day.source === 'stats-cache' || day.date < since || day.date > until) continue;
    days.push(day);
    addTotals(totals, day);
    for (const m of day.models) if (m.unpriced) unpriced.add(m.model);
  }
  return { totals, unpriced: [...unpriced], claudeCode: claudeCodeOfDays(days) };
}

/** The period cards; `today` is the snapshot's (its day and figures as the core computed them). */
export function periodCards(report: UsageReport, today: UsageToday): PeriodCard[] {
  // Only the last 30 days matter for the two multi-day cards: one pass over them.
  const monthAgo = daysBefore(today.date, 29);
  const recent = report.daily.filter((d) => d.date >= monthAgo && d.date <= today.date);
  const { date: _date, timezone: _timezone, unpricedModels: unpricedToday, claudeCode: _claudeCode, ...totals } = today;
  return [
    { id: 'today', label: 'Today', totals, unpriced: unpricedToday, claudeCode: today.claudeCode },
    { id: '7d', label: 'Last 7 days', ...periodBetween(recent, daysBefore(today.date, 6), today.date) },
    { id: '30d', label: 'Last 30 days', ...periodBetween(recent, monthAgo, today.date) },
    { id: 'all', label: 'All time', totals: report.totals, unpriced: unpricedModels(report.models), claudeCode: report.claudeCode },
  ];
}

/** Inclusive YYYY-MM-DD bounds of a preset (empty string = open end); `today` is the snapshot's day. */
export function rangeBounds(preset: RangePreset, custom: { since: string; until: string }, today: string): { since: string; until: string } {
  // No report yet, so no day to count back from.
  if (today === '' && preset !== 'custom') return { since: '', until: '' };
  switch (preset) {
    case '7d':
      return { since: daysBefore(today, 6), until: today };
    case '30d':
      return { since: daysBefore(today, 29), until: today };
    case '90d':
      return { since: daysBefore(today, 89), until: today };
    case 'all':
      return { since: '', until: '' };
    case 'custom':
      return { since: custom.since, until: custom.until };
  }
}

export interface ChartData {
  /** One row per day (or per week when the range is long): `label`, `__total` and one token count per model key. */
  rows: Array<Record<string, number | string>>;
  models: string[];
  granularity: 'day' | 'week';
  /** Sum of every bar: lets a test or benchmark see which data the chart is showing. */
  totalTokens: number;
}

/** At most this many model series; the rest are summed into "other" so the legend stays readable. */
const MAX_SERIES = 8;
/** Past this many days, one bar per week: a bar per day would be under a pixel wide. */
const MAX_DAILY_BARS = 92;

/** Filling empty days stops here: a custom range of decades would otherwise make thousands of empty slots. */
const MAX_FILLED_DAYS = 3 * 366;

function weekStart(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const offset = (d.getUTCDay() + 6) % 7; // Monday first
  d.setUTCDate(d.getUTCDate() - offset);
  return d.toISOString().slice(0, 10);
}

export function chartData(daily: DailyUsage[], since: string, until: string): ChartData {
  const days = countedDays(daily).filter((d) => (!since || d.date >= since) && (!until || d.date <= until));
  const modelTotals = new Map<string, number>();
  for (const day of days) for (const m of day.models) modelTotals.set(m.model, (modelTotals.get(m.model) ?? 0) + m.totalTokens);
  const ranked = [...modelTotals.entries()].sort((a, b) => b[1] - a[1]).map(([model]) => model);
  const shown = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const models = ranked.length > MAX_SERIES ? [...shown, 'other'] : shown;
  const shownSet = new Set(shown);
  // Every day of the range gets a slot (an idle day is a gap on the axis, not skipped), clipped to the data's span
  // when the range is open-ended.
  if (days.length === 0) return { rows: [], models, granularity: 'day', totalTokens: 0 };
  const dates = days.map((d) => d.date).sort();
  const first = dates[0];
  const last = dates[dates.length - 1];
  const from = since || first;
  const to = until || last;
  const span = from && to && from <= to ? Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1 : 0;
  const granularity = span > MAX_DAILY_BARS ? 'week' : 'day';
  const rows: ChartData['rows'] = [];
  const byLabel = new Map<string, Record<string, number | string>>();
  const slot = (label: string) => {
    let row = byLabel.get(label);
    if (!row) {
      row = { label, __total: 0 };
      for (const m of models) row[m] = 0;
      byLabel.set(label, row);
      rows.push(row);
    }
    return row;
  };
  const weeks = new Map<string, string>();
  const labelOf = (day: string): string => {
    if (granularity === 'day') return day;
    let week = weeks.get(day);
    if (!week) weeks.set(day, (week = weekStart(day)));
    return week;
  };
  if (from && to && span > 0 && span <= MAX_FILLED_DAYS) {
    const cursor = new Date(`${from}T00:00:00Z`);
    for (let i = 0; i < span; i++, cursor.setUTCDate(cursor.getUTCDate() + 1)) slot(labelOf(cursor.toISOString().slice(0, 10)));
  }
  let totalTokens = 0;
  for (const day of days) {
    const row = slot(labelOf(day.date));
    for (const m of day.models) {
      const key = shownSet.has(m.model) ? m.model : 'other';
      row[key] = (row[key] as number) + m.totalTokens;
      row.__total = (row.__total as number) + m.totalTokens;
      totalTokens += m.totalTokens;
    }
  }
  rows.sort((a, b) => String(a.label).localeCompare(String(b.label)));
  return { rows, models, granularity, totalTokens };
}

/** A model's or a project's row with the machine it is from (absent: this machine). */
export type MachineModelUsage = ModelUsage & { machine?: string };
export type MachineProjectUsage = ProjectUsage & { machine?: string };

const costliest = (a: TokenTotals, b: TokenTotals) => b.costUSD - a.costUSD || b.totalTokens - a.totalTokens;

/**
 * The per-model and per-project rows of other machines, all time (what their servers send): every machine's
 * (ALL_MACHINES, this one's included) or one remote machine's. A machine that does not answer counts as when last seen.
 */
export function machineCostRows(report: UsageReport, machines: readonly MachineState[], scope: string): { models: MachineModelUsage[]; projects: MachineProjectUsage[] } {
  const models: MachineModelUsage[] = scope === ALL_MACHINES ? [...report.models] : [];
  const projects: MachineProjectUsage[] = scope === ALL_MACHINES ? [...report.projects] : [];
  for (const m of machines) {
    const usage = m.summary?.usage;
    if (!usage || (scope !== ALL_MACHINES && scope !== m.name)) continue;
    for (const row of usage.models) models.push({ ...row, machine: m.name });
    for (const row of usage.projects) projects.push({ ...row, machine: m.name });
  }
  return { models: models.sort(costliest), projects: projects.sort(costliest) };
}
