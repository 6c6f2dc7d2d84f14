/** Formats every surface shares (the CLI, the tray, the dashboard): one rule each, here. */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Memory in binary units, as the hog setting (MiB) counts it: 512 B, 12 KiB, 1.7 MiB, 48 MiB, 510 MiB, 3.3 GiB. Past
 * 100 MiB to the nearest 10 MiB: a resident size moves by a few MiB from poll to poll, and the tray menu is only
 * rebuilt when a label changes.
 */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  const mib = bytes / MiB;
  if (mib >= 100) return `${Math.round(mib / 10) * 10} MiB`;
  if (mib >= 10) return `${Math.round(mib)} MiB`;
  if (bytes >= MiB) return `${mib.toFixed(1)} MiB`;
  if (bytes >= KiB) return `${Math.round(bytes / KiB)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** How a surface words a span of time; every choice is one surface's need, the breakdown is the same. */
export interface SpanStyle {
  /** Minutes after hours as two digits, for columns that line up: 3h 05m. */
  padMinutes?: boolean;
  /** Under an hour, the seconds beside the minutes: 12m 5s (a duration read once, not a label redrawn each poll). */
  secondsWithMinutes?: boolean;
  /** Never seconds: under a minute is 0m (a tray label changes only once a minute). */
  wholeMinutes?: boolean;
  /** Hours past a day stay hours: 26h 05m. */
  noDays?: boolean;
}

/** A span of time in its two largest units, as a person says it: 45s, 12m, 3h 5m, 2d 4h. Negative spans are 0. */
export function formatSpan(seconds: number, style: SpanStyle = {}): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = style.noDays ? 0 : Math.floor(s / 86_400);
  const hours = Math.floor((s - days * 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${style.padMinutes ? String(minutes).padStart(2, '0') : minutes}m`;
  if (minutes > 0) return style.secondsWithMinutes ? `${minutes}m ${s % 60}s` : `${minutes}m`;
  return style.wholeMinutes ? '0m' : `${s}s`;
}
