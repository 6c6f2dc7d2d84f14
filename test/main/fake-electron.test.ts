// The fake electron behaves like Electron where TCE depends on it (each behaviour cites its source in the fake).
// These tests pin that down, so that a kinder fake cannot slip back in.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FakeEvent} from '../mocks/electron.js';
import { app, BrowserWindow, bridgeCopy, clipboard, contextBridge, fake, FakeWebContents, ipcClone, ipcMain, Menu, Notification, Tray, FakeNativeImage, windowsRunCommand } from '../mocks/electron.js';
import { tempDir } from '../support/tmp.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  length(): number {
    return Math.hypot(this.x, this.y);
  }
}

describe('fake electron: IPC and the context bridge', () => {
  beforeEach(() => fake.reset());

  it('structured-clones IPC: functions, promises and symbols refused, class instances copied without their prototype', async () => {
    assert.throws(() => ipcClone({ callback: () => 1 }), { message: 'An object could not be cloned.' });
    assert.throws(() => ipcClone(Promise.resolve(1)), { message: 'An object could not be cloned.' });
    assert.throws(() => ipcClone(Symbol('s')), { message: 'An object could not be cloned.' });
    const copy = ipcClone(new Point(3, 4)) as unknown as Record<string, unknown>;
    assert.deepEqual(copy, { x: 3, y: 4 });
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    const nested = { list: [1, { a: 2 }] };
    assert.notEqual(ipcClone(nested).list, nested.list, 'copied, not shared');

    ipcMain.handle('echo', (_event, value) => value);
    ipcMain.handle('returns-function', () => ({ f: () => 1 }));
    ipcMain.handle('throws', () => {
      throw new TypeError('bad input');
    });
    const event = { sender: new FakeWebContents(), senderFrame: { url: '', parent: null } };
    await assert.rejects(ipcMain.invoke('echo', event, () => 1), { message: 'An object could not be cloned.' });
    await assert.rejects(ipcMain.invoke('returns-function', event), /^Error: Error invoking remote method 'returns-function': Error: An object could not be cloned\.$/);
    await assert.rejects(ipcMain.invoke('throws', event), /^Error: Error invoking remote method 'throws': TypeError: bad input$/);
    await assert.rejects(ipcMain.invoke('nobody', event), /Error invoking remote method 'nobody': Error: No handler registered for 'nobody'/);
    assert.throws(() => ipcMain.handle('echo', () => 1), /Attempted to register a second handler for 'echo'/);
    assert.throws(() => new FakeWebContents().send('tce:snapshot', { f: () => 1 }), { message: 'An object could not be cloned.' });
  });

  it('copies across contextBridge: functions proxied, objects copied, prototypes and symbols dropped', async () => {
    const api = {
      point: new Point(1, 2),
      add: (a: number, b: number) => a + b,
      later: async (p: { x: number }) => ({ seen: p.x }),
      fail: async () => {
        throw Object.assign(new Error('no'), { code: 7 });
      },
      tag: Symbol('x'),
    };
    contextBridge.exposeInMainWorld('api', api);
    const seen = fake.mainWorld.get('api') as Record<string, unknown>;
    assert.notEqual(seen, api);
    assert.deepEqual(seen.point, { x: 1, y: 2 });
    assert.equal(Object.getPrototypeOf(seen.point), Object.prototype, 'methods of a class do not cross');
    assert.equal(typeof seen.add, 'function');
    assert.equal((seen.add as (a: number, b: number) => number)(2, 3), 5);
    assert.deepEqual(await (seen.later as (p: object) => Promise<unknown>)(new Point(9, 0)), { seen: 9 });
    await assert.rejects((seen.fail as () => Promise<unknown>)(), (error: Error) => error.message === 'no' && !('code' in error));
    assert.equal('tag' in seen, false);
    assert.throws(() => contextBridge.exposeInMainWorld('api', {}), /Cannot bind an API on top of an existing property/);
    assert.equal(bridgeCopy(undefined), undefined);
  });

  it('runs a preload as a sandboxed renderer: only electron, events, timers and url can be required', (t) => {
    const dir = tempDir(t, 'tce-preload-');
    const allowed = path.join(dir, 'allowed.cjs');
    fs.writeFileSync(allowed, `const { contextBridge, ipcRenderer } = require('electron'); require('events'); require('node:timers'); require('url');\ncontextBridge.exposeInMainWorld('ok', { hasIpc: typeof ipcRenderer.invoke === 'function', hasFs: typeof require === 'function' });`);
    fake.runSandboxedPreload(allowed);
    assert.deepEqual(fake.mainWorld.get('ok'), { hasIpc: true, hasFs: true });
    for (const name of ['fs', 'node:path', 'child_process', './helper.cjs']) {
      const file = path.join(dir, `wants-${name.replace(/[^a-z]/g, '')}.cjs`);
      fs.writeFileSync(file, `require(${JSON.stringify(name)});`);
      assert.throws(() => fake.runSandboxedPreload(file), { message: `module not found: ${name}` });
    }
    const mainOnly = path.join(dir, 'main-only.cjs');
    fs.writeFileSync(mainOnly, `const e = require('electron'); require('electron').contextBridge.exposeInMainWorld('kinds', { BrowserWindow: typeof e.BrowserWindow, app: typeof e.app, ipcMain: typeof e.ipcMain, webFrame: typeof e.webFrame });`);
    fake.runSandboxedPreload(mainOnly);
    assert.deepEqual(fake.mainWorld.get('kinds'), { BrowserWindow: 'undefined', app: 'undefined', ipcMain: 'undefined', webFrame: 'object' }, 'the renderer modules only');
  });
});

