/**
 * What a poll produces and what the bridges offer the dashboard: the snapshot and the API of actions. Core types,
 * re-exported by shared/api.ts as the contract of the Electron and HTTP bridges.
 */
import type { ActionResult, ProcessRef, ProcessSnapshot } from './process/types.js';
import type { SettingsPatch } from './settings/schema.js';
import type { Settings } from './settings/types.js';
import type { MachineState } from './fleet/types.js';
import type { PlanUsage } from './statusline/types.js';
import type { IndexingProgress, SessionUsage, UsageBlock, UsageReport, UsageToday } from './usage/types.js';

/** Everything the dashboard shows, pushed after every poll. */
export interface Snapshot {
  processes: ProcessSnapshot;
  usage: UsageReport | null;
  /**
   * The usage engine's revision when `usage` was made: equal revisions mean equal reports, so a surface knows when a
   * report it asked for (a date range) is out of date without comparing reports.
   */
  usageRevision: number;
  /** Today (the calendar day of `generatedAt` in the report's zone) in figures; null without a report. */
  today: UsageToday | null;
  /** Most recent first; a running session has its process's PID in `livePid` (from this snapshot's process scan). */
  sessions: SessionUsage[];
  activeBlock: UsageBlock | null;
  /**
   * Plan use (5-hour and weekly windows) as Claude Code last passed it to `tce statusline`; null when no statusline
   * record exists (the UI then says how to enable it: `tce statusline --install`).
   */
  plan: PlanUsage | null;
  /**
   * The settings' remote machines as last reached (each polled beside the local poll, never delaying it): their
   * processes and usage, or why they do not answer and when they last did. Empty without remotes.
   */
  machines: MachineState[];
  /** Problems to show in place (unreadable Claude dir, corrupted settings, ...). */
  warnings: string[];
  /** ISO time this snapshot was made. */
  generatedAt: string;
  /** Poll interval in seconds, so the UI can tell when data is older than one poll. */
  pollIntervalSeconds: number;
  /**
   * Set while a long index build runs (the first one over a big history): snapshots then come every second or so
   * with the progress, usage as of the previous poll (null before the first build ends). Absent or null otherwise.
   */
  indexing?: IndexingProgress | null;
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
  /** Pins and the window's bounds are not in a patch: pin()/unpin() check the process, the tray keeps its window's place. */
  updateSettings(patch: SettingsPatch): Promise<Settings>;
}
