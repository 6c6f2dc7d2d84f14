import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fake, session } from '../mocks/electron.js';
import { APP_ORIGIN, DASHBOARD_URL, rendererHandler } from '../../src/main/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../src/core/page/assets.js';
import { denyPermissions } from '../../src/main/security.js';
import { DashboardWindow, WINDOW_BACKGROUND } from '../../src/main/window.js';
import { fileURLToPath } from 'node:url';
import type { WindowBounds } from '../../src/core/settings/types.js';
import { tempDir, waitFor } from '../support/tmp.js';

function dashboard(bounds: WindowBounds | null = null): { window: DashboardWindow; saved: WindowBounds[] } {
  const saved: WindowBounds[] = [];
  return { window: new DashboardWindow({ preload: '/app/preload.cjs', bounds, saveBounds: (b) => saved.push(b) }), saved };
}

describe('dashboard window', () => {
  beforeEach(() => fake.reset());

  it('is created isolated, sandboxed, without Node, and loads the app page', async () => {
    const { window } = dashboard();
    assert.equal(fake.windows.length, 0, 'created on first use only');
    await window.show();
    const win = fake.windows[0]!;
    const prefs = win.options.webPreferences!;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.preload, '/app/preload.cjs');
    assert.equal(win.options.show, false, 'shown only once ready, by show()');
    assert.equal(win.loadedUrl, DASHBOARD_URL);
    assert.ok(window.isVisible());
  });

  it('shows itself once its page has rendered, on the theme’s background (no white flash)', async () => {
    for (const dark of [false, true]) {
      fake.reset();
      fake.darkMode = dark;
      const { window } = dashboard();
      await window.show();
      const win = fake.windows[0]!;
      assert.equal(win.options.backgroundColor, dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light);
      assert.equal(win.shownBeforeReady, false, 'shown after ready-to-show');
      assert.ok(win.visible && win.focused);
    }
  });

  it('opens in the same colours as the dashboard page', () => {
    const css = fs.readFileSync(fileURLToPath(new URL('../../../src/renderer/styles.css', import.meta.url)), 'utf8');
    const dark = css.indexOf('prefers-color-scheme: dark');
    const bg = [...css.matchAll(/--bg:\s*(#[0-9a-fA-F]{6})/g)].map((m) => ({ at: m.index, colour: m[1]!.toLowerCase() }));
    assert.equal(bg.find((b) => b.at < dark)?.colour, WINDOW_BACKGROUND.light);
    assert.equal(bg.find((b) => b.at > dark)?.colour, WINDOW_BACKGROUND.dark);
  });

  it('still shows when its page fails to load, and says why', async (t) => {
    fake.pageLoadError = 'ERR_FILE_NOT_FOUND (-6) loading tce://dashboard/index.html';
    const logged: string[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(' '));
    t.after(() => (console.error = error));
    const { window } = dashboard();
    await window.show();
    assert.ok(fake.windows[0]!.visible);
    assert.match(logged.join('\n'), /the dashboard page did not load: ERR_FILE_NOT_FOUND/);
  });

  it('without a tray, closes for real on close and keeps its menu bar in view', async () => {
    const window = new DashboardWindow({ preload: '/app/preload.cjs', bounds: null, saveBounds: () => undefined, closeQuits: true });
    await window.show();
    const win = fake.windows[0]!;
    assert.equal(win.options.autoHideMenuBar, false);
    assert.equal(win.close().defaultPrevented, false);
    assert.ok(win.destroyed);
  });

  it('hides on close instead of closing, and opens the same window again', async () => {
    const { window } = dashboard();
    await window.show();
    const win = fake.windows[0]!;
    const event = win.close();
    assert.equal(event.defaultPrevented, true);
    assert.equal(win.destroyed, false);
    assert.equal(window.isVisible(), false);
    await window.show();
    assert.equal(fake.windows.length, 1);
    assert.ok(win.visible);
    window.allowClose();
    win.close();
    assert.ok(win.destroyed);
    assert.equal(window.contents(), null);
  });

  it('remembers its size and place', async () => {
    const { window, saved } = dashboard();
    await window.show();
    const win = fake.windows[0]!;
    win.setBounds({ x: 40, y: 60, width: 1300, height: 900 });
    await waitFor('bounds saved after the move settles', () => saved.length > 0);
    assert.deepEqual(saved.at(-1), { x: 40, y: 60, width: 1300, height: 900 });
    win.setBounds({ width: 1000 });
    win.close(); // hidden: the last place is saved at once
    assert.deepEqual(saved.at(-1), { x: 40, y: 60, width: 1000, height: 900 });

    fake.reset();
    const again = dashboard(saved.at(-1)!);
    await again.window.show();
    const options = fake.windows[0]!.options;
    assert.deepEqual([options.x, options.y, options.width, options.height], [40, 60, 1000, 900]);
  });

  it('does not reopen on a monitor that is gone', async () => {
    fake.displays = [{ x: 0, y: 0, width: 1920, height: 1050 }];
    const offScreen = dashboard({ x: 2500, y: 100, width: 1100, height: 720 });
    await offScreen.window.show();
    let options = fake.windows[0]!.options;
    assert.equal(options.x, undefined, 'placed by the system instead');
    assert.equal(options.width, 1100, 'the size is still used');

    fake.reset();
    fake.displays = [{ x: 0, y: 0, width: 1920, height: 1050 }, { x: 1920, y: 0, width: 2560, height: 1400 }];
    const second = dashboard({ x: 2500, y: 100, width: 1100, height: 720 });
    await second.window.show();
    options = fake.windows[0]!.options;
    assert.deepEqual([options.x, options.y], [2500, 100], 'the second monitor is attached again');

    fake.reset();
    const titleBarAbove = dashboard({ x: 100, y: -400, width: 1100, height: 720 });
    await titleBarAbove.window.show();
    assert.equal(fake.windows[0]!.options.y, undefined, 'a title bar above the screen cannot be grabbed');
  });

  it('stays on its page: navigation refused, web links to the browser, other schemes nowhere, no new windows', async () => {
    const { window } = dashboard();
    await window.show();
    const contents = fake.windows[0]!.webContents;
    assert.equal(contents.emitCancellable('will-navigate', `${APP_ORIGIN}/index.html#processes`).defaultPrevented, false);
    assert.equal(contents.emitCancellable('will-navigate', 'https://example.com/docs').defaultPrevented, true);
    assert.equal(contents.emitCancellable('will-navigate', 'file:///etc/passwd').defaultPrevented, true);
    assert.equal(contents.emitCancellable('will-redirect', 'http://evil.test/').defaultPrevented, true);
    assert.equal(contents.emitCancellable('will-attach-webview', {}, {}).defaultPrevented, true);
    assert.deepEqual(contents.windowOpenHandler!({ url: 'https://docs.anthropic.com/' }), { action: 'deny' });
    assert.deepEqual(contents.windowOpenHandler!({ url: 'javascript:alert(1)' }), { action: 'deny' });
    assert.deepEqual(contents.windowOpenHandler!({ url: 'smb://server/share' }), { action: 'deny' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fake.openedExternal, ['https://example.com/docs', 'http://evil.test/', 'https://docs.anthropic.com/']);
  });

  it('denies every permission request and check', () => {
    denyPermissions(session.defaultSession as unknown as Electron.Session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      session.defaultSession.permissionRequestHandler!(null, permission, (granted) => answers.push(granted), {});
      answers.push(session.defaultSession.permissionCheckHandler!(null, permission, APP_ORIGIN, {}));
    }
    assert.deepEqual(answers, Array(8).fill(false));
  });
});

describe('dashboard page protocol', () => {
  it('serves the renderer files with a strict CSP and nothing outside its folder', async (t) => {
    const root = tempDir(t, 'tce-renderer-');
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>TCE</title>');
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(root), `${path.basename(root)}-secret.txt`), 'secret');
    t.after(() => fs.rmSync(path.join(path.dirname(root), `${path.basename(root)}-secret.txt`), { force: true }));
    const handle = rendererHandler(root);

    const page = await handle(new Request(`${APP_ORIGIN}/`));
    assert.equal(page.status, 200);
    assert.equal(await page.text(), '<!doctype html><title>TCE</title>');
    const csp = page.headers.get('content-security-policy')!;
    assert.equal(csp, CONTENT_SECURITY_POLICY);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');

    const script = await handle(new Request(`${APP_ORIGIN}/assets/app.js`));
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    for (const escape of [`${APP_ORIGIN}/..%2f${path.basename(root)}-secret.txt`, `${APP_ORIGIN}/%2e%2e/${path.basename(root)}-secret.txt`, 'tce://other-host/index.html']) {
      const response = await handle(new Request(escape));
      assert.equal(response.status, 404, escape);
      assert.ok(response.headers.get('content-security-policy'));
    }
    assert.equal((await handle(new Request(`${APP_ORIGIN}/index.html`, { method: 'POST', body: 'x' }))).status, 405);
  });
});
