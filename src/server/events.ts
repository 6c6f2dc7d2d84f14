/**
 * GET /api/events: server-sent events. Each client gets `event: snapshot` with the current snapshot on connect and
 * after every poll, and a comment line every `heartbeatMs` so proxies and the browser keep the stream open.
 */
import type { ServerResponse } from 'node:http';
import type { Monitor } from '../core/monitor.js';
import type { Snapshot } from '../shared/api.js';
import { SECURITY_HEADERS } from './security.js';
import { snapshotJson } from './snapshot-json.js';

export const HEARTBEAT_MS = 15_000;

function snapshotEvent(snapshot: Snapshot): string {
  // JSON.stringify never emits a raw newline, so the data fits on one `data:` line.
  return `event: snapshot\ndata: ${snapshotJson(snapshot)}\n\n`;
}

export class EventStreams {
  private readonly open = new Set<ServerResponse>();
  private readonly monitor: Monitor;
  private readonly heartbeatMs: number;

  constructor(monitor: Monitor, heartbeatMs = HEARTBEAT_MS) {
    this.monitor = monitor;
    this.heartbeatMs = heartbeatMs;
  }

  /** How many clients are connected (for tests and diagnostics). */
  get size(): number {
    return this.open.size;
  }

  async serve(res: ServerResponse): Promise<void> {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // Reconnect quickly if the server restarts; the first event follows as soon as a snapshot exists.
    res.write('retry: 3000\n\n');
    this.open.add(res);
    let closed = false;
    let last: Snapshot | null = null;
    /** Newest snapshot held back while the client is not reading: a slow client gets the latest, not a backlog. */
    let held: Snapshot | null = null;
    const push = (snapshot: Snapshot) => {
      // The first poll both notifies listeners and resolves getSnapshot(): send it once.
      if (closed || snapshot === last) return;
      if (res.writableNeedDrain) {
        held = snapshot;
        return;
      }
      last = snapshot;
      res.write(snapshotEvent(snapshot));
    };
    res.on('drain', () => {
      const next = held;
      held = null;
      if (next) push(next);
    });
    const unsubscribe = this.monitor.onSnapshot(push);
    const heartbeat = setInterval(() => {
      if (!closed && !res.writableNeedDrain) res.write(': heartbeat\n\n');
    }, this.heartbeatMs);
    heartbeat.unref();
    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    // The response closes when the client goes away (or on closeAll).
    res.on('close', cleanup);
    res.on('error', cleanup);
    try {
      const first = this.monitor.current() ?? (await this.monitor.getSnapshot());
      // A newer snapshot may have been pushed while waiting; never send an older one after it.
      if (last === null && held === null) push(first);
    } catch (error) {
      if (!closed) res.write(`event: error\ndata: ${JSON.stringify({ error: (error as Error).message })}\n\n`);
    }
  }

  /** Ends every stream (on server shutdown, so `close()` does not wait for clients). */
  closeAll(): void {
    for (const res of [...this.open]) {
      // The socket would otherwise stay open as an idle keep-alive connection and hold up server.close().
      res.once('finish', () => res.socket?.destroy());
      res.end();
    }
    this.open.clear();
  }
}
