// A fake `window.tce` (what the Electron preload exposes), installed before the page's scripts run, so the dashboard
// can be driven from a test: push snapshots, ask to focus a process, and read back every call the UI made.
import type { Page } from 'playwright';
import type { ActionResult, ProcessRef, Settings, Snapshot } from '../../src/shared/api.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/defaults.js';

export interface FakeCall {
  name: string;
  args: unknown[];
}

export interface FakeOptions {
  snapshot: Snapshot | null;
  /** When set, getSnapshot() rejects with this message. */
  snapshotError?: string;
  /** Outcome of kill/pin/unpin; default ok. */
  refuse?: boolean;
  /** What killStale() answers. */
  killStaleResults?: ActionResult[];
  /** When set, kill/pin/unpin reject with this message (a bridge or network failure). */
  actionError?: string;
  /** When true, kill/pin/unpin wait until the test calls `releaseActions(page)`. */
  holdActions?: boolean;
  /** What getSettings() answers first; default the real defaults. */
  settings?: Settings;
  /** When set, updateSettings() rejects with this message (as the server does for an invalid value). */
  settingsError?: string;
}

interface FakeHost {
  tce: unknown;
  __fakeTce: {
    calls: FakeCall[];
    emit(snapshot: Snapshot): void;
    focus(pid: number): void;
    listenerCount(): number;
    release(): void;
  };
}

/** Runs in the page, before any of its scripts. Must not reference anything outside itself. */
function installFake(options: FakeOptions): void {
  const host = globalThis as unknown as FakeHost;
  const calls: FakeCall[] = [];
  const snapshotListeners = new Set<(s: Snapshot) => void>();
  const focusListeners = new Set<(pid: number) => void>();
  let current = options.snapshot;
  let settings = options.settings as Settings;
  let release: () => void = () => undefined;
  let held = new Promise<void>((resolve) => (release = resolve));
  const result = async (pid: number, outcome: ActionResult['outcome'], message: string): Promise<ActionResult> => {
    if (options.holdActions) await held;
    if (options.actionError) throw new Error(options.actionError);
    return options.refuse ? { ok: false, pid, outcome: 'refused', message: `Refused: ${pid} is not Claude Code.` } : { ok: true, pid, outcome, message };
  };
  host.tce = {
    getSnapshot: async () => {
      calls.push({ name: 'getSnapshot', args: [] });
      if (options.snapshotError) throw new Error(options.snapshotError);
      if (!current) return new Promise<never>(() => undefined);
      return current;
    },
    onSnapshot: (listener: (s: Snapshot) => void) => {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    kill: async (target: ProcessRef, force: boolean) => {
      calls.push({ name: 'kill', args: [target, force] });
      return result(target.pid, 'killed', `Process ${target.pid} ended (${force ? 'SIGKILL' : 'SIGTERM'}).`);
    },
    killStale: async () => {
      calls.push({ name: 'killStale', args: [] });
      return options.killStaleResults ?? [];
    },
    pin: async (target: ProcessRef) => {
      calls.push({ name: 'pin', args: [target] });
      return result(target.pid, 'pinned', `Process ${target.pid} pinned.`);
    },
    unpin: async (target: ProcessRef) => {
      calls.push({ name: 'unpin', args: [target] });
      return result(target.pid, 'unpinned', `Process ${target.pid} unpinned.`);
    },
    getSettings: async () => {
      calls.push({ name: 'getSettings', args: [] });
      return settings;
    },
    updateSettings: async (patch: Partial<Settings>) => {
      calls.push({ name: 'updateSettings', args: [patch] });
      if (options.settingsError) throw new Error(options.settingsError);
      settings = {
        ...settings,
        ...patch,
        health: { ...settings.health, ...patch.health },
        notifications: { ...settings.notifications, ...patch.notifications },
      };
      return settings;
    },
    onFocusProcess: (listener: (pid: number) => void) => {
      focusListeners.add(listener);
      return () => focusListeners.delete(listener);
    },
  };
  host.__fakeTce = {
    calls,
    emit(snapshot) {
      current = snapshot;
      for (const listener of snapshotListeners) listener(snapshot);
    },
    focus(pid) {
      for (const listener of focusListeners) listener(pid);
    },
    listenerCount: () => snapshotListeners.size,
    release() {
      release();
      held = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

export async function installFakeTce(page: Page, options: FakeOptions): Promise<void> {
  await page.addInitScript(installFake, { ...options, settings: options.settings ?? structuredClone(DEFAULT_SETTINGS) });
}

/** Pushes a snapshot as the preload would after a poll. */
export async function emitSnapshot(page: Page, snapshot: Snapshot): Promise<void> {
  await page.evaluate((s) => (globalThis as unknown as FakeHost).__fakeTce.emit(s), snapshot);
}

export async function fakeCalls(page: Page, name?: string): Promise<FakeCall[]> {
  const calls = await page.evaluate(() => (globalThis as unknown as FakeHost).__fakeTce.calls.slice());
  return name ? calls.filter((c) => c.name === name) : calls;
}

/** Lets the actions held by `holdActions` finish. */
export async function releaseActions(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as FakeHost).__fakeTce.release());
}

export async function requestFocus(page: Page, pid: number): Promise<void> {
  await page.evaluate((p) => (globalThis as unknown as FakeHost).__fakeTce.focus(p), pid);
}
