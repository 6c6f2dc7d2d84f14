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
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Monitor } from '../core/monitor.js';
import { EventStreams } from './events.js';
import { HttpError, sendError } from './http-util.js';
import { LoginLinks } from './login-links.js';
import { type HandlerConfig, requestHandler } from './request-handler.js';
import { apiRoutes, type Route } from './routes.js';
import { allowedHosts, pageToken, redactUrl, tokenCookieName } from './security.js';
import { defaultStaticDir } from './static-files.js';

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

/** The server could not listen: `code` is the system's reason (EADDRINUSE, EACCES, EADDRNOTAVAIL, ENOTFOUND). */
export class ListenError extends Error {
  override name = 'ListenError';

  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const code = error.code ?? 'UNKNOWN';
      if (code === 'EADDRINUSE') {
        reject(new ListenError(code, `Port ${port} on ${host} is already in use.`, { cause: error }));
      } else if (code === 'EACCES') {
        reject(new ListenError(code, `Not allowed to listen on ${host}:${port}.`, { cause: error }));
      } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
        reject(new ListenError(code, `Cannot listen on ${host}: no such local address.`, { cause: error }));
      } else {
        reject(new ListenError(code, `Cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
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
  const secret = options.token ?? randomBytes(32).toString('base64url');
  const staticDir = options.staticDir ?? defaultStaticDir();
  const routes: Route[] = apiRoutes(monitor);
  const events = new EventStreams(monitor, { heartbeatMs: options.heartbeatMs, maxClients: options.maxEventClients, stallMs: options.stallMs });
  const links = new LoginLinks(options.loginLinkTtlMs);
  // Nothing is allowed until the server listens and knows its port.
  const config: HandlerConfig = { secret, pageToken: pageToken(secret), staticDir, routes, events, links, allowed: new Set<string>(), cookieName: '', baseUrl: '' };
  const handle = requestHandler(config);

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
  const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${urlHost(displayHost)}:${address.port}/`;
  config.allowed = allowedHosts(host, address.port);
  config.cookieName = tokenCookieName(address.port);
  config.baseUrl = url;

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

