import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { TrayActions } from './tray-menu.js';
import type { TrayView } from './tray-view.js';

export interface AppMenuContext {
  /** False where no tray icon can be seen: the menu says that closing the window quits. */
  trayVisible: boolean;
}

const info = (label: string): MenuItemConstructorOptions => ({ label, enabled: false });

/**
 * The dashboard window's menu: Quit and the tray's app-wide actions, so that TCE can be controlled from its window
 * on a desktop that shows no tray icon. Per-process actions live in the dashboard itself.
 */
export function appMenuTemplate(view: TrayView, actions: TrayActions, context: AppMenuContext): MenuItemConstructorOptions[] {
  const tce: MenuItemConstructorOptions[] = [info(view.summary)];
  if (!context.trayVisible) tce.push(info('No tray icon on this desktop: closing this window quits TCE'));
  if (view.notificationsProblem) tce.push(info('⚠ Notifications unavailable (see the tray menu or the log)'));
  tce.push(
    { type: 'separator' },
    {
      label: view.staleCount > 0 ? `Kill All Stale (${view.staleCount})…` : 'Kill All Stale…',
      id: 'app-kill-stale',
      enabled: view.staleCount > 0,
      click: () => actions.killAllStale(),
    },
    {
      label: view.pausedUntil ? `Resume Notifications (paused until ${view.pausedUntil})` : 'Pause Notifications for 1 Hour',
      id: 'app-pause-notifications',
      click: () => actions.toggleNotificationPause(),
    },
    { label: 'Start at Login', id: 'app-start-at-login', type: 'checkbox', checked: view.startAtLogin, click: (item) => actions.setStartAtLogin(item.checked) },
    { type: 'separator' },
    { label: 'Close Window', id: 'app-close-window', role: 'close', accelerator: 'CmdOrCtrl+W' },
    { label: 'Quit TCE', id: 'app-quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
  );
  // The Edit menu gives the dashboard's fields copy and paste (on macOS only an Edit menu carries those shortcuts).
  return [{ label: 'TCE', id: 'app-tce', submenu: tce }, { role: 'editMenu' }];
}

/** Keeps the application menu in step with the view, rebuilding it only when something it shows changed. */
export class AppMenuPresenter {
  private shown: string | null = null;

  constructor(
    private readonly actions: TrayActions,
    private readonly context: AppMenuContext,
  ) {}

  show(view: TrayView): void {
    const key = JSON.stringify([view.summary, view.staleCount, view.pausedUntil, view.startAtLogin, view.notificationsProblem !== null]);
    if (key === this.shown) return;
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(view, this.actions, this.context)));
    this.shown = key;
  }
}
