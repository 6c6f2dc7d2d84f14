import { SECURITY_HEADERS, readAsset } from '../core/page/assets.js';

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

function notFound(what: string): Response {
  return new Response(`Not found: ${what}`, { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The protocol handler: files of `rootDir` only, for GET on our host, with the security headers. */
export function rendererHandler(rootDir: string): (request: Request) => Promise<Response> {
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
    const asset = await readAsset(rootDir, url.pathname);
    if (!asset) return notFound(url.pathname);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(asset.body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Cache-Control': 'no-cache' },
    });
  };
}
