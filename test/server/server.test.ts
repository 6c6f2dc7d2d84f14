import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createMonitor } from '../../src/core/create-core.js';
import type { Monitor } from '../../src/core/monitor.js';
import { startDashboardServer, type DashboardServer } from '../../src/server/index.js';
import type { ActionResult, ProcessSnapshot, Settings, Snapshot, UsageBlock, UsageReport, SessionUsage } from '../../src/shared/api.js';
import { neverSignalled, refTo, spawnFake, type FakeProcess } from '../support/fake-claude.js';
import { makeTempDir, waitFor } from '../support/tmp.js';
import { countingMonitor, parseMetrics, pushingMonitor, SESSION_ID, writeStaticDir, writeTranscript } from './fixtures.js';
import { pageHeaders, readEvents, request, type RawRequest } from './http-client.js';

/** The secret of every server a test started, by URL: every request must carry it (or the login cookie). */
const tokens = new Map<string, string>();
function track(server: DashboardServer): DashboardServer {
  tokens.set(server.url, server.token);
  return server;
}
/** A request as TCE's own CLI makes it: with the server's secret. */
function authed(url: string, extra: RawRequest = {}): RawRequest {
  return { ...extra, headers: { 'X-TCE-Token': tokens.get(url) ?? '', ...extra.headers } };
}

