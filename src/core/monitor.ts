/**
 * The one long-lived object that feeds the tray app, the HTTP server and long-running CLI commands:
 * it polls processes and usage every `pollIntervalSeconds`, keeps the latest snapshot, and acts.
 */
import type { Snapshot, TceApi } from './snapshot.js';
import type { UsageBlock, UsageReport } from './usage/types.js';

export interface MonitorOptions {
  /** Claude config dirs; default from `claudeDirs(undefined)`. */
  claudeDirs?: string[];
  /** TCE's data folder; default from `dataDir()`. */
  dataDir?: string;
  /** IANA time zone for daily usage; default the local one. */
  timezone?: string;
}

export interface Monitor extends TceApi {
  /** Starts polling (first poll at once). Idempotent. */
  start(): void;
  /** Stops polling and releases timers; persists the usage index. */
  stop(): Promise<void>;
  /** The latest snapshot, or null before the first poll finished. */
  current(): Snapshot | null;
  /** Polls now and resolves with the new snapshot (also pushed to listeners). */
  refresh(): Promise<Snapshot>;
  /** Optional: a usage report for an inclusive YYYY-MM-DD range and time zone (the HTTP server falls back to the snapshot's days). */
  usageReport?(options: { since?: string; until?: string; timezone?: string }): UsageReport;
  /** Optional: every 5-hour block, oldest first (the HTTP server falls back to the active block alone). */
  blocks?(): UsageBlock[];
}
