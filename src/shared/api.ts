/**
 * The one contract between the dashboard and whatever feeds it: the Electron
 * preload bridge and the HTTP + server-sent-events bridge both implement
 * `TceApi`, and the renderer never knows which one it talks to.
 */
import type { ActionResult, ProcessRef, ProcessSnapshot } from '../core/process/types.js';
import type { IndexingProgress, SessionUsage, UsageBlock, UsageReport } from '../core/usage/types.js';
import type { Settings } from '../core/settings/types.js';
import type { PlanUsage } from '../core/statusline/types.js';

export type { ActionResult, ClaudeProcess, Health, ProcessRef, ProcessSnapshot, ProcessSummary } from '../core/process/types.js';
export type { DailyUsage, IndexingProgress, ModelUsage, SessionUsage, TokenTotals, UsageBlock, UsageReport } from '../core/usage/types.js';
export type { Settings } from '../core/settings/types.js';
export type { PlanUsage, PlanWindow } from '../core/statusline/types.js';

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
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
}

/** IPC: invoke channels, each with its argument tuple and result. Main, preload and renderer compile against this map. */
export interface IpcInvokeMap {
  'tce:get-snapshot': { args: []; result: Snapshot };
  'tce:kill': { args: [target: ProcessRef, force: boolean]; result: ActionResult };
  'tce:kill-stale': { args: []; result: ActionResult[] };
  'tce:pin': { args: [target: ProcessRef]; result: ActionResult };
  'tce:unpin': { args: [target: ProcessRef]; result: ActionResult };
  'tce:get-settings': { args: []; result: Settings };
  'tce:update-settings': { args: [patch: Partial<Settings>]; result: Settings };
}

/** IPC: messages main pushes to the renderer. */
export interface IpcPushMap {
  'tce:snapshot': Snapshot;
  /** Ask the dashboard to show one process (from a notification click). */
  'tce:focus-process': number;
}

export type IpcInvokeChannel = keyof IpcInvokeMap;
export type IpcPushChannel = keyof IpcPushMap;
