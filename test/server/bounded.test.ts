// What one client can make the dashboard server hold (issue 12, findings 4 and 8): a cap on event streams with a clear
// refusal, streams that do not read dropped after a bounded stall, and refused or oversized requests whose connection
// is closed instead of their body being read and dropped for as long as the client sends it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startDashboardServer, type DashboardServer } from '../../src/server/index.js';
import { makeSnapshot } from '../../e2e/support/snapshots.js';
import { tempDir, waitFor, type Cleanup } from '../support/tmp.js';
import { countingMonitor, pushingMonitor, writeStaticDir } from './fixtures.js';

/** The documented cap (README, events.ts: MAX_EVENT_CLIENTS). */
const MAX_EVENT_CLIENTS = 64;

async function serve(t: Cleanup, options: Partial<Parameters<typeof startDashboardServer>[0]> = {}) {
  const pusher = pushingMonitor(makeSnapshot({}));
  const counted = countingMonitor(pusher);
  const server = await startDashboardServer({ monitor: counted.monitor, port: 0, staticDir: writeStaticDir(tempDir(t, 'tce-bounded-')), ...options });
  t.after(() => server.close());
  return { server, pusher, listeners: counted.listeners };
}

/** An event stream that reads; resolves once the headers are in, with its status and a way to end it. */
function openStream(server: DashboardServer): Promise<{ status: number; body: () => string; close(): void }> {
  return new Promise((resolve, reject) => {
    let body = '';
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', agent: false, headers: { 'X-TCE-Token': server.token } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, body: () => body, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

/**
 * Sends a request that declares (or streams) a huge body and keeps writing it as fast as the server takes it, until the
 * server closes the connection or `giveUpBytes` went out. Resolves with the answer's first line and the bytes sent.
 */
function floodBody(server: DashboardServer, head: string, giveUpBytes: number): Promise<{ answer: string; sent: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let answer = '';
    let sent = 0;
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ answer: answer.split('\r\n')[0] ?? '', sent, closed });
    };
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    const pump = () => {
      while (!finished && sent < giveUpBytes) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!finished && sent >= giveUpBytes) finish(false);
    };
    socket.once('connect', () => {
      socket.write(head);
      pump();
    });
  });
}

describe('bounded server resources', () => {
  it(`streams events to at most ${MAX_EVENT_CLIENTS} clients at once and says so to the next, with a 503`, async (t) => {
    const { server, listeners } = await serve(t);
    const open: Array<Awaited<ReturnType<typeof openStream>>> = [];
    for (let i = 0; i < MAX_EVENT_CLIENTS; i++) open.push(await openStream(server));
    t.after(() => open.forEach((s) => s.close()));
    assert.ok(open.every((s) => s.status === 200));
    await waitFor('every stream subscribed', () => listeners() === MAX_EVENT_CLIENTS);
    const refused = await openStream(server);
    assert.equal(refused.status, 503);
    await waitFor('the refusal body', () => refused.body().length > 0);
    assert.match(refused.body(), new RegExp(`at most ${MAX_EVENT_CLIENTS} clients at once`));
    assert.equal(listeners(), MAX_EVENT_CLIENTS, 'the refused client holds nothing');
    // One leaves: the next one gets in.
    open.pop()?.close();
    await waitFor('the stream to go', () => listeners() === MAX_EVENT_CLIENTS - 1);
    const next = await openStream(server);
    open.push(next);
    assert.equal(next.status, 200);
  });

  it('drops a stream whose client has stopped reading once it has stalled for the limit', async (t) => {
    const { server, pusher, listeners } = await serve(t, { stallMs: 300, heartbeatMs: 100 });
    const socket = net.connect(server.port, '127.0.0.1');
    t.after(() => socket.destroy());
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-TCE-Token: ${server.token}\r\n\r\n`);
    await waitFor('the first event', () => received.includes('event: snapshot'));
    socket.pause();
    await waitFor('the stream subscribed', () => listeners() === 1);
    // Snapshots of 4 MiB each while the client reads nothing: the socket's buffers fill and writes wait.
    const padding = 'x'.repeat(4 << 20);
    for (let i = 0; i < 8; i++) pusher.push(makeSnapshot({ warnings: [padding, String(i)] }));
    await waitFor('the stalled stream to be dropped', () => listeners() === 0, 15_000);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.resume();
    await closed;
  });

  for (const [what, head, status] of [
    ['too large (declared)', (s: DashboardServer) => `POST /api/settings HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nOrigin: http://127.0.0.1:${s.port}\r\nX-TCE-Token: ${s.token}\r\nContent-Type: application/json\r\nContent-Length: 53687091200\r\n\r\n`, /^HTTP\/1\.1 413/],
    ['too large (chunked)', (s: DashboardServer) => `POST /api/settings HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nOrigin: http://127.0.0.1:${s.port}\r\nX-TCE-Token: ${s.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n40000000\r\n`, /^HTTP\/1\.1 413/],
    ['from another origin', (s: DashboardServer) => `POST /api/kill-stale HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nOrigin: http://evil.example\r\nX-TCE-Token: ${s.token}\r\nContent-Length: 53687091200\r\n\r\n`, /^HTTP\/1\.1 403/],
    ['without the secret', (s: DashboardServer) => `POST /api/settings HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: 53687091200\r\n\r\n`, /^HTTP\/1\.1 401/],
    ['under a foreign Host', (s: DashboardServer) => `POST /api/settings HTTP/1.1\r\nHost: evil.example:${s.port}\r\nContent-Length: 53687091200\r\n\r\n`, /^HTTP\/1\.1 403/],
  ] as const) {
    const expected = status;
    it(`a request refused as ${what} gets its answer and its connection closed; the rest of the body is never read`, async (t) => {
      const { server } = await serve(t);
      const giveUp = 1024 * 1024 * 1024;
      const result = await floodBody(server, head(server), giveUp);
      assert.ok(result.closed, `the server was still reading after ${result.sent} bytes`);
      assert.match(result.answer, expected);
      // Whatever the kernel's socket buffers held; nowhere near the gigabyte offered.
      assert.ok(result.sent < 64 * 1024 * 1024, `${result.sent} bytes went out before the connection closed`);
    });
  }
});
