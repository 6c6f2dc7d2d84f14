// Renderer benchmark in headless Chromium: how long the dashboard takes to apply one snapshot with 200 processes
// and a year of usage for 8 models (store update + React commit + layout), then 1,200 sessions on the Sessions tab,
// and whether the JS heap grows over an hour of polls (360 updates at 10 s). Baseline, measured in the same run: the
// same update with an empty snapshot.
import os from 'node:os';
import type { CDPSession, Page } from 'playwright';
import type { Snapshot } from '../src/shared/api.js';
import { launchBrowser } from '../e2e/support/browser.js';
import { installFakeTce } from '../e2e/support/fake-tce.js';
import { largeSnapshot, makeSnapshot, yearOfHistory } from '../e2e/support/snapshots.js';
import { startStaticServer } from '../e2e/support/static-server.js';

const PROCESSES = 200;
const DAYS = 365;
const TIMED_UPDATES = 60;
const HOUR_OF_UPDATES = 360;
const FRAME_BUDGET_MS = 16;
/** Heap growth under this is GC noise, not a leak. */
const HEAP_NOISE_BYTES = 1024 * 1024;

interface Timing {
  median: number;
  p95: number;
  max: number;
  parseMedian: number;
  settleMedian: number;
  settleP95: number;
  longTasks: number;
  longestTask: number;
}

interface BenchHost {
  __fakeTce: { emit(snapshot: Snapshot): void };
  __benchJson: string;
  document: { body: { getBoundingClientRect(): unknown }; querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  performance: { now(): number };
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(v: unknown): void } };
}

/**
 * Applies `count` snapshots in the page, each parsed from the same JSON (as the SSE bridge does) and changed like
 * a real poll: CPU and uptime of every process, and today's tokens (so the usage views recompute too).
 * Timed: from handing the snapshot to the app until the page shows the new numbers (checked in the DOM, so an
 * update that rendered nothing cannot pass for a fast one) and the browser laid the page out. Between updates the
 * page gets a pause, as it would between polls, so one update's leftover work is not billed to the next.
 */
type Check = 'processes' | 'usage' | 'sessions' | 'none';

