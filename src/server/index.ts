/**
 * The headless dashboard: the built renderer plus a JSON + server-sent-events API over the monitor, on plain node:http.
 *
 * Who may use it (see security.ts and the README's Security section): every request must name the bound host (against
 * DNS rebinding) and carry the server's secret, as a header (TCE's CLI reads it from the 0600 state file) or as the
 * HttpOnly cookie that a one-time login link (`/login?once=`) sets in the owner's browser; on Linux that link works only
 * for a connection from the user who runs the server. Every POST must also come from the dashboard page itself (same
 * Origin and the page token from its meta tag).
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Monitor } from '../core/monitor.js';
import { EventStreams } from './events.js';
import { HttpError, readBody, send, sendError, sendJson } from './http-util.js';
import { LoginLinks } from './login-links.js';
import { loopbackPeerUid } from './peer-user.js';
import { apiRoutes, SETTINGS_BODY_LIMIT, type Route } from './routes.js';
import {
  allowedHosts,
  authenticated,
  bearerAuthenticated,
  hostAllowed,
  loopbackHostHeader,
  pageToken,
  redactUrl,
  sameToken,
  tokenCookie,
  tokenCookieName,
  writeRefusal,
} from './security.js';
import { defaultStaticDir, readAsset, readIndex } from './static-files.js';

export interface DashboardServerOptions {
  monitor: Monitor;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** 0 picks any free port. */
  port: number;
  /**
   * The secret every request must carry (at least MIN_TOKEN_LENGTH characters); random per run when absent. A server
   * beyond loopback takes the user's own, so they can open it from another machine as `/?token=<it>`.
   */
  token?: string;
  /** The built renderer; default dist/renderer. */
  staticDir?: string;
  /** Interval of SSE heartbeat comments; default 15 s. */
  heartbeatMs?: number;
  /** Most event streams at once; default MAX_EVENT_CLIENTS. */
  maxEventClients?: number;
  /** An event stream whose client has read nothing for this long is closed; default STALL_MS. */
  stallMs?: number;
  /** How long a login link works; default LOGIN_LINK_TTL_MS. */
  loginLinkTtlMs?: number;
  /** Called once per answered request (an access log; `tce dashboard` prints it with TCE_DEBUG). */
  log?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query as requested, with the values of secret parameters (`token`, `once`) redacted. */
  url: string;
  status: number;
  origin: string | undefined;
  host: string | undefined;
}

