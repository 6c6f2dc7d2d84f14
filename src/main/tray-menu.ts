import type { MenuItemConstructorOptions } from 'electron';
import type { ProcessRef } from '../shared/api.js';
import type { TrayView } from './tray-view.js';
import { truncate } from './format.js';

/** What the menu's items do; the tray wires them to the monitor, the window and the settings. */
export interface TrayActions {
  kill(target: ProcessRef, force: boolean): void;
  pin(target: ProcessRef): void;
  unpin(target: ProcessRef): void;
  copyPid(pid: number): void;
  openFolder(path: string): void;
  killAllStale(): void;
  /** Opens the dashboard; with a PID, on that process. */
  openDashboard(focusPid?: number): void;
  toggleNotificationPause(): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

const info = (label: string): MenuItemConstructorOptions => ({ label, enabled: false });

/** The tray menu for one view. Everything is reachable from here: on Linux a click on the icon may never arrive. */
export function trayMenuTemplate(view: TrayView, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [info(view.summary), info(view.costLine), info(view.blockLine)];
  const plan = view.planLine ?? view.planHint;
  if (plan) items.push(info(plan));
  for (const warning of view.warnings) items.push(info(`⚠ ${truncate(warning, 90)}`));
  if (view.notificationsProblem) items.push(info(`⚠ Notifications unavailable: ${truncate(view.notificationsProblem, 70)}`));
  items.push({ type: 'separator' });
  if (view.processes.length === 0) items.push(info('No processes to act on'));
  for (const p of view.processes) {
    const cwd = p.cwd;
    const target: ProcessRef = { pid: p.pid, startId: p.startId };
    items.push({
      label: p.label,
      id: `process-${p.pid}`,
      submenu: [
        { label: 'Show in dashboard', id: `show-${p.pid}`, click: () => actions.openDashboard(p.pid) },
        { type: 'separator' },
        { label: 'Kill', id: `kill-${p.pid}`, click: () => actions.kill(target, false) },
        { label: 'Force kill', id: `force-kill-${p.pid}`, click: () => actions.kill(target, true) },
        p.pinned
          ? { label: 'Unpin', id: `unpin-${p.pid}`, click: () => actions.unpin(target) }
          : { label: 'Pin (never stale)', id: `pin-${p.pid}`, click: () => actions.pin(target) },
        { label: 'Copy PID', id: `copy-${p.pid}`, click: () => actions.copyPid(p.pid) },
        {
          label: 'Open folder',
          id: `open-folder-${p.pid}`,
          enabled: cwd !== null,
          click: () => {
            if (cwd) actions.openFolder(cwd);
          },
        },
      ],
    });
  }
  items.push(
    { type: 'separator' },
    {
      label: view.staleCount > 0 ? `Kill all stale (${view.staleCount})…` : 'Kill all stale…',
      id: 'kill-stale',
      enabled: view.staleCount > 0,
      click: () => actions.killAllStale(),
    },
    { label: 'Open Dashboard', id: 'open-dashboard', click: () => actions.openDashboard() },
    {
      label: view.pausedUntil ? `Resume notifications (paused until ${view.pausedUntil})` : 'Pause notifications for 1 hour',
      id: 'pause-notifications',
      click: () => actions.toggleNotificationPause(),
    },
    {
      label: 'Start at login',
      id: 'start-at-login',
      type: 'checkbox',
      checked: view.startAtLogin,
      click: (item) => actions.setStartAtLogin(item.checked),
    },
    { type: 'separator' },
    { label: 'Quit TCE', id: 'quit', click: () => actions.quit() },
  );
  return items;
}
