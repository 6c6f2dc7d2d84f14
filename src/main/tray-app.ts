import { app, clipboard, dialog, powerMonitor, shell, type MessageBoxOptions } from 'electron';
import type { Monitor } from '../core/monitor.js';
import { decideWaits } from '../core/process/attention.js';
import type { SettingsStore } from '../core/settings/store.js';
import type { NotificationSettings } from '../core/settings/types.js';
import { decidePlanAlerts } from '../core/statusline/plan.js';
import type { ActionResult, ProcessRef, Snapshot } from '../shared/api.js';
import { AppMenuPresenter } from './app-menu.js';
import { planNotice, waitNotices, type AttentionNotice } from './attention-notices.js';
import { dashboardSenderCheck, push, registerIpc } from './ipc.js';
import { isAppUrl } from './app-protocol.js';
import type { LoginItem } from './login-item.js';
import { NotificationPlanner, noticeFor, type NoticeEvent } from './notification-planner.js';
import { Notifier } from './notifier.js';
import { TrayPresenter } from './tray.js';
import type { TrayHost } from './tray-host.js';
import { appImage } from './tray-icon.js';
import type { TrayActions } from './tray-menu.js';
import { trayView, type TrayView } from './tray-view.js';
import { DashboardWindow } from './window.js';

const PAUSE_MS = 60 * 60 * 1000;
/** How long a quit waits for the monitor to save its state before the app ends anyway. */
const STOP_DEADLINE_MS = 5000;
/** How long notices are gathered after a wake at most, should the poll made for it hang. */
const WAKE_GATHER_MAX_MS = 30_000;

export interface TrayAppOptions {
  monitor: Monitor;
  /** The settings file, through core's store: the tray writes only its window's place and the notification pause. */
  settings: SettingsStore;
  /** Problems met while opening the settings: shown in the menu and once as a notification. */
  settingsWarnings: string[];
  loginItem: LoginItem;
  preload: string;
  platform?: NodeJS.Platform;
  /** Whether this desktop shows tray icons (default: it does). */
  trayHost?: TrayHost;
  now?: () => Date;
}

/** Resolves when `promise` settles or `ms` pass, whichever is first; never rejects. */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    promise.then(
      () => resolve(),
      () => resolve(),
    );
  });
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `1234`, or `1234 on devbox` for a remote machine's process. */
function named(target: ProcessRef): string {
  return target.machine === undefined ? String(target.pid) : `${target.pid} on ${target.machine}`;
}

/** The tray app's parts wired together: monitor -> tray, notifications and dashboard; menu and IPC -> monitor. */
export class TrayApp {
  readonly dashboard: DashboardWindow;
  /** False where no tray icon can be seen: the window is the app, and closing it quits. */
  readonly trayVisible: boolean;
  private readonly platform: NodeJS.Platform;
  private readonly tray: TrayPresenter;
  private readonly appMenu: AppMenuPresenter;
  private readonly notifier: Notifier;
  private readonly planner = new NotificationPlanner();
  /** The waits and plan-threshold crossings decided on so far (core's decideWaits and decidePlanAlerts keep them). */
  private waitsSeen: ReadonlySet<string> = new Set();
  private planSeen: ReadonlySet<string> = new Set();
  private readonly now: () => Date;
  private unsubscribe: (() => void) | null = null;
  private unregisterIpc: (() => void) | null = null;
  /** What is wrong with the settings file right now (or was: moved aside), shown in the menu. */
  private settingsProblems: string[] = [];
  /** Set from a wake until the poll made for it is done: the transitions of the time asleep, to show as one notice. */
  private afterSleep: NoticeEvent[] | null = null;
  private stopping: Promise<void> | null = null;
  private released = false;
  private quitting = false;
  private readonly onResume = (): void => this.resumed();
  private readonly onAllWindowsClosed = (): void => {
    // With a tray the app lives on in it; without one the window was the app.
    if (!this.trayVisible) this.quit();
  };

