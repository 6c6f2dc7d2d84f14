// End to end: the built `tce dashboard` in a real Chromium, over its real HTTP API and event stream, with an
// isolated Claude dir holding a transcript whose totals are known and real processes that look like Claude Code.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { UsageReport } from '../src/shared/api.js';
import { assistantLine } from '../test/core/usage/corpus.js';
import { spawnFake } from '../test/support/fake-claude.js';
import { isolatedEnv, tempDir, waitFor, writeFile } from '../test/support/tmp.js';
import { launchBrowser, outputPath, watchPageErrors } from './support/browser.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TCE = path.join(REPO, 'bin', 'tce.js');
const POLL_SECONDS = 1;

function isoDaysAgo(days: number, minutes = 0): string {
  return new Date(Date.now() - days * 86_400_000 - minutes * 60_000).toISOString();
}

/** Three days, three models: 19 075 tokens in all (each message id once; the repeated line must not count twice). */
const TOTAL_TOKENS = 3000 + 15_000 + 1000 + 75;

function writeClaudeDir(claudeDir: string, cwd: string): void {
  const session = '3f0c4d2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
  const lines = [
    assistantLine({ id: 'msg_e2e_1', model: 'claude-opus-4-5', ts: isoDaysAgo(10), input: 1000, output: 2000, cwd, sessionId: session }),
    assistantLine({ id: 'msg_e2e_2', model: 'claude-sonnet-4-5', ts: isoDaysAgo(2), input: 3000, output: 1500, cacheWrite5m: 500, cacheRead: 10_000, cwd, sessionId: session }),
    assistantLine({ id: 'msg_e2e_2', model: 'claude-sonnet-4-5', ts: isoDaysAgo(2), input: 3000, output: 1500, cacheWrite5m: 500, cacheRead: 10_000, cwd, sessionId: session }),
    assistantLine({ id: 'msg_e2e_3', model: 'claude-sonnet-4-5', ts: isoDaysAgo(0, 2), input: 700, output: 300, cwd, sessionId: session }),
    assistantLine({ id: 'msg_e2e_4', model: 'claude-haiku-4-5', ts: isoDaysAgo(0, 1), input: 50, output: 25, cwd, sessionId: session }),
  ];
  writeFile(path.join(claudeDir, 'projects', '-work-e2e', `${session}.jsonl`), `${lines.join('\n')}\n`);
}

interface Dashboard {
  url: string;
  /** The one-time login link it printed for the owner's browser. */
  login: string;
  child: ChildProcess;
  output(): string;
}

async function startDashboard(t: { after(fn: () => Promise<void> | void): void }, env: NodeJS.ProcessEnv): Promise<Dashboard> {
  const child = spawn(process.execPath, [TCE, 'dashboard', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  });
  const url = await waitFor(`the dashboard URL (output so far: ${JSON.stringify(out)})`, () => /TCE dashboard: (http:\/\/\S+)/.exec(out)?.[1], 30_000);
  const login = await waitFor(`the login link (output so far: ${JSON.stringify(out)})`, () => /Log in .*: (http:\/\/\S+\/login\?once=\S+)/.exec(out)?.[1], 30_000);
  return { url, login, child, output: () => out };
}

