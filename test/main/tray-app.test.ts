import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { app, fake, FakeNativeImage, type FakeMenu } from '../mocks/electron.js';
import type { TrayHost } from '../../src/main/tray-host.js';
import { autostartFile, LinuxAutostart } from '../../src/main/autostart-linux.js';
import { openTraySettings } from './tray-settings.js';
import { TrayApp } from '../../src/main/tray-app.js';
import { tempDir, waitFor } from '../support/tmp.js';
import { decodePng } from './png-decode.js';
import { claudeProcess, snapshot } from './snapshots.js';
import { ScriptedMonitor } from './scripted-monitor.js';

interface Rig {
  trayApp: TrayApp;
  monitor: ScriptedMonitor;
  dir: string;
  autostart: string;
  menu(): FakeMenu;
  now: { value: number };
}

function rig(t: { after(fn: () => void | Promise<void>): void }, warnings: string[] = [], more: { platform?: NodeJS.Platform; trayHost?: TrayHost } = {}): Rig {
  const dir = tempDir(t, 'tce-trayapp-');
  const { store } = openTraySettings(path.join(dir, 'data'));
  const monitor = new ScriptedMonitor();
  const autostart = autostartFile({ XDG_CONFIG_HOME: path.join(dir, 'xdg') });
  const now = { value: Date.parse('2026-11-25T12:00:00.000Z') };
  const trayApp = new TrayApp({
    monitor,
    settings: store,
    settingsWarnings: warnings,
    loginItem: new LinuxAutostart(autostart, { program: '/opt/TCE/tce', args: [] }),
    preload: path.join(dir, 'preload.cjs'),
    platform: more.platform ?? 'linux',
    ...(more.trayHost ? { trayHost: more.trayHost } : {}),
    now: () => new Date(now.value),
  });
  trayApp.start();
  t.after(() => trayApp.stop());
  return { trayApp, monitor, dir, autostart, now, menu: () => fake.trays[0]!.menu! };
}