describe('fake electron: the app lifecycle', () => {
  beforeEach(() => fake.reset());

  it('is ready only later: whenReady never resolves in the same task', async () => {
    let ready = false;
    const waiting = app.whenReady().then(() => (ready = true));
    await Promise.resolve();
    assert.equal(ready, false);
    assert.equal(app.isReady(), false);
    await waiting;
    assert.equal(app.isReady(), true);
  });

  it('quits through before-quit (cancellable), closing windows (a prevented close cancels), then will-quit and quit', async () => {
    const seen: string[] = [];
    let cancelQuit = true;
    app.on('before-quit', (event: FakeEvent) => {
      seen.push('before-quit');
      if (cancelQuit) event.preventDefault();
    });
    app.on('will-quit', () => seen.push('will-quit'));
    app.on('quit', () => seen.push('quit'));
    const win = new BrowserWindow({ show: true });
    let keepOpen = true;
    win.on('close', (event: FakeEvent) => {
      seen.push('close');
      if (keepOpen) event.preventDefault();
    });
    app.quit();
    assert.deepEqual(seen, ['before-quit']);
    cancelQuit = false;
    app.quit();
    assert.deepEqual(seen, ['before-quit', 'before-quit', 'close']);
    assert.equal(app.quitting, false, 'the window kept open cancelled the quit');
    keepOpen = false;
    app.quit();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, ['before-quit', 'before-quit', 'close', 'before-quit', 'close', 'will-quit', 'quit']);
    assert.ok(win.destroyed);
    assert.equal(app.quitExitCode, 0);
  });

  it('quits when the last window closes unless someone listens for window-all-closed', async () => {
    const win = new BrowserWindow({ show: true });
    win.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(app.quitExitCode, 0);
    fake.reset();
    let all = 0;
    app.on('window-all-closed', () => all++);
    new BrowserWindow({ show: true }).close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(all, 1);
    assert.equal(app.quitExitCode, null);
  });

  it('shows a window’s page only later: loadURL resolves and ready-to-show follows, in later tasks', async () => {
    const win = new BrowserWindow({ show: false });
    const events: string[] = [];
    win.on('ready-to-show', () => events.push('ready-to-show'));
    const loading = win.loadURL('tce://dashboard/index.html').then(() => events.push('loaded'));
    assert.deepEqual(events, []);
    await loading;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['loaded', 'ready-to-show']);
  });
});

describe('fake electron: tray, menus, notifications, clipboard, login items', () => {
  beforeEach(() => fake.reset());

  it('on Linux never reports that a tray menu closed; macOS and Windows do; titles exist on macOS only', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      fake.platform = platform;
      const tray = new Tray(new FakeNativeImage());
      const menu = Menu.buildFromTemplate([{ label: 'x' }]);
      tray.setContextMenu(menu);
      const seen: string[] = [];
      menu.on('menu-will-show', () => seen.push('show'));
      menu.on('menu-will-close', () => seen.push('close'));
      tray.openMenu();
      tray.closeMenu();
      assert.deepEqual(seen, platform === 'linux' ? ['show'] : ['show', 'close'], platform);
      tray.setTitle('3');
      assert.equal(tray.title, platform === 'darwin' ? '3' : '', platform);
    }
  });

  it('has notifications that may be unsupported, or fail on show', async () => {
    fake.notificationsSupported = false;
    assert.equal(Notification.isSupported(), false);
    fake.notificationsSupported = true;
    fake.notificationFailure = 'Notifications are disabled for TCE';
    const failing = new Notification({ title: 't' });
    const failed = new Promise<string>((resolve) => failing.once('failed', (_event: unknown, error: string) => resolve(error)));
    failing.show();
    assert.equal(await failed, 'Notifications are disabled for TCE');
    assert.equal(fake.notifications.length, 0);
    fake.notificationFailure = null;
    const shown = new Notification({ title: 'u' });
    const showed = new Promise<void>((resolve) => shown.once('show', () => resolve()));
    shown.show();
    await showed;
    assert.equal(fake.notifications.length, 1);
  });

  it('writes the clipboard asynchronously, and can refuse', async () => {
    const writing = clipboard.writeText('42');
    assert.equal(fake.clipboard, '', 'not yet');
    await writing;
    assert.equal(await clipboard.readText(), '42');
    fake.clipboardFailure = 'no clipboard';
    await assert.rejects(clipboard.writeText('43'), /no clipboard/);
  });

  it('formats a Windows login item as Electron 45 does: path and arguments quoted by CommandLineToArgvW’s rules', () => {
    assert.equal(windowsRunCommand('C:\\Program Files\\TCE\\TCE.exe', ['--hidden']), '"C:\\Program Files\\TCE\\TCE.exe" --hidden');
    assert.equal(windowsRunCommand('"C:\\Program Files\\TCE\\TCE.exe"', ['--hidden']), '"C:\\Program Files\\TCE\\TCE.exe" --hidden', 'surrounding quotes are stripped first');
    // A pre-quoted argument gets its quotes escaped: passing one quoted by hand breaks it.
    assert.equal(windowsRunCommand('TCE.exe', ['"C:\\a b"']), 'TCE.exe "\\"C:\\a b\\""');
    assert.equal(windowsRunCommand('TCE.exe', ['C:\\dir\\']), 'TCE.exe "C:\\dir\\\\"');
  });
});
