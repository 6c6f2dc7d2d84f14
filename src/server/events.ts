/**
 * GET /api/events: server-sent events. Each client gets `event: snapshot` with the current snapshot on connect and
 * after every poll, and a comment line every `heartbeatMs` so proxies and the browser keep the stream open.
 *
 * Bounded: at most `maxClients` streams at once (more are refused with 503 and a message); one event is encoded once
 * and the same bytes go to every client; a client that stops reading is sent nothing more than the newest snapshot
 * when it reads again, and is dropped once it has read nothing for `stallMs`.
 */
import type { ServerResponse } from 'node:http';
import type { Monitor } from '../core/monitor.js';
import type { Snapshot } from '../shared/api.js';
import { sendError } from './http-util.js';
import { SECURITY_HEADERS } from '../core/page/assets.js';
import { snapshotJson } from './snapshot-json.js';

export const HEARTBEAT_MS = 15_000;
/** A dashboard tab holds one stream; a few dozen tabs and scripts is more than anyone runs. */
export const MAX_EVENT_CLIENTS = 64;
/** A client whose buffered data has not drained for this long is gone or stuck: its connection is closed. */
export const STALL_MS = 60_000;

const events = new WeakMap<Snapshot, Buffer>();

/** The event's bytes, made once per snapshot however many clients get it (each would otherwise hold its own copy). */
function snapshotEvent(snapshot: Snapshot): Buffer {
  let bytes = events.get(snapshot);
  if (!bytes) {
    // JSON.stringify never emits a raw newline, so the data fits on one `data:` line.
    bytes = Buffer.from(`event: snapshot\ndata: ${snapshotJson(snapshot)}\n\n`);
    events.set(snapshot, bytes);
  }
  return bytes;
}

export interface EventStreamOptions {
  heartbeatMs?: number;
  maxClients?: number;
  stallMs?: number;
}

export class EventStreams {
  private readonly open = new Set<ServerResponse>();
  private readonly monitor: Monitor;
  private readonly heartbeatMs: number;
  private readonly maxClients: number;
  private readonly stallMs: number;

  constructor(monitor: Monitor, options: EventStreamOptions = {}) {
    this.monitor = monitor;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.maxClients = options.maxClients ?? MAX_EVENT_CLIENTS;
    this.stallMs = options.stallMs ?? STALL_MS;
  }

  /** How many clients are connected (for tests and diagnostics). */
  get size(): number {
    return this.open.size;
  }

  async serve(res: ServerResponse): Promise<void> {
    if (this.open.size >= this.maxClients) {
      sendError(res, 503, `Too many live connections: this server streams to at most ${this.maxClients} clients at once. Close other dashboard tabs, or poll GET /api/snapshot.`, {
        'Retry-After': '10',
        // The connection goes too: a refused client holds nothing here, not even an idle socket.
        Connection: 'close',
      });
      return;
    }
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
    /** Since when written data has waited for the client to read it, or null. */
    let stalledSince: number | null = null;
    const push = (snapshot: Snapshot) => {
      // The first poll both notifies listeners and resolves getSnapshot(): send it once.
      if (closed || snapshot === last) return;
      if (res.writableNeedDrain) {
        held = snapshot;
        return;
      }
      last = snapshot;
      if (!res.write(snapshotEvent(snapshot))) stalledSince ??= Date.now();
    };
    res.on('drain', () => {
      stalledSince = null;
      const next = held;
      held = null;
      if (next) push(next);
    });
    const unsubscribe = this.monitor.onSnapshot(push);
    const heartbeat = setInterval(() => {
      if (closed) return;
      if (res.writableNeedDrain) {
        if (stalledSince !== null && Date.now() - stalledSince >= this.stallMs) res.destroy();
        return;
      }
      if (!res.write(': heartbeat\n\n')) stalledSince ??= Date.now();
    }, Math.min(this.heartbeatMs, this.stallMs));
    heartbeat.unref();
    const cleanup = () => {
      if (closed) return;
      closed = true;
      held = null;
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