async function applyUpdates(page: Page, count: number, startIndex: number, check: Check): Promise<number[][]> {
  return page.evaluate(
    async ({ count, startIndex, check }) => {
      const host = globalThis as unknown as BenchHost;
      const nextTask = () =>
        new Promise<void>((resolve) => {
          const channel = new host.MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(0);
        });
      const attr = (selector: string, name: string) => host.document.querySelector(selector)?.getAttribute(name) ?? null;
      const base = Date.now();
      const applyTimes: number[] = [];
      const parseTimes: number[] = [];
      const settleTimes: number[] = [];
      for (let i = 0; i < count; i++) {
        const n = startIndex + i;
        const p0 = host.performance.now();
        const snapshot = JSON.parse(host.__benchJson) as Snapshot;
        parseTimes.push(host.performance.now() - p0);
        snapshot.generatedAt = new Date(base + i * 10).toISOString();
        snapshot.processes.scannedAt = snapshot.generatedAt;
        for (const [k, p] of snapshot.processes.processes.entries()) {
          p.cpuPercent = ((k * 7 + n * 13) % 1000) / 10;
          p.uptimeSeconds += n * 10;
        }
        const usage = snapshot.usage;
        const today = usage?.daily[usage.daily.length - 1];
        if (usage && today && today.models[0]) {
          const extra = 1000 * (n + 1);
          today.models[0].outputTokens += extra;
          today.models[0].totalTokens += extra;
          today.outputTokens += extra;
          today.totalTokens += extra;
          usage.totals.outputTokens += extra;
          usage.totals.totalTokens += extra;
          // As the core makes a poll's snapshot: a changed report has a new revision, and today's figures follow it.
          snapshot.usageRevision += n + 1;
          if (snapshot.today?.date === today.date) {
            snapshot.today.outputTokens += extra;
            snapshot.today.totalTokens += extra;
          }
        }
        // The newest session is the one running: its tokens grow with every poll.
        const session = snapshot.sessions[0];
        if (session) session.totalTokens += 1000 * (n + 1);
        // The busiest process: first in the default sort (CPU, highest first), so always inside the rendered rows.
        const first = snapshot.processes.processes.reduce<(typeof snapshot.processes.processes)[number] | undefined>(
          (best, p) => (!best || p.cpuPercent > best.cpuPercent ? p : best),
          undefined,
        );
        const expected =
          check === 'processes' && first
            ? { selector: `[data-testid="process-row-${first.pid}"] td[data-col="cpu"]`, value: String(first.cpuPercent) }
            : check === 'usage' && usage
              ? { selector: '[data-testid="usage-total-tokens"]', value: String(usage.totals.totalTokens) }
              : check === 'sessions' && session
                ? { selector: `[data-testid="session-row-${session.sessionId}"] td[data-col="tokens"]`, value: String(session.totalTokens) }
                : null;
        const t0 = host.performance.now();
        host.__fakeTce.emit(snapshot);
        // React renders a store update in a microtask, or later when it is busy: wait until the DOM shows it.
        await Promise.resolve();
        for (let tries = 0; expected && attr(expected.selector, 'data-value') !== expected.value; tries++) {
          if (tries > 10_000) throw new Error(`update ${n} never reached the page (${expected.selector} != ${expected.value})`);
          await nextTask();
        }
        host.document.body.getBoundingClientRect();
        applyTimes.push(host.performance.now() - t0);
        if (check === 'usage') {
          // The chart follows in a background render: time until it shows the same days as the totals above it.
          const wanted = () => attr('[data-testid="range-totals"]', 'data-tokens');
          for (let tries = 0; attr('[data-testid="usage-chart"]', 'data-total') !== wanted(); tries++) {
            if (tries > 10_000) throw new Error(`the chart never caught up with update ${n}`);
            await nextTask();
          }
          settleTimes.push(host.performance.now() - t0);
        }
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      if ((globalThis as unknown as { __benchDebug?: boolean }).__benchDebug) console.log(applyTimes.map((t) => t.toFixed(1)).join(" "));
      return [applyTimes, parseTimes, settleTimes];
    },
    { count, startIndex, check },
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;
}

function summarize([apply, parse, settle]: number[][], longTasks: number[]): Timing {
  const sorted = (v: number[] | undefined) => [...(v ?? [])].sort((x, y) => x - y);
  const a = sorted(apply);
  const s = sorted(settle);
  return {
    median: percentile(a, 0.5),
    p95: percentile(a, 0.95),
    max: a[a.length - 1] ?? NaN,
    parseMedian: percentile(sorted(parse), 0.5),
    settleMedian: percentile(s, 0.5),
    settleP95: percentile(s, 0.95),
    longTasks: longTasks.length,
    longestTask: Math.max(0, ...longTasks),
  };
}

/** Starts recording main-thread tasks over 50 ms (frames the user would see dropped); returns a reader. */
async function recordLongTasks(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const host = globalThis as unknown as { __longTasks: number[]; PerformanceObserver: new (cb: (list: { getEntries(): Array<{ duration: number }> }) => void) => { observe(o: object): void } };
    host.__longTasks = [];
    new host.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) host.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  return () => page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks.splice(0));
}

async function heap(cdp: CDPSession): Promise<{ heap: number; nodes: number; listeners: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { heap: value('JSHeapUsedSize'), nodes: value('Nodes'), listeners: value('JSEventListeners') };
}

async function openTab(page: Page, tab: 'Processes' | 'Usage' | 'Sessions'): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  await page.getByTestId(`panel-${tab.toLowerCase()}`).waitFor();
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const mib = (v: number) => `${(v / 1024 / 1024).toFixed(2)} MiB`;

async function timeScenario(page: Page, label: string, tab: 'Processes' | 'Usage' | 'Sessions', json: string, rangeButton?: string): Promise<Timing> {
  await page.evaluate((j) => {
    (globalThis as unknown as BenchHost).__benchJson = j;
  }, json);
  await openTab(page, tab);
  if (rangeButton) await page.getByRole('button', { name: rangeButton, exact: true }).click();
  const check: Check = json.length < 10_000 ? 'none' : tab === 'Processes' ? 'processes' : tab === 'Usage' ? 'usage' : 'sessions';
  await applyUpdates(page, 10, 0, check); // warm-up: JIT, first mount of rows and chart
  const longTasks = await recordLongTasks(page);
  const times = await applyUpdates(page, TIMED_UPDATES, 10, check);
  const timing = summarize(times, await longTasks());
  console.log(`${label.padEnd(46)} median ${ms(timing.median)}  p95 ${ms(timing.p95)}  max ${ms(timing.max)}  (JSON.parse ${ms(timing.parseMedian)}, not counted)`);
  if (check === 'usage') console.log(`${''.padEnd(46)} chart caught up (background render): median ${ms(timing.settleMedian)}, p95 ${ms(timing.settleP95)}`);
  console.log(`${''.padEnd(46)} main-thread tasks over 50 ms during ${TIMED_UPDATES} updates: ${timing.longTasks}${timing.longTasks ? `, longest ${ms(timing.longestTask)}` : ''}`);
  return timing;
}

