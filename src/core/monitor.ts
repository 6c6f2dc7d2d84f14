/**
 * What feeds the tray app and the HTTP server: the latest snapshot, polled every `pollIntervalSeconds`, and the
 * actions. Built by the composition root (create-core.ts); test doubles implement the whole of it.
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
  /** A usage refresh running longer than this pushes snapshots with its progress (`Snapshot.indexing`); default 500 ms. */
  indexingAfterMs?: number;
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
  /** A usage report for an inclusive YYYY-MM-DD range and time zone, as of the latest poll (RangeError for bad input). */
  usageReport(options: { since?: string; until?: string; timezone?: string }): UsageReport;
  /** Every 5-hour block, oldest first, as of the latest poll. */
  blocks(): UsageBlock[];
}
