// In Chromium: another site (a second local server) and a DNS-rebinding name try to kill a Claude process through
// the dashboard server. Every attempt must be refused and the process must survive; the dashboard page itself can.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright';
import { createMonitor } from '../src/core/create-core.js';
import type { Monitor } from '../src/core/monitor.js';
import { startDashboardServer, type DashboardServer } from '../src/server/index.js';
import type { ProcessRef } from '../src/shared/api.js';
import { neverSignalled, spawnFake, type FakeProcess } from '../test/support/fake-claude.js';
import { makeTempDir, waitFor, writeFile } from '../test/support/tmp.js';

const REBIND_NAME = 'rebind.test';

/** The attacker's page: every way a foreign page can send a POST, each result written into window.results. */
function attackerPage(target: string, pid: number): string {
  const kill = `${target}api/kill/${pid}?force=true`;
  const via = (how: string) => JSON.stringify(`${kill}&via=${how}`);
  return `<!doctype html><html><head><title>attacker</title></head><body>
<iframe name="sink" id="sink"></iframe>
<form id="form" method="POST" action="${kill}&amp;via=form" target="sink" enctype="text/plain"><input name='{"x":"' value='"}'></form>
<script>
window.results = {};
async function attempt(name, run) {
  try { window.results[name] = await run(); } catch (error) { window.results[name] = 'error: ' + error.message; }
}
window.attack = async () => {
  // A simple request needs no preflight: it reaches the server, which must refuse it by Origin and token
  // (the browser then also withholds the answer: Cross-Origin-Resource-Policy same-origin).
  await attempt('no-cors', async () => { const r = await fetch(${via('no-cors')}, { method: 'POST', mode: 'no-cors' }); return 'opaque:' + r.type; });
  // A guessed token header forces a preflight, which the server does not grant: the POST is never sent.
  await attempt('cors-with-token', async () => { const r = await fetch(${via('cors-with-token')}, { method: 'POST', headers: { 'X-TCE-Token': 'guessed-guessed-guessed' } }); return 'status:' + r.status; });
  // Reading the snapshot (to learn PIDs, or the page to learn the token) is blocked: no CORS headers.
  await attempt('read-snapshot', async () => { const r = await fetch(${JSON.stringify(`${target}api/snapshot`)}); return 'read:' + (await r.text()).length; });
  await attempt('read-page', async () => { const r = await fetch(${JSON.stringify(target)}); return 'read:' + (await r.text()).length; });
  await attempt('beacon', async () => navigator.sendBeacon(${via('beacon')}, 'x') ? 'queued' : 'not queued');
  await attempt('form', () => new Promise((resolve) => {
    document.getElementById('sink').addEventListener('load', () => resolve('submitted'), { once: true });
    document.getElementById('form').submit();
  }));
  return window.results;
};
</script></body></html>`;
}

