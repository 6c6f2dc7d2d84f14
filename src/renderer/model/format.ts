/**
 * How numbers and dates look on the dashboard: every table, card and chart formats through here, so a cost or a
 * date reads the same everywhere. Exact values go into data-value attributes; these are for people.
 *
 * Numbers use one fixed style (US separators, dollars: the currency the prices are in). Dates and times use the
 * user's locale and time zone (Intl with no locale or zone given). Formatters are built once: building one costs far
 * more than using it.
 */

import { formatSpan } from '../../shared/format.js';

// Always one decimal on a scaled count, so a column of them lines up on the point: 6.0M above 65.5M.
const tokenFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const costFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatTokens(tokens: number): string {
  const abs = Math.abs(tokens);
  if (abs >= 1e9) return `${tokenFormat.format(tokens / 1e9)}B`;
  if (abs >= 1e6) return `${tokenFormat.format(tokens / 1e6)}M`;
  if (abs >= 1e4) return `${tokenFormat.format(tokens / 1e3)}k`;
  return countFormat.format(Math.round(tokens));
}

export function formatCount(n: number): string {
  return countFormat.format(n);
}

export function formatCost(usd: number): string {
  if (usd > 0 && usd < 0.01) return '<$0.01';
  return `$${costFormat.format(usd)}`;
}

/** A difference in dollars with its sign: +$1.20, −$0.05 (a minus sign, like the lines format). */
export function formatSignedCost(usd: number): string {
  const text = formatCost(Math.abs(usd));
  return usd < 0 ? `−${text}` : `+${text}`;
}

export { formatBytes } from '../../shared/format.js';

/** 45s, 12m 5s, 3h 5m, 2d 4h: a duration read once (a session, an uptime, time left). */
export function formatDuration(seconds: number): string {
  return formatSpan(seconds, { secondsWithMinutes: true });
}

/** A span of time coarse enough for a badge that is not redrawn every second: 45s, 12m, 3h 5m, 2d 4h. */
export { formatSpan };

/** A span in its largest unit only, for a narrow badge: 45s, 12m, 3h, 2d (the exact time goes in its title). */
export function formatSpanShort(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** How long ago an instant was, for readings that age: "just now" under a minute, then "12m ago", "3h 5m ago". */
export function formatAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'at an unknown time';
  return ms < 60_000 ? 'just now' : `${formatSpan(ms / 1000)} ago`;
}

export function formatPercent(value: number): string {
  return `${value.toFixed(value >= 10 ? 0 : 1)}%`;
}

/** Lines a session added and removed, or a dash when Claude Code did not record them. */
export function formatLines(added: number | null, removed: number | null): string {
  if (added === null && removed === null) return '—';
  return `+${countFormat.format(added ?? 0)} −${countFormat.format(removed ?? 0)}`;
}

// Instants (ISO times) are shown in the user's time zone; calendar days (YYYY-MM-DD, already in the report's zone)
// are formatted as given, so they are read in UTC where they cannot shift by a day.
const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateThisYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayThisYear = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayShort = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function instant(value: string | number): Date | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function calendarDay(ymd: string): Date | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(ymd) ? instant(`${ymd}T00:00:00Z`) : null;
}

/** Date and time in full: for detail views and sentences. */
export function formatDateTime(iso: string): string {
  const d = instant(iso);
  return d ? dateTime.format(d) : iso;
}

/** For a table cell: day and time this year, the day with its year before (the full time is in the cell's title). */
export function formatWhen(iso: string, now = new Date()): string {
  const d = instant(iso);
  if (!d) return iso;
  return (d.getFullYear() === now.getFullYear() ? dateThisYear : dateOnly).format(d);
}

/** Time of day with seconds: when data was last updated. */
export function formatTime(iso: string | number): string {
  const d = instant(iso);
  return d ? timeOnly.format(d) : String(iso);
}

/** Time of day, hours and minutes. */
export function formatClock(iso: string): string {
  const d = instant(iso);
  return d ? clock.format(d) : iso;
}

/** A calendar day (YYYY-MM-DD): with the weekday in the current year, with the year otherwise. */
export function formatDay(ymd: string, now = new Date()): string {
  const d = calendarDay(ymd);
  if (!d) return ymd;
  return (d.getUTCFullYear() === now.getFullYear() ? dayThisYear : day).format(d);
}

/** A calendar day, month and day only: chart axis labels. */
export function formatDayShort(ymd: string): string {
  const d = calendarDay(ymd);
  return d ? dayShort.format(d) : ymd;
}

/** A calendar day with its year: range bounds. */
export function formatDayLong(ymd: string): string {
  const d = calendarDay(ymd);
  return d ? day.format(d) : ymd;
}

/** "claude-sonnet-4-5-20250929" → "sonnet-4-5": short enough for a legend. */
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** A project as people know it: the last folder of its working directory, else Claude Code's folder name for it. */
export function projectLabel(project: string, path: string | null): string {
  const last = path?.split(/[\\/]/).filter(Boolean).pop();
  return last ?? project;
}
