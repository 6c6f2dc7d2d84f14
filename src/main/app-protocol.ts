import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The dashboard page is served from a privileged `tce://dashboard/` scheme rather than file://, so that every
 * response carries a real Content-Security-Policy header, the page has an origin of its own that IPC senders are
 * checked against, and no other file on disk is reachable from it.
 */
export const APP_SCHEME = 'tce';
export const APP_HOST = 'dashboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const DASHBOARD_URL = `${APP_ORIGIN}/index.html`;

/**
 * True for a URL of the dashboard's own pages. Compared by scheme and host: Node's URL gives every custom scheme
 * the origin "null", so comparing origins would refuse our own page.
 */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '' && url.port === '';
  } catch {
    return false;
  }
}

/**
 * No inline or remote scripts, no eval, nothing loaded from elsewhere; inline style attributes only (the charts set
 * them), no plugins, no framing, no forms.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

function notFound(what: string): Response {
  return new Response(`Not found: ${what}`, { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The protocol handler: files of `rootDir` only, for GET on our host, with the security headers. */
export function rendererHandler(rootDir: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rootDir);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound(request.url);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound(request.url);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: SECURITY_HEADERS });
    }
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      return notFound(url.pathname);
    }
    if (relative === '/' || relative === '') relative = '/index.html';
    const file = path.resolve(root, `.${relative}`);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(url.pathname);
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return notFound(url.pathname);
    }
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache' },
    });
  };
}