describe('tray app', () => {
  beforeEach(() => fake.reset());
  afterEach(() => fake.reset());

  it('starts polling, shows a grey tray, and follows each snapshot', (t) => {
    const { monitor, menu } = rig(t);
    assert.ok(monitor.started);
    assert.equal(menu().items[0]!.label, 'Looking for Claude Code processes…');
    monitor.emit(snapshot([claudeProcess({ pid: 1200, project: 'alpha' })]));
    assert.equal(menu().items[0]!.label, '1 Claude Code process');
    assert.ok(menu().getMenuItemById('process-1200'));
  });

  it('rebuilds the menu only when something shown changed', (t) => {
    const { monitor } = rig(t);
    const p = claudeProcess({ pid: 1201 });
    monitor.emit(snapshot([p]));
    const tray = fake.trays[0]!;
    const built = { tray: tray.calls.setContextMenu, app: fake.applicationMenusSet };
    for (let i = 0; i < 5; i++) monitor.emit(snapshot([{ ...p, cpuPercent: 0.1 * i }]));
    assert.deepEqual({ tray: tray.calls.setContextMenu, app: fake.applicationMenusSet }, built);
    monitor.emit(snapshot([{ ...p, health: 'stale' }]));
    assert.deepEqual({ tray: tray.calls.setContextMenu, app: fake.applicationMenusSet }, { tray: built.tray + 1, app: built.app + 1 });
  });

  it('sends menu actions to the monitor and reports their results', async (t) => {
    const { monitor, menu } = rig(t);
    monitor.emit(snapshot([claudeProcess({ pid: 1210, cwd: '/srv/repo' })]));
    menu().click('kill-1210');
    menu().click('force-kill-1210');
    menu().click('pin-1210');
    await waitFor('three actions', () => monitor.called('pin').length === 1 && monitor.called('kill').length === 2);
    const listed = { pid: 1210, startId: '4242' };
    assert.deepEqual(monitor.called('kill'), [[listed, false], [listed, true]]);
    assert.deepEqual(monitor.called('pin'), [[listed]]);
    await waitFor('result notifications', () => fake.notifications.length === 3);
    assert.deepEqual(fake.notifications.map((n) => n.title).sort(), ['Force kill 1210', 'Kill 1210', 'Pin 1210']);
    assert.equal(monitor.called('refresh').length, 3, 'one poll per action, the monitor’s: the tray adds none');
    menu().click('copy-1210');
    await waitFor('the PID on the clipboard', () => fake.clipboard === '1210');
    menu().click('open-folder-1210');
    await waitFor('folder opened', () => fake.openedPaths.includes('/srv/repo'));
  });

  it('asks before killing all stale processes, and does nothing on Cancel', async (t) => {
    const { monitor, menu } = rig(t);
    monitor.emit(snapshot([claudeProcess({ pid: 1220, health: 'stale', project: 'old' }), claudeProcess({ pid: 1221, health: 'stale' }), claudeProcess({ pid: 1222 })]));
    fake.dialogResponse = 1; // Cancel
    menu().click('kill-stale');
    await waitFor('confirmation', () => fake.dialogs.length === 1);
    assert.equal(fake.dialogs[0]!.message, 'Kill 2 stale Claude Code processes?');
    assert.match(String(fake.dialogs[0]!.detail), /old \(pid 1220\)/);
    await new Promise((r) => setImmediate(r));
    assert.equal(monitor.called('killStale').length, 0);

    fake.dialogResponse = 0; // Kill
    menu().click('kill-stale');
    await waitFor('kill-stale reaches the monitor', () => monitor.called('killStale').length === 1);
    await waitFor('result notification', () => fake.notifications.some((n) => n.title === 'Kill all stale'));
  });

  it('notifies on a transition; a click opens the dashboard on that process', async (t) => {
    const { monitor, trayApp } = rig(t);
    const p = claudeProcess({ pid: 1230, project: 'gamma' });
    monitor.emit(snapshot([p]));
    assert.equal(fake.notifications.length, 0);
    monitor.emit(snapshot([{ ...p, health: 'zombie' }]));
    monitor.emit(snapshot([{ ...p, health: 'zombie' }]));
    assert.equal(fake.notifications.length, 1, 'once per transition');
    assert.equal(fake.notifications[0]!.title, 'Claude Code process is a zombie');
    assert.equal(fake.windows.length, 0, 'no window before the click');
    fake.notifications[0]!.emit('click');
    const contents = await waitFor('dashboard window', () => fake.windows[0]?.webContents);
    await waitFor('focus pushed', () => contents.sent.some((m) => m.channel === 'tce:focus-process'));
    assert.ok(trayApp.dashboard.isVisible());
    const icon = fake.windows[0]!.options.icon;
    assert.ok(icon instanceof FakeNativeImage, 'the window has the app icon');
    assert.equal(decodePng(icon.representations[0]!.buffer).width, 256);
    assert.deepEqual(contents.sent.find((m) => m.channel === 'tce:focus-process')!.payload, 1230);
    assert.ok(contents.sent.some((m) => m.channel === 'tce:snapshot'), 'the dashboard gets the current snapshot at once');
    // Later snapshots are pushed to the open dashboard.
    const before = contents.sent.length;
    monitor.emit(snapshot([]));
    assert.equal(contents.sent.length, before + 1);
  });

  it('pauses notifications for an hour from the menu, and resumes', (t) => {
    const { monitor, menu, dir, now } = rig(t);
    const p = claudeProcess({ pid: 1240 });
    monitor.emit(snapshot([p]));
    menu().click('pause-notifications');
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'data', 'config.json'), 'utf8')) as { notifications: { pausedUntil: string } };
    assert.equal(Date.parse(saved.notifications.pausedUntil), now.value + 3600_000);
    assert.match(menu().getMenuItemById('pause-notifications')!.label!, /^Resume notifications/);
    monitor.emit(snapshot([{ ...p, health: 'stale' }]));
    assert.equal(fake.notifications.length, 0);

    menu().click('pause-notifications');
    assert.equal(menu().getMenuItemById('pause-notifications')!.label, 'Pause notifications for 1 hour');
    const q = claudeProcess({ pid: 1241 });
    monitor.emit(snapshot([{ ...p, health: 'stale' }, q]));
    monitor.emit(snapshot([{ ...p, health: 'stale' }, { ...q, health: 'hog' }]));
    assert.equal(fake.notifications.length, 1);
  });

  it('honours the notification switches in the settings file', (t) => {
    const { monitor, dir } = rig(t);
    const file = path.join(dir, 'data', 'config.json');
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as { notifications: Record<string, unknown> };
    settings.notifications.hog = false;
    fs.writeFileSync(file, JSON.stringify(settings));
    const p = claudeProcess({ pid: 1250 });
    monitor.emit(snapshot([p]));
    monitor.emit(snapshot([{ ...p, health: 'hog' }]));
    assert.equal(fake.notifications.length, 0);
  });

  it('keeps following snapshots when the settings file goes bad while it runs, and says so', (t) => {
    const { monitor, menu, dir } = rig(t);
    const file = path.join(dir, 'data', 'config.json');
    fs.writeFileSync(file, '{"notifications": {"stale": tru');
    const p = claudeProcess({ pid: 1260 });
    monitor.emit(snapshot([p]));
    assert.ok(menu().getMenuItemById('process-1260'), 'the tray still follows the monitor');
    assert.ok(menu().items.some((i) => /^⚠ Settings file .*config\.json was corrupted/.test(i.label ?? '')));
    const aside = fs.readdirSync(path.join(dir, 'data')).find((f) => f.startsWith('config.json.corrupt-'));
    assert.equal(fs.readFileSync(path.join(dir, 'data', aside!), 'utf8'), '{"notifications": {"stale": tru', 'the bad file is kept aside as it was');
    monitor.emit(snapshot([{ ...p, health: 'zombie' }]));
    assert.equal(fake.notifications.at(-1)?.title, 'Claude Code process is a zombie', 'notifications go on with the defaults');
    menu().click('pause-notifications');
    assert.match(menu().getMenuItemById('pause-notifications')!.label ?? '', /^Resume notifications/, 'the pause is written to a new file');
    assert.ok(JSON.parse(fs.readFileSync(file, 'utf8')).notifications.pausedUntil);
  });

  it('turns start at login on and off from its checkbox, showing the real state', (t) => {
    const { menu, autostart } = rig(t);
    assert.equal(menu().getMenuItemById('start-at-login')!.checked, false);
    menu().click('start-at-login');
    assert.ok(fs.existsSync(autostart));
    assert.equal(menu().getMenuItemById('start-at-login')!.checked, true);
    menu().click('start-at-login');
    assert.ok(!fs.existsSync(autostart));
    assert.equal(menu().getMenuItemById('start-at-login')!.checked, false);
  });

  it('shows settings warnings in the menu and once as a notification', (t) => {
    const { menu } = rig(t, ['Settings file was corrupted; defaults are used.']);
    assert.ok(menu().items.some((i) => i.label === '⚠ Settings file was corrupted; defaults are used.'));
    assert.equal(fake.notifications.length, 1);
    assert.equal(fake.notifications[0]!.title, 'TCE settings were reset');
  });

  it('quits from the menu: stops the monitor, removes the tray, closes the window, and Electron runs its quit to the end', async (t) => {
    const { monitor, menu, trayApp } = rig(t);
    await trayApp.openDashboard();
    const win = fake.windows[0]!;
    const seen: string[] = [];
    app.on('before-quit', () => seen.push('before-quit'));
    app.on('will-quit', () => seen.push('will-quit'));
    menu().click('quit');
    await waitFor('the quit to run to its end', () => app.quitExitCode === 0);
    assert.ok(monitor.stopped);
    assert.ok(fake.trays[0]!.destroyed);
    assert.ok(win.destroyed, 'the window closed (not hidden)');
    assert.deepEqual(seen, ['before-quit', 'will-quit']);
  });

  it('copies a PID through the asynchronous clipboard, and says so when the clipboard refuses', async (t) => {
    const { monitor, menu } = rig(t);
    monitor.emit(snapshot([claudeProcess({ pid: 1270 })]));
    menu().click('copy-1270');
    await waitFor('the PID on the clipboard', () => fake.clipboard === '1270');
    fake.clipboardFailure = 'the clipboard is owned by another client';
    menu().click('copy-1270');
    const failed = await waitFor('the failure notice', () => fake.notifications.find((n) => n.title === 'Cannot copy the PID'));
    assert.equal(failed.body, 'the clipboard is owned by another client');
  });

  it('says in the menu when the system has no notification service', (t) => {
    fake.notificationsSupported = false;
    const { menu, monitor } = rig(t);
    assert.ok(menu().labels().includes('⚠ Notifications unavailable: this system offers Electron no notification service'));
    const p = claudeProcess({ pid: 1280 });
    monitor.emit(snapshot([p]));
    monitor.emit(snapshot([{ ...p, health: 'zombie' }]));
    assert.equal(fake.notifications.length, 0);
    assert.match(fake.trays[0]!.tooltip, /Notifications unavailable/);
  });

  it('says in the menu why a notification failed, until one is shown again', async (t) => {
    const { menu, monitor } = rig(t);
    const p = claudeProcess({ pid: 1290 });
    const q = claudeProcess({ pid: 1291 });
    monitor.emit(snapshot([p, q]));
    fake.notificationFailure = 'Notifications are not allowed for this application';
    monitor.emit(snapshot([{ ...p, health: 'zombie' }, q]));
    await waitFor('the reason in the menu', () => menu().labels().includes('⚠ Notifications unavailable: Notifications are not allowed for this application'));
    fake.notificationFailure = null;
    monitor.emit(snapshot([{ ...p, health: 'zombie' }, { ...q, health: 'zombie' }]));
    await waitFor('the line to go once one is shown', () => !menu().labels().some((l) => l.startsWith('⚠ Notifications unavailable')));
    assert.equal(fake.notifications.length, 1);
  });

  /** Changes the notification settings in the file the tray reads, as the dashboard or a hand edit would. */
  function setNotifications(dir: string, change: (n: Record<string, unknown>) => void): void {
    const file = path.join(dir, 'data', 'config.json');
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as { notifications: Record<string, unknown> };
    change(settings.notifications);
    fs.writeFileSync(file, JSON.stringify(settings));
  }

  const waitingProcess = (pid: number, since: string, over: Parameters<typeof claudeProcess>[0] = {}) =>
    claudeProcess({ pid, activity: 'waiting', waitingFor: 'permission prompt', activitySince: since, ...over });

  it('notifies "proj-x needs you" once per wait; a click opens the dashboard on that process', async (t) => {
    const { monitor } = rig(t);
    const p = claudeProcess({ pid: 1400, project: 'proj-x', activity: 'busy' });
    monitor.emit(snapshot([p]));
    assert.equal(fake.notifications.length, 0);
    const waits = { ...p, activity: 'waiting' as const, waitingFor: 'permission prompt', activitySince: '2026-11-25T11:59:00.000Z' };
    monitor.emit(snapshot([waits]));
    monitor.emit(snapshot([{ ...waits, cpuPercent: 0.1 }]));
    assert.deepEqual(fake.notifications.map((n) => n.title), ['proj-x needs you'], 'one notification for the wait, however many polls see it');
    assert.equal(fake.notifications[0]!.body, 'Claude Code is waiting for permission prompt (pid 1400).');
    fake.notifications[0]!.emit('click');
    const contents = await waitFor('dashboard window', () => fake.windows[0]?.webContents);
    await waitFor('focus pushed', () => contents.sent.some((m) => m.channel === 'tce:focus-process'));
    assert.deepEqual(contents.sent.find((m) => m.channel === 'tce:focus-process')!.payload, 1400);
    // Answered, then waiting again: a new wait, a new notification.
    monitor.emit(snapshot([p]));
    monitor.emit(snapshot([{ ...waits, activitySince: '2026-11-25T12:10:00.000Z' }]));
    assert.equal(fake.notifications.length, 2);
    // The registry's name when it has one.
    monitor.emit(snapshot([{ ...waits, activitySince: '2026-11-25T12:10:00.000Z' }, waitingProcess(1401, '2026-11-25T12:11:00.000Z', { sessionName: 'night-build' })]));
    assert.equal(fake.notifications.at(-1)!.title, 'night-build needs you');
  });

  it('shows no wait notification when the setting is off or notifications are paused, and does not announce those waits later', (t) => {
    const { monitor, dir, menu } = rig(t);
    setNotifications(dir, (n) => (n.waiting = false));
    monitor.emit(snapshot([waitingProcess(1410, '2026-11-25T11:00:00.000Z')]));
    assert.equal(fake.notifications.length, 0);
    setNotifications(dir, (n) => (n.waiting = true));
    monitor.emit(snapshot([waitingProcess(1410, '2026-11-25T11:00:00.000Z')]));
    assert.equal(fake.notifications.length, 0, 'a wait that began while off is not announced when turned on');
    menu().click('pause-notifications');
    monitor.emit(snapshot([waitingProcess(1410, '2026-11-25T11:00:00.000Z'), waitingProcess(1411, '2026-11-25T11:30:00.000Z')]));
    assert.equal(fake.notifications.length, 0, 'paused');
    menu().click('pause-notifications');
    monitor.emit(snapshot([waitingProcess(1410, '2026-11-25T11:00:00.000Z'), waitingProcess(1411, '2026-11-25T11:30:00.000Z'), waitingProcess(1412, '2026-11-25T11:50:00.000Z')]));
    assert.deepEqual(fake.notifications.map((n) => n.title), ['proj-1412 needs you']);
    // A settings file an older TCE wrote, without the switch: on by default.
    setNotifications(dir, (n) => delete n.waiting);
    monitor.emit(snapshot([waitingProcess(1413, '2026-11-25T11:55:00.000Z')]));
    assert.equal(fake.notifications.at(-1)!.title, 'proj-1413 needs you');
  });

  it('many sessions waiting at once: three notifications, the longest waits first, the rest in one', (t) => {
    const { monitor } = rig(t);
    monitor.emit(snapshot([1424, 1420, 1423, 1421, 1422].map((pid) => waitingProcess(pid, `2026-11-25T11:0${pid - 1420}:00.000Z`))));
    assert.deepEqual(fake.notifications.map((n) => n.title), ['proj-1420 needs you', 'proj-1421 needs you', '3 more Claude Code sessions need you']);
    assert.equal(fake.notifications[2]!.body, 'proj-1422 (permission prompt), proj-1423 (permission prompt), proj-1424 (permission prompt).');
  });

  it('notifies plan use at each threshold once per window, the highest crossed, again in the next window; off when switched off', async (t) => {
    const { monitor, dir, trayApp } = rig(t);
    const p = claudeProcess({ pid: 1430 });
    const plan = (used: number, resetsAt: string) => ({
      windows: [{ window: 'five_hour', label: '5-hour', usedPercentage: used, resetsAt, observedAt: '2026-11-25T11:59:00.000Z', hasReset: false, sessionId: 's' }],
      updatedAt: '2026-11-25T11:59:00.000Z',
    });
    const first = '2026-11-25T14:00:00.000Z';
    for (const used of [40, 79.9]) monitor.emit(snapshot([p], { plan: plan(used, first) }));
    assert.equal(fake.notifications.length, 0);
    monitor.emit(snapshot([p], { plan: plan(82, first) }));
    monitor.emit(snapshot([p], { plan: plan(86, first) }));
    assert.deepEqual(fake.notifications.map((n) => n.title), ['Plan use: 5-hour window at 82%']);
    assert.match(fake.notifications[0]!.body, /^Past your 80% threshold\. It resets \d\d:\d\d \(in 2h 0m\)\.$/);
    monitor.emit(snapshot([p], { plan: plan(99, first) }));
    monitor.emit(snapshot([p], { plan: plan(99.5, first) }));
    assert.equal(fake.notifications.length, 2);
    assert.equal(fake.notifications[1]!.title, 'Plan use: 5-hour window at 99%');
    assert.match(fake.notifications[1]!.body, /95% threshold/);
    // The next window: straight past both thresholds, one notification for the higher.
    const second = '2026-11-25T19:00:00.000Z';
    monitor.emit(snapshot([p], { plan: plan(96, second) }));
    assert.equal(fake.notifications.length, 3);
    assert.match(fake.notifications[2]!.body, /95% threshold/);
    // A click opens the dashboard (on no process in particular).
    fake.notifications[2]!.emit('click');
    await waitFor('the dashboard shown', () => trayApp.dashboard.isVisible());
    // The user's own percents, then switched off.
    setNotifications(dir, (n) => (n.planThresholdPercents = [50]));
    const third = '2026-11-26T00:00:00.000Z';
    monitor.emit(snapshot([p], { plan: plan(55, third) }));
    assert.equal(fake.notifications.at(-1)!.title, 'Plan use: 5-hour window at 55%');
    setNotifications(dir, (n) => (n.planThresholds = false));
    monitor.emit(snapshot([p], { plan: plan(97, '2026-11-26T05:00:00.000Z') }));
    assert.equal(fake.notifications.length, 4);
  });

  it('after sleep polls at once and shows what changed meanwhile as one notice', async (t) => {
    const { menu, monitor } = rig(t);
    const a = claudeProcess({ pid: 1300, project: 'alpha' });
    const b = claudeProcess({ pid: 1301, project: 'beta' });
    const c = claudeProcess({ pid: 1302, project: 'gamma' });
    monitor.emit(snapshot([a, b, c]));
    // The wake: the timer's poll and the one asked for at once both see the night's changes.
    monitor.nextPolls.push(snapshot([{ ...a, health: 'stale' }, { ...b, health: 'zombie' }, c]));
    monitor.nextPolls.push(snapshot([{ ...a, health: 'stale' }, { ...b, health: 'zombie' }, { ...c, health: 'hog' }]));
    const before = monitor.called('refresh').length;
    fake.sleepAndWake();
    assert.equal(monitor.called('refresh').length, before + 1, 'a poll at once');
    assert.match(menu().items[0]!.label!, /3 Claude Code processes \(1 zombie, 1 stale, 1 hog\)/, 'the tray is current');
    const notice = await waitFor('one notice', () => fake.notifications[0]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fake.notifications.length, 1);
    assert.equal(notice.title, '3 Claude Code processes need attention (while this computer slept)');
    assert.match(notice.body, /1 zombie, 1 hog, 1 stale: beta \(pid 1301\), gamma \(pid 1302\), alpha \(pid 1300\)/);
    // Awake again, a change is its own notice.
    const d = claudeProcess({ pid: 1303 });
    monitor.emit(snapshot([{ ...a, health: 'stale' }, { ...b, health: 'zombie' }, { ...c, health: 'hog' }, d]));
    monitor.emit(snapshot([{ ...a, health: 'stale' }, { ...b, health: 'zombie' }, { ...c, health: 'hog' }, { ...d, health: 'zombie' }]));
    await waitFor('the next notice', () => fake.notifications.length === 2);
    assert.equal(fake.notifications[1]!.title, 'Claude Code process is a zombie');
  });

  it('asks before killing all stale in a box modal to the dashboard when it is open', async (t) => {
    const { monitor, menu, trayApp } = rig(t);
    monitor.emit(snapshot([claudeProcess({ pid: 1310, health: 'stale' })]));
    fake.dialogResponse = 1;
    menu().click('kill-stale');
    await waitFor('the question', () => fake.dialogs.length === 1);
    assert.equal(fake.dialogParents[0], null, 'no window to sit on');
    await trayApp.openDashboard();
    menu().click('kill-stale');
    await waitFor('the second question', () => fake.dialogs.length === 2);
    assert.equal(fake.dialogParents[1], fake.windows[0], 'modal to the dashboard');
  });

  it('on macOS brings itself to the front for a question without a window, and for its window', async (t) => {
    fake.platform = 'darwin';
    const { monitor, menu, trayApp } = rig(t, [], { platform: 'darwin' });
    monitor.emit(snapshot([claudeProcess({ pid: 1320, health: 'stale' })]));
    fake.dialogResponse = 1;
    menu().click('kill-stale');
    await waitFor('the question', () => fake.dialogs.length === 1);
    assert.deepEqual(app.focusCalls, [{ steal: true }]);
    await trayApp.openDashboard();
    assert.deepEqual(app.focusCalls, [{ steal: true }, { steal: true }]);
    assert.ok(app.shown > 0);
  });

  it('puts Quit and the app-wide actions in the window’s application menu', async (t) => {
    const { monitor, trayApp } = rig(t);
    monitor.emit(snapshot([claudeProcess({ pid: 1330, health: 'stale' })]));
    const appMenu = (): FakeMenu => fake.applicationMenu!;
    assert.ok(appMenu(), 'an application menu is set');
    assert.equal(appMenu().getMenuItemById('app-kill-stale')!.label, 'Kill All Stale (1)…');
    appMenu().click('app-pause-notifications');
    assert.match(appMenu().getMenuItemById('app-pause-notifications')!.label!, /^Resume Notifications/);
    assert.match(fake.trays[0]!.menu!.getMenuItemById('pause-notifications')!.label!, /^Resume notifications/, 'the tray follows');
    assert.equal(appMenu().getMenuItemById('app-quit')!.accelerator, 'CmdOrCtrl+Q');
    await trayApp.openDashboard();
    appMenu().click('app-quit');
    await waitFor('the quit to end', () => app.quitExitCode === 0);
    assert.ok(monitor.stopped);
  });

  it('where no tray icon can be seen, says so in its menu, and closing the window quits', async (t) => {
    const warned: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args.join(' '));
    t.after(() => (console.warn = warn));
    const { monitor, trayApp } = rig(t, [], { trayHost: { state: 'absent', detail: 'no org.kde.StatusNotifierWatcher on the session bus' } });
    assert.equal(trayApp.trayVisible, false);
    assert.match(warned.join('\n'), /this desktop shows no tray icons \(no org\.kde\.StatusNotifierWatcher on the session bus\)/);
    assert.ok(fake.applicationMenu!.labels().includes('No tray icon on this desktop: closing this window quits TCE'));
    await trayApp.openDashboard();
    const win = fake.windows[0]!;
    assert.equal(win.options.autoHideMenuBar, false, 'the menu bar with Quit stays in view');
    assert.equal(win.close().defaultPrevented, false, 'a close closes');
    await waitFor('the app to quit', () => app.quitExitCode === 0);
    assert.ok(monitor.stopped);
  });
});
