/**
 * The app side of `npm run bench usage-big`, in its own process (so its peak memory is its own): the monitor the
 * tray app and the dashboard server share, with the dashboard server on it, doing its first index of a big history.
 * Prints one JSON line: how long the first poll took, the event loop's worst stall meanwhile, the indexing
 * snapshots it pushed. argv: <claude dir> <data dir>. Writes the server's URL and token on stderr (`url <url>`,
 * `token <token>`) as soon as it listens, for the prober in the parent process.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createMonitor } from '../src/core/create-core.js';
import { keepYoungGenerationSmall } from '../src/core/lean-heap.js';
import { startDashboardServer } from '../src/server/index.js';
import type { Snapshot } from '../src/shared/api.js';

// As the tray app and `tce dashboard` run.
keepYoungGenerationSmall();
const [claude, dataDir] = process.argv.slice(2) as [string, string];
const monitor = createMonitor({ claudeDirs: [claude], dataDir, timezone: 'UTC' });
const server = await startDashboardServer({ monitor, port: 0 });
process.stderr.write(`url ${server.url}\ntoken ${server.token}\n`);

const pushed: Array<{ at: number; filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number; etaSeconds: number | null }> = [];
const t0 = performance.now();
monitor.onSnapshot((s: Snapshot) => {
  if (s.indexing) pushed.push({ at: Math.round(performance.now() - t0), ...s.indexing });
});
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const first = await monitor.refresh();
delay.disable();
const ms = performance.now() - t0;
// A second poll, as the next tick of the app would make it: everything is in the index now.
const t1 = performance.now();
await monitor.refresh();
const secondMs = performance.now() - t1;
await monitor.stop();
await server.close();
process.stdout.write(
  `${JSON.stringify({
    firstPollMs: Math.round(ms),
    secondPollMs: Math.round(secondMs),
    maxStallMs: delay.max / 1e6,
    p99StallMs: delay.percentile(99) / 1e6,
    pushed,
    totals: first.usage?.totals ?? null,
    files: first.usage?.diagnostics.files ?? 0,
  })}\n`,
);