  constructor(private readonly options: TrayAppOptions) {
    this.now = options.now ?? (() => new Date());
    this.platform = options.platform ?? process.platform;
    this.trayVisible = options.trayHost?.state !== 'absent';
    const settings = options.settings;
    this.dashboard = new DashboardWindow({
      preload: options.preload,
      bounds: settings.load().settings.windowBounds,
      saveBounds: (bounds) => {
        try {
          settings.update((s) => {
            s.windowBounds = bounds;
          });
        } catch {
          // The file cannot be written now (the menu says why); the place is remembered next time.
        }
      },
      icon: appImage(),
      platform: this.platform,
      closeQuits: !this.trayVisible,
    });
    this.notifier = new Notifier(() => this.refreshTray());
    const actions = this.actions();
    this.tray = new TrayPresenter(actions, this.platform);
    this.appMenu = new AppMenuPresenter(actions, { trayVisible: this.trayVisible });
  }

  /** What a check from outside needs to see (the real-Electron smoke suite evaluates this in the main process). */
  diagnostics(): { trayAlive: boolean; trayVisible: boolean; windowVisible: boolean; notificationsProblem: string | null } {
    return { trayAlive: this.tray.isAlive(), trayVisible: this.trayVisible, windowVisible: this.dashboard.isVisible(), notificationsProblem: this.notifier.unavailable() };
  }

  /** True once the app has let go of everything and the monitor has saved its state: a quit may proceed. */
  get stopped(): boolean {
    return this.released;
  }

  start(): void {
    const { monitor } = this.options;
    this.unregisterIpc = registerIpc(monitor, dashboardSenderCheck(() => this.dashboard.contents(), isAppUrl));
    this.unsubscribe = monitor.onSnapshot((snapshot) => this.onSnapshot(snapshot));
    powerMonitor.on('resume', this.onResume);
    app.on('window-all-closed', this.onAllWindowsClosed);
    this.notifier.check();
    this.refreshTray();
    if (!this.trayVisible) {
      const why = this.options.trayHost?.detail ?? 'no tray host';
      console.warn(`TCE: this desktop shows no tray icons (${why}); the dashboard window stays open, and closing it quits TCE.`);
    }
    if (this.options.settingsWarnings.length > 0) {
      this.notifier.show({ title: 'TCE settings were reset', body: this.options.settingsWarnings.join(' ') });
    }
    monitor.start();
  }

