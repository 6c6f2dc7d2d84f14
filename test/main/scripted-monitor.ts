// A Monitor whose snapshots the test hands in, recording every action the tray app asks of it.
import type { Monitor } from '../../src/core/monitor.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/defaults.js';
import { applyPatch } from '../../src/core/settings/schema.js';
import type { ActionResult, ProcessRef, Settings, SettingsPatch, Snapshot, UsageBlock, UsageReport } from '../../src/shared/api.js';
import { reportInRange } from '../../src/shared/usage-range.js';

export class ScriptedMonitor implements Monitor {
  latest: Snapshot | null = null;
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  started = false;
  stopped = false;
  settings: Settings = structuredClone(DEFAULT_SETTINGS);
  /**
   * What the next refresh polls: each is pushed in turn, as a poll would (the last becomes the current one). Like the
   * real monitor, every action (kill, kill-stale, pin, unpin) is followed by one such refresh.
   */
  readonly nextPolls: Snapshot[] = [];
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();

  /** Makes `snapshot` the current one and pushes it, as a poll would. */
  emit(snapshot: Snapshot): void {
    this.latest = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }

  called(method: string): Array<unknown[]> {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** As PollingMonitor: one poll after the action, not awaited by it. */
  private refreshAfterAction(): void {
    queueMicrotask(() => void this.refresh().catch(() => undefined));
  }

  start(): void {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  current(): Snapshot | null {
    return this.latest;
  }
  async refresh(): Promise<Snapshot> {
    this.calls.push({ method: 'refresh', args: [] });
    for (const next of this.nextPolls.splice(0)) this.emit(next);
    if (!this.latest) throw new Error('no snapshot yet');
    return this.latest;
  }
  async getSnapshot(): Promise<Snapshot> {
    this.calls.push({ method: 'getSnapshot', args: [] });
    if (!this.latest) throw new Error('no snapshot yet');
    return this.latest;
  }
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async kill(target: ProcessRef, force: boolean): Promise<ActionResult> {
    const { pid } = target;
    this.calls.push({ method: 'kill', args: [target, force] });
    this.refreshAfterAction();
    return { ok: true, pid, outcome: 'killed', message: `Killed ${pid}` };
  }
  async killStale(): Promise<ActionResult[]> {
    this.calls.push({ method: 'killStale', args: [] });
    const stale = this.latest?.processes.processes.filter((p) => p.health === 'stale') ?? [];
    this.refreshAfterAction();
    return stale.map((p) => ({ ok: true, pid: p.pid, outcome: 'killed', message: `Killed ${p.pid}` }));
  }
  async pin(target: ProcessRef): Promise<ActionResult> {
    const { pid } = target;
    this.calls.push({ method: 'pin', args: [target] });
    this.refreshAfterAction();
    return { ok: true, pid, outcome: 'pinned', message: `Pinned ${pid}` };
  }
  async unpin(target: ProcessRef): Promise<ActionResult> {
    const { pid } = target;
    this.calls.push({ method: 'unpin', args: [target] });
    this.refreshAfterAction();
    return { ok: true, pid, outcome: 'unpinned', message: `Unpinned ${pid}` };
  }
  async getSettings(): Promise<Settings> {
    this.calls.push({ method: 'getSettings', args: [] });
    return this.settings;
  }
  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    this.calls.push({ method: 'updateSettings', args: [patch] });
    this.settings = applyPatch(this.settings, patch);
    return this.settings;
  }
  usageReport(options: { since?: string; until?: string }): UsageReport {
    this.calls.push({ method: 'usageReport', args: [options] });
    if (!this.latest?.usage) throw new Error('no usage yet');
    return reportInRange(this.latest.usage, options.since, options.until);
  }
  blocks(): UsageBlock[] {
    this.calls.push({ method: 'blocks', args: [] });
    return this.latest?.activeBlock ? [this.latest.activeBlock] : [];
  }
}
