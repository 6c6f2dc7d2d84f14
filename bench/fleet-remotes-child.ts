// The remote machines of the fleet benchmark, in a process of their own as on other machines: `count` TCE servers,
// each serving 200 processes and a year of usage, with the token given. Driven over IPC by bench/fleet.ts.
import { startDashboardServer } from '../src/server/index.js';
import { pushingMonitor } from '../test/server/fixtures.js';
import { yearOfHistory } from '../e2e/support/snapshots.js';

const count = Number(process.argv[2]);
const token = process.argv[3] as string;
const monitor = pushingMonitor(yearOfHistory());
const servers = await Promise.all(Array.from({ length: count }, () => startDashboardServer({ monitor, port: 0, token, staticDir: '/nonexistent' })));
process.on('message', () => void Promise.all(servers.map((s) => s.close())).then(() => process.exit(0)));
process.send?.({ urls: servers.map((s) => s.url) });
