import type { RawProcess } from './source.js';

/** A process's identity across scans: its PID plus its start, so a reused PID is a different process. */
export function identityKey(p: Pick<RawProcess, 'pid' | 'startTicks' | 'startTime'>): string {
  return `${p.pid}:${p.startTicks ?? Math.round(p.startTime / 1000)}`;
}

interface Sample {
  cpuTimeMs: number | null;
  /** performance.now() of the reading. */
  at: number;
  /** Epoch ms of the first reading, and of the latest one at or over the idle line. */
  firstSeen: number;
  lastActive: number | null;
  /** Epoch ms since when every reading has been over the hog line, or null when the latest was not. */
  overSince: number | null;
}

/** CPU % of one core between two readings of cumulative CPU time; remembers when each process was last active. */
export class CpuSampler {
  private samples = new Map<string, Sample>();

  /** Records a reading and returns each process's CPU % since the previous one (keyed by identityKey). */
  record(raws: RawProcess[], wallNow: number, epochNow: number, idleCpuPercent: number, hogCpuPercent = Infinity): Map<string, number> {
    const out = new Map<string, number>();
    for (const raw of raws) {
      const key = identityKey(raw);
      const previous = this.samples.get(key);
      let percent: number | null = raw.cpuPercent;
      let sinceStart = false;
      if (raw.cpuTimeMs !== null) {
        if (previous?.cpuTimeMs != null && wallNow > previous.at) {
          percent = ((raw.cpuTimeMs - previous.cpuTimeMs) / (wallNow - previous.at)) * 100;
        } else {
          sinceStart = true;
          // Never seen before: its average since it started (exact for a process younger than one poll).
          const lifetime = epochNow - raw.startTime;
          percent = lifetime > 0 ? (raw.cpuTimeMs / lifetime) * 100 : 0;
        }
      }
      percent = Math.max(0, percent ?? 0);
      out.set(key, percent);
      const active = percent >= idleCpuPercent;
      // An average since start over the line means over it (on average) since the start.
      const overSince = percent > hogCpuPercent ? (previous?.overSince ?? (sinceStart ? raw.startTime : epochNow)) : null;
      this.samples.set(key, {
        cpuTimeMs: raw.cpuTimeMs,
        at: wallNow,
        firstSeen: previous?.firstSeen ?? epochNow,
        lastActive: active ? epochNow : (previous?.lastActive ?? null),
        overSince,
      });
    }
    return out;
  }

  /**
   * What this sampler has seen of a process: `activeNow` when the latest reading was at or over the idle line,
   * else when it last saw it active (null: never) and when it first saw it.
   */
  watch(key: string, epochNow: number): { activeNow: boolean; lastActive: number | null; firstSeen: number } | null {
    const s = this.samples.get(key);
    if (!s) return null;
    return { activeNow: s.lastActive === epochNow, lastActive: s.lastActive, firstSeen: s.firstSeen };
  }

  /** Since when a process's CPU use has been over the hog line in every reading (null: the latest was not). */
  overSince(key: string): number | null {
    return this.samples.get(key)?.overSince ?? null;
  }

  /** Forgets processes that are gone. */
  forgetExcept(keys: Set<string>): void {
    for (const key of this.samples.keys()) if (!keys.has(key)) this.samples.delete(key);
  }
}
