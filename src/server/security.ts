/**
 * Who may talk to the dashboard server. Every request must name the bound host (against DNS rebinding) and prove it
 * comes from the user who runs TCE: by the server's secret, as the `X-TCE-Token` header (TCE's own CLI, which reads it
 * from the 0600 state file) or as the HttpOnly, SameSite=Strict cookie a one-time login link sets in the browser.
 * Requests that change anything also need the page's Origin and its anti-forgery token (derived from the secret).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../core/loopback.js';

export { isLoopbackHost };

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Host header values (name:port) accepted for a server bound to `host`:`port`. */
export function allowedHosts(host: string, port: number): Set<string> | 'any' {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'any';
  const names = isLoopbackHost(host) ? [...LOOPBACK_NAMES, host.includes(':') && !host.startsWith('[') ? `[${host}]` : host] : [host.includes(':') ? `[${host}]` : host];
  return new Set(names.map((n) => `${n}:${port}`.toLowerCase()));
}

export function hostAllowed(req: IncomingMessage, allowed: Set<string> | 'any'): boolean {
  const host = req.headers.host?.toLowerCase();
  if (!host) return false;
  return allowed === 'any' || allowed.has(host);
}

function sameSecret(a: string, b: string): boolean {
  // Hashes first: equal lengths for timingSafeEqual, and no early exit that tells how long the secret is.
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  return typeof given === 'string' && sameSecret(given, token);
}

/**
 * The anti-forgery token the page carries in its meta tag: derived from the secret, so the page never holds the
 * secret itself (the cookie that proves who the browser is stays HttpOnly, out of reach of any script).
 */
export function pageToken(secret: string): string {
  return createHmac('sha256', secret).update('tce page token').digest('base64url');
}

/**
 * The cookie that carries the secret in the browser. Cookies do not tell ports apart, so the name carries the port:
 * two dashboards on one host keep their own.
 */
export function tokenCookieName(port: number): string {
  return `tce_token_${port}`;
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

export function tokenCookie(name: string, token: string): string {
  return `${name}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

/**
 * Whether the request carries the secret as `Authorization: Bearer <secret>`: how Prometheus scrapes /metrics
 * (`authorization: {credentials_file: ...}`) and how another TCE that lists this one as a remote machine talks to it.
 * No browser ever sends such a header by itself (unlike a cookie), and a page that does not know the secret cannot
 * write one: a request that carries it was made on purpose by someone who holds the secret.
 */
export function bearerAuthenticated(req: IncomingMessage, secret: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match !== null && sameToken(match[1], secret);
}

/**
 * A Host header naming a loopback address on any port: what a request that came through an SSH tunnel or a local TLS
 * proxy names (`ssh -L 15111:127.0.0.1:5111` makes it `127.0.0.1:15111`). Accepted only with the bearer secret: it is
 * the cookie, which a browser sends by itself, that the Host check guards against DNS rebinding.
 */
export function loopbackHostHeader(req: IncomingMessage): boolean {
  const host = req.headers.host?.toLowerCase();
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return isLoopbackHost(name);
}

/** Whether the request carries the secret: the header (TCE's CLI), the bearer header, or the cookie a login link set (the browser). */
export function authenticated(req: IncomingMessage, secret: string, cookieName: string): boolean {
  // The page sends its page token in the header beside the cookie: either proof will do.
  const header = req.headers['x-tce-token'];
  return (typeof header === 'string' && sameToken(header, secret)) || bearerAuthenticated(req, secret) || sameToken(cookieValue(req, cookieName), secret);
}

/**
 * Why a state-changing request is refused, or null when it may go on: it must carry the bearer secret, or come from
 * the server's own origin (a page of another site, or a rebinding name, sends its own) and carry the page token (or,
 * from the CLI, the secret), which no other page can read.
 */
export function writeRefusal(req: IncomingMessage, secret: string): string | null {
  // The bearer secret cannot ride along on a request another site's page makes (see bearerAuthenticated).
  if (bearerAuthenticated(req, secret)) return null;
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (!origin || origin === 'null') return 'Refused: a request that changes anything must come from the dashboard page (missing Origin).';
  if (origin.toLowerCase() !== `http://${host}`.toLowerCase()) return `Refused: cross-origin request from ${origin}.`;
  const given = req.headers['x-tce-token'];
  if (typeof given !== 'string' || !(sameToken(given, pageToken(secret)) || sameToken(given, secret))) return 'Refused: missing or wrong dashboard token.';
  return null;
}

/** Query parameters that carry secrets: never logged, whatever their spelling (`%74oken` is `token`). */
const SECRET_PARAMS = new Set(['token', 'once']);

/** The request target as it may be logged: the value of every secret-bearing parameter replaced, judged after decoding. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    // URLSearchParams decodes names as the server reads them: percent escapes and `+`.
    const name = [...new URLSearchParams(`${rawName}=`).keys()][0] ?? rawName;
    return SECRET_PARAMS.has(name.trim().toLowerCase()) ? `${rawName}=<redacted>` : pair;
  });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}
