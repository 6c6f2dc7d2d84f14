import { app, clipboard, dialog, shell } from 'electron';
import type Store from 'electron-store';
import type { Monitor } from '../core/monitor.js';
import type { NotificationSettings, Settings } from '../core/settings/types.js';
import type { ActionResult, Snapshot } from '../shared/api.js';
import { dashboardSenderCheck, push, registerIpc } from './ipc.js';
import { isAppUrl } from './app-protocol.js';
import type { LoginItem } from './login-item.js';
import { NotificationPlanner } from './notification-planner.js';
import { Notifier } from './notifier.js';
import { TrayPresenter } from './tray.js';
import { appImage } from './tray-icon.js';
import type { TrayActions } from './tray-menu.js';
import { trayView } from './tray-view.js';
import { readSetting } from './settings.js';
import { DashboardWindow } from './window.js';

const PAUSE_MS = 60 * 60 * 1000;

export interface TrayAppOptions {
  monitor: Monitor;
  settings: Store<Settings>;
  /** Problems met while opening the settings: shown in the menu and once as a notification. */
  settingsWarnings: string[];
  loginItem: LoginItem;
  preload: string;
  platform?: NodeJS.Platform;
  now?: () => Date;
}

/** The tray app's parts wired together: monitor -> tray, notifications and dashboard; menu and IPC -> monitor. */
export class TrayApp {
  readonly dashboard: DashboardWindow;
  private readonly tray: TrayPresenter;
  private readonly notifier = new Notifier();
  private readonly planner = new NotificationPlanner();
  private readonly now: () => Date;
  private unsubscribe: (() => void) | null = null;
  private unregisterIpc: (() => void) | null = null;
  /** Why the settings file cannot be read right now, shown in the menu until it can. */
  private settingsProblem: string | null = null;

  constructor(private readonly options: TrayAppOptions) {
    this.now = options.now ?? (() => new Date());
    const settings = options.settings;
    this.dashboard = new DashboardWindow({
      preload: options.preload,
      bounds: readSetting(settings, 'windowBounds').value,
      saveBounds: (bounds) => {
        try {
          settings.set('windowBounds', bounds);
        } catch {
          // The file cannot be written now (the menu says why); the place is remembered next time.
        }
      },
      icon: appImage(),
    });
    this.tray = new TrayPresenter(this.actions(), options.platform ?? process.platform);
  }

  start(): void {
    const { monitor } = this.options;
    this.unregisterIpc = registerIpc(monitor, dashboardSenderCheck(() => this.dashboard.contents(), isAppUrl));
    this.unsubscribe = monitor.onSnapshot((snapshot) => this.onSnapshot(snapshot));
    this.refreshTray();
    if (this.options.settingsWarnings.length > 0) {
      this.notifier.show({ title: 'TCE settings were reset', body: this.options.settingsWarnings.join(' ') });
    }
    monitor.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unregisterIpc?.();
    this.dashboard.allowClose();
    this.tray.destroy();
    await this.options.monitor.stop();
  }

  /** Opens the dashboard; with a pid, asks it to show that process. */
  async openDashboard(focusPid?: number): Promise<void> {
    await this.dashboard.show();
    const contents = this.dashboard.contents();
    const snapshot = this.options.monitor.current();
    if (snapshot) push(contents, 'tce:snapshot', snapshot);
    if (focusPid !== undefined) push(contents, 'tce:focus-process', focusPid);
  }

  private onSnapshot(snapshot: Snapshot): void {
    this.refreshTray(snapshot);
    const notice = this.planner.plan(snapshot.processes.processes, this.notificationSettings(), this.now().getTime());
    if (notice) this.notifier.show({ title: notice.title, body: notice.body, onClick: () => void this.openDashboard(notice.focusPid) });
    push(this.dashboard.contents(), 'tce:snapshot', snapshot);
  }