export interface DashboardServer {
  url: string;
  port: number;
  host: string;
  /** The secret: keep it where only the owner can read it (the state file is 0600). */
  token: string;
  /** A new one-time login link for the owner's browser. */
  loginUrl(): string;
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

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A small page for the browser (a login, or why it was refused); no script, so the strict CSP holds. */
function page(res: ServerResponse, status: number, title: string, text: string, headers: Record<string, string> = {}, refreshTo?: string): void {
  const refresh = refreshTo ? `<meta http-equiv="refresh" content="0;url=${escapeHtml(refreshTo)}" />` : '';
  const link = refreshTo ? `<p><a href="${escapeHtml(refreshTo)}">Continue to the dashboard</a></p>` : '';
  const html = `<!doctype html><html><head><meta charset="utf-8" /><link rel="icon" href="data:," />${refresh}<title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${link}</body></html>\n`;
  send(res, status, 'text/html; charset=utf-8', html, headers);
}

const NOT_LOGGED_IN =
  'This TCE dashboard is private to the user who runs it. Open it with the login link that `tce dashboard` printed, or run `tce dashboard --open` to get a new one.';

const myUid = typeof process.getuid === 'function' ? process.getuid() : null;

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { monitor } = options;
  const host = options.host ?? '127.0.0.1';
  if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`The dashboard token must be at least ${MIN_TOKEN_LENGTH} characters.`);
  }
  const secret = options.token ?? randomBytes(32).toString('base64url');
  const csrf = pageToken(secret);
  const staticDir = options.staticDir ?? defaultStaticDir();
  const routes: Route[] = apiRoutes(monitor);
  const events = new EventStreams(monitor, { heartbeatMs: options.heartbeatMs, maxClients: options.maxEventClients, stallMs: options.stallMs });
  const links = new LoginLinks(options.loginLinkTtlMs);
  let allowed: ReturnType<typeof allowedHosts> = new Set<string>();
  let cookieName = '';
  let baseUrl = '';

  /** `/login?once=`: trades a one-time nonce for the cookie, then goes on to the page. */
  function login(req: IncomingMessage, res: ServerResponse, url: URL): void {
    // On Linux a loopback client's user is known: a link seen by someone else (in a process list, say) is no use to
    // them, and is not spent by their attempt.
    const peer = loopbackPeerUid(req.socket);
    if (peer === 'unknown') {
      page(res, 403, 'Login refused', 'Which user this connection comes from cannot be told; log in from a browser on this machine.');
      return;
    }
    if (peer !== null && myUid !== null && peer !== myUid) {
      page(res, 403, 'Not your dashboard', `This TCE dashboard belongs to another user of this machine (uid ${myUid}); login links work only for them.`);
      return;
    }
    const nonce = url.searchParams.get('once') ?? '';
    if (!links.consume(nonce)) {
      page(res, 401, 'Login link used or expired', 'A login link works once, for a few minutes. Run `tce dashboard --open` (or look in the terminal that runs the dashboard) for a new one.');
      return;
    }
    // A page that moves on to `/` itself, rather than a redirect: a cookie set on a navigation another site (or a local
    // file) started is not sent on that navigation's redirects (SameSite=Strict), but it is on the page's own.
    page(res, 200, 'TCE dashboard', 'Logged in.', { 'Set-Cookie': tokenCookie(cookieName, secret) }, '/');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Through an SSH tunnel the Host names the forwarded port: fine for a request that carries the bearer secret.
    if (!hostAllowed(req, allowed) && !(bearerAuthenticated(req, secret) && loopbackHostHeader(req))) {
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
    const isPage = pathname === '/' || pathname === '/index.html';

    if (pathname === '/login') {
      if (method !== 'GET') sendError(res, 405, `Method ${req.method} not allowed on ${pathname}.`, { Allow: 'GET' });
      else login(req, res, url);
      return;
    }
    const given = url.searchParams.get('token');
    if (method === 'GET' && isPage && given !== null) {
      // The secret typed into the address bar (a server beyond loopback, opened from another machine): traded for the
      // cookie and dropped from the URL (history, screenshots).
      if (!sameToken(given, secret)) {
        page(res, 401, 'Wrong dashboard token', 'That is not the token this dashboard was started with.');
        return;
      }
      send(res, 303, 'text/plain; charset=utf-8', 'See /\n', { Location: '/', 'Set-Cookie': tokenCookie(cookieName, secret) });
      return;
    }
    if (!authenticated(req, secret, cookieName)) {
      if (isPage && method === 'GET') page(res, 401, 'Log in to the TCE dashboard', NOT_LOGGED_IN);
      else sendError(res, 401, NOT_LOGGED_IN);
      return;
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

    if (pathname === '/api/login-link') {
      if (method !== 'POST') {
        sendError(res, 405, `Method ${req.method} not allowed on ${pathname}.`, { Allow: 'POST' });
        return;
      }
      const refusal = writeRefusal(req, secret);
      if (refusal) sendError(res, 403, refusal);
      else sendJson(res, 200, { url: `${baseUrl}login?once=${links.mint()}` });
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
        const refusal = writeRefusal(req, secret);
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
    if (isPage) {
      const index = await readIndex(staticDir, csrf);
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
        log({ method: req.method ?? 'GET', url: redactUrl(req.url ?? '/'), status: res.statusCode, origin: req.headers.origin, host: req.headers.host });
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
  baseUrl = url;

  let closing: Promise<void> | null = null;
  return {
    url,
    port: address.port,
    host,
    token: secret,
    loginUrl: () => `${url}login?once=${links.mint()}`,
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

