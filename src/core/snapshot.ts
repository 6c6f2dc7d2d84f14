/**
 * What a poll produces and what the bridges offer the dashboard: the snapshot and the API of actions. Core types,
 * re-exported by shared/api.ts as the contract of the Electron and HTTP bridges.
 */
import type { ActionResult, ProcessRef, ProcessSnapshot } from './process/types.js';
import type { Settings } from './settings/types.js';
import type { PlanUsage } from './statusline/types.js';
import type { SessionUsage, UsageBlock, UsageReport } from './usage/types.js';

/** Everything the dashboard shows, pushed after every poll. */
export interface Snapshot {
  processes: ProcessSnapshot;
  usage: UsageReport | null;
  sessions: SessionUsage[];
  activeBlock: UsageBlock | null;
  /**
   * Plan use (5-hour and weekly windows) as Claude Code last passed it to `tce statusline`; null when no statusline
   * record exists (the UI then says how to enable it: `tce statusline --install`).
   */
  plan: PlanUsage | null;
  /** Problems to show in place (unreadable Claude dir, corrupted settings, ...). */
  warnings: string[];
  /** ISO time this snapshot was made. */
  generatedAt: string;
  /** Poll interval in seconds, so the UI can tell when data is older than one poll. */
  pollIntervalSeconds: number;
}

export interface TceApi {
  getSnapshot(): Promise<Snapshot>;
  /** Calls `listener` with every new snapshot; returns an unsubscribe function. */
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  /**
   * Kill, pin and unpin name the process as the user saw it listed (PID and ClaudeProcess.startId): a PID that names
   * another process by now is refused with "that process is gone", never signalled.
   */
  kill(target: ProcessRef, force: boolean): Promise<ActionResult>;
  killStale(): Promise<ActionResult[]>;
  pin(target: ProcessRef): Promise<ActionResult>;
  unpin(target: ProcessRef): Promise<ActionResult>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
}
