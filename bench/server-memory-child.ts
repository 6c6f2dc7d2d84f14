// A dashboard server alone in its process, so the server benchmark can read its memory: `tce` (the real server) or
// `bare` (plain node:http that writes every snapshot to every event stream). Driven over IPC by bench/server.ts.
import { startDashboardServer } from '../src/server/index.js';
import { pushingMonitor } from '../test/server/fixtures.js';
import { baselineServer, bigSnapshot } from './server.js';

const kind = process.argv[2];
const processCount = 200;
const monitor = pushingMonitor(bigSnapshot(processCount));
const server = kind === 'tce' ? await startDashboardServer({ monitor, port: 0, staticDir: '/nonexistent' }) : await baselineServer(monitor);
const token = 'token' in server ? server.token : '';

type Message = { what: 'memory' } | { what: 'push'; count: number } | { what: 'stop' };

function memory(): NodeJS.MemoryUsage {
  // Twice: the first pass may only queue finalizers that the second one frees.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

process.on('message', (m: Message) => {
  if (m.what === 'memory') process.send?.({ memory: memory() });
  else if (m.what === 'push') {
    for (let k = 1; k <= m.count; k++) monitor.push({ ...bigSnapshot(processCount, k), warnings: [`push-${k}`] });
    process.send?.({ pushed: m.count });
  } else if (m.what === 'stop') void server.close().then(() => process.exit(0));
});
process.send?.({ url: server.url, token });