  /** Lets go of everything: listeners, IPC, the tray, the monitor (which saves its index). Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.release();
    return this.stopping;
  }

  private async release(): Promise<void> {
    this.unsubscribe?.();
    this.unregisterIpc?.();
    powerMonitor.off('resume', this.onResume);
    app.off('window-all-closed', this.onAllWindowsClosed);
    this.dashboard.allowClose();
    this.tray.destroy();
    try {
      await this.options.monitor.stop();
    } catch (error) {
      console.error(`TCE: the monitor did not stop cleanly: ${message(error)}`);
    }
    this.released = true;
  }

  /**
   * Quits the app: stops first (within a deadline), then asks Electron to quit, which runs `before-quit`,
   * closes the window and ends. Every way out goes through here: the menus, a closed window without a tray, and a
   * quit Electron started (Ctrl+C in `tce run`, logout), whose `before-quit` waits for it.
   */
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    settleWithin(this.stop(), STOP_DEADLINE_MS)
      .then(() => app.quit())
      .catch((error: unknown) => console.error(`TCE: quitting failed: ${message(error)}`));
  }

  /** Opens the dashboard; with a pid, asks it to show that process. */
  async openDashboard(focusPid?: number): Promise<void> {
    await this.dashboard.show();
    const contents = this.dashboard.contents();
    const snapshot = this.options.monitor.current();
    if (snapshot) push(contents, 'tce:snapshot', snapshot);
    if (focusPid !== undefined) push(contents, 'tce:focus-process', focusPid);
  }

  /** openDashboard for callers that cannot wait: a failure is logged, never left unhandled. */
  showDashboard(focusPid?: number): void {
    this.openDashboard(focusPid).catch((error: unknown) => console.error(`TCE: the dashboard could not be opened: ${message(error)}`));
  }

  private onSnapshot(snapshot: Snapshot): void {
    this.refreshTray(snapshot);
    const settings = this.notificationSettings();
    const now = this.now();
    const transitions = this.planner.transitions(snapshot.processes.processes, settings, now.getTime());
    if (this.afterSleep) this.afterSleep.push(...transitions);
    else this.notify(noticeFor(transitions));
    this.notifyAttention(snapshot, settings, now);
    push(this.dashboard.contents(), 'tce:snapshot', snapshot);
  }

  /**
   * "proj-x needs you" once per wait, and plan windows crossing the user's thresholds once per window. While paused
   * or switched off nothing shows, yet what happened is remembered, so nothing old is announced later.
   */
  private notifyAttention(snapshot: Snapshot, settings: NotificationSettings, now: Date): void {
    const paused = settings.pausedUntil !== null && Date.parse(settings.pausedUntil) > now.getTime();
    const waits = decideWaits(snapshot.processes.processes, this.waitsSeen, settings.waiting && !paused);
    this.waitsSeen = waits.seen;
    const plan = decidePlanAlerts(snapshot.plan, settings.planThresholdPercents, this.planSeen, settings.planThresholds && !paused);
    this.planSeen = plan.seen;
    const notices: AttentionNotice[] = [...waitNotices(waits.notify), ...plan.alerts.map((alert) => planNotice(alert, now))];
    for (const notice of notices) {
      const focus = notice.focusPid ?? undefined;
      this.notifier.show({ title: notice.title, body: notice.body, onClick: () => this.showDashboard(focus) });
    }
  }

  private notify(notice: ReturnType<typeof noticeFor>): void {
    if (notice) this.notifier.show({ title: notice.title, body: notice.body, onClick: () => this.showDashboard(notice.focusPid) });
  }

  /**
   * After sleep the tray shows how things were before it: poll at once. Everything that changed while asleep
   * arrives in the next poll or two (this one, and the timer's, which fires on wake): one notice for all of it.
   */
  private resumed(): void {
    if (this.afterSleep || this.stopping) return;
    const gathered: NoticeEvent[] = [];
    this.afterSleep = gathered;
    settleWithin(this.options.monitor.refresh(), WAKE_GATHER_MAX_MS)
      .then(() => {
        if (this.afterSleep === gathered) this.afterSleep = null;
        this.notify(noticeFor(gathered, true));
      })
      .catch((error: unknown) => console.error(`TCE: after sleep: ${message(error)}`));
  }

  private notificationSettings(): NotificationSettings {
    const { settings, warnings } = this.options.settings.load();
    this.settingsProblems = warnings;
    return settings.notifications;
  }

  private refreshTray(snapshot: Snapshot | null = this.options.monitor.current()): void {
    if (this.stopping) return;
    const view = this.view(snapshot);
    this.tray.show(view);
    this.appMenu.show(view);
  }

  private view(snapshot: Snapshot | null): TrayView {
    const notifications = this.notificationSettings();
    let startAtLogin = false;
    try {
      startAtLogin = this.options.loginItem.isEnabled();
    } catch {
      // Shown unchecked: the state cannot be read.
    }
    return trayView(snapshot, {
      warnings: [...this.options.settingsWarnings, ...this.settingsProblems],
      pausedUntil: notifications.pausedUntil,
      startAtLogin,
      notificationsProblem: this.notifier.unavailable(),
      now: this.now(),
    });
  }

  private report(what: string, results: ActionResult[]): void {
    if (results.length === 0) return;
    const failed = results.filter((r) => !r.ok);
    const title = failed.length === 0 ? what : `${what}: ${failed.length} of ${results.length} refused or failed`;
    this.notifier.show({ title, body: results.map((r) => r.message).join('\n') });
  }

  /**
   * Runs a menu action to its end; its failure becomes a notification, never an unhandled rejection. The monitor polls
   * after the action, and its snapshot updates the tray.
   */
  private act(what: string, action: () => Promise<ActionResult | ActionResult[]>): void {
    const run = async (): Promise<void> => {
      try {
        const result = await action();
        this.report(what, Array.isArray(result) ? result : [result]);
      } catch (error) {
        this.notifier.show({ title: `${what} failed`, body: message(error) });
      }
    };
    run().catch((error: unknown) => console.error(`TCE: ${what}: ${message(error)}`));
  }

  /** A message box, modal to the dashboard when it is on screen; on macOS the app comes to the front first. */
  private async ask(options: MessageBoxOptions): Promise<number> {
    const parent = this.dashboard.visibleWindow();
    if (parent) return (await dialog.showMessageBox(parent, options)).response;
    if (this.platform === 'darwin') app.focus({ steal: true });
    return (await dialog.showMessageBox(options)).response;
  }

  private killAllStale(): void {
    const snapshot = this.options.monitor.current();
    const stale = snapshot?.processes.processes.filter((p) => p.health === 'stale') ?? [];
    if (stale.length === 0) return;
    this.ask({
      type: 'warning',
      buttons: ['Kill', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Kill all stale',
      message: `Kill ${stale.length} stale Claude Code process${stale.length === 1 ? '' : 'es'}?`,
      detail: stale.map((p) => `${p.project ?? p.name} (pid ${p.pid})`).join('\n'),
    }).then(
      (response) => {
        if (response === 0) this.act('Kill all stale', () => this.options.monitor.killStale());
      },
      (error: unknown) => this.notifier.show({ title: 'Kill all stale failed', body: message(error) }),
    );
  }

  private toggleNotificationPause(): void {
    const current = this.notificationSettings();
    const paused = current.pausedUntil !== null && Date.parse(current.pausedUntil) > this.now().getTime();
    const pausedUntil = paused ? null : new Date(this.now().getTime() + PAUSE_MS).toISOString();
    try {
      this.options.settings.update((s) => {
        s.notifications.pausedUntil = pausedUntil;
      });
    } catch (error) {
      this.notifier.show({ title: `Notifications could not be ${paused ? 'resumed' : 'paused'}`, body: message(error) });
    }
    this.refreshTray();
  }

  private setStartAtLogin(enabled: boolean): void {
    try {
      const todo = this.options.loginItem.setEnabled(enabled);
      if (todo) this.notifier.show({ title: 'Start at login needs your approval', body: todo });
    } catch (error) {
      this.notifier.show({ title: 'Start at login could not be changed', body: message(error) });
    }
    this.refreshTray();
  }

  private copyPid(pid: number): void {
    clipboard.writeText(String(pid)).catch((error: unknown) => this.notifier.show({ title: 'Cannot copy the PID', body: message(error) }));
  }

  private openFolder(folder: string): void {
    shell.openPath(folder).then(
      (error) => {
        if (error) this.notifier.show({ title: 'Cannot open folder', body: `${folder}: ${error}` });
      },
      (error: unknown) => this.notifier.show({ title: 'Cannot open folder', body: `${folder}: ${message(error)}` }),
    );
  }

  private actions(): TrayActions {
    const monitor = this.options.monitor;
    return {
      kill: (target, force) => this.act(`${force ? 'Force kill' : 'Kill'} ${named(target)}`, () => monitor.kill(target, force)),
      pin: (target) => this.act(`Pin ${named(target)}`, () => monitor.pin(target)),
      unpin: (target) => this.act(`Unpin ${named(target)}`, () => monitor.unpin(target)),
      copyPid: (pid) => this.copyPid(pid),
      openFolder: (folder) => this.openFolder(folder),
      killAllStale: () => this.killAllStale(),
      openDashboard: (focusPid) => this.showDashboard(focusPid),
      toggleNotificationPause: () => this.toggleNotificationPause(),
      setStartAtLogin: (enabled) => this.setStartAtLogin(enabled),
      quit: () => this.quit(),
    };
  }
}