describe('dashboard server', () => {
  const tmp = makeTempDir('tce-server-');
  const claudeDir = path.join(tmp.dir, 'claude');
  const dataDir = path.join(tmp.dir, 'data');
  const staticDir = path.join(tmp.dir, 'renderer');
  const fakes: FakeProcess[] = [];
  let real: Monitor;
  let counted: ReturnType<typeof countingMonitor>;
  let server: DashboardServer;
  let base: string;
  let claude: FakeProcess;
  let decoy: FakeProcess;

  async function freshClaude(): Promise<FakeProcess> {
    const fake = await spawnFake('native-installer', path.join(tmp.dir, `fake-${fakes.length}`));
    fakes.push(fake);
    await waitFor('the new Claude-form process in a snapshot', async () =>
      (await real.refresh()).processes.processes.some((p) => p.pid === fake.pid),
    );
    return fake;
  }

  before(async () => {
    writeTranscript(claudeDir, path.join(tmp.dir, 'demo'));
    writeStaticDir(staticDir);
    claude = await spawnFake('native-installer', path.join(tmp.dir, 'fake-main'));
    decoy = await spawnFake('decoy-claudette', path.join(tmp.dir, 'fake-decoy'));
    fakes.push(claude, decoy);
    real = createMonitor({ claudeDirs: [claudeDir], dataDir, timezone: 'UTC' });
    counted = countingMonitor(real);
    server = track(await startDashboardServer({ monitor: counted.monitor, port: 0, token: 'test-token-0123456789', staticDir, heartbeatMs: 200 }));
    base = server.url;
  });

  after(async () => {
    await server?.close();
    await real?.stop();
    for (const fake of fakes) await fake.kill('SIGKILL');
    tmp.remove();
  });

  it('binds to loopback on the asked port and reports its URL and token', () => {
    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
    assert.equal(server.token, 'test-token-0123456789');
  });

  it('serves the page with the page token meta tag (never the secret itself) and strict security headers', async () => {
    const res = await request(base, '/', authed(base));
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    const meta = /<meta name="tce-token" content="([^"]+)" \/>\s*<\/head>/.exec(res.text);
    assert.ok(meta, res.text);
    assert.notEqual(meta[1], server.token, 'the HttpOnly cookie holds the secret; the page only a token derived from it');
    assert.ok(!res.text.includes(server.token));
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['access-control-allow-origin'], undefined, 'no CORS: other sites cannot read the API');
    const asset = await request(base, '/assets/app.js', authed(base));
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /text\/javascript/);
    assert.equal(asset.text, 'console.log("tce");\n');
  });

  it('answers 404 JSON for missing files, folders and paths that climb out of the page folder', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'secret');
    for (const p of ['/missing.js', '/assets/folder', '/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/a%00b']) {
      const res = await request(base, p, authed(base));
      assert.equal(res.status, 404, p);
      assert.notEqual(res.text, 'secret', p);
      assert.equal(typeof res.json<{ error: string }>().error, 'string', p);
    }
  });

  it('says the page is not built when the renderer folder has no index.html', async () => {
    const empty = path.join(tmp.dir, 'empty-renderer');
    fs.mkdirSync(empty);
    const other = track(await startDashboardServer({ monitor: counted.monitor, port: 0, staticDir: empty }));
    try {
      const res = await request(other.url, '/', authed(other.url));
      assert.equal(res.status, 503);
      assert.match(res.text, /not built/);
      // The API works without the page.
      assert.equal((await request(other.url, '/api/settings', authed(other.url))).status, 200);
      assert.ok(other.token.length >= 32, 'a random per-run token');
      assert.notEqual(other.token, server.token);
    } finally {
      await other.close();
    }
  });

  it('GET /api/snapshot and /api/processes list the Claude-form process, not the decoy', async () => {
    await waitFor('the Claude-form process listed over HTTP', async () => {
      await real.refresh();
      const res = await request(base, '/api/processes', authed(base));
      return res.status === 200 && res.json<ProcessSnapshot>().processes.some((p) => p.pid === claude.pid);
    });
    const processes = (await request(base, '/api/processes', authed(base))).json<ProcessSnapshot>();
    const mine = processes.processes.find((p) => p.pid === claude.pid);
    assert.ok(mine);
    assert.equal(mine.installForm, 'native-installer');
    assert.ok(!processes.processes.some((p) => p.pid === decoy.pid), 'claudette is not Claude Code');
    assert.ok(processes.summary.total >= 1);

    const snapshot = (await request(base, '/api/snapshot', authed(base))).json<Snapshot>();
    assert.ok(snapshot.processes.processes.some((p) => p.pid === claude.pid));
    assert.equal(snapshot.usage?.totals.inputTokens, 1000);
    assert.equal(snapshot.usage?.totals.outputTokens, 500);
    assert.equal(typeof snapshot.generatedAt, 'string');
    assert.equal(snapshot.pollIntervalSeconds, 10);
  });

  it('GET /api/usage gives the report, narrowed by ?since/?until, and refuses bad dates and zones', async () => {
    const all = await request(base, '/api/usage', authed(base));
    assert.equal(all.status, 200);
    const report = all.json<UsageReport>();
    assert.equal(report.totals.inputTokens, 1000);
    assert.equal(report.totals.outputTokens, 500);
    // Sonnet 4.5 at 3 and 15 USD per million tokens.
    assert.ok(Math.abs(report.totals.costUSD - (1000 * 3 + 500 * 15) / 1e6) < 1e-9, `cost ${report.totals.costUSD}`);
    assert.equal(report.timezone, 'UTC');
    const today = new Date().toISOString().slice(0, 10);
    const inRange = (await request(base, `/api/usage?since=${today}&until=${today}`, authed(base))).json<UsageReport>();
    assert.equal(inRange.totals.inputTokens, 1000);
    const future = (await request(base, '/api/usage?since=2999-01-01', authed(base))).json<UsageReport>();
    assert.equal(future.totals.totalTokens, 0);
    assert.deepEqual(future.daily, []);

    for (const [query, message] of [
      ['since=yesterday', /YYYY-MM-DD/],
      ['until=2026-13-45', /YYYY-MM-DD/],
      ['since=2026-02-01&until=2026-01-01', /after/],
      ['timezone=Not/AZone', /time zone/i],
    ] as const) {
      const res = await request(base, `/api/usage?${query}`, authed(base));
      assert.equal(res.status, 400, query);
      assert.match(res.json<{ error: string }>().error, message, query);
    }
    const sameZone = await request(base, '/api/usage?timezone=UTC', authed(base));
    assert.equal(sameZone.status, 200);
    // Another zone regroups the days: UTC+14 is always a calendar day ahead of UTC-11.
    const ahead = (await request(base, '/api/usage?timezone=Pacific/Kiritimati', authed(base))).json<UsageReport>();
    const behind = (await request(base, '/api/usage?timezone=Pacific/Pago_Pago', authed(base))).json<UsageReport>();
    assert.equal(ahead.timezone, 'Pacific/Kiritimati');
    assert.equal(ahead.totals.inputTokens, 1000);
    assert.equal(behind.totals.inputTokens, 1000);
    assert.notDeepEqual(ahead.daily.map((d) => d.date), behind.daily.map((d) => d.date));
  });

  it('GET /api/sessions honours ?limit', async () => {
    const sessions = (await request(base, '/api/sessions', authed(base))).json<SessionUsage[]>();
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.sessionId, SESSION_ID);
    assert.equal(sessions[0]?.totalTokens, 1500);
    assert.deepEqual((await request(base, '/api/sessions?limit=0', authed(base))).json(), []);
    const bad = await request(base, '/api/sessions?limit=ten', authed(base));
    assert.equal(bad.status, 400);
    assert.match(bad.json<{ error: string }>().error, /limit/);
  });

  it('GET /api/blocks lists blocks; ?active=1 gives the active one', async () => {
    const blocks = (await request(base, '/api/blocks', authed(base))).json<UsageBlock[]>();
    assert.ok(Array.isArray(blocks));
    assert.ok(blocks.length >= 1);
    const active = (await request(base, '/api/blocks?active=1', authed(base))).json<UsageBlock | null>();
    assert.ok(active, 'the transcript was written now, so a block is active');
    assert.equal(active.active, true);
    assert.equal(active.totalTokens, 1500);
    assert.equal((await request(base, '/api/blocks?active=maybe', authed(base))).status, 400);
  });

  it('GET /metrics is valid Prometheus text with processes by health and activity, token and cost counters by model, and burn rate', async () => {
    await real.refresh();
    const res = await request(base, '/metrics', authed(base));
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseMetrics(res.text);
    assert.equal(types.get('tce_processes'), 'gauge');
    const states = samples.filter((s) => s.name === 'tce_processes');
    assert.deepEqual([...new Set(states.map((s) => s.labels.health))].sort(), ['healthy', 'hog', 'pinned', 'stale', 'zombie']);
    assert.ok(states.reduce((sum, s) => sum + s.value, 0) >= 1, 'the Claude-form process is counted');
    assert.equal(types.get('tce_tokens_total'), 'counter');
    const input = samples.find((s) => s.name === 'tce_tokens_total' && s.labels.model === 'claude-sonnet-4-5' && s.labels.type === 'input');
    assert.equal(input?.value, 1000);
    const cost = samples.find((s) => s.name === 'tce_cost_usd_total' && s.labels.model === 'claude-sonnet-4-5');
    assert.ok(cost && Math.abs(cost.value - 0.0105) < 1e-9, `cost ${cost?.value}`);
    assert.match(cost.labels.pricing ?? '', /^[0-9a-f]{8}$/);
    assert.ok(samples.some((s) => s.name === 'tce_active_block_burn_rate_tokens_per_second'));
    assert.equal(samples.find((s) => s.name === 'tce_up')?.value, 1);
  });

  it('GET /api/events sends a snapshot on connect and after every poll, with heartbeats, and unsubscribes on disconnect', async () => {
    const before = counted.listeners();
    const snapshotsIn = (list: Array<{ event: string }>) => list.filter((e) => e.event === 'snapshot').length;
    let polled: Promise<Snapshot> | null = null;
    const { events, headers, raw } = await readEvents(
      base,
      '/api/events',
      (list, text) => {
        // Once the snapshot sent on connect and a heartbeat have arrived, poll: the stream must carry the new one too.
        if (!polled && snapshotsIn(list) >= 1 && /^: heartbeat$/m.test(text)) polled = real.refresh();
        return polled !== null && snapshotsIn(list) >= 2;
      },
      20_000,
      { 'X-TCE-Token': server.token },
    );
    assert.ok(polled);
    const next = await (polled as Promise<Snapshot>);
    assert.match(String(headers['content-type']), /^text\/event-stream/);
    const snapshots = events.filter((e) => e.event === 'snapshot').map((e) => JSON.parse(e.data) as Snapshot);
    assert.ok(snapshots[0]?.processes.processes.some((p) => p.pid === claude.pid));
    assert.ok(snapshots.some((s) => s.generatedAt === next.generatedAt), 'the poll after connecting was pushed');
    assert.match(raw, /^: heartbeat$/m, 'a heartbeat comment within the test heartbeat interval');
    await waitFor('the stream listener removed after the client left', () => counted.listeners() === before);
  });

  it('a client that stops reading gets the newest snapshot when it reads again, not a backlog', async () => {
    const base0 = await real.getSnapshot();
    const pusher = pushingMonitor(base0);
    const slow = track(await startDashboardServer({ monitor: pusher, port: 0, staticDir }));
    const socket = net.connect(slow.port, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${slow.port}\r\nX-TCE-Token: ${slow.token}\r\n\r\n`);
      await waitFor('the first snapshot event', () => received.includes('event: snapshot'));
      socket.pause();
      // 40 polls of about 1 MiB each while the client reads nothing.
      const padding = 'x'.repeat(1 << 20);
      for (let i = 0; i < 40; i += 1) pusher.push({ ...base0, warnings: [padding], generatedAt: `poll-${i}` });
      socket.resume();
      await waitFor('the newest snapshot', () => received.includes('"generatedAt":"poll-39"'), 30_000);
      const sent = received.match(/"generatedAt":"poll-\d+"/g) ?? [];
      assert.ok(sent.length < 10, `a backlog of ${sent.length} snapshots was sent`);
      assert.equal(sent.at(-1), '"generatedAt":"poll-39"');
    } finally {
      socket.destroy();
      await slow.close();
    }
  });

  describe('POST /api/kill', () => {
    it('refuses without the token, from a foreign Origin, without Origin, and with a rebinding Host; the process survives', async () => {
      const target = await freshClaude();
      const page = pageHeaders(base, server.token);
      const port = server.port;
      const cookie = `tce_token_${port}=${encodeURIComponent(server.token)}`;
      const attempts: Array<[string, Record<string, string>, number, RegExp]> = [
        ['no token', { Origin: page.Origin as string }, 401, /private to the user who runs it/],
        ['wrong token', { ...page, 'X-TCE-Token': 'test-token-0123456780' }, 401, /private/],
        ['foreign origin', { ...page, Origin: 'http://evil.example' }, 403, /cross-origin/],
        ['other local port', { ...page, Origin: `http://127.0.0.1:${port + 1}` }, 403, /cross-origin/],
        ['no origin', { 'X-TCE-Token': server.token }, 403, /Origin/],
        ['null origin', { 'X-TCE-Token': server.token, Origin: 'null' }, 403, /Origin/],
        ['rebinding host', { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}`, 'X-TCE-Token': server.token }, 403, /Host/],
        // The browser's cookie alone (what a forged form post would carry, were it sent) changes nothing.
        ['cookie without the page token', { Cookie: cookie, Origin: page.Origin as string }, 403, /token/],
      ];
      for (const [what, headers, status, reason] of attempts) {
        const res = await request(base, `/api/kill/${target.pid}?start=${refTo(target.pid).startId}&force=true`, { method: 'POST', headers });
        assert.equal(res.status, status, what);
        assert.match(res.json<{ error: string }>().error, reason, what);
      }
      // A rebinding GET is refused too, so another site cannot read the snapshot either.
      const read = await request(base, '/api/snapshot', authed(base, { headers: { Host: `evil.example:${port}` } }));
      assert.equal(read.status, 403);
      assert.ok(neverSignalled(target.pid), 'no refused request signalled the process');
    });

    it('kills a verified Claude process with the right token and Origin', async () => {
      const target = await freshClaude();
      const listed = (await request(base, '/api/processes', authed(base))).json<ProcessSnapshot>().processes.find((p) => p.pid === target.pid);
      assert.ok(listed);
      const res = await request(base, `/api/kill/${target.pid}?start=${listed.startId}&force=false`, { method: 'POST', headers: pageHeaders(base, server.token) });
      const result = res.json<ActionResult>();
      assert.equal(res.status, 200, JSON.stringify(result));
      assert.equal(result.ok, true);
      assert.equal(result.pid, target.pid);
      await waitFor('the killed process to exit', () => !target.alive(), 15_000);
    });

    it('answers 409 for a process that is not Claude Code and leaves it running', async () => {
      const res = await request(base, `/api/kill/${decoy.pid}?start=${refTo(decoy.pid).startId}&force=true`, { method: 'POST', headers: pageHeaders(base, server.token) });
      assert.equal(res.status, 409);
      const result = res.json<ActionResult>();
      assert.equal(result.ok, false);
      assert.equal(typeof result.message, 'string');
      assert.ok(neverSignalled(decoy.pid));
    });

    it('answers 400 for a bad pid, start or force flag, and for a kill that does not name the start', async () => {
      const start = refTo(claude.pid).startId;
      for (const p of [
        `/api/kill/abc?start=${start}`,
        `/api/kill/-1?start=${start}`,
        `/api/kill/0?start=${start}`,
        `/api/kill/1.5?start=${start}`,
        `/api/kill/99999999999?start=${start}`,
        `/api/kill/${claude.pid}?start=${start}&force=yes`,
        `/api/kill/${claude.pid}`,
        `/api/kill/${claude.pid}?start=`,
        `/api/kill/${claude.pid}?start=12ab`,
        `/api/pin/${claude.pid}`,
        `/api/unpin/${claude.pid}`,
      ]) {
        const res = await request(base, p, { method: 'POST', headers: pageHeaders(base, server.token) });
        assert.equal(res.status, 400, p);
        assert.equal(typeof res.json<{ error: string }>().error, 'string');
      }
      assert.ok(claude.alive());
    });
  });

  it('POST /api/pin and /api/unpin pin a Claude process; refused without the token', async () => {
    const headers = pageHeaders(base, server.token);
    const start = refTo(claude.pid).startId;
    assert.equal((await request(base, `/api/pin/${claude.pid}?start=${start}`, { method: 'POST' })).status, 401);
    assert.equal((await request(base, `/api/pin/${claude.pid}?start=${start}`, { method: 'POST', headers: { Origin: headers.Origin as string } })).status, 401);
    const pinned = await request(base, `/api/pin/${claude.pid}?start=${start}`, { method: 'POST', headers });
    assert.equal(pinned.status, 200, pinned.text);
    assert.equal(pinned.json<ActionResult>().outcome, 'pinned');
    const settings = (await request(base, '/api/settings', authed(base))).json<Settings>();
    assert.ok(settings.pins.some((p) => p.pid === claude.pid), 'the pin is stored in settings');
    const unpinned = await request(base, `/api/unpin/${claude.pid}?start=${start}`, { method: 'POST', headers });
    assert.equal(unpinned.status, 200, unpinned.text);
    assert.equal(unpinned.json<ActionResult>().outcome, 'unpinned');
    const notClaude = await request(base, `/api/pin/${decoy.pid}?start=${refTo(decoy.pid).startId}`, { method: 'POST', headers });
    assert.equal(notClaude.status, 409);
  });

  it('POST /api/kill-stale answers the list of results and kills nothing healthy', async () => {
    assert.equal((await request(base, '/api/kill-stale', { method: 'POST' })).status, 401);
    assert.equal((await request(base, '/api/kill-stale', authed(base, { method: 'POST' }))).status, 403, 'the secret without the Origin');
    const res = await request(base, '/api/kill-stale', { method: 'POST', headers: pageHeaders(base, server.token) });
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.json()));
    assert.ok(claude.alive(), 'a fresh, healthy process is not stale');
  });

  describe('settings', () => {
    const file = () => path.join(dataDir, 'config.json');

    it('GET gives the settings; POST applies a patch, writes it and merges nested groups', async () => {
      const headers = { ...pageHeaders(base, server.token), 'Content-Type': 'application/json' };
      const before = (await request(base, '/api/settings', authed(base))).json<Settings>();
      assert.equal(before.pollIntervalSeconds, 10);
      const res = await request(base, '/api/settings', {
        method: 'POST',
        headers,
        body: JSON.stringify({ dashboardPort: 5222, health: { hogCpuPercent: 80 } }),
      });
      assert.equal(res.status, 200, res.text);
      const after = res.json<Settings>();
      assert.equal(after.dashboardPort, 5222);
      assert.equal(after.health.hogCpuPercent, 80);
      assert.equal(after.health.staleInteractiveHours, before.health.staleInteractiveHours);
      const stored = JSON.parse(fs.readFileSync(file(), 'utf8')) as Settings;
      assert.equal(stored.dashboardPort, 5222);
      assert.equal(stored.health.hogCpuPercent, 80);
    });

    it('refuses invalid patches with a message and changes nothing', async () => {
      const headers = { ...pageHeaders(base, server.token), 'Content-Type': 'application/json' };
      const storedBefore = fs.readFileSync(file(), 'utf8');
      const cases: Array<[string, string | Buffer, number, RegExp]> = [
        ['half-written JSON', '{"pollIntervalSeconds": 5', 400, /not valid JSON/],
        ['not an object', '[1,2]', 400, /JSON object/],
        ['unknown key', '{"evil": true}', 400, /unknown setting 'evil'/],
        ['unknown nested key', '{"health": {"x": 1}}', 400, /health\.x/],
        ['nested not an object', '{"health": "hot"}', 400, /must be an object/],
        ['out of range', '{"pollIntervalSeconds": 0}', 400, /pollIntervalSeconds/],
        ['wrong type', '{"notifications": {"stale": "yes"}}', 400, /notifications\.stale/],
        ['too large', Buffer.alloc(200 * 1024, 0x20), 413, /too large/],
        // Keys every object has are no settings (they once answered 200 and were ignored), nor are pins and window bounds.
        ['__proto__', '{"__proto__": {"pollIntervalSeconds": 1}}', 400, /unknown setting '__proto__'/],
        ['constructor', '{"constructor": {"prototype": {}}}', 400, /unknown setting 'constructor'/],
        ['nested __proto__', '{"health": {"__proto__": {"hogCpuPercent": 1}}}', 400, /unknown setting 'health\.__proto__'/],
        ['pin with pid -5', '{"pins": [{"pid": -5, "startedAt": "2026-01-01T00:00:00.000Z"}]}', 400, /'pins' cannot be changed/],
        ['window 1e308 wide', '{"windowBounds": {"width": 1e308, "height": 600}}', 400, /'windowBounds' cannot be changed/],
        // A well-formed pin or window place too: pins go through pin(), which checks the process; the window is the tray's.
        ['a valid pin', `{"pins": [{"pid": ${process.pid}, "startedAt": "2026-01-01T00:00:00.000Z"}]}`, 400, /'pins' cannot be changed by a settings patch \(pin and unpin a process instead\)/],
        ['a valid window place', '{"windowBounds": {"x": 0, "y": 0, "width": 800, "height": 600}}', 400, /'windowBounds' cannot be changed/],
        ['price 1e308', '{"priceOverrides": {"claude-sonnet-4-5": {"input": 1e308, "output": 1, "cacheWrite5m": 1, "cacheWrite1h": 1, "cacheRead": 1}}}', 400, /must be a price from 0 to 1000/],
        ['price for __proto__', '{"priceOverrides": {"__proto__": {"input": 1, "output": 1, "cacheWrite5m": 1, "cacheWrite1h": 1, "cacheRead": 1}}}', 400, /"__proto__" is not a model id/],
        ['poll 1e308', '{"pollIntervalSeconds": 1e308}', 400, /pollIntervalSeconds must be a number from 1 to 3600/],
      ];
      for (const [what, body, status, message] of cases) {
        const res = await request(base, '/api/settings', { method: 'POST', headers, body });
        assert.equal(res.status, status, `${what}: ${res.text}`);
        assert.match(res.json<{ error: string }>().error, message, what);
      }
      assert.equal(fs.readFileSync(file(), 'utf8'), storedBefore, 'the settings file is unchanged');
      const refused = await request(base, '/api/settings', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"dashboardPort": 6000}' });
      assert.equal(refused.status, 401);
      assert.equal(fs.readFileSync(file(), 'utf8'), storedBefore);
    });
  });

  it('answers 404 JSON for unknown API routes and 405 for wrong methods', async () => {
    const unknown = await request(base, '/api/nothing', authed(base));
    assert.equal(unknown.status, 404);
    assert.match(unknown.json<{ error: string }>().error, /nothing/);
    const wrong = await request(base, '/api/settings', { method: 'PUT', headers: pageHeaders(base, server.token) });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.allow, 'GET, POST');
    assert.equal((await request(base, '/api/kill/1', authed(base))).status, 405);
    assert.equal((await request(base, '/api/snapshot', { method: 'POST', headers: pageHeaders(base, server.token) })).status, 405);
    assert.equal((await request(base, '/', authed(base, { method: 'DELETE' }))).status, 405);
    assert.equal((await request(base, '/api/events', authed(base, { method: 'POST' }))).status, 405);
    assert.equal((await request(base, '/login', { method: 'POST' })).status, 405);
  });

  it('every request needs the secret: by header, or by the cookie a one-time login link (or /?token=) sets', async () => {
    const token = 'lan-secret-0123456789abcdef';
    const logged: string[] = [];
    const guarded = track(await startDashboardServer({
      monitor: counted.monitor,
      port: 0,
      token,
      staticDir,
      log: (entry) => logged.push(`${entry.method} ${entry.url} ${entry.status}`),
    }));
    try {
      const url = guarded.url;
      for (const p of ['/', '/index.html', '/api/snapshot', '/api/settings', '/metrics', '/assets/app.js', '/api/events', '/missing']) {
        const res = await request(url, p);
        assert.equal(res.status, 401, p);
        assert.match(res.text, /tce dashboard --open/, p);
        assert.ok(!res.text.includes(token) && !res.text.includes('tce-token'), `${p} gives nothing away`);
      }
      // A one-time link: the cookie, then on to the page; spent after one use.
      const link = new URL(guarded.loginUrl());
      assert.equal(link.pathname, '/login');
      const login = await request(url, `${link.pathname}${link.search}`);
      assert.equal(login.status, 200, login.text);
      assert.match(login.text, /http-equiv="refresh" content="0;url=\/"/);
      assert.ok(!login.text.includes(token), 'the secret is never in a page');
      const cookie = String(login.headers['set-cookie']?.[0] ?? '');
      assert.match(cookie, new RegExp(`^tce_token_${guarded.port}=`));
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const again = await request(url, `${link.pathname}${link.search}`);
      assert.equal(again.status, 401, 'a login link works once');
      assert.match(again.text, /used or expired/);
      assert.equal((await request(url, '/login?once=made-up-nonce-0123456789')).status, 401);
      assert.ok(!logged.some((line) => line.includes(link.searchParams.get('once') as string)), 'the nonce never reaches the log');

      assert.equal((await request(url, '/?token=wrong-wrong-wrong-wrong')).status, 401);
      const exchange = await request(url, `/?token=${encodeURIComponent(token)}`);
      assert.equal(exchange.status, 303);
      assert.equal(exchange.headers.location, '/', 'the token leaves the address bar');
      assert.equal(String(exchange.headers['set-cookie']?.[0]).split(';')[0], cookie.split(';')[0]);
      assert.ok(logged.includes('GET /?token=<redacted> 303'), `the access log: ${JSON.stringify(logged)}`);
      assert.ok(!logged.some((line) => line.includes(token)), 'the token never reaches the log');
      const jar = cookie.split(';')[0] as string;
      const page = await request(url, '/', { headers: { Cookie: `other=1; ${jar}` } });
      assert.equal(page.status, 200);
      assert.match(page.text, /name="tce-token"/);
      assert.equal((await request(url, '/api/snapshot', { headers: { 'X-TCE-Token': token } })).status, 200);
      assert.equal((await request(url, '/api/snapshot', { headers: { Cookie: `tce_token_${guarded.port}=nope-nope-nope-nope` } })).status, 401);
      const { events } = await readEvents(url, '/api/events', (list) => list.length >= 1, 20_000, { Cookie: jar });
      assert.equal(events[0]?.event, 'snapshot');
      // The cookie lets a browser read; changing anything still takes the page token (or secret) and the page's Origin.
      const origin = new URL(url).origin;
      const pageToken = /name="tce-token" content="([^"]+)"/.exec(page.text)?.[1] as string;
      const start = refTo(claude.pid).startId;
      const cookieOnly = await request(url, `/api/pin/${claude.pid}?start=${start}`, { method: 'POST', headers: { Cookie: jar, Origin: origin } });
      assert.equal(cookieOnly.status, 403);
      const tokenOnly = await request(url, `/api/pin/${claude.pid}?start=${start}`, { method: 'POST', headers: { Origin: origin, 'X-TCE-Token': pageToken } });
      assert.equal(tokenOnly.status, 401, 'the page token alone is no login');
      const pinned = await request(url, `/api/pin/${claude.pid}?start=${start}`, { method: 'POST', headers: { Cookie: jar, Origin: origin, 'X-TCE-Token': pageToken } });
      assert.equal(pinned.status, 200, pinned.text);
      assert.equal((await request(url, `/api/unpin/${claude.pid}?start=${start}`, { method: 'POST', headers: { Origin: origin, 'X-TCE-Token': token } })).status, 200);
    } finally {
      await guarded.close();
    }
  });

  it('never logs a secret parameter, however it is spelt: percent-encoded, upper case, + for a space', async () => {
    const logged: string[] = [];
    const logging = track(await startDashboardServer({ monitor: counted.monitor, port: 0, staticDir, log: (entry) => logged.push(entry.url) }));
    try {
      const secret = 'percent-encoded-secret-0123456789';
      for (const query of [`?%74oken=${secret}`, `?TOKEN=${secret}`, `?to%6Ben=${secret}&x=1`, `?a=1&token=${secret}`, `?%6Fnce=${secret}`, `?token+=${secret}`]) {
        for (const at of ['/', '/login', '/api/snapshot']) await request(logging.url, `${at}${query}`);
      }
      // The server reads `%74oken` as `token`: the very value a log must not show.
      assert.equal(new URLSearchParams(`%74oken=${secret}`).get('token'), secret);
      assert.equal(logged.length, 18);
      for (const line of logged) assert.ok(!line.includes(secret), `logged: ${line}`);
      assert.ok(logged.includes('/?%74oken=<redacted>'), logged.join('\n'));
      assert.ok(logged.includes('/api/snapshot?to%6Ben=<redacted>&x=1'), logged.join('\n'));
    } finally {
      await logging.close();
    }
  });

  it('binds to the IPv6 loopback too, accepting its bracketed Host and localhost', async () => {
    const v6 = track(await startDashboardServer({ monitor: counted.monitor, host: '::1', port: 0, staticDir }));
    try {
      assert.equal(v6.url, `http://[::1]:${v6.port}/`);
      const res = await request(v6.url, '/api/settings', authed(v6.url));
      assert.equal(res.status, 200, res.text);
      assert.equal((await request(v6.url, '/api/settings', authed(v6.url, { headers: { Host: `localhost:${v6.port}` } }))).status, 200);
      assert.equal((await request(v6.url, '/api/settings', authed(v6.url, { headers: { Host: `example.com:${v6.port}` } }))).status, 403);
      // The login link's check of the connection's user reads /proc/net/tcp6 here.
      const link = new URL(v6.loginUrl());
      assert.equal((await request(v6.url, `${link.pathname}${link.search}`)).status, 200);
    } finally {
      await v6.close();
    }
  });

  it('refuses to start on a port in use with a clear error', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(startDashboardServer({ monitor: counted.monitor, port, staticDir }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'EADDRINUSE');
        assert.match(error.message, new RegExp(`Port ${port}.*in use`));
        return true;
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('close() ends open event streams and stops listening', async () => {
    const other = track(await startDashboardServer({ monitor: counted.monitor, port: 0, staticDir }));
    const listening = counted.listeners();
    const stream = readEvents(other.url, '/api/events', () => false, 30_000, { 'X-TCE-Token': other.token }).catch((error: Error) => error);
    await waitFor('the stream to subscribe', () => counted.listeners() > listening);
    await other.close();
    const ended = await stream;
    assert.ok(ended instanceof Error);
    assert.match(ended.message, /ended the event stream/);
    await waitFor('the stream listener removed', () => counted.listeners() === listening);
    await assert.rejects(request(other.url, '/api/settings', authed(other.url)), /ECONNREFUSED/);
  });
});
