import type { HealthThresholds } from '../settings/types.js';
import type { Activity, Health } from './types.js';

export interface HealthFacts {
  state: string;
  cpuPercent: number;
  rssBytes: number;
  interactive: boolean;
  pinned: boolean;
  /** ms since the epoch since when the process has been idle, or null when it is not known to be idle. */
  idleSince: number | null;
}

/**
 * `zombie` (state Z, or stopped T) and `hog` (CPU or memory over the thresholds) win over `pinned`;
 * `pinned` wins over `stale`; `stale` is idle longer than the interactive/background limit with CPU under the idle line.
 */
export function healthOf(f: HealthFacts, t: HealthThresholds, now: number): Health {
  if (f.state === 'Z' || f.state === 'T' || f.state === 't') return 'zombie';
  if (f.cpuPercent > t.hogCpuPercent || f.rssBytes > t.hogMemoryMiB * 1024 * 1024) return 'hog';
  if (f.pinned) return 'pinned';
  const limitHours = f.interactive ? t.staleInteractiveHours : t.staleBackgroundHours;
  if (f.idleSince !== null && f.cpuPercent < t.idleCpuPercent && now - f.idleSince > limitHours * 3_600_000) return 'stale';
  return 'healthy';
}

export interface IdleInputs {
  /** Registry activity and since when (ms), if the registry knows. */
  activity: Activity | null;
  activitySince: number | null;
  startTime: number;
  now: number;
  /** Total CPU time used so far, if known. */
  cpuTimeMs: number | null;
  /** What this monitor has seen of the process's CPU use (see CpuSampler.watch), if it has watched it. */
  watched: { activeNow: boolean; lastActive: number | null; firstSeen: number } | null;
  idleCpuPercent: number;
}

/**
 * Since when the process has been idle. The registry's `idle` since T counts; a `busy` one is never idle.
 * Without the registry: not while it uses CPU; since the last time this monitor saw it use CPU; if never, since
 * its start when its lifetime average is under the idle line, else since this monitor first saw it.
 */
export function idleSince(i: IdleInputs): number | null {
  if (i.activity === 'busy') return null;
  if (i.activity === 'idle' && i.activitySince !== null) return i.activitySince;
  if (i.watched?.activeNow) return null;
  if (i.watched && i.watched.lastActive !== null) return i.watched.lastActive;
  const lifetimeMs = i.now - i.startTime;
  if (i.cpuTimeMs !== null && lifetimeMs > 0 && (i.cpuTimeMs / lifetimeMs) * 100 < i.idleCpuPercent) return i.startTime;
  return i.watched?.firstSeen ?? null;
}
