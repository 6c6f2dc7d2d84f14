// `npm run test:electron`: the pre-release desktop check. The real app in the real Electron binary, driven by
// Playwright's Electron support: the tray exists, the window opens, a snapshot arrives over IPC, a pin and a kill
// round-trip on a spawned Claude Code look-alike, the page's Content-Security-Policy holds, and nothing is logged
// as an error. Not part of `npm test` (which uses the fake electron): it needs a desktop where Electron runs, and
// says so in one line, failing, where it cannot.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright';
import { APP_ROOT, displayProblem, findElectron, installElectron } from '../../src/cli/electron-launch.js';
import { sandboxArgs, sandboxDecision } from '../../src/main/chromium-sandbox.js';
import { spawnFake, type FakeProcess } from '../support/fake-claude.js';
import { isolatedEnv, waitFor } from '../support/tmp.js';

/** Where the main entry keeps the running TrayApp (src/main/index.ts): a Symbol.for key, named here by its string. */
const TRAY_APP = 'tce.trayApp';

interface Diagnostics {
  trayAlive: boolean;
  trayVisible: boolean;
  windowVisible: boolean;
}

/** The Electron binary to test with (downloaded first if only that is missing), or why there is none. */
async function electronBinary(): Promise<{ binary: string } | { problem: string }> {
  const display = displayProblem(process.env);
  let found = findElectron(process.env);
  if (display) return { problem: `${display.replace(/\.$/, '')}${found.kind === 'found' ? '' : '; the Electron binary is not installed either'}` };
  if (found.kind === 'not-downloaded') {
    process.stderr.write(`test:electron: downloading Electron ${found.version} with its installer…\n`);
    const installed = await installElectron({ installer: found.installer, version: found.version, env: process.env, stderr: process.stderr });
    if (!installed.ok) return { problem: `Electron ${found.version} could not be downloaded (${installed.problem})` };
    found = findElectron(process.env);
  }
  if (found.kind === 'found') return { binary: found.binary };
  return { problem: found.kind === 'unusable' ? found.problem : 'the Electron binary is missing' };
}

const electron = await electronBinary();
if ('problem' in electron) {
  process.stderr.write(`test:electron: Electron is unavailable here, so this desktop check did not run: ${electron.problem}\n`);
  process.exit(1);
}
const { binary } = electron;

describe('TCE in real Electron', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-electron-smoke-'));
  const env = isolatedEnv(root);
  let app: ElectronApplication;
  let page: Page;
  let claude: FakeProcess;
  const pageErrors: string[] = [];
  const mainErrors: string[] = [];

  before(async () => {
    fs.mkdirSync(env.CLAUDE_CONFIG_DIR!, { recursive: true });
    fs.mkdirSync(env.TCE_DATA_DIR!, { recursive: true });
    fs.writeFileSync(path.join(env.TCE_DATA_DIR!, 'config.json'), JSON.stringify({ startHidden: false, pollIntervalSeconds: 1 }), { mode: 0o600 });
    claude = await spawnFake('native-installer', root);
    app = await _electron.launch({ executablePath: binary, args: [APP_ROOT, ...sandboxArgs(sandboxDecision({ binary }))], env: env as Record<string, string>, timeout: 60_000 });
    app.process().stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (/error/i.test(line)) mainErrors.push(line);
    });
    page = await app.firstWindow({ timeout: 60_000 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') pageErrors.push(`${message.type()}: ${message.text()}`);
    });
  });

  after(async () => {
    await claude?.kill();
    if (app && app.process().exitCode === null) await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const diagnostics = (): Promise<Diagnostics | null> =>
    app.evaluate((_electron, key) => {
      const trayApp = Reflect.get(globalThis, Symbol.for(key)) as { diagnostics(): Diagnostics } | undefined;
      return trayApp?.diagnostics() ?? null;
    }, TRAY_APP);

  it('has a tray icon and opens its dashboard window on the app’s own page', async () => {
    const seen = await waitFor('the app to start', diagnostics, 30_000);
    assert.equal(seen.trayAlive, true);
    await waitFor('the window on screen', async () => (await diagnostics())?.windowVisible, 30_000);
    assert.equal(page.url(), 'tce://dashboard/index.html');
  });

  it('gets a snapshot over IPC with the Claude Code look-alike in it, and shows it', async () => {
    const listed = await waitFor(
      'the look-alike in a snapshot',
      () => page.evaluate(async (pid) => {
        const api = (globalThis as unknown as { tce: { getSnapshot(): Promise<{ processes: { processes: Array<{ pid: number }> } }> } }).tce;
        return (await api.getSnapshot()).processes.processes.some((p) => p.pid === pid);
      }, claude.pid),
      30_000,
    );
    assert.equal(listed, true);
    await page.getByTestId(`process-row-${claude.pid}`).waitFor({ timeout: 30_000 });
  });

  it('pins and kills the look-alike from the window', async () => {
    await page.getByRole('button', { name: `Pin process ${claude.pid}`, exact: true }).click();
    await page.getByRole('button', { name: `Unpin process ${claude.pid}`, exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: `Kill process ${claude.pid}`, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Kill', exact: true }).click();
    await waitFor('the look-alike to exit', () => !claude.alive(), 30_000);
    await page.getByTestId(`process-row-${claude.pid}`).waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('keeps its Content-Security-Policy: no inline script, no eval', async () => {
    const result = await page.evaluate(async () => {
      // The page's DOM, typed by hand: this project's Node build has no DOM library.
      type Doc = {
        addEventListener(type: string, listener: (event: { violatedDirective: string }) => void): void;
        createElement(tag: string): { textContent: string };
        body: { appendChild(node: unknown): void };
      };
      const doc = (globalThis as unknown as { document: Doc }).document;
      const violations: string[] = [];
      doc.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = doc.createElement('script');
      script.textContent = 'globalThis.__inlineRan = true';
      doc.body.appendChild(script);
      let evalRan = true;
      try {
        (0, eval)('1');
      } catch {
        evalRan = false;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { inlineRan: (globalThis as { __inlineRan?: boolean }).__inlineRan === true, evalRan, violations };
    });
    assert.equal(result.inlineRan, false);
    assert.equal(result.evalRan, false);
    assert.ok(result.violations.some((v) => v.startsWith('script-src')), result.violations.join(', '));
    // The two violations just provoked are the only console complaints expected.
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !/Content Security Policy/i.test(e)));
  });

  it('quits cleanly from its window’s menu', async () => {
    const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
    await app.evaluate(({ Menu }) => {
      const quit = Menu.getApplicationMenu()?.getMenuItemById('app-quit');
      if (!quit) throw new Error('no Quit in the application menu');
      quit.click();
    });
    assert.equal(await exited, 0);
  });

  it('logged no error in the page or the main process', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(mainErrors, []);
  });
});
