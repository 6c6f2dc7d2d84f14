/**
 * The one contract between the dashboard and whatever feeds it: the Electron
 * preload bridge and the HTTP + server-sent-events bridge both implement
 * `TceApi`, and the renderer never knows which one it talks to.
 */
import type { ActionResult, ProcessSnapshot } from '../core/process/types.js';
import type { IndexingProgress, SessionUsage, UsageBlock, UsageReport } from '../core/usage/types.js';
import type { Settings } from '../core/settings/types.js';

export type { ActionResult, ClaudeProcess, Health, ProcessSnapshot, ProcessSummary } from '../core/process/types.js';
export type { DailyUsage, IndexingProgress, ModelUsage, SessionUsage, TokenTotals, UsageBlock, UsageReport } from '../core/usage/types.js';
export type { Settings } from '../core/settings/types.js';

/** Everything the dashboard shows, pushed after every poll. */
export interface Snapshot {
  processes: ProcessSnapshot;
  usage: UsageReport | null;
  sessions: SessionUsage[];
  activeBlock: UsageBlock | null;
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
  kill(pid: number, force: boolean): Promise<ActionResult>;
  killStale(): Promise<ActionResult[]>;
  pin(pid: number): Promise<ActionResult>;
  unpin(pid: number): Promise<ActionResult>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
}

/** IPC: invoke channels, each with its argument tuple and result. Main, preload and renderer compile against this map. */
export interface IpcInvokeMap {
  'tce:get-snapshot': { args: []; result: Snapshot };
  'tce:kill': { args: [pid: number, force: boolean]; result: ActionResult };
  'tce:kill-stale': { args: []; result: ActionResult[] };
  'tce:pin': { args: [pid: number]; result: ActionResult };
  'tce:unpin': { args: [pid: number]; result: ActionResult };
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
