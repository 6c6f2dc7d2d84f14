// The secret as `Authorization: Bearer`: how Prometheus scrapes /metrics and how another TCE polls this one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startDashboardServer, type DashboardServer } from '../../src/server/index.js';
import type { MachineSummary } from '../../src/shared/api.js';
import { makeProcess, makeReport, makeSnapshot, modelUsage, totals } from '../../e2e/support/snapshots.js';
import { parseMetrics, pushingMonitor } from './fixtures.js';
import { request } from './http-client.js';

const TOKEN = 'bearer-test-token-0123456789';

describe('Authorization: Bearer', () => {
  const snapshot = makeSnapshot({
    processList: [makeProcess(4242, { health: 'stale' })],
    usage: makeReport([{ date: '2026-03-01', models: [modelUsage('claude-sonnet-4-5', totals(100, 50, 0, 0, 0.75))] }]),
  });
  const monitor = pushingMonitor(snapshot);
  let loopback: DashboardServer;
  let exposed: DashboardServer;

  before(async () => {
    loopback = await startDashboardServer({ monitor, port: 0, token: TOKEN });
    exposed = await startDashboardServer({ monitor, port: 0, host: '0.0.0.0', token: TOKEN });
  });
  after(async () => {
    await loopback?.close();
    await exposed?.close();
  });

  it('opens /metrics of an exposed server and of a loopback one; a wrong or missing token gets 401', async () => {
    for (const server of [exposed, loopback]) {
      const base = `http://127.0.0.1:${server.port}/`;
      const ok = await request(base, '/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(ok.status, 200, ok.text);
      assert.ok(parseMetrics(ok.text).samples.some((s) => s.name === 'tce_up' && s.value === 1));
      for (const authorization of [`Bearer ${TOKEN}x`, `Basic ${Buffer.from(`tce:${TOKEN}`).toString('base64')}`, `Bearer`, TOKEN]) {
        assert.equal((await request(base, '/metrics', { headers: { Authorization: authorization } })).status, 401, authorization);
      }
      assert.equal((await request(base, '/metrics')).status, 401);
    }
  });

  it('takes a forwarded loopback port as Host (an SSH tunnel) only with the bearer secret, and no other name', async () => {
    const base = loopback.url;
    const tunnel = { Host: '127.0.0.1:15111' };
    assert.equal((await request(base, '/metrics', { headers: { ...tunnel, Authorization: `Bearer ${TOKEN}` } })).status, 200);
    assert.equal((await request(base, '/metrics', { headers: { Host: 'localhost:15111', Authorization: `Bearer ${TOKEN}` } })).status, 200);
    // The same secret as the CLI's header, or a name that is not loopback: the Host check stands.
    assert.equal((await request(base, '/metrics', { headers: { ...tunnel, 'X-TCE-Token': TOKEN } })).status, 403);
    assert.equal((await request(base, '/metrics', { headers: { Host: `rebind.example:${loopback.port}`, Authorization: `Bearer ${TOKEN}` } })).status, 403);
    assert.equal((await request(base, '/metrics', { headers: { ...tunnel, Authorization: `Bearer wrong-token-0123456789` } })).status, 403);
  });

  it('lets a bearer request act without a page Origin (no browser sends one by itself); the CLI header still needs it', async () => {
    const base = loopback.url;
    const bearer = await request(base, '/api/pin/4242?start=1004242', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(bearer.status, 409, bearer.text);
    assert.match(bearer.json<{ message: string }>().message, /not in this test/, 'the request reached the monitor');
    const header = await request(base, '/api/pin/4242?start=1004242', { method: 'POST', headers: { 'X-TCE-Token': TOKEN } });
    assert.equal(header.status, 403);
    assert.match(header.text, /missing Origin/);
  });

  it('answers /api/machine with what another TCE shows of this machine, and nothing of its prompts', async () => {
    const res = await request(loopback.url, '/api/machine', { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    const summary = res.json<MachineSummary>();
    assert.equal(summary.hostname, os.hostname());
    assert.deepEqual(summary.processes.processes.map((p) => [p.pid, p.health]), [[4242, 'stale']]);
    assert.equal(summary.usage?.totals.costUSD, 0.75);
    assert.equal(summary.today?.date, snapshot.today?.date);
    assert.ok(summary.today && !('claudeCode' in summary.today));
    assert.ok(!('sessions' in summary) && !('daily' in (summary.usage ?? {})), 'no sessions, prompts or days');
  });
});
