/**
 * Who may talk to the dashboard server: the Host header must name the bound address (against DNS rebinding),
 * and state-changing requests need the per-run token and an Origin equal to the server's own.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

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
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Why a state-changing request is refused, or null when it may go on. */
export function writeRefusal(req: IncomingMessage, token: string): string | null {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (!origin || origin === 'null') return 'Refused: a request that changes anything must come from the dashboard page (missing Origin).';
  if (origin.toLowerCase() !== `http://${host}`.toLowerCase()) return `Refused: cross-origin request from ${origin}.`;
  const given = req.headers['x-tce-token'];
  if (typeof given !== 'string' || !sameSecret(given, token)) return 'Refused: missing or wrong dashboard token.';
  return null;
}

/**
 * Cookie that carries the token for reads when the server listens beyond loopback (set after `/?token=`). Cookies
 * do not tell ports apart, so the name carries the port: two dashboards on one host keep their own.
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

export function sameToken(given: string | null | undefined, token: string): boolean {
  return typeof given === 'string' && sameSecret(given, token);
}

/**
 * Why a read is refused on a server that listens beyond loopback, or null: there, anyone on the network could load
 * the page (and the token in it), so every request must already carry the token, as header or cookie.
 */
export function readRefusal(req: IncomingMessage, token: string, cookieName: string): string | null {
  const header = req.headers['x-tce-token'];
  if (typeof header === 'string' ? sameToken(header, token) : sameToken(cookieValue(req, cookieName), token)) return null;
  return 'This dashboard listens beyond this machine: open it once as /?token=<the token given to tce dashboard>.';
}

/** Headers on every response: the page may only load its own files and talk to its own server. */
export const SECURITY_HEADERS: Record<string, string> = {
  // recharts positions its tooltips and legends with style attributes, hence style-src 'unsafe-inline' (scripts stay strict).
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
