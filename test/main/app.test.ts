import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { app, fake, session } from '../mocks/electron.js';
import { startApp, type StartOptions } from '../../src/main/app.js';
import { APP_ID } from '../../src/main/app-identity.js';
import { APP_SCHEME } from '../../src/main/app-protocol.js';
import type { LoginItem } from '../../src/main/login-item.js';
import { createMonitor } from '../../src/core/create-core.js';
import { spawnFake } from '../support/fake-claude.js';
import { tempDir, waitFor } from '../support/tmp.js';
import { ScriptedMonitor } from './scripted-monitor.js';
import { claudeProcess, snapshot } from './snapshots.js';

type Cleanup = { after(fn: () => void | Promise<void>): void };

const noLogin: LoginItem = { isEnabled: () => false, setEnabled: () => null };
const withTray = async () => ({ state: 'present' as const, detail: 'test' });

/** startApp's options for a test: a scripted monitor, a data folder of its own, a page to serve. */
function options(t: Cleanup, argv: string[], platform: NodeJS.Platform = 'linux', config?: object): { opts: StartOptions; monitor: ScriptedMonitor; dir: string } {
  const dir = tempDir(t, 'tce-app-');
  if (config) fs.writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  const monitor = new ScriptedMonitor();
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  const opts: StartOptions = { argv, dataDir: dir, monitor: () => monitor, loginItem: noLogin, platform, preload: '/p.cjs', rendererDir: renderer, trayHost: withTray };
  return { opts, monitor, dir };
}

async function start(t: Cleanup, argv: string[], platform: NodeJS.Platform = 'linux', config?: object) {
  const { opts, monitor, dir } = options(t, argv, platform, config);
  const trayApp = await startApp(opts);
  if (trayApp) t.after(() => trayApp.stop());
  return { trayApp, monitor, dir };
}

