// The dashboard at its own window sizes (900x600, the tray's window, and 1280x800), light and dark, with a year of
// heavy use: no tab runs wider than the window, the columns people open each tab for stay in view, what does not
// fit moves to the row's detail view, numbers are never cut, and the page logs no error. Screenshots of every tab
// go to the test output folder for a reviewer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Snapshot } from '../src/shared/api.js';
import { launchBrowser, outputPath, watchPageErrors } from './support/browser.js';
import { installFakeTce } from './support/fake-tce.js';
import { makeMachine, makeProcess, makeSession, makeSnapshot, UNPRICED_MODEL, yearOfHistory } from './support/snapshots.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const SIZES = [
  { width: 900, height: 600 },
  { width: 1280, height: 800 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** The columns each table must always show, by table test id and column key. */
const KEY_COLUMNS: Record<string, Record<string, string[]>> = {
  processes: { 'process-table': ['health', 'project', 'activity', 'cpu', 'memory', 'actions'] },
  usage: { 'models-table': ['model', 'tokens', 'cost'], 'daily-table': ['date', 'tokens', 'cost', 'claudeCode'] },
  'usage-all': { 'models-table': ['model', 'tokens', 'cost'], 'projects-table': ['project', 'tokens', 'cost'], 'daily-table': ['date', 'tokens', 'cost', 'claudeCode'] },
  // Claude Code's own figure beside the transcripts' cost (issue 14).
  sessions: { 'sessions-table': ['project', 'started', 'tokens', 'cost', 'claudeCode'] },
  settings: {},
};

interface Layout {
  innerWidth: number;
  scrollWidth: number;
  /** Elements whose box reaches outside the viewport horizontally. */
  outside: string[];
  /** Tables wider than their container. */
  wideTables: string[];
  /** Number cells and headers whose text is cut short. */
  cut: string[];
}

/** Runs in the page: measures every element against the viewport. */
function measure(): Layout {
  type Box = { left: number; right: number; width: number; height: number };
  type El = {
    tagName: string;
    className: unknown;
    textContent: string | null;
    scrollWidth: number;
    clientWidth: number;
    parentElement: El | null;
    getAttribute(name: string): string | null;
    getBoundingClientRect(): Box;
  };
  type Range = { selectNodeContents(el: El): void; getBoundingClientRect(): Box };
  const g = globalThis as unknown as {
    innerWidth: number;
    document: { scrollingElement: El; querySelectorAll(s: string): El[]; createRange(): Range };
    getComputedStyle(el: El): { paddingLeft: string; paddingRight: string; borderLeftWidth: string; borderRightWidth: string };
  };
  const describe = (el: El) => {
    const id = el.getAttribute('data-testid') ?? el.getAttribute('data-col') ?? (typeof el.className === 'string' ? el.className : '');
    return `${el.tagName.toLowerCase()}[${id}] "${(el.textContent ?? '').slice(0, 40)}"`;
  };
  const vw = g.innerWidth;
  const outside: string[] = [];
  for (const el of g.document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -0.5 || r.right > vw + 0.5) outside.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  const wideTables: string[] = [];
  for (const table of g.document.querySelectorAll('table')) {
    const wrap = table.parentElement;
    if (wrap && table.getBoundingClientRect().width > wrap.clientWidth + 0.5) wideTables.push(`${describe(table)}: ${table.getBoundingClientRect().width} > ${wrap.clientWidth}`);
  }
  const cut: string[] = [];
  for (const cell of g.document.querySelectorAll('td.num, th, td[data-col="started"], td[data-col="date"], td[data-col="cpu"], .activity-waiting')) {
    if (cell.scrollWidth > cell.clientWidth) {
      cut.push(`${describe(cell)} needs ${cell.scrollWidth} of ${cell.clientWidth}px`);
      continue;
    }
    // scrollWidth is a whole number: a text a fraction of a pixel too wide still ends in an ellipsis. The text's own
    // extent against the cell's content box catches that.
    const range = g.document.createRange();
    range.selectNodeContents(cell);
    const style = g.getComputedStyle(cell);
    // The box's own (fractional) width: clientWidth is rounded, and a shrink-to-fit box is as wide as its text.
    const frame = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth'] as const;
    const room = cell.getBoundingClientRect().width - frame.reduce((sum, side) => sum + parseFloat(style[side]), 0);
    const text = range.getBoundingClientRect().width;
    if (text > room + 0.01) cut.push(`${describe(cell)} needs ${text.toFixed(2)} of ${room.toFixed(2)}px`);
  }
  return { innerWidth: vw, scrollWidth: g.document.scrollingElement.scrollWidth, outside, wideTables, cut };
}

async function assertFits(page: Page, label: string): Promise<void> {
  const layout = await page.evaluate(measure);
  assert.ok(layout.scrollWidth <= layout.innerWidth, `${label}: the page is ${layout.scrollWidth}px wide in a ${layout.innerWidth}px window`);
  assert.deepEqual(layout.outside, [], `${label}: elements outside the window`);
  assert.deepEqual(layout.wideTables, [], `${label}: tables wider than their box`);
  assert.deepEqual(layout.cut, [], `${label}: numbers or headers cut short`);
}

async function assertKeyColumns(page: Page, label: string, tables: Record<string, string[]>): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  for (const [table, keys] of Object.entries(tables)) {
    for (const key of keys) {
      const header = page.getByTestId(table).locator(`thead th[data-col="${key}"]`);
      assert.equal(await header.count(), 1, `${label}: ${table} has no ${key} column`);
      const box = await header.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${label}: the ${key} header of ${table} is outside the window (${JSON.stringify(box)})`);
    }
  }
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  await page.getByTestId(`panel-${name.toLowerCase()}`).waitFor();
}

async function scrollMainTo(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
}

describe('dashboard layout: every tab at the window sizes, light and dark, with a year of history', () => {
  let server: StaticServer;
  let browser: Browser;
  let history: Snapshot;

  before(async () => {
    server = await startStaticServer();
    browser = await launchBrowser();
    history = yearOfHistory();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(snapshot: Snapshot, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark', extra: { locale?: string; timezoneId?: string } = {}) {
    const context = await browser.newContext({ viewport, colorScheme, ...extra });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await installFakeTce(page, { snapshot });
    await page.goto(server.url);
    return { page, errors };
  }

  for (const size of SIZES) {
    for (const scheme of SCHEMES) {
      const tag = `${size.width}x${size.height}-${scheme}`;
      test(`${tag}: no tab is wider than the window and the key columns are in view`, async () => {
        const { page, errors } = await open(history, size, scheme);
        const shot = (name: string) => page.screenshot({ path: outputPath(`layout-${name}-${tag}.png`) });

        await page.getByTestId('process-count').filter({ hasText: '200 running' }).waitFor();
        await assertFits(page, `${tag} processes`);
        await assertKeyColumns(page, `${tag} processes`, KEY_COLUMNS.processes!);
        await shot('processes');

        await openTab(page, 'Usage');
        await page.getByTestId('usage-chart').locator('g.stack rect').first().waitFor();
        await page.getByTestId('daily-table').locator('tbody tr.data-row').first().waitFor();
        await assertFits(page, `${tag} usage`);
        await assertKeyColumns(page, `${tag} usage`, KEY_COLUMNS.usage!);
        for (const card of ['today', '7d', '30d', 'all']) {
          const box = await page.getByTestId(`usage-card-${card}`).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height, `${tag}: the ${card} card is not in view`);
        }
        const chart = await page.getByTestId('usage-chart').boundingBox();
        assert.ok(chart && chart.x + chart.width <= size.width, `${tag}: the chart is outside the window`);
        await shot('usage');
        await page.getByRole('button', { name: 'All', exact: true }).click();
        await page.getByTestId('projects-table').locator('tbody tr.data-row').first().waitFor();
        await assertFits(page, `${tag} usage, all time`);
        await assertKeyColumns(page, `${tag} usage, all time`, KEY_COLUMNS['usage-all']!);
        await scrollMainTo(page, 'cost-tables');
        await shot('usage-tables');

        await openTab(page, 'Sessions');
        await page.getByTestId('sessions-table').locator('tbody tr.data-row').first().waitFor();
        await assertFits(page, `${tag} sessions`);
        await assertKeyColumns(page, `${tag} sessions`, KEY_COLUMNS.sessions!);
        await shot('sessions');

        await openTab(page, 'Settings');
        await page.getByLabel('Poll every').waitFor();
        await assertFits(page, `${tag} settings`);
        await shot('settings');

        assert.deepEqual(errors, []);
        await page.context().close();
      });
    }
  }

  for (const scheme of SCHEMES) {
    test(`with remote machines, 900x600-${scheme}: the Machine column and the machines table fit beside the key columns`, async () => {
      const fleet = structuredClone(history);
      fleet.machines = [
        makeMachine('devbox-with-a-long-name-01', { processes: history.processes.processes.slice(0, 40), models: history.usage!.models }),
        makeMachine('ci-runner', { models: history.usage!.models.slice(0, 3), down: { error: 'no answer from 127.0.0.1:15112 within 5 s', lastSeenAgoMs: 3 * 3600_000 } }),
      ];
      const { page, errors } = await open(fleet, SIZES[0], scheme);
      const tag = `fleet-900x600-${scheme}`;
      await page.getByTestId('process-count').filter({ hasText: '240 running on 2 machines' }).waitFor();
      await assertFits(page, `${tag} processes`);
      await assertKeyColumns(page, `${tag} processes`, { 'process-table': ['machine', ...KEY_COLUMNS.processes!['process-table']!] });
      await page.screenshot({ path: outputPath(`layout-processes-${tag}.png`) });
      await openTab(page, 'Usage');
      await page.getByTestId('machines-table').locator('tbody tr.data-row').first().waitFor();
      await assertFits(page, `${tag} usage`);
      await assertKeyColumns(page, `${tag} usage`, { 'machines-table': ['machine', 'status', 'today', 'cost'] });
      await page.getByLabel('Machine of the cost tables').selectOption('*');
      await page.getByTestId('models-table').locator('thead th[data-col="machine"]').waitFor();
      await assertFits(page, `${tag} usage, every machine`);
      await assertKeyColumns(page, `${tag} usage, every machine`, { 'models-table': ['machine', 'model', 'tokens', 'cost'], 'projects-table': ['machine', 'project', 'tokens', 'cost'] });
      await scrollMainTo(page, 'cost-tables');
      await page.screenshot({ path: outputPath(`layout-usage-${tag}.png`) });
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }

  test('at 900x600 the columns that do not fit move to the detail row, full text included', async () => {
    const { page, errors } = await open(history, SIZES[0], 'light');
    await openTab(page, 'Sessions');
    const table = page.getByTestId('sessions-table');
    await table.locator('tbody tr.data-row').first().waitFor();
    const hidden = ((await table.getAttribute('data-hidden-columns')) ?? '').split(' ');
    assert.ok(hidden.includes('models'), `the models column gives way first (hidden: ${hidden.join(', ')})`);
    assert.ok(hidden.includes('notInTranscripts'), `Claude Code's figure stays, its difference to the transcripts gives way (hidden: ${hidden.join(', ')})`);
    assert.ok(!hidden.includes('claudeCode'), "Claude Code's figure beside the cost");
    const session = history.sessions[0]!; // the newest: its models include the unpriced one
    const row = page.getByTestId(`session-row-${session.sessionId}`);
    assert.equal(await row.locator('td[data-col="project"]').getAttribute('title'), session.path, 'the full path on hover');
    assert.equal(await row.locator('td[data-col="summary"]').getAttribute('title'), session.summary ?? session.firstPrompt);
    await row.getByRole('button', { name: /project-number-0-with/ }).click();
    const detail = page.getByTestId(`session-detail-${session.sessionId}`);
    await detail.waitFor();
    const text = await detail.innerText();
    assert.match(text, new RegExp(`Models\\s+${session.models.join(', ')}`), 'every model, unabbreviated');
    assert.ok(text.includes(session.path ?? ''), 'the full path');
    assert.ok(text.includes(session.summary ?? session.firstPrompt ?? ''), 'the full summary');
    assert.match(text, /Lines\s+\+0 −0/);
    assert.match(text, new RegExp(`Not in transcripts\\s+\\+\\$${session.claudeCode!.notInTranscriptsUSD.toFixed(2).replace(/\B(?=(\d{3})+\.)/g, ',')}`));
    assert.match(text, /Claude Code by model\s+opus-5-5 \$[\d,.]+ \(1\.2M tokens\) · haiku-5-5/);
    const detailBox = await detail.boundingBox();
    assert.ok(detailBox && detailBox.x + detailBox.width <= 900, 'the detail row fits too');
    await page.screenshot({ path: outputPath('layout-sessions-detail-900x600-light.png') });

    // The same table at 1280 wide has room for more: the difference to the transcripts comes back into view.
    await page.setViewportSize(SIZES[1]);
    await page.waitForFunction(() => {
      const t = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-testid="sessions-table"]');
      return t !== null && !(t.getAttribute('data-hidden-columns') ?? '').split(' ').includes('notInTranscripts');
    });
    assert.equal(Number(await row.locator('td[data-col="notInTranscripts"]').getAttribute('data-value')), session.claudeCode!.notInTranscriptsUSD);

    // Processes at 900: the PID gives way, and reads in the detail row.
    await page.setViewportSize(SIZES[0]);
    await openTab(page, 'Processes');
    const processTable = page.getByTestId('process-table');
    await waitForHidden(page, 'process-table', 'pid');
    const first = page.locator('tr.data-row').first();
    const pid = Number((await first.getAttribute('data-testid'))?.replace('process-row-', ''));
    await first.locator('.row-toggle').click();
    assert.match(await page.getByTestId(`process-detail-${pid}`).innerText(), new RegExp(`PID\\s+${pid}\\b`));
    await page.screenshot({ path: outputPath('layout-processes-detail-900x600-light.png') });
    assert.equal(await processTable.locator('thead th[data-col="pid"]').count(), 0);

    // The daily table: a day's models are cut short in the cell and listed in full in its detail row.
    await openTab(page, 'Usage');
    const today = history.usage!.daily[history.usage!.daily.length - 1]!;
    const dayRow = page.getByTestId(`day-row-${today.date}`);
    assert.equal(await dayRow.locator('td[data-col="models"]').getAttribute('title'), today.models.map((m) => m.model).join('\n'));
    await dayRow.locator('td[data-col="date"] .row-toggle').click();
    assert.ok((await page.getByTestId(`day-detail-${today.date}`).innerText()).includes(today.models.map((m) => m.model).join(', ')));
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('costs with an unpriced share are marked, and say which model', async () => {
    const { page } = await open(history, SIZES[1], 'light');
    await openTab(page, 'Sessions');
    const session = history.sessions[0]!;
    const cost = page.getByTestId(`session-row-${session.sessionId}`).locator('td[data-col="cost"] .cost');
    assert.match(await cost.innerText(), /^≥\$[\d,]+\.\d\d$/);
    assert.match((await cost.getAttribute('title')) ?? '', /experimental-preview-model/);
    const priced = page.getByTestId(`session-row-${history.sessions[1]!.sessionId}`).locator('td[data-col="cost"] .cost');
    assert.match(await priced.innerText(), /^\$[\d,]+\.\d\d$/);
    await openTab(page, 'Usage');
    assert.match(await page.getByTestId('usage-total-cost').innerText(), /^≥\$/);
    assert.equal(await page.getByTestId(`model-row-${UNPRICED_MODEL}`).locator('td[data-col="cost"]').innerText(), 'unknown');
    await page.context().close();
  });

  test("dates follow the user's locale and time zone", async () => {
    const recent = new Date(Date.now() - 5_000);
    const snapshot = makeSnapshot({
      processList: [makeProcess(1001)],
      sessions: [
        makeSession('s-recent', { startedAt: recent.toISOString() }),
        makeSession('s-2025', { startedAt: '2025-03-04T15:30:00.000Z', endedAt: '2025-03-04T16:30:00.000Z' }),
      ],
    });
    const { page } = await open(snapshot, SIZES[0], 'light', { locale: 'de-DE', timezoneId: 'Asia/Tokyo' });
    await openTab(page, 'Sessions');
    const started = (id: string) => page.getByTestId(`session-row-${id}`).locator('td[data-col="started"]');
    // This year's session: day and time of day, in Tokyo (UTC+9, no daylight saving).
    const tokyo = `${(recent.getUTCHours() + 9) % 24}:${String(recent.getUTCMinutes()).padStart(2, '0')}`;
    assert.match(await started('s-recent').innerText(), new RegExp(`^\\d{1,2}\\. \\S+, ${tokyo}$`));
    // An earlier year's: the day with its year in the cell, the time in its title. 15:30 UTC is 00:30 the next day.
    assert.equal(await started('s-2025').innerText(), '5. März 2025');
    assert.match((await started('s-2025').getAttribute('title')) ?? '', /^5\. März 2025.* 00:30$/);
    await page.context().close();
  });
});

async function waitForHidden(page: Page, table: string, column: string): Promise<void> {
  await page.waitForFunction(
    ([t, c]) => {
      const el = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector(`[data-testid="${t}"]`);
      return el !== null && (el.getAttribute('data-hidden-columns') ?? '').split(' ').includes(c as string);
    },
    [table, column],
  );
}