describe('dashboard server against cross-site requests in Chromium', () => {
  const tmp = makeTempDir('tce-e2e-security-');
  let monitor: Monitor;
  let server: DashboardServer;
  let attacker: http.Server;
  let attackerUrl: string;
  let browser: Browser;
  let fake: FakeProcess;
  const killCalls: number[] = [];
  /** Requests that reached the dashboard server for a kill, with the status it answered. */
  const killRequests: Array<{ method: string; via: string | null; origin: string | undefined; status: number }> = [];

  before(async () => {
    const staticDir = path.join(tmp.dir, 'renderer');
    writeFile(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>TCE</title></head><body>dashboard</body></html>\n');
    fake = await spawnFake('native-installer', tmp.dir);
    const real = createMonitor({ claudeDirs: [path.join(tmp.dir, 'claude')], dataDir: path.join(tmp.dir, 'data') });
    // Every call that reaches the core is recorded: a refused request must never get that far.
    monitor = {
      start: () => real.start(),
      stop: () => real.stop(),
      current: () => real.current(),
      refresh: () => real.refresh(),
      getSnapshot: () => real.getSnapshot(),
      onSnapshot: (l: Parameters<Monitor['onSnapshot']>[0]) => real.onSnapshot(l),
      kill: (target: ProcessRef, force: boolean) => {
        killCalls.push(target.pid);
        return real.kill(target, force);
      },
      killStale: () => real.killStale(),
      pin: (target: ProcessRef) => real.pin(target),
      unpin: (target: ProcessRef) => real.unpin(target),
      getSettings: () => real.getSettings(),
      updateSettings: (patch: Parameters<Monitor['updateSettings']>[0]) => real.updateSettings(patch),
      usageReport: (options: Parameters<Monitor['usageReport']>[0]) => real.usageReport(options),
      blocks: () => real.blocks(),
    };
    await waitFor('the Claude-form process in a snapshot', async () => (await real.refresh()).processes.processes.some((p) => p.pid === fake.pid), 20_000);
    server = await startDashboardServer({
      monitor,
      port: 0,
      staticDir,
      log: (entry) => {
        const url = new URL(entry.url, 'http://x');
        if (url.pathname.startsWith('/api/kill/')) killRequests.push({ method: entry.method, via: url.searchParams.get('via'), origin: entry.origin, status: entry.status });
      },
    });

    attacker = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(attackerPage(server.url, fake.pid));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: process.env.TCE_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        // DNS rebinding without DNS: the attacker's name resolves to the loopback address the dashboard listens on.
        `--host-resolver-rules=MAP ${REBIND_NAME} 127.0.0.1`,
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
    await server?.close();
    await monitor?.stop();
    await fake?.kill('SIGKILL');
    tmp.remove();
  });

  it('a page from another origin cannot kill by fetch, beacon or form POST, nor read the API; the process survives', async () => {
    const page = await browser.newPage();
    try {
      // The browser is logged in to the dashboard (it holds the cookie): the attacker's requests are sent from it.
      await page.goto(server.loginUrl());
      await page.waitForURL(server.url);
      await page.goto(attackerUrl);
      const results = (await page.evaluate('window.attack()')) as Record<string, string>;
      assert.match(results['cors-with-token'] ?? '', /^error:/, 'the preflight for a custom header is not granted');
      assert.match(results['read-snapshot'] ?? '', /^error:/, 'no cross-origin read of the snapshot');
      assert.match(results['read-page'] ?? '', /^error:/, 'no cross-origin read of the page (and its token)');
      assert.equal(results.form, 'submitted');
      // The beacon is sent in the background; wait until the server has answered every request that reached it.
      const posts = () => killRequests.filter((r) => r.method === 'POST');
      await waitFor('the simple POST, the beacon and the form to reach the server', () => posts().length >= 3, 20_000);
      assert.deepEqual(posts().map((r) => r.via).sort(), ['beacon', 'form', 'no-cors'], 'the preflighted POST never arrived');
      const preflight = killRequests.find((r) => r.method === 'OPTIONS');
      assert.ok(preflight && preflight.status >= 400, `the preflight was not granted: ${JSON.stringify(preflight)}`);
      for (const r of posts()) {
        // SameSite=Strict keeps the cookie off another site's requests (401); were it sent, the Origin check would refuse (403).
        assert.ok(r.status === 401 || r.status === 403, `the ${r.via} kill was answered ${r.status}`);
        assert.equal(r.origin, attackerUrl.slice(0, -1));
      }
      assert.deepEqual(killCalls, [], 'no refused request reached the core');
      assert.ok(neverSignalled(fake.pid), 'the Claude process survives, never signalled');
    } finally {
      await page.close();
    }
  });

  it('a rebinding name that resolves to the dashboard is refused, page and API alike', async () => {
    const page = await browser.newPage();
    try {
      const rebound = `http://${REBIND_NAME}:${server.port}/`;
      const response = await page.goto(rebound);
      assert.equal(response?.status(), 403, 'the page (with its token) is not served under a foreign Host');
      const body = await page.content();
      assert.ok(!body.includes(server.token), 'the token does not leak');
      const status = await page.evaluate(async (pid) => {
        // Same origin from the browser's point of view: only the Host check stands in the way.
        const r = await fetch(`/api/kill/${pid}?force=true`, { method: 'POST', headers: { 'X-TCE-Token': 'guessed-guessed-guessed' } });
        return r.status;
      }, fake.pid);
      assert.equal(status, 403);
      const read = await page.evaluate(async () => (await fetch('/api/snapshot')).status);
      assert.equal(read, 403, 'nor can it read the snapshot');
      assert.deepEqual(killCalls, []);
      assert.ok(neverSignalled(fake.pid));
    } finally {
      await page.close();
    }
  });

  it('/?token= (a server opened from another machine) lets the browser in by cookie: page, API and event stream', async () => {
    const token = 'browser-lan-token-0123456789';
    const guarded = await startDashboardServer({ monitor, port: 0, token, staticDir: path.join(tmp.dir, 'renderer') });
    const page = await browser.newPage();
    try {
      const bare = await page.goto(guarded.url);
      assert.equal(bare?.status(), 401, 'no token, no page');
      const entered = await page.goto(`${guarded.url}?token=${encodeURIComponent(token)}`);
      assert.equal(entered?.status(), 200);
      assert.equal(page.url(), guarded.url, 'the token is gone from the address bar');
      // Strings, because the node tsconfig has no DOM types.
      const fromPage = (await page.evaluate(`(async () => {
        const api = (await fetch('/api/snapshot')).status;
        const streamed = await new Promise((resolve) => {
          const source = new EventSource('/api/events');
          source.addEventListener('snapshot', (e) => { source.close(); resolve(JSON.parse(e.data).pollIntervalSeconds > 0); });
          source.onerror = () => { source.close(); resolve(false); };
        });
        const cookieVisible = document.cookie.includes('tce_token');
        return { api, streamed, cookieVisible };
      })()`)) as { api: number; streamed: boolean; cookieVisible: boolean };
      assert.deepEqual(fromPage, { api: 200, streamed: true, cookieVisible: false });
      // Another site still gets nothing: the cookie is SameSite=Strict and the answer has no CORS headers.
      const other = await browser.newPage();
      try {
        await other.goto(attackerUrl);
        const status = await other.evaluate(`fetch(${JSON.stringify(`${guarded.url}api/snapshot`)}, { credentials: 'include' }).then((r) => 'read ' + r.status, (e) => 'error ' + e.message)`);
        assert.match(String(status), /^error /);
      } finally {
        await other.close();
      }
    } finally {
      await page.close();
      await guarded.close();
    }
  });

  it('a one-time login link lets the owner in once; without it the page and API are closed', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const closed = await page.goto(server.url);
      assert.equal(closed?.status(), 401);
      assert.match(await page.content(), /tce dashboard --open/);
      assert.ok(!(await page.content()).includes('tce-token'), 'no page token without a login');
      const link = server.loginUrl();
      const entered = await page.goto(link);
      assert.equal(entered?.status(), 200);
      await page.waitForURL(server.url);
      assert.match(await page.title(), /^TCE$/, 'the dashboard page itself');
      const status = await page.evaluate(`fetch('/api/snapshot').then((r) => r.status)`);
      assert.equal(status, 200);
      const other = await browser.newContext();
      try {
        const spent = await (await other.newPage()).goto(link);
        assert.equal(spent?.status(), 401, 'the link works once');
      } finally {
        await other.close();
      }
    } finally {
      await context.close();
    }
  });

  it('the dashboard page itself can kill, with the token from its meta tag and the start it listed', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(server.loginUrl());
      await page.waitForURL(server.url);
      // A string, because the node tsconfig has no DOM types.
      const result = (await page.evaluate(`(async () => {
        const token = document.querySelector('meta[name="tce-token"]')?.getAttribute('content') ?? '';
        const listed = (await (await fetch('/api/processes')).json()).processes.find((p) => p.pid === ${fake.pid});
        const r = await fetch('/api/kill/${fake.pid}?start=' + listed.startId + '&force=false', { method: 'POST', headers: { 'X-TCE-Token': token } });
        return { status: r.status, body: await r.json() };
      })()`)) as { status: number; body: unknown };
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(killCalls, [fake.pid]);
      await waitFor('the Claude process to exit', () => !fake.alive(), 15_000);
    } finally {
      await page.close();
    }
  });
});
