import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { app, fake, session } from '../mocks/electron.js';
import { startApp } from '../../src/main/app.js';
import { APP_SCHEME } from '../../src/main/app-protocol.js';
import type { LoginItem } from '../../src/main/login-item.js';
import { createMonitor } from '../../src/core/create-monitor.js';
import { spawnFake } from '../support/fake-claude.js';
import { tempDir, waitFor } from '../support/tmp.js';
import { ScriptedMonitor } from './scripted-monitor.js';
import { claudeProcess, snapshot } from './snapshots.js';

type Cleanup = { after(fn: () => void | Promise<void>): void };

const noLogin: LoginItem = { isEnabled: () => false, setEnabled: () => undefined };

async function start(t: Cleanup, argv: string[], platform: NodeJS.Platform = 'linux', config?: object) {
  const dir = tempDir(t, 'tce-app-');
  if (config) fs.writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  const monitor = new ScriptedMonitor();
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  const trayApp = await startApp({ argv, dataDir: dir, monitor: () => monitor, loginItem: noLogin, platform, preload: '/p.cjs', rendererDir: renderer });
  if (trayApp) t.after(() => trayApp.stop());
  return { trayApp, monitor, dir };
}

describe('app start', () => {
  beforeEach(() => fake.reset());

  it('quits at once when another instance holds the lock', async (t) => {
    app.singleInstance = false;
    const { trayApp, monitor } = await start(t, ['tce']);
    assert.equal(trayApp, null);
    assert.equal(app.quitCalls, 1);
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
    app.emit('before-quit');
    assert.equal(win.close().defaultPrevented, false);
  });

  it('hides the dock icon on macOS and keeps running with no window', async (t) => {
    await start(t, ['TCE', '--hidden'], 'darwin');
    assert.equal(app.dock.hidden, true);
    assert.equal(app.listenerCount('window-all-closed'), 1);
    assert.equal(app.quitCalls, 0);
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
});
