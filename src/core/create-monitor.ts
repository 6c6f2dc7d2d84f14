import fs from 'node:fs';
import { claudeDirs as defaultClaudeDirs, dataDir as defaultDataDir } from './paths.js';
import { SettingsStore } from './settings/store.js';
import { ProcessMonitor } from './process/index.js';
import { UsageEngine } from './usage/index.js';
import { summaryOf, writeUsageSummary } from './usage/summary.js';
import { ZonedCalendar } from './usage/time-zone.js';
import { planUsage } from './statusline/plan.js';
import { readRecords } from './statusline/records.js';
import type { Monitor, MonitorOptions } from './monitor.js';
import type { ActionResult, ProcessRef, ProcessSnapshot } from './process/types.js';
import type { Settings } from './settings/types.js';
import type { Snapshot } from './snapshot.js';
import type { UsageBlock, UsageReport } from './usage/types.js';
import path from 'node:path';

const SESSIONS_IN_SNAPSHOT = 100;

/** Shallow fields replace; the nested groups (health, notifications) merge field by field. */
function applyPatch(current: Settings, patch: Partial<Settings>): Settings {
  return {
    ...current,
    ...patch,
    health: { ...current.health, ...(patch.health ?? {}) },
    notifications: { ...current.notifications, ...(patch.notifications ?? {}) },
  };
}

function emptyProcessSnapshot(): ProcessSnapshot {
  return {
    processes: [],
    summary: { total: 0, healthy: 0, stale: 0, zombie: 0, hog: 0, pinned: 0 },
    scannedAt: new Date().toISOString(),
  };
}

class PollingMonitor implements Monitor {
  private readonly settings: SettingsStore;
  private readonly processes: ProcessMonitor;
  private readonly usage: UsageEngine;
  private readonly dirs: string[];
  private readonly timezone: string | undefined;
  private readonly dataDir: string;
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();
  private latest: Snapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<Snapshot> | null = null;
  private priceKey = '';
  /** Warnings that must stay visible after the event that caused them (a corrupted settings file moved aside). */
  private readonly stickyWarnings: string[] = [];

  constructor(options: MonitorOptions) {
    this.dirs = options.claudeDirs ?? defaultClaudeDirs(undefined);
    const data = options.dataDir ?? defaultDataDir();
    this.dataDir = data;
    this.timezone = options.timezone;
    this.settings = new SettingsStore(path.join(data, 'config.json'));
    const { settings, warnings } = this.settings.load();
    this.stickyWarnings.push(...warnings);
    this.priceKey = JSON.stringify(settings.priceOverrides);
    this.processes = new ProcessMonitor({ claudeDirs: this.dirs, settings: this.settings });
    this.usage = new UsageEngine({ claudeDirs: this.dirs, dataDir: data, priceOverrides: settings.priceOverrides });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
    });
    return this.inFlight;
  }

  async getSnapshot(): Promise<Snapshot> {
    return this.latest ?? this.refresh();
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async kill(target: ProcessRef, force: boolean): Promise<ActionResult> {
    const result = await this.processes.kill(target, force);
    void this.refresh().catch(() => undefined);
    return result;
  }

  async killStale(): Promise<ActionResult[]> {
    const results = await this.processes.killStale({ dryRun: false });
    void this.refresh().catch(() => undefined);
    return results;
  }

  async pin(target: ProcessRef): Promise<ActionResult> {
    const result = await this.processes.pin(target);
    void this.refresh().catch(() => undefined);
    return result;
  }

  async unpin(target: ProcessRef): Promise<ActionResult> {
    const result = await this.processes.unpin(target);
    void this.refresh().catch(() => undefined);
    return result;
  }

  async getSettings(): Promise<Settings> {
    return this.settings.load().settings;
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
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
    const warnings = [...new Set([...this.stickyWarnings, ...loaded.warnings])];
    this.stickyWarnings.push(...loaded.warnings.filter((w) => !this.stickyWarnings.includes(w)));
    this.applyPrices(settings);
    const missing = this.dirs.filter((d) => !fs.existsSync(d));
    if (missing.length === this.dirs.length) {
      warnings.push(`No Claude Code config dir found (looked in ${this.dirs.join(', ')}).`);
    }
    const [processes, usageError] = await Promise.all([
      this.processes.scan().catch((error: Error) => {
        warnings.push(`Processes could not be listed: ${error.message}`);
        return this.latest?.processes ?? emptyProcessSnapshot();
      }),
      this.usage.refresh().then(
        () => null,
        (error: Error) => error,
      ),
    ]);
    if (usageError) warnings.push(`Usage could not be read: ${usageError.message}`);
    const report = this.usage.report(this.timezone ? { timezone: this.timezone } : {});
    const activeBlock = this.usage.activeBlock();
    // For `tce statusline`, which must not open the index: today's spend and the active block.
    writeUsageSummary(this.dataDir, summaryOf(report, activeBlock, ZonedCalendar.of(report.timezone).at(Date.now()).date));
    const snapshot: Snapshot = {
      processes,
      usage: report,
      sessions: this.usage.sessions({ limit: SESSIONS_IN_SNAPSHOT }),
      activeBlock,
      plan: planUsage(readRecords(this.dataDir), Date.now()),
      warnings,
      generatedAt: new Date().toISOString(),
      pollIntervalSeconds: settings.pollIntervalSeconds,
    };
    this.latest = snapshot;
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A failing listener must not stop the others or the poll loop.
      }
    }
    return snapshot;
  }
}

export function createMonitor(options: MonitorOptions = {}): Monitor {
  return new PollingMonitor(options);
}