  private notificationSettings(): NotificationSettings {
    const { value, problem } = readSetting(this.options.settings, 'notifications');
    this.settingsProblem = problem;
    return value;
  }

  private refreshTray(snapshot: Snapshot | null = this.options.monitor.current()): void {
    const notifications = this.notificationSettings();
    let startAtLogin = false;
    try {
      startAtLogin = this.options.loginItem.isEnabled();
    } catch {
      // Shown unchecked: the state cannot be read.
    }
    this.tray.show(
      trayView(snapshot, {
        warnings: this.settingsProblem ? [...this.options.settingsWarnings, this.settingsProblem] : this.options.settingsWarnings,
        pausedUntil: notifications.pausedUntil,
        startAtLogin,
        now: this.now(),
      }),
    );
  }

  private report(what: string, results: ActionResult[]): void {
    if (results.length === 0) return;
    const failed = results.filter((r) => !r.ok);
    const title = failed.length === 0 ? what : `${what}: ${failed.length} of ${results.length} refused or failed`;
    this.notifier.show({ title, body: results.map((r) => r.message).join('\n') });
  }

  private async act(what: string, action: () => Promise<ActionResult | ActionResult[]>): Promise<void> {
    try {
      const result = await action();
      this.report(what, Array.isArray(result) ? result : [result]);
    } catch (error) {
      this.notifier.show({ title: `${what} failed`, body: (error as Error).message });
    }
    await this.options.monitor.refresh().catch(() => undefined);
  }

  private async killAllStale(): Promise<void> {
    const snapshot = this.options.monitor.current();
    const stale = snapshot?.processes.processes.filter((p) => p.health === 'stale') ?? [];
    if (stale.length === 0) return;
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      buttons: ['Kill', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Kill all stale',
      message: `Kill ${stale.length} stale Claude Code process${stale.length === 1 ? '' : 'es'}?`,
      detail: stale.map((p) => `${p.project ?? p.name} (pid ${p.pid})`).join('\n'),
    });
    if (response !== 0) return;
    await this.act('Kill all stale', () => this.options.monitor.killStale());
  }

  private toggleNotificationPause(): void {
    const current = this.notificationSettings();
    const paused = current.pausedUntil !== null && Date.parse(current.pausedUntil) > this.now().getTime();
    const pausedUntil = paused ? null : new Date(this.now().getTime() + PAUSE_MS).toISOString();
    try {
      this.options.settings.set('notifications', { ...current, pausedUntil });
    } catch (error) {
      this.notifier.show({ title: `Notifications could not be ${paused ? 'resumed' : 'paused'}`, body: (error as Error).message });
    }
    this.refreshTray();
  }

  private setStartAtLogin(enabled: boolean): void {
    try {
      this.options.loginItem.setEnabled(enabled);
    } catch (error) {
      this.notifier.show({ title: 'Start at login could not be changed', body: (error as Error).message });
    }
    this.refreshTray();
  }

  private actions(): TrayActions {
    const monitor = this.options.monitor;
    return {
      kill: (target, force) => void this.act(force ? `Force kill ${target.pid}` : `Kill ${target.pid}`, () => monitor.kill(target, force)),
      pin: (target) => void this.act(`Pin ${target.pid}`, () => monitor.pin(target)),
      unpin: (target) => void this.act(`Unpin ${target.pid}`, () => monitor.unpin(target)),
      copyPid: (pid) => clipboard.writeText(String(pid)),
      openFolder: (folder) =>
        void shell.openPath(folder).then((error) => {
          if (error) this.notifier.show({ title: 'Cannot open folder', body: `${folder}: ${error}` });
        }),
      killAllStale: () => void this.killAllStale(),
      openDashboard: () => void this.openDashboard(),
      toggleNotificationPause: () => this.toggleNotificationPause(),
      setStartAtLogin: (enabled) => this.setStartAtLogin(enabled),
      quit: () => void this.stop().finally(() => app.quit()),
    };
  }
}
