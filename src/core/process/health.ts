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
  /**
   * ms since the epoch since when its CPU use has been over the hog line in every reading (from its start when its
   * average since start is), or null. Absent: judged on `cpuPercent` alone.
   */
  cpuOverSince?: number | null;
}

/**
 * How long CPU use must stay over the line to make a hog: a burst (start-up, a build Claude Code runs, one busy
 * answer) is what a working session does, not a runaway.
 */
export const CPU_HOG_SUSTAIN_MS = 60_000;

/**
 * `zombie` (state Z, or stopped T) and `hog` (memory over the threshold, or CPU over it for a sustained while) win over `pinned`;
 * `pinned` wins over `stale`; `stale` is idle longer than the interactive/background limit with CPU under the idle line.
 */
export function healthOf(f: HealthFacts, t: HealthThresholds, now: number, cpuSustainMs = CPU_HOG_SUSTAIN_MS): Health {
  if (f.state === 'Z' || f.state === 'T' || f.state === 't') return 'zombie';
  const cpuHog = f.cpuPercent > t.hogCpuPercent && (f.cpuOverSince === undefined || (f.cpuOverSince !== null && now - f.cpuOverSince >= cpuSustainMs));
  if (cpuHog || f.rssBytes > t.hogMemoryMiB * 1024 * 1024) return 'hog';
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
