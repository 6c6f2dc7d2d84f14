// The dashboard in Chromium with a fake `window.tce`: empty states, sorting, filters, confirm-before-kill,
// pin, kill-all-stale, stale data marking, theme, usage numbers and chart, sessions, keyboard, CSP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Snapshot } from '../src/shared/api.js';
import { launchBrowser, outputPath, watchPageErrors } from './support/browser.js';
import { emitSnapshot, fakeCalls, installFakeTce, releaseActions, requestFocus, type FakeOptions } from './support/fake-tce.js';
import { DEFAULT_SETTINGS } from '../src/core/settings/defaults.js';
import { largeSnapshot, makeProcess, makeReport, makeSession, makeSnapshot, modelUsage, totals, utcDay } from './support/snapshots.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from '../test/support/tmp.js';

const SONNET = 'claude-sonnet-4-5-20250929';
const OPUS = 'claude-opus-4-5-20251101';

function threeProcesses(): Snapshot {
  return makeSnapshot({
    processList: [
      makeProcess(1001, { project: 'alpha', cpuPercent: 5, rssBytes: 300 * 1024 ** 2 }),
      makeProcess(1002, { project: 'beta', cpuPercent: 40, health: 'stale', idleSince: new Date(Date.now() - 9 * 3600_000).toISOString() }),
      makeProcess(1003, { project: 'gamma', cpuPercent: 1, health: 'pinned', pinned: true }),
    ],
    // Project folders named as Claude Code names them; the page shows the last folder of the working directory.
    sessions: [
      makeSession('s-alpha', { project: '-home-user-work-alpha', livePid: 1001 }),
      makeSession('s-old', { project: '-home-user-work-delta', path: '/home/user/work/delta', livePid: null, summary: 'Refactor the parser' }),
    ],
  });
}

