import { useEffect, useState } from 'react';
import type { Snapshot } from '../shared/api.js';
import { isStale, staleAfterMs } from './model/freshness.js';

/** The current time, refreshed every `everyMs` (for ages such as "updated 12 s ago"). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Whether `snapshot` is older than one poll, re-checked by a timer set for the moment it would turn stale (not a
 * ticking clock, so the dashboard does not re-render every second just to find out).
 */
export function useIsStale(snapshot: Snapshot | null): boolean {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!snapshot) return;
    const deadline = Date.parse(snapshot.generatedAt) + staleAfterMs(snapshot.pollIntervalSeconds);
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, deadline - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [snapshot]);
  return snapshot ? isStale(snapshot, now) : false;
}
