// The dashboard as Claude Code 2.1.332 makes it (issue 14), in Chromium with a fake `window.tce`: sessions waiting
// for their user first with their badge and wait, -p runs marked, Claude Code's own cost beside TCE's with what the
// transcripts miss, unpriced shares never shown as $0, web searches, plan use and how to enable it, and the settings
// that switch the new notifications.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Snapshot } from '../src/shared/api.js';
import { DEFAULT_SETTINGS } from '../src/core/settings/defaults.js';
import { launchBrowser, outputPath, watchPageErrors } from './support/browser.js';
import { fakeCalls, installFakeTce, requestFocus, type FakeOptions } from './support/fake-tce.js';
import { claudeCodeFigure, makeProcess, makeReport, makeSession, makeSnapshot, modelUsage, planWindows, totals, utcDay } from './support/snapshots.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const OPUS55 = 'claude-opus-5-5';
const HAIKU = 'claude-haiku-5-5';
const MYSTERY = 'claude-mystery-7';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** Five processes: two waiting (the longer wait has the lower CPU), one busy, one -p run, one idle. */
function attentionSnapshot(): Snapshot {
  return makeSnapshot({
    processList: [
      makeProcess(2001, { project: 'busy-one', cpuPercent: 60, activity: 'busy' }),
      makeProcess(2002, { project: 'asks-late', cpuPercent: 1, activity: 'waiting', waitingFor: 'permission prompt', activitySince: minutesAgo(3) }),
      makeProcess(2003, { project: 'asks-early', cpuPercent: 0.5, activity: 'waiting', waitingFor: 'dialog open', activitySince: minutesAgo(42), sessionName: 'named-by-claude' }),
      makeProcess(2004, { project: 'batch', cpuPercent: 30, activity: 'busy', print: true, entrypoint: 'sdk-cli', tty: null, kind: 'interactive' }),
      makeProcess(2005, { project: 'quiet', cpuPercent: 0, activity: 'idle' }),
    ],
  });
}

/** Sessions of 2.1.332 (with Claude Code's tally) and of 2.1.197 (without), days and projects likewise. */
function costSnapshot(): Snapshot {
  const today = utcDay(0);
  const yesterday = utcDay(1);
  const report = makeReport([
    { date: yesterday, models: [modelUsage('claude-sonnet-4-5', totals(100_000, 20_000, 0, 0, 1.5))] },
    { date: today, models: [modelUsage(OPUS55, { ...totals(200_000, 50_000, 0, 0, 3.2), webSearchRequests: 4 }), { ...modelUsage(MYSTERY, { ...totals(10_000, 1_000), unpricedTokens: 11_000 }), unpriced: true }] },
  ]);
  report.models.forEach((m) => (m.unpriced = m.model === MYSTERY));
  report.diagnostics.unpricedModels = [MYSTERY];
  report.daily[1]!.claudeCode = claudeCodeFigure(3.2, 0.85, { sessions: 1 });
  report.claudeCode = claudeCodeFigure(3.2, 0.85, { sessions: 1, sessionsWithout: 1, combinedCostUSD: 5.55 });
  report.projects = [
    { ...totals(300_000, 40_000, 0, 0, 3.2), webSearchRequests: 4, project: '-w-new', path: '/w/new-project', claudeCode: claudeCodeFigure(3.2, 0.85) },
    { ...totals(100_000, 20_000, 0, 0, 1.5), project: '-w-old', path: '/w/old-project', claudeCode: null },
    { ...totals(10_000, 1_000), unpricedTokens: 11_000, project: '-w-mystery', path: '/w/mystery-only', claudeCode: null },
    { ...totals(50_000, 5_000, 0, 0, 0.75), unpricedTokens: 2_000, project: '-w-mixed', path: '/w/mixed', claudeCode: null },
  ];
  const sessions = [
    makeSession('s-new', {
      ...totals(200_000, 50_000, 0, 0, 3.2),
      webSearchRequests: 4,
      project: '-w-new',
      path: '/w/new-project',
      models: [OPUS55],
      linesAdded: 120,
      linesRemoved: 7,
      claudeCode: {
        ...claudeCodeFigure(3.2, 0.85),
        models: [
          { model: OPUS55, costUSD: 3.6, totalTokens: 260_000, webSearchRequests: 4 },
          { model: HAIKU, costUSD: 0.45, totalTokens: 9_000, webSearchRequests: 0 },
        ],
      },
    }),
    makeSession('s-old', { ...totals(100_000, 20_000, 0, 0, 1.5), project: '-w-old', path: '/w/old-project', linesAdded: null, linesRemoved: null, startedAt: minutesAgo(2000) }),
    makeSession('s-mystery', { ...totals(10_000, 1_000), unpricedTokens: 11_000, unpricedModels: [MYSTERY], models: [MYSTERY], project: '-w-mystery', path: '/w/mystery-only', startedAt: minutesAgo(3000) }),
  ];
  return makeSnapshot({ processList: [makeProcess(2100)], usage: report, sessions, plan: planWindows(42.5, 87, 12) });
}

