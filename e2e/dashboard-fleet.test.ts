// The dashboard with remote machines, in Chromium with a fake `window.tce`: the Machine column and filter, combined
// counts and totals, a machine that does not answer, and kill and pin of a remote process sent with its machine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { ProcessRef, Snapshot } from '../src/shared/api.js';
import { launchBrowser, outputPath, watchPageErrors } from './support/browser.js';
import { emitSnapshot, fakeCalls, installFakeTce } from './support/fake-tce.js';
import { makeMachine, makeProcess, makeReport, makeSnapshot, modelUsage, totals, utcDay } from './support/snapshots.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const SONNET = 'claude-sonnet-4-5';
const OPUS = 'claude-opus-4-5';

/** This machine runs 1001 and 1002; devbox runs its own 1001 and 2001; ci answered ten minutes ago, not since. */
function fleet(): Snapshot {
  return makeSnapshot({
    processList: [makeProcess(1001, { project: 'alpha' }), makeProcess(1002, { project: 'beta', health: 'stale' })],
    usage: makeReport([{ date: utcDay(0), models: [modelUsage(SONNET, totals(1000, 500, 0, 0, 2.5))] }]),
    machines: [
      makeMachine('devbox', {
        processes: [makeProcess(1001, { project: 'remote-api', startId: '77001' }), makeProcess(2001, { project: 'remote-web', health: 'hog' })],
        models: [modelUsage(OPUS, totals(4000, 1000, 0, 0, 7.25)), modelUsage(SONNET, totals(200, 100, 0, 0, 0.5))],
      }),
      makeMachine('ci', {
        processes: [makeProcess(3001)],
        models: [modelUsage(SONNET, totals(100, 100, 0, 0, 1.0))],
        down: { error: 'connection refused at 127.0.0.1:15112 (is `tce dashboard` running there, or the SSH tunnel up?)', lastSeenAgoMs: 10 * 60_000 },
      }),
    ],
  });
}

