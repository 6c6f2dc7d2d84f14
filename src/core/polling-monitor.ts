import type { SettingsStore } from './settings/store.js';
import type { ProcessMonitor } from './process/index.js';
import type { UsageEngine, UsageProgress } from './usage/index.js';
import { summaryOf, writeUsageSummary } from './usage/summary.js';
import { usageToday } from './usage/today.js';
import { sessionPidsOf } from './process/session-pids.js';
import { planUsage } from './statusline/plan.js';
import { readRecords } from './statusline/records.js';
import type { Monitor } from './monitor.js';
import type { ActionResult, ProcessRef, ProcessSnapshot } from './process/types.js';
import type { SettingsPatch } from './settings/schema.js';
import type { Settings } from './settings/types.js';
import type { Snapshot } from './snapshot.js';
import type { IndexingProgress, UsageBlock, UsageReport } from './usage/types.js';
import { applyPatch } from './settings/schema.js';
import type { Fleet } from './fleet/fleet.js';

const SESSIONS_IN_SNAPSHOT = 100;
/** Remote machines' answers within this long of each other are pushed as one snapshot. */
const MACHINES_GATHER_MS = 100;
/** A usage refresh running longer than this is a long index build: snapshots with its progress are pushed meanwhile. */
const INDEXING_AFTER_MS = 500;
/** And then about this often. */
const INDEXING_EVERY_MS = 1000;

/** Seconds left at the byte rate so far, once there is enough of it to go by. */
function etaSeconds(p: UsageProgress, elapsedMs: number): number | null {
  if (p.bytesTotal <= 0 || p.bytesDone < p.bytesTotal * 0.01 || elapsedMs < 500) return null;
  const left = Math.max(0, p.bytesTotal - p.bytesDone);
  return Math.ceil((left / p.bytesDone) * (elapsedMs / 1000));
}

/** A turn of the event loop. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function emptyProcessSnapshot(): ProcessSnapshot {
  return {
    processes: [],
    summary: { total: 0, healthy: 0, stale: 0, zombie: 0, hog: 0, pinned: 0 },
    scannedAt: new Date().toISOString(),
  };
}

/** What the monitor is made of; built by the composition root (create-core.ts). */
export interface MonitorParts {
  settings: SettingsStore;
  processes: ProcessMonitor;
  usage: UsageEngine;
  /** TCE's data folder: the usage summary for `tce statusline` goes there, the statusline records come from there. */
  dataDir: string;
  /** Missing Claude Code folders, checked on every poll (one may be created meanwhile). */
  folderProblems: () => string[];
  /** IANA time zone of the snapshot's report; default the engine's. */
  timezone?: string;
  /** The settings' remote machines: polled beside every poll, and where their processes' actions go. */
  fleet: Fleet;
  /** See MonitorOptions.indexingAfterMs. */
  indexingAfterMs?: number;
}

/**
 * The one long-lived object that feeds the tray app and the HTTP server: it polls processes and usage every
 * `pollIntervalSeconds`, keeps the latest snapshot, and acts.
 */
export class PollingMonitor implements Monitor {
  private readonly settings: SettingsStore;
  private readonly processes: ProcessMonitor;
  private readonly usage: UsageEngine;
  private readonly folderProblems: () => string[];
  private readonly timezone: string | undefined;
  private readonly dataDir: string;
  private readonly fleet: Fleet;
  private machinesTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();
  private latest: Snapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<Snapshot> | null = null;
  /** An action came while a poll ran: poll once more after it. */
  private pollAgain = false;
  private stopped = false;
  private priceKey = '';
  private readonly indexingAfterMs: number;
  /** The poll under way: when it started, its processes and warnings once known, when it last pushed its progress. */
  private pollUnderWay: { startedAt: number; processes: ProcessSnapshot | null; warnings: string[]; pollIntervalSeconds: number; pushedAt: number } | null = null;