describe('dashboard: Claude Code 2.1.332 (sessions that need you, its own cost, plan use)', () => {
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

  async function open(options: FakeOptions, context: { timezoneId?: string; locale?: string; viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...context });
    const page = await ctx.newPage();
    const errors = watchPageErrors(page);
    await installFakeTce(page, options);
    await page.goto(server.url);
    return { page, errors };
  }

  const pidsInOrder = (page: Page) =>
    page.$$eval('[data-testid^="process-row-"]', (rows) => rows.map((r) => Number((r.getAttribute('data-testid') ?? '').replace('process-row-', ''))));

  test('sessions waiting for you come first, the longest wait first, with a badge, how long, and for what', async () => {
    const { page, errors } = await open({ snapshot: attentionSnapshot() });
    await page.getByTestId('process-row-2001').waitFor();
    // CPU order would put 2001 and 2004 first: the waits lead whatever the sort.
    assert.deepEqual(await pidsInOrder(page), [2003, 2002, 2001, 2004, 2005]);
    await page.getByRole('button', { name: 'PID' }).click();
    assert.deepEqual(await pidsInOrder(page), [2003, 2002, 2001, 2004, 2005]);
    await page.getByRole('button', { name: 'PID' }).click();
    assert.deepEqual(await pidsInOrder(page), [2003, 2002, 2005, 2004, 2001]);

    const early = page.getByTestId('waiting-2003');
    assert.equal(await early.innerText(), 'waiting 42m');
    assert.match((await early.getAttribute('title')) ?? '', /^Waiting for dialog open since .+ \(42m\)$/);
    assert.equal(await page.getByTestId('waiting-2002').innerText(), 'waiting 3m');
    // A badge of its own: coloured, unlike the plain busy and idle words.
    const background = (el: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor;
    const badge = await early.evaluate(background);
    const plain = await page.getByTestId('process-row-2001').locator('.activity').evaluate(background);
    assert.notEqual(badge, plain);
    assert.equal(await page.getByTestId('tab-waiting').innerText(), '2 waiting');
    // The registry's name, and the -p run marked as print.
    assert.equal(await page.getByTestId('process-row-2003').locator('td[data-col="session"]').innerText(), 'named-by-claude');
    assert.equal(await page.getByTestId('print-2004').innerText(), 'print');
    assert.equal(await page.getByTestId('process-row-2001').locator('.tag').count(), 0);

    // What a notification click does: the dashboard opens on that process, with what it waits for.
    await requestFocus(page, 2002);
    const detail = page.getByTestId('process-waiting-2002');
    await detail.waitFor();
    assert.match(await detail.innerText(), /^permission prompt since /);
    assert.match(await page.getByTestId('process-detail-2002').innerText(), /Kind\s+interactive, entrypoint cli/);
    await page.getByTestId('process-row-2004').locator('.row-toggle').click();
    assert.match(await page.getByTestId('process-detail-2004').innerText(), /Kind\s+print \(-p or SDK: background\), entrypoint sdk-cli/);
    await page.screenshot({ path: outputPath('claude-code-waiting-processes.png') });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test("sessions show Claude Code's own cost beside TCE's, what is not in the transcripts, searches and lines; older sessions say why they have none", async () => {
    // Wide enough for every column (narrower, the last ones move to the detail row: see layout.test.ts).
    const { page, errors } = await open({ snapshot: costSnapshot() }, { viewport: { width: 1600, height: 900 } });
    await page.getByRole('tab', { name: /^Sessions/ }).click();
    const row = (id: string) => page.getByTestId(`session-row-${id}`);
    await row('s-new').waitFor();
    const cell = (id: string, col: string) => row(id).locator(`td[data-col="${col}"]`);
    assert.equal(await cell('s-new', 'cost').innerText(), '$3.20');
    assert.equal(await cell('s-new', 'claudeCode').innerText(), '$4.05');
    assert.equal(await cell('s-new', 'notInTranscripts').innerText(), '+$0.85');
    assert.match((await cell('s-new', 'claudeCode').locator('.cost').getAttribute('title')) ?? '', /Claude Code’s own tally: \$4\.05\.\nTheir transcripts show \$3\.20; \+\$0\.85 is not in transcripts/);
    assert.equal(await cell('s-new', 'searches').innerText(), '4');
    assert.equal(await cell('s-new', 'lines').innerText(), '+120 −7');
    // Claude Code before 2.1.332: a muted dash that says why, never $0.00.
    const none = cell('s-old', 'claudeCode').locator('.no-figure');
    assert.equal(await none.innerText(), '—');
    assert.match((await none.getAttribute('title')) ?? '', /since version 2\.1\.332; older versions leave only the transcripts/);
    assert.equal(await cell('s-old', 'notInTranscripts').innerText(), '—');
    assert.match((await cell('s-old', 'lines').getAttribute('title')) ?? '', /recorded no lines/);
    // Only a model without a price: unknown, not $0.00.
    assert.equal(await cell('s-mystery', 'cost').innerText(), 'unknown');
    assert.match((await cell('s-mystery', 'cost').locator('.cost').getAttribute('title')) ?? '', /11\.0k tokens of mystery-7/);
    // Claude Code's figure per model in the detail: the title calls no transcript shows (Haiku) included.
    await row('s-new').locator('.row-toggle').click();
    assert.equal(await page.getByTestId('session-cc-models-s-new').innerText(), 'opus-5-5 $3.60 (260.0k tokens, 4 searches) · haiku-5-5 $0.45 (9,000 tokens)');
    await page.screenshot({ path: outputPath('claude-code-sessions.png') });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test("usage marks unpriced project costs, shows Claude Code's figure on days and totals, and web searches", async () => {
    const { page, errors } = await open({ snapshot: costSnapshot() });
    await page.getByRole('tab', { name: /^Usage/ }).click();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const project = (name: string) => page.getByTestId(`project-row-${name}`).locator('td[data-col="cost"]');
    await project('-w-new').waitFor();
    assert.equal(await project('-w-new').innerText(), '$3.20');
    assert.equal(await project('-w-mystery').innerText(), 'unknown', 'only an unpriced model: unknown, never $0.00');
    assert.equal(await project('-w-mixed').innerText(), '≥$0.75');
    assert.match((await project('-w-mixed').locator('.cost').getAttribute('title')) ?? '', /^At least: plus 2,000 tokens, which have no known price/);
    assert.equal(await page.getByTestId('project-row--w-new').locator('td[data-col="claudeCode"]').innerText(), '$4.05');
    assert.equal(await page.getByTestId('project-row--w-old').locator('td[data-col="claudeCode"]').innerText(), '—');

    const today = page.getByTestId(`day-row-${utcDay(0)}`);
    assert.equal(await today.locator('td[data-col="cost"]').innerText(), '≥$3.20');
    assert.equal(await today.locator('td[data-col="claudeCode"]').innerText(), '$4.05');
    assert.equal(await today.locator('td[data-col="notInTranscripts"]').innerText(), '+$0.85');
    assert.equal(await today.locator('td[data-col="searches"]').innerText(), '4');
    assert.equal(await page.getByTestId(`day-row-${utcDay(1)}`).locator('td[data-col="claudeCode"]').innerText(), '—');
    assert.equal(await page.getByTestId(`model-row-${MYSTERY}`).locator('td[data-col="cost"]').innerText(), 'unknown');

    // Totals: the range line and the cards.
    const range = page.getByTestId('range-claude-code');
    assert.equal((await range.innerText()).trim(), '· Claude Code $4.05 (+$0.85 not in transcripts)');
    assert.match((await range.locator('.cost').getAttribute('title')) ?? '', /1 session from Claude Code before 2\.1\.332 wrote none; with their transcripts’ cost: \$5\.55/);
    assert.equal(await page.getByTestId('usage-card-all-claude-code').innerText(), 'Claude Code $4.05');
    assert.equal(await page.getByTestId('usage-card-today-claude-code').innerText(), 'Claude Code $4.05');
    assert.match(await page.getByTestId('usage-total-cost').innerText(), /^≥\$4\.70$/);
    // The 7-day range sums its days: yesterday had no figure, so the sum says some sessions wrote none.
    await page.getByRole('button', { name: '7 days' }).click();
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
      return (doc.querySelector('[data-testid="range-totals"]')?.textContent ?? '').includes(' to ');
    });
    assert.equal(await range.getAttribute('data-value'), '4.05');
    assert.match((await range.locator('.cost').getAttribute('title')) ?? '', /Some sessions from Claude Code before 2\.1\.332 wrote none/);
    await page.screenshot({ path: outputPath('claude-code-usage.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test("the plan panel shows each window's use, its reset in the user's time zone and the reading's age; without statusline data it says how to enable it", async () => {
    const snapshot = costSnapshot();
    const plan = snapshot.plan!;
    const { page, errors } = await open({ snapshot }, { timezoneId: 'Asia/Kolkata', locale: 'en-GB' });
    await page.getByRole('tab', { name: /^Usage/ }).click();
    const five = page.getByTestId('plan-window-five_hour');
    await five.waitFor();
    assert.equal(await five.locator('.plan-used').innerText(), '43%');
    assert.equal(await five.getByRole('meter').getAttribute('aria-valuenow'), '43');
    // 2 h 10 min from now, in Kolkata (UTC+5:30), as the user's locale writes it.
    const resets = new Date(plan.windows[0]!.resetsAt);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: 'numeric', minute: '2-digit' }).format(resets);
    const when = await five.locator('.plan-when').innerText();
    assert.ok(when.includes(local), `${when} should name ${local} (Kolkata)`);
    assert.match(when, /^resets .+ \(in 2h (9|10)m\) · reported 12m ago$/);
    const weekly = page.getByTestId('plan-window-seven_day');
    assert.equal(await weekly.locator('.plan-used').innerText(), '87%');
    assert.ok((await weekly.getAttribute('class'))?.includes('plan-high'), 'past 80%: marked');
    await page.getByTestId('plan-panel').screenshot({ path: outputPath('claude-code-plan-panel.png') });

    // No statusline record yet: how to get one.
    const empty = await open({ snapshot: { ...costSnapshot(), plan: null } });
    await empty.page.getByRole('tab', { name: /^Usage/ }).click();
    const hint = empty.page.getByTestId('plan-empty');
    await hint.waitFor();
    assert.match(await hint.innerText(), /Run tce statusline --install, then use Claude Code once\./);
    assert.equal(await hint.locator('code').innerText(), 'tce statusline --install');
    await empty.page.getByTestId('plan-panel').screenshot({ path: outputPath('claude-code-plan-empty.png') });
    // Records without windows (an API key): it says where plan windows come from.
    const apiKey = await open({ snapshot: { ...costSnapshot(), plan: { windows: [], updatedAt: minutesAgo(5) } } });
    await apiKey.page.getByRole('tab', { name: /^Usage/ }).click();
    assert.match(await apiKey.page.getByTestId('plan-no-windows').innerText(), /not with an API key\. Last statusline record 5m ago\./);
    assert.deepEqual([...errors, ...empty.errors, ...apiKey.errors], []);
    for (const p of [page, empty.page, apiKey.page]) await p.context().close();
  });

  test('settings switch the wait and plan notifications and take the plan thresholds as a list', async () => {
    const { page, errors } = await open({ snapshot: attentionSnapshot(), settings: structuredClone(DEFAULT_SETTINGS) });
    await page.getByRole('tab', { name: 'Settings' }).click();
    const waits = page.getByLabel('Notify when a session needs you (a permission prompt, a question)');
    const plan = page.getByLabel('Notify when plan use crosses a threshold (once per window)');
    const percents = page.getByLabel('Notify at plan use');
    await waits.waitFor();
    assert.equal(await waits.isChecked(), true);
    assert.equal(await plan.isChecked(), true);
    assert.equal(await percents.inputValue(), '80, 95');
    await percents.fill('95, 120');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.locator('#setting-planPercents-error').innerText(), /one to 5 percentages from 1 to 100/);
    assert.deepEqual(await fakeCalls(page, 'updateSettings'), []);
    await waits.uncheck();
    await percents.fill('70 90');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-outcome').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.deepEqual((await fakeCalls(page, 'updateSettings'))[0]?.args, [{ notifications: { waiting: false, planThresholdPercents: [70, 90] } }]);
    assert.equal(await percents.inputValue(), '70, 90');
    await plan.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await waitForCalls(page, 2);
    assert.deepEqual((await fakeCalls(page, 'updateSettings'))[1]?.args, [{ notifications: { planThresholds: false } }]);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});

async function waitForCalls(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => {
    const host = globalThis as unknown as { __fakeTce: { calls: Array<{ name: string }> } };
    return host.__fakeTce.calls.filter((c) => c.name === 'updateSettings').length >= n;
  }, count);
}
