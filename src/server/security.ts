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
