// `npm run bench server`: the dashboard server answering GET /api/snapshot and fanning snapshots out over server-sent
// events, against a baseline measured in the same run: a bare node:http server that serialises the same snapshot for
// every request and every event-stream client (what a server without the shared JSON cache does). Then its memory with
// thousands of event-stream clients that never read (the cap reached), and after they leave, beside the bare server's.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MAX_EVENT_CLIENTS } from '../src/server/events.js';
import { startDashboardServer } from '../src/server/index.js';
import type { ClaudeProcess, DailyUsage, SessionUsage, Snapshot } from '../src/shared/api.js';
import { pushingMonitor } from '../test/server/fixtures.js';
import { usageToday } from '../src/core/usage/today.js';

const MODELS = ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-sonnet-4'];

function totalsOf(seed: number) {
  const inputTokens = 1000 + (seed % 977);
  const outputTokens = 3000 + (seed % 1531);
  const cacheCreationTokens = 20_000 + (seed % 7919);
  const cacheReadTokens = 400_000 + (seed % 104_729);
  return {
    inputTokens,
    outputTokens,
    cacheCreationTokens,
    cacheReadTokens,
    totalTokens: inputTokens + outputTokens + cacheCreationTokens + cacheReadTokens,
    webSearchRequests: seed % 3,
    costUSD: (seed % 1000) / 37,
    unpricedTokens: 0,
  };
}

/** A heavy but realistic snapshot: `processCount` processes, a year of daily usage over 4 models, 100 sessions. */
export function bigSnapshot(processCount: number, generation = 0): Snapshot {
  const now = Date.now();
  const processes: ClaudeProcess[] = Array.from({ length: processCount }, (_, i) => ({
    pid: 10_000 + i,
    ppid: 1,
    name: 'claude',
    exe: '/home/user/.local/share/claude/versions/2.1.197',
    command: ['claude', '--continue'],
    installForm: 'native-installer',
    cwd: `/home/user/src/project-${i % 40}`,
    project: `project-${i % 40}`,
    state: 'S',
    health: i % 7 === 0 ? 'stale' : 'healthy',
    activity: i % 3 === 0 ? 'busy' : 'idle',
    activitySince: new Date(now - i * 60_000).toISOString(),
    waitingFor: null,
    entrypoint: 'cli',
    print: false,
    idleSince: i % 3 === 0 ? null : new Date(now - i * 60_000).toISOString(),
    sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    kind: 'interactive',
    sessionName: `session ${i}`,
    interactive: true,
    cpuPercent: (i * 13 + generation) % 100,
    rssBytes: 300_000_000 + i * 1000,
    startedAt: new Date(now - i * 3_600_000).toISOString(),
    startId: String(500_000 + i),
    uptimeSeconds: i * 3600,
    tty: `/dev/pts/${i}`,
    pinned: false,
    version: '2.1.197',
    childrenCount: i % 4,
  }));
  const daily: DailyUsage[] = Array.from({ length: 365 }, (_, d) => {
    const date = new Date(now - d * 86_400_000).toISOString().slice(0, 10);
    return { date, ...totalsOf(d), models: MODELS.map((model, m) => ({ model, unpriced: false, ...totalsOf(d * 4 + m) })), source: 'transcripts', claudeCode: null };
  });
  const sessions: SessionUsage[] = Array.from({ length: 100 }, (_, i) => ({
    sessionId: `11111111-0000-4000-8000-${String(i).padStart(12, '0')}`,
    project: `project-${i % 40}`,
    path: `/home/user/src/project-${i % 40}`,
    startedAt: new Date(now - i * 7_200_000).toISOString(),
    endedAt: new Date(now - i * 7_000_000).toISOString(),
    durationSeconds: 3600,
    models: MODELS.slice(0, 2),
    messages: 120 + i,
    firstPrompt: 'Refactor the parser so that it streams and add tests for the half-written line case',
    summary: 'Streaming parser refactor',
    livePid: i < 10 ? 10_000 + i : null,
    linesAdded: 120,
    linesRemoved: 40,
    filesModified: 6,
    toolCounts: { Read: 30, Edit: 12, Bash: 8 },
    today: totalsOf(i + 1),
    claudeCode: null,
    ...totalsOf(i),
  }));
  const snapshot: Snapshot = {
    processes: { processes, summary: { total: processCount, healthy: processCount, stale: 0, zombie: 0, hog: 0, pinned: 0 }, scannedAt: new Date(now).toISOString() },
    usage: {
      totals: totalsOf(1),
      claudeCode: null,
      costFigures: { costUSD: 'transcripts', claudeCode: 'cost-state', prices: '0badf00d' },
      models: MODELS.map((model, m) => ({ model, unpriced: false, ...totalsOf(m) })),
      daily,
      projects: Array.from({ length: 40 }, (_, p) => ({ project: `project-${p}`, path: `/home/user/src/project-${p}`, ...totalsOf(p), claudeCode: null })),
      hourOfDay: Array.from({ length: 24 }, (_, hour) => ({ hour, ...totalsOf(hour) })),
      weekly: Array.from({ length: 53 }, (_, w) => ({ weekStart: new Date(now - w * 7 * 86_400_000).toISOString().slice(0, 10), ...totalsOf(w) })),
      diagnostics: { files: 2000, linesRead: 1_500_000, malformedLines: 0, duplicateLines: 300_000, unpricedModels: [] },
      timezone: 'UTC',
      generatedAt: new Date(now).toISOString(),
    },
    sessions,
    activeBlock: null,
    plan: null,
    machines: [],
    warnings: [],
    generatedAt: new Date(now + generation).toISOString(),
    pollIntervalSeconds: 10,
    usageRevision: 1,
    today: null,
  };
  snapshot.today = usageToday(snapshot.usage!, now);
  return snapshot;
}