describe('dashboard with remote machines', () => {
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

  async function open(snapshot: Snapshot): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await installFakeTce(page, { snapshot });
    await page.goto(server.url);
    return { page, errors };
  }

  test('Processes: every answering machine in one table with a Machine column and filter; the silent one named with when it was last seen', async () => {
    const { page, errors } = await open(fleet());
    await page.getByTestId('process-count').filter({ hasText: '4 running on 2 machines' }).waitFor();
    const table = page.getByTestId('process-table');
    assert.equal(await table.locator('thead th[data-col="machine"]').count(), 1);
    // The same PID on two machines is two rows.
    assert.equal(await page.getByTestId('process-row-1001').locator('td[data-col="machine"]').innerText(), 'this machine');
    assert.equal(await page.getByTestId('process-row-devbox:1001').locator('td[data-col="machine"]').innerText(), 'devbox');
    assert.equal(await page.getByTestId('process-row-devbox:2001').getAttribute('data-machine'), 'devbox');
    assert.equal(await page.locator('[data-testid^="process-row-ci:"]').count(), 0, 'no process of a machine that does not answer');
    const down = page.getByTestId('machine-unreachable-ci');
    assert.match(await down.innerText(), /ci does not answer \(connection refused at 127\.0\.0\.1:15112 .*\); last seen 10m ago\. Its processes are not listed\./);

    await page.getByLabel('Machine', { exact: true }).selectOption('devbox');
    await page.getByTestId('process-count').filter({ hasText: '2 of 4 shown' }).waitFor();
    assert.deepEqual(await page.$$eval('[data-testid^="process-row-"]', (rows) => rows.map((r) => r.getAttribute('data-testid')).sort()), ['process-row-devbox:1001', 'process-row-devbox:2001']);
    await page.getByLabel('Machine', { exact: true }).selectOption('@this');
    await page.getByTestId('process-count').filter({ hasText: '2 of 4 shown' }).waitFor();
    assert.deepEqual(await page.$$eval('[data-testid^="process-row-"]', (rows) => rows.map((r) => r.getAttribute('data-testid')).sort()), ['process-row-1001', 'process-row-1002']);
    await page.getByLabel('Machine', { exact: true }).selectOption('*');

    // The detail row names the machine.
    await page.getByTestId('process-row-devbox:1001').locator('.row-toggle').click();
    assert.match(await page.getByTestId('process-detail-devbox:1001').innerText(), /Machine\s+devbox/);
    await page.screenshot({ path: outputPath('fleet-processes-1280x800.png') });

    // Kill and pin go through this TCE with the process's machine and start; this machine's own carry no machine.
    await page.getByRole('button', { name: 'Kill process 1001 on devbox', exact: true }).click();
    await page.getByRole('dialog', { name: 'Kill process 1001 on devbox?' }).getByRole('button', { name: 'Kill', exact: true }).click();
    await page.getByRole('button', { name: 'Pin process 1001', exact: true }).click();
    const kills = await fakeCalls(page, 'kill');
    assert.deepEqual(kills.map((c) => c.args), [[{ pid: 1001, startId: '77001', machine: 'devbox' } satisfies ProcessRef, false]]);
    await page.waitForFunction(() => (globalThis as unknown as { __fakeTce: { calls: Array<{ name: string }> } }).__fakeTce.calls.some((c) => c.name === 'pin'));
    const pins = await fakeCalls(page, 'pin');
    assert.deepEqual(pins.map((c) => c.args), [[{ pid: 1001, startId: makeProcess(1001).startId }]]);
    // Kill all stale acts here: the stale process of this machine only.
    assert.equal(await page.getByRole('button', { name: /Kill all stale \(1\)/ }).count(), 1);

    // devbox stops answering: its rows go, and it is named.
    const next = fleet();
    next.generatedAt = new Date(Date.now() + 1000).toISOString();
    next.machines[0] = makeMachine('devbox', { down: { error: 'no answer from 127.0.0.1:15111 within 5 s', lastSeenAgoMs: 30_000 } });
    await emitSnapshot(page, next);
    await page.getByTestId('machine-unreachable-devbox').waitFor();
    await page.getByTestId('process-count').filter({ hasText: '2 running on 1 machine' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('Usage: a row per machine with the totals across them; the cost tables of every machine with a Machine column', async () => {
    const snapshot = fleet();
    const { page, errors } = await open(snapshot);
    await page.getByRole('tab', { name: /^Usage/ }).click();
    const panel = page.getByTestId('machines-panel');
    await panel.waitFor();
    const totalsLine = page.getByTestId('fleet-totals');
    // 2.50 here, 7.75 on devbox, 1.00 on ci as when it was last seen.
    assert.equal(Number(await totalsLine.getAttribute('data-cost')), 11.25);
    assert.equal(Number(await totalsLine.getAttribute('data-tokens')), 1500 + 5300 + 200);
    assert.match(await totalsLine.innerText(), /All machines: \$11\.25 today, \$11\.25 and 7,000 tokens in all\. 1 not answering: counted as when last seen\./);
    const row = (key: string) => page.getByTestId(`machine-row-${key}`);
    assert.equal(await row('@this').locator('td[data-col="machine"]').innerText(), 'this machine');
    assert.equal(Number(await row('devbox').locator('td[data-col="cost"]').getAttribute('data-value')), 7.75);
    assert.match(await row('devbox').locator('td[data-col="status"]').innerText(), /^answering$/);
    assert.match(await row('ci').locator('td[data-col="status"]').innerText(), /^not answering, last seen 10m ago$/);
    assert.match((await row('ci').locator('td[data-col="status"]').getAttribute('title')) ?? '', /connection refused/);

    // This machine's cost tables by default (the range applies); every machine's with the filter, all time.
    const models = page.getByTestId('models-table');
    assert.equal(await models.locator('thead th[data-col="machine"]').count(), 0);
    await page.getByLabel('Machine of the cost tables').selectOption('*');
    await models.locator('thead th[data-col="machine"]').waitFor();
    assert.equal(Number(await page.getByTestId(`model-row-devbox:${OPUS}`).locator('td[data-col="cost"]').getAttribute('data-value')), 7.25);
    assert.equal(await page.getByTestId(`model-row-${SONNET}`).locator('td[data-col="machine"]').innerText(), 'this machine');
    assert.equal(await page.getByTestId(`model-row-ci:${SONNET}`).count(), 1, 'as when last seen');
    assert.equal(await page.getByTestId('projects-table').locator('thead th[data-col="machine"]').count(), 1);
    assert.equal(await page.getByTestId('project-row-devbox:-srv-devbox-project-0').count(), 1);
    await page.getByLabel('Machine of the cost tables').selectOption('devbox');
    await page.getByTestId(`model-row-devbox:${SONNET}`).waitFor();
    assert.equal(await models.locator('tbody tr.data-row').count(), 2);
    await page.screenshot({ path: outputPath('fleet-usage-1280x800.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