describe('app start', () => {
  beforeEach(() => fake.reset());

  it('quits at once when another instance holds the lock', async (t) => {
    app.singleInstance = false;
    const quits: string[] = [];
    app.on('before-quit', () => quits.push('before-quit'));
    const { trayApp, monitor } = await start(t, ['tce']);
    assert.equal(trayApp, null);
    assert.deepEqual(quits, ['before-quit'], 'it quits');
    assert.equal(fake.trays.length, 0);
    assert.equal(monitor.started, false);
  });

  it('starts hidden in the tray with --hidden, polling, secured', async (t) => {
    const { trayApp, monitor } = await start(t, ['electron', '.', '--hidden']);
    assert.ok(trayApp);
    assert.equal(fake.trays.length, 1);
    assert.equal(fake.windows.length, 0, 'no window');
    assert.ok(monitor.started);
    assert.deepEqual(fake.privilegedSchemes, [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    assert.ok(fake.protocolHandlers.has(APP_SCHEME));
    let granted: boolean | null = null;
    session.defaultSession.permissionRequestHandler!(null, 'media', (g) => (granted = g), {});
    assert.equal(granted, false);
    const page = await fake.protocolHandlers.get(APP_SCHEME)!(new Request('tce://dashboard/index.html'));
    assert.equal(page.status, 200);
  });

  it('starts hidden by default (startHidden setting), and opens the dashboard when that is off', async (t) => {
    await start(t, ['tce']);
    assert.equal(fake.windows.length, 0);
    fake.reset();
    await start(t, ['tce'], 'linux', { startHidden: false });
    await waitFor('dashboard shown', () => fake.windows[0]?.visible);
  });

  it('a second start opens the dashboard of the running one', async (t) => {
    const { monitor } = await start(t, ['tce', '--hidden']);
    monitor.emit(snapshot([claudeProcess({ pid: 5150 })]));
    app.emit('second-instance', {}, ['tce', '--hidden']);
    await new Promise((r) => setImmediate(r));
    assert.equal(fake.windows.length, 0, 'a second start at login stays quiet');
    app.emit('second-instance', {}, ['tce']);
    const win = await waitFor('dashboard window', () => fake.windows[0]);
    await waitFor('visible', () => win.visible);
    assert.ok(win.webContents.sent.some((m) => m.channel === 'tce:snapshot'));
    // Closing hides it; quitting really closes it.
    assert.equal(win.close().defaultPrevented, true);
    app.quit();
    await waitFor('the quit to end', () => app.quitExitCode === 0);
    assert.ok(win.destroyed);
  });

  it('hides the dock icon on macOS and keeps running with no window', async (t) => {
    await start(t, ['TCE', '--hidden'], 'darwin');
    assert.equal(app.dock.hidden, true);
    assert.equal(app.listenerCount('window-all-closed'), 1);
    assert.equal(app.quitting, false);
  });

  it('recovers from a corrupted settings file and shows the warning', async (t) => {
    const { dir } = await start(t, ['tce', '--hidden'], 'linux', '{not json' as unknown as object);
    assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('config.json.corrupt-')));
    const menu = fake.trays[0]!.menu!;
    assert.ok(menu.items.some((i) => /^⚠ Settings file .* was corrupted/.test(i.label ?? '')));
    assert.equal(fake.notifications[0]?.title, 'TCE settings were reset');
  });

  it('polls through the core at the interval in the settings, the tray following real processes', { timeout: 60_000 }, async (t) => {
    const dir = tempDir(t, 'tce-app-poll-');
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ pollIntervalSeconds: 1 }));
    const claudeDir = path.join(dir, 'claude');
    fs.mkdirSync(claudeDir);
    const trayApp = await startApp({
      argv: ['tce', '--hidden'],
      dataDir: dir,
      monitor: (data) => createMonitor({ dataDir: data, claudeDirs: [claudeDir] }),
      loginItem: noLogin,
      platform: 'linux',
      preload: '/p.cjs',
      rendererDir: dir,
      trayHost: withTray,
    });
    assert.ok(trayApp);
    t.after(() => trayApp.stop());
    const menu = () => fake.trays[0]!.menu!;
    await waitFor('the first poll', () => menu().items[0]!.label !== 'Looking for Claude Code processes…', 20_000);
    // Started after the app: only a later poll can see it.
    const claude = await spawnFake('native-installer', dir);
    t.after(() => claude.kill());
    await waitFor('the new process in the menu', () => menu().getMenuItemById(`process-${claude.pid}`), 20_000);
    await claude.kill();
    await waitFor('the ended process to leave the menu', () => menu().getMenuItemById(`process-${claude.pid}`) === null, 20_000);
  });

  it('listens for a second start and for a quit before it waits for anything', async (t) => {
    const { opts } = options(t, ['tce', '--hidden']);
    const starting = startApp(opts);
    assert.equal(app.listenerCount('second-instance'), 1, 'second-instance, at once');
    assert.equal(app.listenerCount('before-quit'), 1, 'before-quit, at once');
    const trayApp = await starting;
    t.after(() => trayApp?.stop());
  });

  it('opens the dashboard for a second start that came while it was starting', async (t) => {
    const { opts } = options(t, ['tce', '--hidden']);
    const starting = startApp(opts);
    app.emit('second-instance', {}, ['tce']);
    const trayApp = await starting;
    t.after(() => trayApp?.stop());
    await waitFor('the dashboard', () => fake.windows[0]?.visible);
  });

  it('shows its window once the page has rendered, in the theme’s colour', async (t) => {
    fake.darkMode = true;
    await start(t, ['tce'], 'linux', { startHidden: false });
    const win = await waitFor('dashboard shown', () => (fake.windows[0]?.visible ? fake.windows[0] : null));
    assert.equal(win.shownBeforeReady, false, 'no white flash: shown after ready-to-show');
    assert.equal(win.options.backgroundColor, '#14171c');
  });

  it('on a quit from Electron (a signal, a logout) stops the monitor first, then lets the quit end', async (t) => {
    const { trayApp, monitor, dir } = await start(t, ['tce'], 'linux', { startHidden: false });
    const win = await waitFor('dashboard shown', () => (fake.windows[0]?.visible ? fake.windows[0] : null));
    win.setBounds({ x: 30, y: 40, width: 1200, height: 800 });
    // What Electron's SIGINT/SIGTERM/SIGHUP handler does: app.quit() (electron_browser_main_parts_posix.cc).
    app.quit();
    await waitFor('the quit to end', () => app.quitExitCode === 0);
    assert.ok(monitor.stopped, 'the monitor was stopped (its index saved) before the end');
    assert.ok(trayApp!.stopped);
    assert.ok(win.destroyed);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { windowBounds: object };
    assert.deepEqual(saved.windowBounds, { x: 30, y: 40, width: 1200, height: 800 }, 'the window’s place was saved');
  });

  it('on Windows takes the app id as its AppUserModelID, before it is ready', async (t) => {
    const { opts } = options(t, ['tce', '--hidden'], 'win32');
    const starting = startApp(opts);
    assert.equal(app.appUserModelId, APP_ID);
    const trayApp = await starting;
    t.after(() => trayApp?.stop());
  });

  it('where no tray icon can be seen, shows its window even when asked to start hidden', async (t) => {
    const { opts } = options(t, ['tce', '--hidden']);
    const warn = console.warn;
    console.warn = () => undefined;
    t.after(() => (console.warn = warn));
    const trayApp = await startApp({ ...opts, trayHost: async () => ({ state: 'absent', detail: 'no org.kde.StatusNotifierWatcher on the session bus' }) });
    t.after(() => trayApp?.stop());
    await waitFor('the window', () => fake.windows[0]?.visible);
  });
});
