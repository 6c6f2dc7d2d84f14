/** Short, stable texts for the tray: coarse enough that they do not change on every poll. */

import { formatSpan } from '../shared/format.js';

export { formatBytes } from '../shared/format.js';

/** 0m, 12m, 3h 5m, 2d 4h: whole minutes, so a label stays put between polls. */
export function formatDuration(seconds: number): string {
  return formatSpan(seconds, { wholeMinutes: true });
}

export function formatCost(usd: number): string {
  return usd >= 100 ? `$${usd.toFixed(0)}` : `$${usd.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

// Building a formatter costs far more than using one, and the tray words its times on every poll: one per zone.
const clocks = new Map<string, Intl.DateTimeFormat>();
const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'short' });

/** HH:MM of an ISO time, in the local zone (or `timeZone` when given). */
export function clock(iso: string, timeZone?: string): string {
  try {
    let format = clocks.get(timeZone ?? '');
    if (!format) {
      const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
      if (timeZone) options.timeZone = timeZone;
      format = new Intl.DateTimeFormat('en-GB', options);
      clocks.set(timeZone ?? '', format);
    }
    return format.format(new Date(iso));
  } catch {
    return iso.slice(11, 16);
  }
}

/** HH:MM of an ISO time when it falls on `now`'s day (local zone), else with its weekday: `Fri 09:00`. */
export function dayClock(iso: string, now: Date): string {
  const when = new Date(iso);
  if (when.toDateString() === now.toDateString()) return clock(iso);
  return `${weekday.format(when)} ${clock(iso)}`;
}

/** Cuts `text` to `max` characters with an ellipsis: menu items are one line. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
