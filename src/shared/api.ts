/**
 * The one contract between the dashboard and whatever feeds it: the Electron
 * preload bridge and the HTTP + server-sent-events bridge both implement
 * `TceApi`, and the renderer never knows which one it talks to. The facts it carries
 * are the core's types: `shared` depends on `core`, never the other way round.
 */
import type { ActionResult, ProcessRef } from '../core/process/types.js';
import type { Settings } from '../core/settings/types.js';
import type { SettingsPatch } from '../core/settings/schema.js';
import type { Snapshot } from '../core/snapshot.js';

export type { ActionResult, ClaudeProcess, Health, ProcessRef, ProcessSnapshot, ProcessSummary } from '../core/process/types.js';
export type { ClaudeCodeCost, DailyUsage, IndexingProgress, ModelUsage, SessionUsage, TokenTotals, UsageBlock, UsageReport, UsageToday } from '../core/usage/types.js';
export type { Settings } from '../core/settings/types.js';
export type { SettingsPatch } from '../core/settings/schema.js';
export type { PlanUsage, PlanWindow } from '../core/statusline/types.js';
export type { Snapshot, TceApi } from '../core/snapshot.js';
export type { MachineState, MachineSummary } from '../core/fleet/types.js';

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
