/**
 * The one contract between the dashboard and whatever feeds it: the Electron
 * preload bridge and the HTTP + server-sent-events bridge both implement
 * `TceApi`, and the renderer never knows which one it talks to.
 */
import type { ActionResult, ProcessRef, ProcessSnapshot } from '../core/process/types.js';
import type { IndexingProgress, SessionUsage, UsageBlock, UsageReport, UsageToday } from '../core/usage/types.js';
import type { Settings } from '../core/settings/types.js';
import type { SettingsPatch } from '../core/settings/schema.js';
import type { PlanUsage } from '../core/statusline/types.js';
import type { MachineState } from '../core/fleet/types.js';

export type { ActionResult, ClaudeProcess, Health, ProcessRef, ProcessSnapshot, ProcessSummary } from '../core/process/types.js';
export type { ClaudeCodeCost, DailyUsage, IndexingProgress, ModelUsage, SessionUsage, TokenTotals, UsageBlock, UsageReport, UsageToday } from '../core/usage/types.js';
export type { Settings } from '../core/settings/types.js';
export type { SettingsPatch } from '../core/settings/schema.js';
export type { PlanUsage, PlanWindow } from '../core/statusline/types.js';
export type { MachineState, MachineSummary } from '../core/fleet/types.js';

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

/** IPC: invoke channels, each with its argument tuple and result. Main, preload and renderer compile against this map. */
export interface IpcInvokeMap {
  'tce:get-snapshot': { args: []; result: Snapshot };
  'tce:kill': { args: [target: ProcessRef, force: boolean]; result: ActionResult };
  'tce:kill-stale': { args: []; result: ActionResult[] };
  'tce:pin': { args: [target: ProcessRef]; result: ActionResult };
  'tce:unpin': { args: [target: ProcessRef]; result: ActionResult };
  'tce:get-settings': { args: []; result: Settings };
  'tce:update-settings': { args: [patch: SettingsPatch]; result: Settings };
}

/** IPC: messages main pushes to the renderer. */
export interface IpcPushMap {
  'tce:snapshot': Snapshot;
  /** Ask the dashboard to show one process (from a notification click). */
  'tce:focus-process': number;
}

export type IpcInvokeChannel = keyof IpcInvokeMap;
export type IpcPushChannel = keyof IpcPushMap;