export async function run(): Promise<void> {
  const server = await startStaticServer();
  const browser = await launchBrowser();
  try {
    const big = largeSnapshot(PROCESSES, DAYS);
    const bigJson = JSON.stringify(big);
    const emptyJson = JSON.stringify(makeSnapshot());
    // Timings scale with how busy the machine is: print it so numbers from different runs can be compared.
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
    console.log(`snapshot: ${PROCESSES} processes, ${DAYS} days x ${big.usage?.models.length} models, ${big.sessions.length} sessions; ${(bigJson.length / 1024).toFixed(0)} KiB of JSON`);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    if (process.env.TCE_BENCH_DEBUG) page.on('console', (m) => console.log(`  [page] ${m.text()}`));
    await page.addInitScript(() => {
      (globalThis as unknown as { __benchDebug?: boolean }).__benchDebug = true;
    });
    await installFakeTce(page, { snapshot: makeSnapshot() });
    await page.goto(server.url);
    await page.getByTestId('empty-processes').waitFor();

    const baseline = await timeScenario(page, 'baseline: empty snapshot (Processes tab)', 'Processes', emptyJson);
    const processes = await timeScenario(page, `${PROCESSES} processes + year of usage (Processes tab)`, 'Processes', bigJson);
    const usage = await timeScenario(page, `${PROCESSES} processes + year (Usage, 30 days)`, 'Usage', bigJson, '30 days');
    const usageYear = await timeScenario(page, `${PROCESSES} processes + year (Usage, all: weekly)`, 'Usage', bigJson, 'All');
    await page.getByRole('button', { name: '30 days', exact: true }).click();
    const history = yearOfHistory();
    const historyJson = JSON.stringify(history);
    console.log(`history: ${history.sessions.length} sessions with long paths and model lists; ${(historyJson.length / 1024).toFixed(0)} KiB of JSON`);
    const sessions = await timeScenario(page, `${history.sessions.length} sessions (Sessions tab)`, 'Sessions', historyJson);
    for (const [name, t] of [
      ['Processes tab', processes],
      ['Usage tab, 30 days', usage],
      ['Usage tab, whole year', usageYear],
      ['Sessions tab, 1,200 sessions', sessions],
    ] as const) {
      console.log(
        `${t.p95 < FRAME_BUDGET_MS ? 'PASS' : 'MISS'} apply one snapshot, ${name}: p95 ${ms(t.p95)} (goal < ${FRAME_BUDGET_MS} ms; baseline median ${ms(baseline.median)}, ${(t.median / Math.max(baseline.median, 0.01)).toFixed(1)}x)`,
      );
    }

    // An hour of polls: 360 updates, switching tabs every 60 as a user would, ending where it started.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate((j) => {
      (globalThis as unknown as BenchHost).__benchJson = j;
    }, bigJson);
    await openTab(page, 'Processes');
    await applyUpdates(page, 20, 1000, 'processes');
    const start = await heap(cdp);
    const tabs = ['Usage', 'Sessions', 'Processes'] as const;
    let half: Awaited<ReturnType<typeof heap>> | null = null;
    for (let done = 0, k = 0; done < HOUR_OF_UPDATES; done += 60, k++) {
      await applyUpdates(page, 60, 1020 + done, 'none');
      await openTab(page, tabs[k % tabs.length] as (typeof tabs)[number]);
      // Half-way, back where it started: a leak grows in both halves, a one-off cache only in the first.
      if (done + 60 === HOUR_OF_UPDATES / 2) {
        await openTab(page, 'Processes');
        half = await heap(cdp);
      }
    }
    await openTab(page, 'Processes');
    await applyUpdates(page, 1, 1020 + HOUR_OF_UPDATES, 'processes');
    const end = await heap(cdp);
    const growth = end.heap - start.heap;
    const signed = (v: number) => `${v >= 0 ? '+' : ''}${mib(v)}`;
    console.log(`heap after GC: start ${mib(start.heap)}, after ${HOUR_OF_UPDATES} updates ${mib(end.heap)} (${signed(growth)})`);
    if (half) console.log(`  first ${HOUR_OF_UPDATES / 2} updates ${signed(half.heap - start.heap)}, second ${HOUR_OF_UPDATES / 2} ${signed(end.heap - half.heap)}`);
    console.log(`DOM nodes: ${start.nodes} -> ${end.nodes}; event listeners: ${start.listeners} -> ${end.listeners}`);
    console.log(`${growth < HEAP_NOISE_BYTES ? 'PASS' : 'MISS'} no heap growth over an hour of updates (goal: growth < ${mib(HEAP_NOISE_BYTES)} GC noise)`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
}
