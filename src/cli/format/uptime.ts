/**
 * How long something has run or waited, as a person says it. A module of its own: `tce statusline` uses it and must
 * not load the tables (table.ts and its width rules).
 */
/** 45s, 12m, 3h 05m, 2d 4h */
export function uptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
