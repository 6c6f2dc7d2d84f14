/**
 * How long something has run or waited, as a person says it. A module of its own: `tce statusline` uses it and must
 * not load the tables (table.ts and its width rules).
 */
import { formatSpan } from '../../shared/format.js';

/** 45s, 12m, 3h 05m, 2d 4h: minutes padded so a column lines up. */
export function uptime(seconds: number): string {
  return formatSpan(seconds, { padMinutes: true });
}
