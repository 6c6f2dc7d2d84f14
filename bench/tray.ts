// `npm run bench tray`: the tray's work per poll with 50 Claude Code processes. What it does on a poll that changes
// nothing it shows (build the view, compare it) against a baseline measured in the same run: a tray that redraws
// its icon and rebuilds its menu on every poll. Then the icon with the session count (Linux and Windows): drawing
// one (1x and 2x PNG) against taking it from the cache per state and count, which is what a poll does.
import { performance } from 'node:perf_hooks';
import { IconCache } from '../src/main/icon-cache.js';
import { countLabel, drawTrayIcon, TRAY_STATES } from '../src/main/icon-drawing.js';
import { encodePng } from '../src/main/png.js';
import { trayMenuTemplate, type TrayActions } from '../src/main/tray-menu.js';
import { tooltip, trayView } from '../src/main/tray-view.js';
import { claudeProcess, snapshot, usageToday, activeBlock } from '../test/main/snapshots.js';
import { planWindows } from '../e2e/support/snapshots.js';

const PROCESSES = 50;
const POLL_SECONDS = 10;
/** An unchanged poll must cost the tray well under a millisecond. */
const UNCHANGED_POLL_GOAL_MS = 1;
/** A cached count icon must cost a small fraction of drawing one. */
const CACHE_GOAL_RATIO = 100;

const noop = (): void => undefined;
const actions: TrayActions = {
  kill: noop,
  pin: noop,
  unpin: noop,
  copyPid: noop,
  openFolder: noop,
  killAllStale: noop,
  openDashboard: noop,
  toggleNotificationPause: noop,
  setStartAtLogin: noop,
  quit: noop,
};

function meanMs(runs: number, call: () => unknown): number {
  for (let i = 0; i < Math.min(50, runs); i++) call();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) call();
  return (performance.now() - t0) / runs;
}

const pngs = (state: (typeof TRAY_STATES)[number], label: string): [Buffer, Buffer] => [
  encodePng(drawTrayIcon(state, 16, label)),
  encodePng(drawTrayIcon(state, 32, label)),
];

export async function run(): Promise<void> {
  const now = new Date();
  const day = now.toISOString().slice(0, 10);
  // Two sessions waiting for their user and plan windows: what the view sorts and words on every poll.
  const processes = Array.from({ length: PROCESSES }, (_, i) =>
    claudeProcess({
      pid: 60_000 + i,
      health: i % 10 === 0 ? 'stale' : 'healthy',
      ...(i % 25 === 3 ? { activity: 'waiting' as const, waitingFor: 'permission prompt', activitySince: new Date(now.getTime() - (i + 1) * 60_000).toISOString() } : {}),
    }),
  );
  const snap = snapshot(processes, { usage: usageToday(day, 12.34, 2_000_000), activeBlock: activeBlock(now.toISOString(), 3, 900, 1.5), plan: planWindows(42, 87, 3, now.getTime()) });
  const extras = { warnings: [], pausedUntil: null, startAtLogin: false, now };
  const first = trayView(snap, extras);
  let shownImage = `${first.state}:${countLabel(first.count)}`;
  let shownTip = tooltip(first, 'linux');
  let shownMenu = JSON.stringify(first);

  // What TrayPresenter.show does on Linux when nothing changed: view, icon key, tooltip, menu key; no native call.
  const unchanged = meanMs(2000, () => {
    const view = trayView(snap, extras);
    const image = `${view.state}:${countLabel(view.count)}`;
    if (image !== shownImage) shownImage = image;
    const tip = tooltip(view, 'linux');
    if (tip !== shownTip) shownTip = tip;
    const key = JSON.stringify(view);
    if (key !== shownMenu) shownMenu = key;
  });
  // Baseline: redraw the icon (with its count) at both scales and rebuild the menu template on every poll.
  const everything = meanMs(200, () => {
    const view = trayView(snap, extras);
    tooltip(view, 'linux');
    pngs(view.state, countLabel(view.count));
    trayMenuTemplate(view, actions);
  });

  // The count icon: every state with labels of each width, drawn each time, or taken from the cache.
  const labels = ['7', '42', '99+'];
  const uncached = meanMs(20, () => {
    for (const state of TRAY_STATES) for (const label of labels) pngs(state, label);
  }) / (TRAY_STATES.length * labels.length);
  const cache = new IconCache(pngs);
  const cached = meanMs(20_000, () => {
    for (const state of TRAY_STATES) for (const label of labels) cache.get(state, label);
  }) / (TRAY_STATES.length * labels.length);

  const share = (ms: number) => ((ms / (POLL_SECONDS * 1000)) * 100).toFixed(4);
  console.log(`processes in the snapshot:                 ${PROCESSES}`);
  console.log(`unchanged poll (view + compare):          ${(unchanged * 1000).toFixed(1)} µs  (${share(unchanged)} % of one core at one poll per ${POLL_SECONDS} s)`);
  console.log(`baseline, redraw icon + rebuild menu:     ${(everything * 1000).toFixed(1)} µs  (${(everything / unchanged).toFixed(1)}x the unchanged poll)`);
  console.log(`count icon drawn (1x + 2x PNG):           ${(uncached * 1000).toFixed(1)} µs per state and count`);
  console.log(`count icon from the cache:                ${(cached * 1000).toFixed(3)} µs  (${(uncached / cached).toFixed(0)}x cheaper; ${cache.size} images kept)`);
  const pollOk = unchanged < UNCHANGED_POLL_GOAL_MS && unchanged < everything;
  const cacheOk = cached * CACHE_GOAL_RATIO < uncached;
  console.log(`goal: unchanged poll < ${UNCHANGED_POLL_GOAL_MS} ms and cheaper than the baseline: ${pollOk ? 'met' : 'NOT MET'}`);
  console.log(`goal: a cached count icon at least ${CACHE_GOAL_RATIO}x cheaper than drawing it: ${cacheOk ? 'met' : 'NOT MET'}`);
  if (!pollOk || !cacheOk) process.exitCode = 1;
}