test('tce dashboard in Chromium: live processes, kill and pin from the page, usage equal to tce usage --json', async (t) => {
  const root = tempDir(t, 'tce-e2e-dashboard-');
  const env = isolatedEnv(root, { TZ: 'UTC' });
  const claudeDir = env.CLAUDE_CONFIG_DIR as string;
  writeClaudeDir(claudeDir, path.join(root, 'work'));
  writeFile(path.join(env.TCE_DATA_DIR as string, 'config.json'), { pollIntervalSeconds: POLL_SECONDS });

  const cli = spawnSync(process.execPath, [TCE, 'usage', '--json'], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(cli.status, 0, cli.stderr);
  const expected = (JSON.parse(cli.stdout) as UsageReport).totals;
  assert.equal(expected.totalTokens, TOTAL_TOKENS, 'the CLI counts the transcript as written');
  assert.ok(expected.costUSD > 0);

  const dash = await startDashboard(t, env);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  // Without logging in the page is closed; the link `tce dashboard` printed opens it.
  const closed = await browser.newPage();
  assert.equal((await closed.goto(dash.url))?.status(), 401);
  await closed.close();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchPageErrors(page);
  await page.goto(dash.login);
  await page.waitForURL(dash.url);
  await waitFor('the live feed', async () => (await page.getByTestId('connection').getAttribute('data-state')) === 'live', 30_000);

  // A process started now shows up within one poll (plus the time a scan takes on a busy machine).
  const toKill = await spawnFake('native-installer', path.join(root, 'a'));
  t.after(() => toKill.kill());
  const toPin = await spawnFake('npm-cli-js', path.join(root, 'b'));
  t.after(() => toPin.kill());
  const started = Date.now();
  await page.getByTestId(`process-row-${toKill.pid}`).waitFor({ timeout: 30_000 });
  await page.getByTestId(`process-row-${toPin.pid}`).waitFor({ timeout: 30_000 });
  console.log(`# both processes appeared ${Date.now() - started} ms after they started (poll ${POLL_SECONDS} s)`);

  // Pin: the server pins it and the next snapshot shows it pinned.
  await page.getByRole('button', { name: `Pin process ${toPin.pid}`, exact: true }).click();
  await page.getByTestId('toast').filter({ hasText: String(toPin.pid) }).first().waitFor();
  await waitFor('the pinned row', async () => (await page.getByTestId(`process-row-${toPin.pid}`).getAttribute('data-health')) === 'pinned', 30_000);
  await page.getByRole('button', { name: `Unpin process ${toPin.pid}`, exact: true }).waitFor();
  assert.equal(toPin.alive(), true);

  // Kill asks first, then really ends that process (and only that one).
  await page.getByRole('button', { name: `Kill process ${toKill.pid}`, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Kill', exact: true }).click();
  await waitFor('the killed process to end', () => !toKill.alive(), 30_000);
  await page.getByTestId(`process-row-${toKill.pid}`).waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(toPin.alive(), true, 'the other process is untouched');

  // Usage: the exact numbers the CLI prints, and a chart with bars.
  await page.getByRole('tab', { name: 'Usage' }).click();
  const cost = page.getByTestId('usage-total-cost');
  await cost.waitFor();
  assert.equal(Number(await page.getByTestId('usage-total-tokens').getAttribute('data-value')), expected.totalTokens);
  assert.ok(Math.abs(Number(await cost.getAttribute('data-value')) - expected.costUSD) < 1e-9, `${await cost.getAttribute('data-value')} vs ${expected.costUSD}`);
  const chart = page.getByTestId('usage-chart');
  await chart.locator('g.stack rect').first().waitFor();
  assert.equal(Number(await chart.getAttribute('data-total')), TOTAL_TOKENS, 'the default 30-day range holds every message');
  assert.ok((await chart.locator('g.stack rect').count()) >= 4, 'one segment per model and day');
  await page.screenshot({ path: outputPath('dashboard-e2e-usage.png'), fullPage: true });

  // The date range narrows the numbers at once and asks the server for that range (for its per-project split).
  const weekAgo = isoDaysAgo(6).slice(0, 10);
  const rangeRequest = page.waitForRequest((r) => r.url().includes(`/api/usage?since=${weekAgo}`), { timeout: 30_000 });
  await page.getByRole('button', { name: '7 days' }).click();
  await waitFor('the 7-day totals', async () => Number(await page.getByTestId('range-totals').getAttribute('data-tokens')) === 15_000 + 1000 + 75);
  const asked = new URL((await rangeRequest).url());
  assert.equal(asked.searchParams.get('since'), weekAgo);
  assert.equal(asked.searchParams.get('until'), isoDaysAgo(0).slice(0, 10));

  // Sessions: the transcript's session.
  await page.getByRole('tab', { name: /Sessions/ }).click();
  await page.getByTestId('session-row-3f0c4d2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f').waitFor();

  // Settings: saved through the server into TCE's settings file, and the next snapshots follow the new interval.
  await page.getByRole('tab', { name: 'Settings' }).click();
  const poll = page.getByLabel('Poll every');
  await waitFor('the current poll interval', async () => (await poll.inputValue()) === String(POLL_SECONDS));
  await poll.fill('2');
  await page.getByLabel('Notify about hogs').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('settings-outcome').filter({ hasText: 'Settings saved.' }).waitFor();
  const stored = JSON.parse(fs.readFileSync(path.join(env.TCE_DATA_DIR as string, 'config.json'), 'utf8')) as { pollIntervalSeconds: number; notifications: { hog: boolean } };
  assert.equal(stored.pollIntervalSeconds, 2);
  assert.equal(stored.notifications.hog, false);

  await page.getByRole('tab', { name: /Processes/ }).click();
  await page.screenshot({ path: outputPath('dashboard-e2e-processes.png') });
  assert.deepEqual(errors, [], 'no page error and no CSP violation');

  // The server goes away: the page says so and marks what it shows as stale, and keeps showing it.
  const exited = new Promise((resolve) => dash.child.once('exit', resolve));
  dash.child.kill('SIGTERM');
  await exited;
  await waitFor('the feed to be reported down', async () => ['reconnecting', 'error'].includes((await page.getByTestId('connection').getAttribute('data-state')) ?? ''), 30_000);
  await waitFor('the data to be marked stale', async () => (await page.getByTestId('freshness').getAttribute('data-stale')) === 'true', 30_000);
  await page.getByTestId(`process-row-${toPin.pid}`).waitFor();
  assert.match(await page.getByTestId('connection').innerText(), /Reconnecting|Disconnected/);
});