describe('dashboard UI (fake window.tce)', () => {
  let server: StaticServer;
  let browser: Browser;

  before(async () => {
    server = await startStaticServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(options: FakeOptions, viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport, colorScheme });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await installFakeTce(page, options);
    await page.goto(server.url);
    return { page, errors };
  }

  async function pidsInOrder(page: Page): Promise<number[]> {
    return page.$$eval('[data-testid^="process-row-"]', (rows) => rows.map((r) => Number((r.getAttribute('data-testid') ?? '').replace('process-row-', ''))));
  }

  test('nothing running: an empty state instead of a table, and no error', async () => {
    const { page, errors } = await open({ snapshot: makeSnapshot() });
    await page.getByTestId('empty-processes').waitFor();
    assert.match(await page.getByTestId('empty-processes').innerText(), /Nothing running/);
    assert.equal(await page.locator('table.processes').count(), 0);
    assert.equal(await page.getByRole('button', { name: /Kill all stale/ }).isDisabled(), true);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('no Claude Code found: says so and how to point TCE at it', async () => {
    const { page } = await open({ snapshot: makeSnapshot({ warnings: ['No Claude Code config dir found (looked in /home/u/.claude).'] }) });
    await page.getByTestId('empty-no-claude').waitFor();
    assert.match(await page.getByTestId('empty-no-claude').innerText(), /CLAUDE_CONFIG_DIR/);
    assert.match(await page.getByTestId('warnings').innerText(), /looked in \/home\/u\/\.claude/);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Poll every').waitFor();
    await page.context().close();
  });

  test('a failing first load shows the error in place', async () => {
    const { page } = await open({ snapshot: null, snapshotError: 'The monitor is not running.' });
    await page.getByTestId('load-error').waitFor();
    assert.match(await page.getByTestId('load-error').innerText(), /The monitor is not running\./);
    await page.context().close();
  });

  test('rows show each process; columns sort both ways; filters narrow the rows', async () => {
    const { page, errors } = await open({ snapshot: threeProcesses() });
    await page.getByTestId('process-row-1001').waitFor();
    // Default: CPU, busiest first.
    assert.deepEqual(await pidsInOrder(page), [1002, 1001, 1003]);
    const row = page.getByTestId('process-row-1002');
    assert.match(await row.innerText(), /beta/);
    assert.equal(await row.getAttribute('data-health'), 'stale');
    assert.equal(await row.getByRole('img').getAttribute('aria-label'), 'Stale (idle too long)');

    await page.getByRole('button', { name: 'PID' }).click();
    assert.deepEqual(await pidsInOrder(page), [1001, 1002, 1003]);
    assert.equal(await page.locator('th', { has: page.getByRole('button', { name: 'PID' }) }).getAttribute('aria-sort'), 'ascending');
    await page.getByRole('button', { name: 'PID' }).click();
    assert.deepEqual(await pidsInOrder(page), [1003, 1002, 1001]);
    await page.getByRole('button', { name: 'Memory' }).click();
    assert.equal(await pidsInOrder(page).then((p) => p[0]), 1001);

    await page.getByRole('searchbox').fill('gam');
    assert.deepEqual(await pidsInOrder(page), [1003]);
    assert.match(await page.getByTestId('process-count').innerText(), /1 of 3 shown/);
    await page.getByRole('searchbox').fill('');
    await page.getByLabel('Health', { exact: true }).selectOption('stale');
    assert.deepEqual(await pidsInOrder(page), [1002]);
    await page.getByLabel('Health', { exact: true }).selectOption('zombie');
    await page.getByTestId('empty-filter').waitFor();
    await page.getByRole('button', { name: 'Clear filter' }).click();
    assert.equal((await pidsInOrder(page)).length, 3);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('kill asks first: cancel calls nothing, confirm kills exactly that pid, force sends force', async () => {
    const { page } = await open({ snapshot: threeProcesses() });
    await page.getByTestId('process-row-1002').waitFor();
    await page.getByRole('button', { name: 'Kill process 1002', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Kill process 1002\?[\s\S]*beta/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(await fakeCalls(page, 'kill'), []);

    // Escape cancels too.
    await page.getByRole('button', { name: 'Kill process 1002', exact: true }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(await fakeCalls(page, 'kill'), []);

    await page.getByRole('button', { name: 'Kill process 1002', exact: true }).click();
    await dialog.getByRole('button', { name: 'Kill', exact: true }).click();
    await waitFor('the kill call', async () => (await fakeCalls(page, 'kill')).length === 1);
    // The process as the page listed it: its PID and start, nothing else.
    assert.deepEqual((await fakeCalls(page, 'kill'))[0]?.args, [{ pid: 1002, startId: '1001002' }, false]);
    await page.getByTestId('toast').filter({ hasText: 'Process 1002 ended (SIGTERM).' }).waitFor();

    await page.getByRole('button', { name: 'Force kill process 1001' }).click();
    assert.match(await dialog.innerText(), /Force kill process 1001\?/);
    await dialog.getByRole('button', { name: 'Force kill' }).click();
    await waitFor('the force kill call', async () => (await fakeCalls(page, 'kill')).length === 2);
    assert.deepEqual((await fakeCalls(page, 'kill'))[1]?.args, [{ pid: 1001, startId: '1001001' }, true]);
    await page.context().close();
  });

  test('a refused action shows its message as an error', async () => {
    const { page } = await open({ snapshot: threeProcesses(), refuse: true });
    await page.getByRole('button', { name: 'Kill process 1001', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Kill', exact: true }).click();
    const toast = page.getByRole('alert').filter({ hasText: 'Refused: 1001 is not Claude Code.' });
    await toast.waitFor();
    await page.context().close();
  });

  test('an action in flight disables its buttons until it answers; a failing bridge shows its error', async () => {
    const { page } = await open({ snapshot: threeProcesses(), holdActions: true });
    const pin = page.getByRole('button', { name: 'Pin process 1001', exact: true });
    await pin.click();
    await waitFor('the pin button to be disabled while pending', () => pin.isDisabled());
    assert.equal(await page.getByRole('button', { name: 'Kill process 1001', exact: true }).isDisabled(), false, 'kill is a separate action');
    assert.equal(await page.getByRole('button', { name: 'Pin process 1002', exact: true }).isDisabled(), false, 'other rows are not affected');
    await releaseActions(page);
    await page.getByTestId('toast').filter({ hasText: 'Process 1001 pinned.' }).waitFor();
    await waitFor('the pin button to be enabled again', async () => !(await pin.isDisabled()));
    await page.context().close();

    const failing = await open({ snapshot: threeProcesses(), actionError: 'The dashboard server cannot be reached (Failed to fetch).' });
    await failing.page.getByRole('button', { name: 'Unpin process 1003', exact: true }).click();
    await failing.page.getByRole('alert').filter({ hasText: 'The dashboard server cannot be reached (Failed to fetch).' }).waitFor();
    await failing.page.getByRole('alert').filter({ hasText: 'cannot be reached' }).getByRole('button', { name: 'Dismiss' }).click();
    await failing.page.getByRole('alert').filter({ hasText: 'cannot be reached' }).waitFor({ state: 'detached' });
    await failing.page.context().close();
  });

  test('pin and unpin call the API for that row; kill all stale confirms and lists its targets', async () => {
    const { page } = await open({
      snapshot: threeProcesses(),
      killStaleResults: [{ ok: true, pid: 1002, outcome: 'killed', message: 'Process 1002 ended (stale).' }],
    });
    await page.getByRole('button', { name: 'Pin process 1001' }).click();
    await page.getByRole('button', { name: 'Unpin process 1003' }).click();
    await waitFor('pin and unpin calls', async () => (await fakeCalls(page, 'pin')).length === 1 && (await fakeCalls(page, 'unpin')).length === 1);
    assert.deepEqual((await fakeCalls(page, 'pin'))[0]?.args, [{ pid: 1001, startId: '1001001' }]);
    assert.deepEqual((await fakeCalls(page, 'unpin'))[0]?.args, [{ pid: 1003, startId: '1001003' }]);

    await page.getByRole('button', { name: 'Kill all stale (1)' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /Kill 1 stale process\?[\s\S]*1002 — beta/);
    assert.deepEqual(await fakeCalls(page, 'killStale'), []);
    await dialog.getByRole('button', { name: 'Kill all stale' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Process 1002 ended (stale).' }).waitFor();
    assert.equal((await fakeCalls(page, 'killStale')).length, 1);
    await page.context().close();
  });

  test('a detail row shows cwd, command, session and its usage', async () => {
    const snapshot = threeProcesses();
    // A session that began two days ago: today's share is shown apart from its whole total.
    snapshot.sessions.push(
      makeSession('00000000-0000-4000-8000-000000001001', {
        project: 'alpha',
        livePid: 1001,
        startedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        ...totals(40_000, 20_000, 0, 0, 3.5),
        today: totals(1000, 500, 0, 0, 0.25),
      }),
    );
    const { page } = await open({ snapshot });
    await page.getByTestId('process-row-1001').getByRole('button', { name: 'alpha' }).click();
    const detail = page.getByTestId('process-detail-1001');
    await detail.waitFor();
    const text = await detail.innerText();
    assert.match(text, /\/home\/user\/work\/project-1001/);
    assert.match(text, /claude --continue/);
    assert.match(text, /00000000-0000-4000-8000-000000001001/);
    assert.match(await page.getByTestId('process-session-usage-1001').innerText(), /^1,500 tokens, \$0\.25 today \(60.0k tokens, \$3\.50 since /);
    await page.getByTestId('process-row-1001').getByRole('button', { name: 'alpha' }).click();
    await detail.waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('data older than one poll is marked stale, and unmarked when a fresh snapshot arrives', async () => {
    const old = threeProcesses();
    old.generatedAt = new Date(Date.now() - 60_000).toISOString();
    old.pollIntervalSeconds = 10;
    const { page } = await open({ snapshot: old });
    const freshness = page.getByTestId('freshness');
    await freshness.waitFor();
    assert.equal(await freshness.getAttribute('data-stale'), 'true');
    assert.match(await freshness.innerText(), /Stale: last update \d+ s ago/);
    assert.equal(await page.locator('.stale-data').count(), 1);
    await emitSnapshot(page, { ...threeProcesses(), generatedAt: new Date().toISOString() });
    await waitFor('fresh data', async () => (await freshness.getAttribute('data-stale')) === 'false');
    assert.equal(await page.locator('.stale-data').count(), 0);

    // A live snapshot replaces the rows: a process that ended disappears, a new one appears.
    await emitSnapshot(page, makeSnapshot({ processList: [makeProcess(2001, { project: 'new-one' })] }));
    await page.getByTestId('process-row-2001').waitFor();
    assert.equal(await page.getByTestId('process-row-1001').count(), 0);
    await page.context().close();
  });

  test('a first index over a big history shows its progress in the status bar and the Usage tab, then the usage', async () => {
    const indexing = { ...threeProcesses(), usage: null, sessions: [], activeBlock: null, indexing: { filesDone: 1200, filesTotal: 5100, bytesDone: 512 * 1024 ** 2, bytesTotal: 2048 * 1024 ** 2, etaSeconds: 95 } };
    const { page, errors } = await open({ snapshot: indexing });
    const line = page.getByTestId('indexing');
    await line.waitFor();
    assert.equal(await line.innerText(), 'Indexing transcripts: 1,200 of 5,100 files, 510 MiB of 2.0 GiB · about 1m 35s left');
    assert.equal(await line.locator('progress').getAttribute('value'), '25');
    await page.getByRole('tab', { name: 'Usage' }).click();
    await page.getByTestId('indexing-usage').waitFor();
    assert.match(await page.getByTestId('indexing-usage').innerText(), /Counting usage/);
    await emitSnapshot(page, { ...indexing, indexing: { filesDone: 1300, filesTotal: 5100, bytesDone: 600 * 1024 ** 2, bytesTotal: 2048 * 1024 ** 2, etaSeconds: null } });
    await waitFor('the next progress', async () => (await line.innerText()) === 'Indexing transcripts: 1,300 of 5,100 files, 600 MiB of 2.0 GiB');
    await emitSnapshot(page, { ...threeProcesses(), generatedAt: new Date().toISOString(), indexing: null });
    await line.waitFor({ state: 'detached' });
    await page.getByTestId('indexing-usage').waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('theme follows prefers-color-scheme', async () => {
    const backgrounds: Record<string, string> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const { page } = await open({ snapshot: threeProcesses() }, { width: 900, height: 600 }, scheme);
      await page.getByTestId('process-row-1001').waitFor();
      backgrounds[scheme] = await page.locator('body').evaluate((body) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(body).backgroundColor);
      await page.screenshot({ path: outputPath(`dashboard-processes-${scheme}.png`) });
      await page.context().close();
    }
    assert.equal(backgrounds.light, 'rgb(246, 247, 249)');
    assert.equal(backgrounds.dark, 'rgb(20, 23, 28)');
  });

  test('fits a 900x600 window without sideways scrolling', async () => {
    const { page } = await open({ snapshot: threeProcesses() }, { width: 900, height: 600 });
    await page.getByTestId('process-row-1001').waitFor();
    const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    assert.ok(width <= 900, `page is ${width}px wide`);
    const killBox = await page.getByRole('button', { name: 'Kill process 1001', exact: true }).boundingBox();
    assert.ok(killBox && killBox.x + killBox.width <= 900, 'the kill button is visible');
    const report = makeReport([{ date: utcDay(1), models: [modelUsage(SONNET, totals(1000, 500, 0, 0, 1))] }]);
    await emitSnapshot(page, { ...threeProcesses(), usage: report });
    for (const tab of ['Usage', 'Sessions']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await page.getByTestId(`panel-${tab.toLowerCase()}`).waitFor();
      const wide = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      assert.ok(wide <= 900, `${tab} is ${wide}px wide`);
      await page.screenshot({ path: outputPath(`dashboard-${tab.toLowerCase()}-900x600.png`) });
    }
    await page.context().close();
  });

  test('usage: cards hold the exact totals, the chart stacks models, the range narrows the numbers', async () => {
    const report = makeReport([
      { date: utcDay(40), models: [modelUsage(OPUS, totals(100, 200, 0, 0, 5))] },
      { date: utcDay(3), models: [modelUsage(SONNET, totals(1000, 500, 200, 3000, 1.25)), modelUsage(OPUS, totals(10, 20, 0, 0, 0.5))] },
      { date: utcDay(0), models: [modelUsage(SONNET, totals(2000, 1000, 0, 0, 2))] },
    ]);
    const { page, errors } = await open({ snapshot: makeSnapshot({ usage: report, processList: [makeProcess(1001)] }) });
    await page.getByRole('tab', { name: 'Usage' }).click();
    await page.getByTestId('usage-total-cost').waitFor();
    assert.equal(Number(await page.getByTestId('usage-total-cost').getAttribute('data-value')), 8.75);
    assert.equal(Number(await page.getByTestId('usage-total-tokens').getAttribute('data-value')), 8030);
    assert.equal(await page.getByTestId('usage-total-cost').innerText(), '$8.75');
    assert.equal(Number(await page.getByTestId('usage-card-today').locator('[data-value]').first().getAttribute('data-value')), 2);
    assert.equal(Number(await page.getByTestId('usage-card-7d').locator('.card-sub').getAttribute('data-value')), 7730);

    // Default range: 30 days, both models stacked in the chart.
    const range = page.getByTestId('range-totals');
    assert.equal(Number(await range.getAttribute('data-cost')), 3.75);
    await page.getByTestId('usage-chart').locator('g.stack rect').first().waitFor();
    const series = await page.getByTestId('chart-legend').locator('li').allInnerTexts();
    assert.equal(Number(await page.getByTestId('usage-chart').getAttribute('data-total')), 7730);
    assert.deepEqual(series.sort(), ['opus-4-5', 'sonnet-4-5']);
    assert.equal(await page.getByTestId('daily-table').locator('tbody tr').count(), 2);

    await page.getByRole('button', { name: 'All', exact: true }).click();
    assert.equal(Number(await range.getAttribute('data-cost')), 8.75);
    assert.equal(await page.getByTestId('daily-table').locator('tbody tr').count(), 3);
    await page.getByRole('button', { name: 'Custom' }).click();
    await page.getByLabel('From', { exact: true }).fill(utcDay(3));
    await page.getByLabel('To', { exact: true }).fill(utcDay(3));
    await waitFor('custom range totals', async () => Number(await range.getAttribute('data-cost')) === 1.75);
    assert.equal(Number(await page.getByTestId(`model-row-${SONNET}`).locator('td').nth(2).getAttribute('data-value')), 1.25);
    await page.screenshot({ path: outputPath('dashboard-usage-fake.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('usage without transcripts shows an empty state', async () => {
    const { page } = await open({ snapshot: makeSnapshot({ processList: [makeProcess(1001)] }) });
    await page.getByRole('tab', { name: 'Usage' }).click();
    await page.getByTestId('empty-usage').waitFor();
    await page.context().close();
  });

  test('sessions: filter by project, and a live session links to its process', async () => {
    const { page } = await open({ snapshot: threeProcesses() });
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await page.getByTestId('session-row-s-old').waitFor();
    assert.match(await page.getByTestId('session-row-s-old').innerText(), /^delta\s[\s\S]*Refactor the parser[\s\S]*ended/);
    assert.match(await page.getByTestId('session-row-s-alpha').innerText(), /fix the build/);
    // At this width lines added and removed give way to Claude Code's figure: the row's detail view lists them.
    await page.getByTestId('session-row-s-alpha').locator('.row-toggle').click();
    assert.match(await page.getByTestId('session-detail-s-alpha').innerText(), /Lines\s+\+12 −3/);
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'delta' });
    assert.equal(await page.getByTestId('session-row-s-alpha').count(), 0);
    await page.getByLabel('Project', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Show running process 1001' }).click();
    await page.getByTestId('process-detail-1001').waitFor();
    assert.equal(await page.getByRole('tab', { name: /Processes/ }).getAttribute('aria-selected'), 'true');
    await page.context().close();
  });

  test('settings: shows the current values, saves only what changed, refuses a bad value in place', async () => {
    const paused = new Date(Date.now() + 3600_000).toISOString();
    const { page, errors } = await open({
      snapshot: threeProcesses(),
      settings: { ...DEFAULT_SETTINGS, pollIntervalSeconds: 10, notifications: { ...DEFAULT_SETTINGS.notifications, stale: true, zombie: true, hog: true, cooldownMinutes: 30, pausedUntil: paused } },
    });
    await page.getByRole('tab', { name: 'Settings' }).click();
    const poll = page.getByLabel('Poll every');
    await poll.waitFor();
    assert.equal(await poll.inputValue(), '10');
    assert.equal(await page.getByLabel('Notify about hogs').isChecked(), true);
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true, 'nothing changed yet');
    await page.getByTestId('notifications-paused').waitFor();

    await poll.fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.locator('#setting-poll-error').innerText(), /from 1 to 3600/);
    assert.equal(await poll.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await fakeCalls(page, 'updateSettings'), []);

    await poll.fill('5');
    await page.getByLabel('Notify about hogs').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-outcome').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.deepEqual((await fakeCalls(page, 'updateSettings'))[0]?.args, [{ pollIntervalSeconds: 5, notifications: { hog: false } }]);
    assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true, 'saved: nothing left to save');

    await page.getByRole('button', { name: 'Resume now' }).click();
    await page.getByTestId('notifications-paused').waitFor({ state: 'detached' });
    assert.deepEqual((await fakeCalls(page, 'updateSettings'))[1]?.args, [{ notifications: { pausedUntil: null } }]);
    assert.deepEqual(errors, []);
    await page.context().close();

    const refused = await open({ snapshot: threeProcesses(), settingsError: 'pollIntervalSeconds must be from 1 to 3600' });
    await refused.page.getByRole('tab', { name: 'Settings' }).click();
    await refused.page.getByLabel('Dashboard port').fill('6000');
    await refused.page.getByRole('button', { name: 'Save' }).click();
    await refused.page.getByRole('alert').filter({ hasText: 'pollIntervalSeconds must be from 1 to 3600' }).waitFor();
    await refused.page.context().close();
  });

  test('a long table renders the rows in view; scrolling and focus requests reach any row', async () => {
    const big = largeSnapshot(200, 30);
    const { page, errors } = await open({ snapshot: big }, { width: 1280, height: 800 });
    await page.getByTestId('process-count').filter({ hasText: '200 running' }).waitFor();
    const rendered = await page.locator('tr.process-row').count();
    assert.ok(rendered > 10 && rendered < 80, `${rendered} rows rendered of 200`);
    // The busiest process is first; the idlest one is last, far below the fold.
    const byCpu = [...big.processes.processes].sort((a, b) => b.cpuPercent - a.cpuPercent || a.pid - b.pid);
    const last = byCpu[byCpu.length - 1]!;
    assert.equal(await page.getByTestId(`process-row-${last.pid}`).count(), 0);
    type Scroller = { scrollTop: number; scrollHeight: number };
    await page.locator('.main').evaluate((main) => {
      const el = main as unknown as Scroller;
      el.scrollTop = el.scrollHeight;
    });
    await page.getByTestId(`process-row-${last.pid}`).waitFor();
    await page.locator('.main').evaluate((main) => {
      (main as unknown as Scroller).scrollTop = 0;
    });
    await page.getByTestId(`process-row-${byCpu[0]!.pid}`).waitFor();

    const middle = byCpu[120]!;
    await requestFocus(page, middle.pid);
    await page.getByTestId(`process-detail-${middle.pid}`).waitFor();
    await page.waitForSelector(`[data-testid="process-row-${middle.pid}"].focused`);
    assert.ok(await page.getByTestId(`process-row-${middle.pid}`).isVisible());
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('keyboard: arrow keys move between tabs; a focus request from the tray opens that process', async () => {
    const { page } = await open({ snapshot: threeProcesses() });
    await page.getByTestId('process-row-1001').waitFor();
    await page.getByRole('tab', { name: /Processes/ }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('tab', { name: 'Usage' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent), 'Usage');
    await page.keyboard.press('End');
    assert.equal(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByRole('tab', { name: /Sessions/ }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.getByRole('tab', { name: /Processes/ }).getAttribute('tabindex'), '-1');

    await requestFocus(page, 4242);
    await page.getByRole('alert').filter({ hasText: 'Process 4242 is not running any more.' }).waitFor();
    await requestFocus(page, 1003);
    await page.getByTestId('process-detail-1003').waitFor();
    assert.match((await page.getByTestId('process-row-1003').getAttribute('class')) ?? '', /focused/);
    // Tab reaches the row's buttons, and Enter on Kill opens the confirmation.
    await page.getByRole('button', { name: 'Kill process 1003', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent), 'Cancel');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.deepEqual(await fakeCalls(page, 'kill'), []);
    await page.context().close();
  });
});
