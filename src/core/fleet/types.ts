/**
 * Other machines as the snapshot carries them: what each remote TCE server last said about itself, and whether it
 * answers. No Node imports: the renderer compiles against these.
 */
import type { ProcessSnapshot } from '../process/types.js';
import type { PlanUsage } from '../statusline/types.js';
import type { ModelUsage, ProjectUsage, TokenTotals, UsageBlock, UsageToday } from '../usage/types.js';

/**
 * What a TCE server says about its machine at `GET /api/machine`: its processes, today's and all-time usage, the
 * active block and plan use. Much smaller than its snapshot (no days, no sessions, no prompts).
 */
export interface MachineSummary {
  /** That machine's own name for itself (os.hostname()). */
  hostname: string;
  /** That TCE's version. */
  version: string;
  /** ISO time of that server's last poll. */
  generatedAt: string;
  pollIntervalSeconds: number;
  /** Every process there carries `machine` (the name this TCE gave it in its settings). */
  processes: ProcessSnapshot;
  /** Today there, in that machine's time zone; null without usage data. */
  today: Omit<UsageToday, 'claudeCode'> | null;
  /** All-time usage there; null without usage data. */
  usage: {
    totals: TokenTotals;
    models: ModelUsage[];
    /** The costliest projects (at most MAX_SUMMARY_PROJECTS). */
    projects: ProjectUsage[];
    timezone: string;
  } | null;
  activeBlock: UsageBlock | null;
  plan: PlanUsage | null;
  warnings: string[];
}

/** A remote machine (one of the settings' remotes) as this TCE last reached it. */
export interface MachineState {
  /** Its name in the settings. */
  name: string;
  /** Its server's URL (no credentials in it, ever). */
  url: string;
  /** Whether its last poll got an answer. */
  reachable: boolean;
  /** ISO time of its last answer; null when it never answered. */
  lastSeen: string | null;
  /** ISO time of the last attempt; null before the first. */
  checkedAt: string | null;
  /** Why the last attempt failed (or the machine's summary could not be used); null when it answered. */
  error: string | null;
  /**
   * What it last answered; kept while it is unreachable (its usage as of `lastSeen`), but its processes are then not
   * listed: they are not known now. Null before its first answer.
   */
  summary: MachineSummary | null;
}

/** Projects a summary lists at most (the costliest): a machine with thousands of folders stays small on the wire. */
export const MAX_SUMMARY_PROJECTS = 200;
