// The dashboard page as the Electron window gets it: served by the tce:// protocol handler with its strict CSP,
// talking to main only through the real preload (run here over a stand-in ipcRenderer), in Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright';
import { launchBrowser } from '../../e2e/support/browser.js';
import { APP_ORIGIN, rendererHandler } from '../../src/main/app-protocol.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/defaults.js';
import { claudeProcess, snapshot } from './snapshots.js';

const RENDERER = fileURLToPath(new URL('../../renderer/', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../../src/preload/index.cjs', import.meta.url));

/** Serves what the protocol handler answers for tce://dashboard/<path> over plain HTTP, headers included. */
async function protocolBridge(): Promise<{ url: string; close(): Promise<void> }> {
  const handle = rendererHandler(RENDERER);
  const server = http.createServer((req, res) => {
    void handle(new Request(`${APP_ORIGIN}${req.url ?? '/'}`, { method: req.method ?? 'GET' })).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The sandboxed preload's world: `require('electron')` gives contextBridge and an ipcRenderer whose invokes are
 * recorded and answered from `answers`; `window.__push(channel, payload)` plays main sending a push message.
 */
function preloadWorld(answers: Record<string, unknown>): string {
  return `(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    window.__invoked = [];
    const answers = ${JSON.stringify(answers)};
    const listeners = {};
    const ipcRenderer = {
      invoke: async (channel, ...args) => {
        window.__invoked.push([channel, ...args]);
        if (channel === 'tce:kill') return { ok: true, pid: args[0], outcome: 'killed', message: 'Claude Code PID ' + args[0] + ' exited after SIGTERM.' };
        if (!(channel in answers)) throw new Error('no answer for ' + channel);
        return answers[channel];
      },
      on: (channel, fn) => { (listeners[channel] = listeners[channel] || []).push(fn); },
      removeListener: (channel, fn) => { listeners[channel] = (listeners[channel] || []).filter((f) => f !== fn); },
    };
    window.__push = (channel, payload) => (listeners[channel] || []).forEach((fn) => fn({ senderId: 0 }, payload));
    const module = { exports: {} };
    const exports = module.exports;
    const require = (name) => {
      if (name !== 'electron') throw new Error('a sandboxed preload can only require electron, not ' + name);
      return { contextBridge: { exposeInMainWorld: (key, api) => { window[key] = Object.freeze(api); } }, ipcRenderer };
    };
    // CommonJS wrapper, as Electron runs the preload.
    (function (require, module, exports) {
      ${fs.readFileSync(PRELOAD, 'utf8')}
    })(require, module, exports);
  })();`;
}

describe('dashboard page in the window', () => {
  let browser: Browser;
  let bridge: { url: string; close(): Promise<void> };

  before(async () => {
    assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), `the renderer is not built (${RENDERER}): run npm run build:renderer`);
    bridge = await protocolBridge();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('runs under the strict CSP, shows the snapshot, follows pushes and focus, and acts through the preload', { timeout: 60_000 }, async () => {
    const first = snapshot([claudeProcess({ pid: 7101, project: 'csp-alpha' }), claudeProcess({ pid: 7102, project: 'csp-beta', health: 'stale' })]);
    const page: Page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.addInitScript(preloadWorld({ 'tce:get-snapshot': first, 'tce:get-settings': DEFAULT_SETTINGS }));
    const response = await page.goto(bridge.url);
    assert.match(response!.headers()['content-security-policy'] ?? '', /default-src 'none'/);

    try {
      await page.getByTestId('process-row-7101').waitFor({ timeout: 20_000 });
    } catch (error) {
      const violations = await page.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations);
      const body = (await page.locator('body').innerText()).slice(0, 500);
      throw new Error(`${(error as Error).message}\npage errors: ${errors.join(' | ')}\nCSP violations: ${violations.join(' | ')}\npage: ${body}`, { cause: error });
    }
    await page.getByTestId('process-row-7102').waitFor();

    // Main pushes a new snapshot, then a notification click asks to show one process.
    const second = snapshot([...first.processes.processes, claudeProcess({ pid: 7103, project: 'csp-gamma', health: 'zombie' })]);
    await page.evaluate((s) => (globalThis as unknown as { __push(c: string, p: unknown): void }).__push('tce:snapshot', s), second);
    await page.getByTestId('process-row-7103').waitFor();
    await page.evaluate(() => (globalThis as unknown as { __push(c: string, p: unknown): void }).__push('tce:focus-process', 7102));
    await page.waitForSelector('[data-testid="process-row-7102"].focused');

    await page.getByRole('button', { name: 'Kill process 7101', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Kill', exact: true }).click();
    await page.waitForFunction(() => (globalThis as unknown as { __invoked: unknown[][] }).__invoked.some((c) => c[0] === 'tce:kill'));
    const invoked = await page.evaluate(() => (globalThis as unknown as { __invoked: unknown[][] }).__invoked);
    assert.deepEqual(invoked.find((c) => c[0] === 'tce:kill'), ['tce:kill', { pid: 7101, startId: '4242' }, false]);

    const out = process.env.TCE_TEST_OUTPUT;
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      await page.screenshot({ path: path.join(out, 'tray-dashboard-window.png') });
    }
    const violations = await page.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations);
    assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