// The monitor only holds a snapshot and pushes new ones on demand: the bench measures the server, not the core.
const benchMonitor = pushingMonitor;

/** The baseline: plain node:http, JSON.stringify per request and per event-stream client. */
export async function baselineServer(monitor: ReturnType<typeof benchMonitor>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const off = monitor.onSnapshot((s) => res.write(`event: snapshot\ndata: ${JSON.stringify(s)}\n\n`));
      res.write(`event: snapshot\ndata: ${JSON.stringify(monitor.current())}\n\n`);
      req.on('close', off);
      return;
    }
    const body = JSON.stringify(monitor.current());
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** The secret of the server under test (the bare baseline ignores it): every request carries it, as TCE's CLI does. */
let token = '';

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { 'X-TCE-Token': token } }, (res) => {
        let size = 0;
        res.on('data', (c: Buffer) => (size += c.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(size) : reject(new Error(`status ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function requestLoad(url: string, total: number, concurrency: number): Promise<{ rps: number; p50: number; p95: number; bytes: number }> {
  const latencies: number[] = [];
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const t0 = performance.now();
        bytes = await get(url);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: total / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), bytes };
}

/**
 * Opens `clients` event streams, pushes `pushes` snapshots at once, and times until every client has the newest one.
 * Also counts the snapshot events delivered (a server may skip stale ones for a client that lags behind).
 */
async function fanOut(
  url: string,
  monitor: ReturnType<typeof benchMonitor>,
  clients: number,
  pushes: number,
  processCount: number,
): Promise<{ ms: number; delivered: number }> {
  const newest = `"warnings":["push-${pushes}"]`;
  const done = new Array<boolean>(clients).fill(false);
  let delivered = 0;
  const requests: http.ClientRequest[] = [];
  let finish: (() => void) | null = null;
  await Promise.all(
    Array.from(
      { length: clients },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(`${url}api/events`, { agent: false, headers: { 'X-TCE-Token': token } }, (res) => {
            let buffer = '';
            let first = true;
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              buffer += chunk;
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                if (!block.startsWith('event: snapshot')) continue;
                if (first) {
                  first = false;
                  resolve();
                  continue;
                }
                delivered += 1;
                if (block.includes(newest)) {
                  done[i] = true;
                  if (done.every(Boolean)) finish?.();
                }
              }
            });
          });
          req.on('error', reject);
          requests.push(req);
        }),
    ),
  );
  const all = new Promise<void>((resolve) => (finish = resolve));
  const started = performance.now();
  for (let k = 1; k <= pushes; k += 1) monitor.push({ ...bigSnapshot(processCount, k), warnings: [`push-${k}`] });
  await all;
  const ms = performance.now() - started;
  for (const req of requests) req.destroy();
  return { ms, delivered };
}

export async function run(): Promise<void> {
  const processCount = 200;
  const snapshot = bigSnapshot(processCount);
  const size = Buffer.byteLength(JSON.stringify(snapshot));
  console.log(`snapshot: ${processCount} processes, 365 days x ${MODELS.length} models, 100 sessions = ${(size / 1024).toFixed(0)} KiB of JSON`);

  const rows: string[] = [];
  for (const [name, make] of [
    ['baseline (bare node:http, stringify per request/client)', async (m: ReturnType<typeof benchMonitor>) => baselineServer(m)],
    ['tce server', async (m: ReturnType<typeof benchMonitor>) => startDashboardServer({ monitor: m, port: 0, staticDir: '/nonexistent' })],
  ] as const) {
    const monitor = benchMonitor(snapshot);
    const server = await make(monitor);
    token = 'token' in server ? (server.token as string) : '';
    const url = server.url;
    await requestLoad(`${url}api/snapshot`, 30, 4); // warm-up
    const seq = await requestLoad(`${url}api/snapshot`, 300, 1);
    const par = await requestLoad(`${url}api/snapshot`, 600, 8);
    const fan = await fanOut(url, monitor, 50, 5, processCount);
    await server.close();
    rows.push(
      `${name}\n` +
        `  GET /api/snapshot, 1 at a time:  ${seq.rps.toFixed(0)} req/s, p50 ${seq.p50.toFixed(2)} ms, p95 ${seq.p95.toFixed(2)} ms\n` +
        `  GET /api/snapshot, 8 in parallel: ${par.rps.toFixed(0)} req/s, p50 ${par.p50.toFixed(2)} ms, p95 ${par.p95.toFixed(2)} ms\n` +
        `  5 polls pushed at once to 50 event streams: ${fan.ms.toFixed(0)} ms until every client had the newest ` +
        `(${fan.delivered} of ${5 * 50} snapshot events sent; the rest were superseded before a lagging client could take them)`,
    );
  }
  agent.destroy();
  console.log(rows.join('\n'));
  await memoryRun();
}

const MiB = 1024 * 1024;
const CHILD = fileURLToPath(new URL('./server-memory-child.js', import.meta.url));

type Memory = NodeJS.MemoryUsage;

/** One server in its own process (started with --expose-gc), asked over IPC for its memory and to push snapshots. */
async function serverProcess(kind: 'tce' | 'bare'): Promise<{ url: string; token: string; ask<T>(message: object, key: string): Promise<T>; stop(): Promise<void> }> {
  const child: ChildProcess = fork(CHILD, [kind], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: object, key: string): Promise<T> =>
    new Promise((resolve) => {
      const on = (reply: Record<string, unknown>) => {
        if (!(key in reply)) return;
        child.off('message', on);
        resolve(reply[key] as T);
      };
      child.on('message', on);
      if (Object.keys(message).length > 0) child.send(message);
    });
  const started = await new Promise<{ url: string; token: string }>((resolve) => child.once('message', (m) => resolve(m as { url: string; token: string })));
  return {
    ...started,
    ask,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send({ what: 'stop' });
      }),
  };
}

/**
 * `clients` event streams that read the status line and then nothing more: what a page that hangs, or a script that
 * opens streams and never reads them, does to a server. Resolves once every one has its answer's status line.
 */
async function stalledClients(url: string, secret: string, clients: number): Promise<{ sockets: net.Socket[]; statuses: Map<string, number> }> {
  const { hostname, port } = new URL(url);
  const statuses = new Map<string, number>();
  const sockets: net.Socket[] = [];
  const batch = 200;
  for (let at = 0; at < clients; at += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, clients - at) }, () => {
        return new Promise<void>((resolve) => {
          const socket = net.connect(Number(port), hostname);
          sockets.push(socket);
          socket.on('error', () => resolve());
          socket.once('data', (chunk: Buffer) => {
            socket.pause();
            const status = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 'none';
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            resolve();
          });
          socket.once('connect', () => socket.write(`GET /api/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-TCE-Token: ${secret}\r\n\r\n`));
        });
      }),
    );
  }
  return { sockets, statuses };
}

const mb = (m: Memory) => `RSS ${(m.rss / MiB).toFixed(0)} MB, heap ${(m.heapUsed / MiB).toFixed(0)} MB, buffers ${(m.arrayBuffers / MiB).toFixed(0)} MB`;

interface Round {
  loaded: Memory;
  after: Memory;
  statuses: Map<string, number>;
}

/** `rounds` times: `clients` stalled streams, `pushes` snapshots, then the clients leave. */
async function memoryWith(kind: 'tce' | 'bare', clients: number, pushes: number, rounds: number): Promise<{ before: Memory; rounds: Round[] }> {
  const server = await serverProcess(kind);
  try {
    // Warm: one client through a round of pushes, so that idle is a server that has made and sent snapshots (their
    // JSON, V8's grown heap); what the stalled clients add is then theirs alone.
    const warm = await stalledClients(server.url, server.token, 1);
    await server.ask({ what: 'push', count: pushes }, 'pushed');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    warm.sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = await server.ask<Memory>({ what: 'memory' }, 'memory');
    const done: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      const { sockets, statuses } = await stalledClients(server.url, server.token, clients);
      await server.ask({ what: 'push', count: pushes }, 'pushed');
      // Time for every write to reach the sockets that take it (and the rest to wait in the server).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const loaded = await server.ask<Memory>({ what: 'memory' }, 'memory');
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      done.push({ loaded, after: await server.ask<Memory>({ what: 'memory' }, 'memory'), statuses });
    }
    return { before, rounds: done };
  } finally {
    await server.stop();
  }
}

/** The stated bound: with the cap reached, the server holds at most this much more than idle. */
const CAPPED_GROWTH_BOUND_MB = 64;

async function memoryRun(): Promise<void> {
  const clients = 3000;
  const pushes = 5;
  const capped = await memoryWith('tce', clients, pushes, 3);
  const bare = await memoryWith('bare', 1000, pushes, 1);
  const over = (m: Memory) => (m.rss - capped.before.rss) / MiB;
  const held = (m: Memory) => (m.heapUsed + m.arrayBuffers - capped.before.heapUsed - capped.before.arrayBuffers) / MiB;
  const growth = Math.max(...capped.rounds.map((r) => over(r.loaded)));
  const lines = [
    `memory with event-stream clients that never read (${pushes} snapshots pushed each round):`,
    `  tce server, ${clients} clients a round (cap ${MAX_EVENT_CLIENTS}; answers ${[...(capped.rounds[0]?.statuses ?? [])].map(([s, n]) => `${n}x ${s}`).join(', ')}):`,
    `    idle           ${mb(capped.before)}`,
  ];
  capped.rounds.forEach((r, i) => {
    lines.push(`    round ${i + 1} loaded ${mb(r.loaded)}  (+${over(r.loaded).toFixed(0)} MB RSS, +${held(r.loaded).toFixed(1)} MB heap and buffers)`);
    lines.push(`    round ${i + 1} after  ${mb(r.after)}  (+${over(r.after).toFixed(0)} MB RSS, +${held(r.after).toFixed(1)} MB heap and buffers)`);
  });
  lines.push(
    `    bound: +${CAPPED_GROWTH_BOUND_MB} MB RSS with the cap reached: ${growth <= CAPPED_GROWTH_BOUND_MB ? 'held' : 'EXCEEDED'}. After the clients leave, what the`,
    '    server holds (heap and buffers) is back at idle; the RSS left is freed native memory the allocator and node keep (its pool of',
    '    HTTP parsers, freed pages): it levels off over the rounds, reused rather than growing.',
    `  baseline (bare node:http, no cap, a copy of every snapshot per client), 1000 clients:`,
    `    idle           ${mb(bare.before)}`,
    `    loaded         ${mb(bare.rounds[0]!.loaded)}  (+${((bare.rounds[0]!.loaded.rss - bare.before.rss) / MiB).toFixed(0)} MB RSS)`,
    `    after          ${mb(bare.rounds[0]!.after)}`,
  );
  console.log(lines.join('\n'));
  if (growth > CAPPED_GROWTH_BOUND_MB) throw new Error(`the capped server grew by ${growth.toFixed(0)} MB with its event streams full, over the ${CAPPED_GROWTH_BOUND_MB} MB bound`);
  const leftover = Math.max(...capped.rounds.map((r) => held(r.after)));
  if (leftover > 4) throw new Error(`the server still holds ${leftover.toFixed(1)} MB of heap and buffers after its clients left`);
}
