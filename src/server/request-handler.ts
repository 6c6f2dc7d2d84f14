/**
 * One request's way through the dashboard server, as small steps in a fixed order: the Host check (against DNS
 * rebinding), the login link and a token typed into the address bar, authentication, then the event stream, the API
 * routes and the page's files. Each step either answers the request or passes it on; the last one always answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPagePath, readAsset } from '../core/page/assets.js';
import type { EventStreams } from './events.js';
import { readBody, send, sendError, sendJson } from './http-util.js';
import type { LoginLinks } from './login-links.js';
import { loopbackPeerUid } from './peer-user.js';
import { SETTINGS_BODY_LIMIT, type Route } from './routes.js';
import { authenticated, bearerAuthenticated, hostAllowed, loopbackHostHeader, sameToken, tokenCookie, writeRefusal } from './security.js';
import { readIndex } from './static-files.js';

/** What the steps need to know of the server; the address-bound parts are filled in once it listens. */
export interface HandlerConfig {
  secret: string;
  /** The anti-forgery token put into the page (security.ts: pageToken). */
  pageToken: string;
  staticDir: string;
  routes: Route[];
  events: EventStreams;
  links: LoginLinks;
  /** Host header values accepted (security.ts: allowedHosts). */
  allowed: Set<string> | 'any';
  cookieName: string;
  /** The server's own URL, ending in `/`. */
  baseUrl: string;
}

/** A request that passed the Host check and has a readable URL. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** HEAD is answered like GET (without the body: see http-util.ts `send`). */
  method: string;
  pathname: string;
  isPage: boolean;
}

/** Answers the request (true) or leaves it to the next step (false). */
type Step = (x: Exchange, config: HandlerConfig) => boolean | Promise<boolean>;

const NOT_LOGGED_IN =
  'This TCE dashboard is private to the user who runs it. Open it with the login link that `tce dashboard` printed, or run `tce dashboard --open` to get a new one.';

const myUid = typeof process.getuid === 'function' ? process.getuid() : null;

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

function methodNotAllowed(x: Exchange, allow: string): true {
  sendError(x.res, 405, `Method ${x.req.method} not allowed on ${x.pathname}.`, { Allow: allow });
  return true;
}

