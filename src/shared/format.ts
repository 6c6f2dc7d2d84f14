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
