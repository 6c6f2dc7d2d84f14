/**
 * The headless dashboard: the built renderer plus a JSON + server-sent-events API over the monitor, on plain node:http.
 * Every request must name the bound host (against DNS rebinding); every POST must come from the dashboard page itself
 * (same Origin and the per-run token the page reads from its meta tag).
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Monitor } from '../core/monitor.js';
import { EventStreams } from './events.js';
import { HttpError, readBody, send, sendError, sendJson } from './http-util.js';
import { apiRoutes, SETTINGS_BODY_LIMIT, type Route } from './routes.js';
import { allowedHosts, hostAllowed, isLoopbackHost, readRefusal, sameToken, tokenCookie, tokenCookieName, writeRefusal } from './security.js';
import { defaultStaticDir, readAsset, readIndex } from './static-files.js';

export interface DashboardServerOptions {
  monitor: Monitor;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** 0 picks any free port. */
  port: number;
  /** Secret every POST must carry in `X-TCE-Token` (at least MIN_TOKEN_LENGTH characters); random per run when absent. */
  token?: string;
  /** The built renderer; default dist/renderer. */
  staticDir?: string;
  /** Interval of SSE heartbeat comments; default 15 s. */
  heartbeatMs?: number;
  /**
   * Every request (reads too) must carry the token, by header, or by the cookie that `/?token=` sets. Default: on when
   * `host` is not loopback, where anyone who can reach the server could otherwise load the page and the token in it.
   */
  requireTokenForReads?: boolean;
  /** Called once per answered request (an access log; `tce dashboard` prints it with TCE_DEBUG). */
  log?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query as requested, a `token` query value redacted. */
  url: string;
  status: number;
  origin: string | undefined;
  host: string | undefined;
}

export interface DashboardServer {
  url: string;
  port: number;
  host: string;
  token: string;
  close(): Promise<void>;
}

export { isLoopbackHost } from './security.js';

/** Shorter secrets are too easy to guess when the server listens beyond loopback. */
export const MIN_TOKEN_LENGTH = 16;

/** A host part of a URL: IPv6 literals in brackets. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(Object.assign(new Error(`Port ${port} on ${host} is already in use.`), { code: 'EADDRINUSE' }));
      } else if (error.code === 'EACCES') {
        reject(Object.assign(new Error(`Not allowed to listen on ${host}:${port}.`), { code: 'EACCES' }));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(Object.assign(new Error(`Cannot listen on ${host}: no such local address.`), { code: error.code }));
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { monitor } = options;
  const host = options.host ?? '127.0.0.1';
  if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`The dashboard token must be at least ${MIN_TOKEN_LENGTH} characters.`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = options.staticDir ?? defaultStaticDir();
  const routes: Route[] = apiRoutes(monitor);
  const events = new EventStreams(monitor, options.heartbeatMs);
  const guardReads = options.requireTokenForReads ?? !isLoopbackHost(host);
  let allowed: ReturnType<typeof allowedHosts> = new Set<string>();
  let cookieName = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, allowed)) {
      sendError(res, 403, `Refused: unexpected Host header '${req.headers.host ?? ''}'.`);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    } catch {
      sendError(res, 400, 'Malformed request URL.');
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const pathname = url.pathname;

    if (guardReads) {
      const given = url.searchParams.get('token');
      if (method === 'GET' && pathname === '/' && given !== null) {
        if (!sameToken(given, token)) {
          sendError(res, 401, 'Wrong dashboard token.');
          return;
        }
        // Trade the token in the address bar for a cookie, and drop it from the URL (history, screenshots).
        send(res, 303, 'text/plain; charset=utf-8', 'See /\n', { Location: '/', 'Set-Cookie': tokenCookie(cookieName, token) });
        return;
      }
      const refusal = readRefusal(req, token, cookieName);
      if (refusal) {
        sendError(res, 401, refusal);
        return;
      }
    }

    if (pathname === '/api/events') {
      if (method !== 'GET') {
        sendError(res, 405, `Method ${req.method} not allowed on ${pathname}.`, { Allow: 'GET' });
        return;
      }
      if (req.method === 'HEAD') {
        send(res, 200, 'text/event-stream; charset=utf-8', '');
        return;
      }
      await events.serve(res);
      return;
    }

    const matching = routes.filter((r) => r.pattern.test(pathname));
    if (matching.length > 0) {
      const route = matching.find((r) => r.method === method);
      if (!route) {
        const allow = [...new Set(matching.map((r) => r.method))].join(', ');
        sendError(res, 405, `Method ${req.method} not allowed on ${pathname}.`, { Allow: allow });
        return;
      }
      if (route.method === 'POST') {
        const refusal = writeRefusal(req, token);
        if (refusal) {
          sendError(res, 403, refusal);
          return;
        }
      }
      const captures = (route.pattern.exec(pathname) ?? []).slice(1);
      const reply = await route.handle({ params: url.searchParams, captures, body: () => readBody(req, SETTINGS_BODY_LIMIT) });
      if (reply.text !== undefined) send(res, reply.status, reply.type ?? 'text/plain; charset=utf-8', reply.text);
      else sendJson(res, reply.status, reply.json ?? null);
      return;
    }

    if (pathname.startsWith('/api/')) {
      sendError(res, 404, `No such API route: ${pathname}.`);
      return;
    }
    if (method !== 'GET') {
      sendError(res, 405, `Method ${req.method} not allowed on ${pathname}.`, { Allow: 'GET' });
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      const index = await readIndex(staticDir, token);
      if (!index) {
        send(res, 503, 'text/plain; charset=utf-8', `The dashboard page is not built (no index.html in ${staticDir}): run \`npm run build\`.\n`);
        return;
      }
      send(res, 200, index.type, index.body);
      return;
    }
    const asset = await readAsset(staticDir, pathname);
    if (!asset) {
      sendError(res, 404, `Not found: ${pathname}.`);
      return;
    }
    // Built assets carry a content hash in their names, but the dashboard is local: no caching keeps upgrades simple.
    send(res, 200, asset.type, asset.body);
  }

  const server = http.createServer((req, res) => {
    if (options.log) {
      const log = options.log;
      res.once('finish', () => {
        // The token may come in the query (`/?token=`); it never goes into a log.
        const logged = (req.url ?? '/').replace(/([?&]token=)[^&]*/g, '$1<redacted>');
        log({ method: req.method ?? 'GET', url: logged, status: res.statusCode, origin: req.headers.origin, host: req.headers.host });
      });
    }
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendError(res, error.status, error.message, error.headers);
      } else {
        sendError(res, 500, `Internal error: ${(error as Error).message}`);
      }
    });
  });
  // A slow client must not hold a socket forever; the event stream is exempt (it sets no request timeout of its own).
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const address = await listen(server, options.port, host);
  allowed = allowedHosts(host, address.port);
  cookieName = tokenCookieName(address.port);
  const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${urlHost(displayHost)}:${address.port}/`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port: address.port,
    host,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        events.closeAll();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running get a moment to finish, then their sockets are cut.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}