/** Step 0: the Host header names this server, and the URL can be read; else the request goes no further. */
function exchangeOf(req: IncomingMessage, res: ServerResponse, config: HandlerConfig): Exchange | null {
  // Through an SSH tunnel the Host names the forwarded port: fine for a request that carries the bearer secret.
  if (!hostAllowed(req, config.allowed) && !(bearerAuthenticated(req, config.secret) && loopbackHostHeader(req))) {
    sendError(res, 403, `Refused: unexpected Host header '${req.headers.host ?? ''}'.`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://dashboard.invalid');
  } catch {
    sendError(res, 400, 'Malformed request URL.');
    return null;
  }
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  return { req, res, url, method, pathname: url.pathname, isPage: isPagePath(url.pathname) };
}

/** `/login?once=`: trades a one-time nonce for the cookie, then goes on to the page. */
const login: Step = (x, config) => {
  if (x.pathname !== '/login') return false;
  if (x.method !== 'GET') return methodNotAllowed(x, 'GET');
  // On Linux a loopback client's user is known: a link seen by someone else (in a process list, say) is no use to
  // them, and is not spent by their attempt.
  const peer = loopbackPeerUid(x.req.socket);
  if (peer === 'unknown') {
    page(x.res, 403, 'Login refused', 'Which user this connection comes from cannot be told; log in from a browser on this machine.');
  } else if (peer !== null && myUid !== null && peer !== myUid) {
    page(x.res, 403, 'Not your dashboard', `This TCE dashboard belongs to another user of this machine (uid ${myUid}); login links work only for them.`);
  } else if (!config.links.consume(x.url.searchParams.get('once') ?? '')) {
    page(x.res, 401, 'Login link used or expired', 'A login link works once, for a few minutes. Run `tce dashboard --open` (or look in the terminal that runs the dashboard) for a new one.');
  } else {
    // A page that moves on to `/` itself, rather than a redirect: a cookie set on a navigation another site (or a
    // local file) started is not sent on that navigation's redirects (SameSite=Strict), but it is on the page's own.
    page(x.res, 200, 'TCE dashboard', 'Logged in.', { 'Set-Cookie': tokenCookie(config.cookieName, config.secret) }, '/');
  }
  return true;
};

/**
 * The secret typed into the address bar (a server beyond loopback, opened from another machine): traded for the
 * cookie and dropped from the URL (history, screenshots).
 */
const tokenInAddressBar: Step = (x, config) => {
  const given = x.url.searchParams.get('token');
  if (x.method !== 'GET' || !x.isPage || given === null) return false;
  if (!sameToken(given, config.secret)) {
    page(x.res, 401, 'Wrong dashboard token', 'That is not the token this dashboard was started with.');
  } else {
    send(x.res, 303, 'text/plain; charset=utf-8', 'See /\n', { Location: '/', 'Set-Cookie': tokenCookie(config.cookieName, config.secret) });
  }
  return true;
};

/** Everything past here needs the secret (header or cookie). */
const requireLogin: Step = (x, config) => {
  if (authenticated(x.req, config.secret, config.cookieName)) return false;
  if (x.isPage && x.method === 'GET') page(x.res, 401, 'Log in to the TCE dashboard', NOT_LOGGED_IN);
  else sendError(x.res, 401, NOT_LOGGED_IN);
  return true;
};

const eventStream: Step = async (x, config) => {
  if (x.pathname !== '/api/events') return false;
  if (x.method !== 'GET') return methodNotAllowed(x, 'GET');
  if (x.req.method === 'HEAD') send(x.res, 200, 'text/event-stream; charset=utf-8', '');
  else await config.events.serve(x.res);
  return true;
};

/** A fresh login link for the page's "open in browser" (a write: same origin and page token). */
const loginLink: Step = (x, config) => {
  if (x.pathname !== '/api/login-link') return false;
  if (x.method !== 'POST') return methodNotAllowed(x, 'POST');
  const refusal = writeRefusal(x.req, config.secret);
  if (refusal) sendError(x.res, 403, refusal);
  else sendJson(x.res, 200, { url: `${config.baseUrl}login?once=${config.links.mint()}` });
  return true;
};

const apiRoute: Step = async (x, config) => {
  const matching = config.routes.filter((r) => r.pattern.test(x.pathname));
  if (matching.length === 0) {
    if (!x.pathname.startsWith('/api/')) return false;
    sendError(x.res, 404, `No such API route: ${x.pathname}.`);
    return true;
  }
  const route = matching.find((r) => r.method === x.method);
  if (!route) return methodNotAllowed(x, [...new Set(matching.map((r) => r.method))].join(', '));
  if (route.method === 'POST') {
    const refusal = writeRefusal(x.req, config.secret);
    if (refusal) {
      sendError(x.res, 403, refusal);
      return true;
    }
  }
  const captures = (route.pattern.exec(x.pathname) ?? []).slice(1);
  const reply = await route.handle({ params: x.url.searchParams, captures, body: () => readBody(x.req, SETTINGS_BODY_LIMIT) });
  if (reply.text !== undefined) send(x.res, reply.status, reply.type ?? 'text/plain; charset=utf-8', reply.text);
  else sendJson(x.res, reply.status, reply.json ?? null);
  return true;
};

/** The page (with its token) and its files; the last step, so it answers whatever is left. */
const staticFile: Step = async (x, config) => {
  if (x.method !== 'GET') return methodNotAllowed(x, 'GET');
  if (x.isPage) {
    const index = await readIndex(config.staticDir, config.pageToken);
    if (index) send(x.res, 200, index.type, index.body);
    else send(x.res, 503, 'text/plain; charset=utf-8', `The dashboard page is not built (no index.html in ${config.staticDir}): run \`npm run build\`.\n`);
    return true;
  }
  const asset = await readAsset(config.staticDir, x.pathname);
  // Built assets carry a content hash in their names, but the dashboard is local: no caching keeps upgrades simple.
  if (asset) send(x.res, 200, asset.type, asset.body);
  else sendError(x.res, 404, `Not found: ${x.pathname}.`);
  return true;
};

const STEPS: readonly Step[] = [login, tokenInAddressBar, requireLogin, eventStream, loginLink, apiRoute, staticFile];

/** The server's request handler; errors it throws are answered by the caller (see index.ts). */
export function requestHandler(config: HandlerConfig): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const exchange = exchangeOf(req, res, config);
    if (!exchange) return;
    for (const step of STEPS) if (await step(exchange, config)) return;
  };
}
