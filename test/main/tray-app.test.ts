import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { app, fake, FakeNativeImage, type FakeMenu } from '../mocks/electron.js';
import { autostartFile, LinuxAutostart } from '../../src/main/autostart-linux.js';
import { openSettings } from '../../src/main/settings.js';
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

function rig(t: { after(fn: () => void | Promise<void>): void }, warnings: string[] = []): Rig {
  const dir = tempDir(t, 'tce-trayapp-');
  const { store } = openSettings(path.join(dir, 'data'));
  const monitor = new ScriptedMonitor();
  const autostart = autostartFile({ XDG_CONFIG_HOME: path.join(dir, 'xdg') });
  const now = { value: Date.parse('2026-11-25T12:00:00.000Z') };
  const trayApp = new TrayApp({
    monitor,
    settings: store,
    settingsWarnings: warnings,
    loginItem: new LinuxAutostart(autostart, { program: '/opt/TCE/tce', args: [] }),
    preload: path.join(dir, 'preload.cjs'),
    platform: 'linux',
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
    const built = fake.menusBuilt.length;
    for (let i = 0; i < 5; i++) monitor.emit(snapshot([{ ...p, cpuPercent: 0.1 * i }]));
    assert.equal(fake.menusBuilt.length, built);
    monitor.emit(snapshot([{ ...p, health: 'stale' }]));
    assert.equal(fake.menusBuilt.length, built + 1);
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
    assert.ok(monitor.called('refresh').length >= 1, 'the tray refreshes after acting');
    menu().click('copy-1210');
    assert.equal(fake.clipboard, '1210');
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
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, '{"notifications": {"stale": tru');
    const p = claudeProcess({ pid: 1260 });
    monitor.emit(snapshot([p]));
    assert.ok(menu().getMenuItemById('process-1260'), 'the tray still follows the monitor');
    assert.ok(menu().items.some((i) => /^⚠ Settings file unreadable; default notifications in use until it is fixed \(The config/.test(i.label ?? '')));
    monitor.emit(snapshot([{ ...p, health: 'zombie' }]));
    assert.equal(fake.notifications.at(-1)?.title, 'Claude Code process is a zombie', 'notifications go on with the defaults');
    menu().click('pause-notifications');
    assert.equal(fake.notifications.at(-1)?.title, 'Notifications could not be paused');
    assert.equal(fs.readFileSync(file, 'utf8'), '{"notifications": {"stale": tru', 'the bad file is left for the core to move aside');

    fs.writeFileSync(file, good);
    monitor.emit(snapshot([{ ...p, health: 'zombie' }]));
    assert.ok(!menu().items.some((i) => (i.label ?? '').startsWith('⚠')), 'the warning goes once the file is readable');
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

  it('quits from the menu: stops the monitor, removes the tray, lets the window close', async (t) => {
    const { monitor, menu, trayApp } = rig(t);
    await trayApp.openDashboard();
    const win = fake.windows[0]!;
    menu().click('quit');
    await waitFor('app.quit', () => app.quitCalls === 1);
    assert.ok(monitor.stopped);
    assert.ok(fake.trays[0]!.destroyed);
    assert.equal(win.close().defaultPrevented, false);
    assert.ok(win.destroyed);
  });
});
