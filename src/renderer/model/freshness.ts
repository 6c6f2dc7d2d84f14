import type { Snapshot } from '../../shared/api.js';

/**
 * Data counts as stale once it is older than one poll, plus a grace for the scan itself (a poll takes time, and
 * the next snapshot lands a little after the interval).
 */
export function staleAfterMs(pollIntervalSeconds: number): number {
  const interval = Math.max(1, pollIntervalSeconds) * 1000;
  return interval + Math.max(2000, interval / 2);
}

export function snapshotAgeMs(snapshot: Snapshot, now: number): number {
  const made = Date.parse(snapshot.generatedAt);
  return Number.isNaN(made) ? Infinity : Math.max(0, now - made);
}

export function isStale(snapshot: Snapshot, now: number): boolean {
  return snapshotAgeMs(snapshot, now) > staleAfterMs(snapshot.pollIntervalSeconds);
}
