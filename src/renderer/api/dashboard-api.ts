/**
 * What the dashboard needs from its data source: the shared `TceApi`, plus the optional extras a bridge may offer
 * (connection state, a usage report for a date range, focus requests from the tray's notifications).
 */
import type { TceApi, UsageReport } from '../../shared/api.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'error';

export interface UsageRange {
  since?: string;
  until?: string;
  timezone?: string;
}

export interface DashboardApi extends TceApi {
  /** Reports changes of the live feed; a bridge without one (IPC) is always live. */
  onConnection?(listener: (state: ConnectionState, detail?: string) => void): () => void;
  /** A usage report over an inclusive date range; without it the dashboard narrows the snapshot's report. */
  usageReport?(range: UsageRange): Promise<UsageReport>;
  /** The tray asks the dashboard to show one process. */
  onFocusProcess?(listener: (pid: number) => void): () => void;
}

/** The preload's `window.tce`, when the page runs in the Electron window. */
export function preloadApi(): DashboardApi | null {
  const candidate = (window as unknown as { tce?: unknown }).tce;
  if (!candidate || typeof candidate !== 'object') return null;
  const api = candidate as Partial<DashboardApi>;
  return typeof api.getSnapshot === 'function' && typeof api.onSnapshot === 'function' ? (candidate as DashboardApi) : null;
}