  constructor(parts: MonitorParts) {
    this.settings = parts.settings;
    this.processes = parts.processes;
    this.usage = parts.usage;
    this.folderProblems = parts.folderProblems;
    this.dataDir = parts.dataDir;
    this.timezone = parts.timezone;
    this.fleet = parts.fleet;
    this.priceKey = JSON.stringify(this.settings.load().settings.priceOverrides);
    this.indexingAfterMs = parts.indexingAfterMs ?? INDEXING_AFTER_MS;
    // Kept running: the engine reads again only the folders the file system reports changed, and tells its progress.
    this.usage.watchFolders();
    this.usage.addProgressListener((p) => this.onUsageProgress(p));
    // A remote machine's answer comes when it comes: it is shown with the latest local poll at once, without one.
    this.fleet.onChange(() => this.publishMachines());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.machinesTimer) clearTimeout(this.machinesTimer);
    this.machinesTimer = null;
    this.fleet.stop();
    await this.inFlight?.catch(() => undefined);
    await this.usage.close();
  }

  current(): Snapshot | null {
    return this.latest;
  }

  /** Reads the engine's state as of the latest poll; the caller's zone wins over the monitor's. */
  usageReport(options: { since?: string; until?: string; timezone?: string }): UsageReport {
    const timezone = options.timezone ?? this.timezone;
    return this.usage.report({ since: options.since, until: options.until, ...(timezone ? { timezone } : {}) });
  }

  blocks(): UsageBlock[] {
    return this.usage.blocks();
  }

  /** Concurrent callers share one poll. */
  refresh(): Promise<Snapshot> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = null;
      if (this.pollAgain && !this.stopped) {
        this.pollAgain = false;
        void this.refresh().catch(() => undefined);
      }
    });
    return this.inFlight;
  }

  /**
   * The one refresh after an action (kill, pin, unpin): a poll that starts after the action, whose snapshot reaches
   * every listener (the tray, the dashboard over IPC or server-sent events). A poll already running began before the
   * action, so one more follows it.
   */
  private refreshAfterAction(): void {
    if (this.inFlight) this.pollAgain = true;
    else void this.refresh().catch(() => undefined);
  }

  /** The latest snapshot; before the first one, the first poll's, or its first progress snapshot if that comes first. */
  async getSnapshot(): Promise<Snapshot> {
    if (this.latest) return this.latest;
    const polled = this.refresh();
    const published = new Promise<Snapshot>((resolve) => {
      const off = this.onSnapshot((s) => {
        off();
        resolve(s);
      });
      void polled.finally(off).catch(() => undefined);
    });
    return Promise.race([polled, published]);
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async kill(target: ProcessRef, force: boolean): Promise<ActionResult> {
    if (target.machine !== undefined) return this.fleet.act('kill', target, force);
    const result = await this.processes.kill(target, force);
    this.refreshAfterAction();
    return result;
  }

  async killStale(): Promise<ActionResult[]> {
    const results = await this.processes.killStale({ dryRun: false });
    this.refreshAfterAction();
    return results;
  }

  async pin(target: ProcessRef): Promise<ActionResult> {
    if (target.machine !== undefined) return this.fleet.act('pin', target);
    const result = await this.processes.pin(target);
    this.refreshAfterAction();
    return result;
  }

  async unpin(target: ProcessRef): Promise<ActionResult> {
    if (target.machine !== undefined) return this.fleet.act('unpin', target);
    const result = await this.processes.unpin(target);
    this.refreshAfterAction();
    return result;
  }

  async getSettings(): Promise<Settings> {
    return this.settings.load().settings;
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    const { settings } = this.settings.update((current) => applyPatch(current, patch));
    this.applyPrices(settings);
    return settings;
  }

  private applyPrices(settings: Settings): void {
    const key = JSON.stringify(settings.priceOverrides);
    if (key === this.priceKey) return;
    this.priceKey = key;
    this.usage.setPriceOverrides(settings.priceOverrides);
  }

  private tick(): void {
    // A failed poll is already in the snapshot's warnings; polling goes on either way.
    const next = (): void => this.scheduleTick();
    this.refresh().then(next, next);
  }

  private scheduleTick(): void {
    if (!this.running) return;
    const seconds = this.latest?.pollIntervalSeconds ?? 10;
    this.timer = setTimeout(() => this.tick(), seconds * 1000);
    this.timer.unref?.();
  }

  private async poll(): Promise<Snapshot> {
    const loaded = this.settings.load();
    const settings = loaded.settings;
    const warnings = [...loaded.warnings];
    this.applyPrices(settings);
    warnings.push(...this.folderProblems());
    // Remote machines are asked now, and answer on their own time: this poll takes what is known of them when it ends.
    this.fleet.configure(settings.remotes);
    this.fleet.pollAll().catch(() => undefined);
    const poll = { startedAt: Date.now(), processes: null as ProcessSnapshot | null, warnings, pollIntervalSeconds: settings.pollIntervalSeconds, pushedAt: 0 };
    this.pollUnderWay = poll;
    let processes: ProcessSnapshot;
    let usageError: Error | null;
    try {
      [processes, usageError] = await Promise.all([
        this.processes
          .scan({ settings })
          .catch((error: Error) => {
            warnings.push(`Processes could not be listed: ${error.message}`);
            return this.latest?.processes ?? emptyProcessSnapshot();
          })
          .then((p) => (poll.processes = p)),
        this.usage.refresh().then(
          () => null,
          (error: Error) => error,
        ),
      ]);
    } finally {
      this.pollUnderWay = null;
    }
    if (usageError) warnings.push(`Usage could not be read: ${usageError.message}`);
    // After a big first index each step below takes tens of milliseconds: the event loop gets a turn between them.
    // The report and sessions are the engine's own objects, the same from poll to poll while nothing changes: an
    // unchanged poll makes little garbage, and a monitor running for hours keeps a flat resident size.
    await turn();
    const now = Date.now();
    const report = this.usage.report({ ...(this.timezone ? { timezone: this.timezone } : {}), now: new Date(now), shared: true });
    const today = usageToday(report, now);
    await turn();
    const activeBlock = this.usage.activeBlock(new Date(now));
    await turn();
    // For `tce statusline`, which must not open the index: today's spend and the active block.
    writeUsageSummary(this.dataDir, summaryOf(today, activeBlock, report.generatedAt));
    const snapshot: Snapshot = {
      processes,
      usage: report,
      usageRevision: this.usage.revision,
      today,
      // The session registry was read once, by the scan: each running session gets its process from there.
      sessions: this.usage.sessions({ limit: SESSIONS_IN_SNAPSHOT, livePids: sessionPidsOf(processes.processes), now: new Date(now), shared: true }),
      activeBlock,
      plan: planUsage(readRecords(this.dataDir), now),
      machines: this.fleet.machines(),
      warnings,
      generatedAt: new Date(now).toISOString(),
      pollIntervalSeconds: settings.pollIntervalSeconds,
      indexing: null,
    };
    this.publish(snapshot);
    return snapshot;
  }

  /**
   * The latest snapshot with the remote machines as they are now (one answered, or failed). Answers that come together
   * (a round of machines asked at once) go out as one snapshot, a moment after the first of them.
   */
  private publishMachines(): void {
    if (this.machinesTimer || this.stopped) return;
    this.machinesTimer = setTimeout(() => {
      this.machinesTimer = null;
      const latest = this.latest;
      if (!latest || this.stopped) return;
      const machines = this.fleet.machines();
      // A local poll since may have carried them already.
      if (machines.length === latest.machines.length && machines.every((m, i) => m === latest.machines[i])) return;
      this.publish({ ...latest, machines });
    }, MACHINES_GATHER_MS);
    this.machinesTimer.unref?.();
  }

  private publish(snapshot: Snapshot): void {
    this.latest = snapshot;
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A failing listener must not stop the others or the poll loop.
      }
    }
  }

  /**
   * During a long usage refresh (a first index over a big history), a snapshot every second or so with the progress
   * and the usage of the previous poll, so the tray and the dashboard show what is going on instead of waiting.
   */
  private onUsageProgress(progress: UsageProgress): void {
    const poll = this.pollUnderWay;
    if (!poll) return;
    const now = Date.now();
    if (now - poll.startedAt < this.indexingAfterMs || now - poll.pushedAt < INDEXING_EVERY_MS) return;
    poll.pushedAt = now;
    const indexing: IndexingProgress = { ...progress, etaSeconds: etaSeconds(progress, now - poll.startedAt) };
    const previous = this.latest;
    this.publish({
      ...(previous ?? { usage: null, usageRevision: this.usage.revision, today: null, sessions: [], activeBlock: null, plan: null }),
      processes: poll.processes ?? previous?.processes ?? emptyProcessSnapshot(),
      machines: this.fleet.machines(),
      warnings: poll.warnings,
      generatedAt: new Date(now).toISOString(),
      pollIntervalSeconds: poll.pollIntervalSeconds,
      indexing,
    });
  }
}
