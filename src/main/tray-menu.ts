import type { MenuItemConstructorOptions } from 'electron';
import type { ProcessRef } from '../shared/api.js';
import type { ProcessEntry, TrayView } from './tray-view.js';
import { processKey } from '../core/fleet/combined.js';
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
  const items: MenuItemConstructorOptions[] = [info(view.summary), info(view.costLine), ...(view.fleetLine ? [info(view.fleetLine)] : []), info(view.blockLine)];
  const plan = view.planLine ?? view.planHint;
  if (plan) items.push(info(plan));
  for (const warning of view.warnings) items.push(info(`⚠ ${truncate(warning, 90)}`));
  if (view.notificationsProblem) items.push(info(`⚠ Notifications unavailable: ${truncate(view.notificationsProblem, 70)}`));
  items.push({ type: 'separator' });
  if (view.processes.length === 0) items.push(info('No processes to act on'));
  for (const p of view.processes) items.push(processItem(p, actions));
  // Each remote machine under its own entry: its processes and their actions (sent to its server), or why it is silent.
  if (view.machines.length > 0) items.push({ type: 'separator' });
  for (const m of view.machines) {
    if (!m.reachable) items.push(info(truncate(m.label, 110)));
    else items.push({ label: m.label, id: `machine-${m.name}`, submenu: m.processes.length > 0 ? m.processes.map((p) => processItem(p, actions)) : [info('No Claude Code process running')] });
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

/** A process and its actions; a remote one's go to its machine (and its folder is not here to open). */
function processItem(p: ProcessEntry, actions: TrayActions): MenuItemConstructorOptions {
  const cwd = p.machine === undefined ? p.cwd : null;
  const key = processKey(p);
  const target: ProcessRef = p.machine === undefined ? { pid: p.pid, startId: p.startId } : { pid: p.pid, startId: p.startId, machine: p.machine };
  return {
    label: p.label,
    id: `process-${key}`,
    submenu: [
      { label: 'Show in dashboard', id: `show-${key}`, click: () => (p.machine === undefined ? actions.openDashboard(p.pid) : actions.openDashboard()) },
      { type: 'separator' },
      { label: 'Kill', id: `kill-${key}`, click: () => actions.kill(target, false) },
      { label: 'Force kill', id: `force-kill-${key}`, click: () => actions.kill(target, true) },
      p.pinned
        ? { label: 'Unpin', id: `unpin-${key}`, click: () => actions.unpin(target) }
        : { label: 'Pin (never stale)', id: `pin-${key}`, click: () => actions.pin(target) },
      { label: 'Copy PID', id: `copy-${key}`, click: () => actions.copyPid(p.pid) },
      {
        label: 'Open folder',
        id: `open-folder-${key}`,
        enabled: cwd !== null,
        click: () => {
          if (cwd) actions.openFolder(cwd);
        },
      },
    ],
  };
}
