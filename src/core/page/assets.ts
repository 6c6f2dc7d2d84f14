/**
 * The dashboard page's files and the headers they go out with: one set of rules for both ways the page is served,
 * the tray app's `tce://dashboard/` protocol (main/app-protocol.ts) and the HTTP server (server/). Each of them keeps
 * only its own plumbing (Electron's Request/Response, node:http); which file a path names, its type and the
 * Content-Security-Policy are decided here.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * No inline or remote scripts, no eval, nothing loaded from elsewhere; inline style attributes only (recharts sets
 * them on its tooltips and legends), no style elements, no plugins, no framing, no forms.
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

/**
 * Headers on every answer, page, file, API reply or error: the page may only load its own files and talk to its own
 * server, no other site may frame it, embed its files or read them, and no type is sniffed.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const HTML_TYPE = TYPES['.html'] as string;

/** The Content-Type of a file of the page, by its extension; unknown ones are plain bytes (and never sniffed). */
export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The page itself: `/` and `/index.html`. */
export function isPagePath(urlPath: string): boolean {
  return urlPath === '/' || urlPath === '' || urlPath === '/index.html';
}

/**
 * The file under `rootDir` that a URL path (still percent-encoded) names, or null: undecodable, a NUL byte, or a
 * path that leads out of `rootDir` (`..`, encoded or not, is resolved first, so it cannot climb above the root).
 * `/` names index.html.
 */
export function resolveAsset(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  if (isPagePath(decoded)) decoded = '/index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file.startsWith(root + path.sep) ? file : null;
}

export interface Asset {
  body: Buffer;
  type: string;
}

/** A regular file of the page for a URL path, with its type; null when there is none (missing, a folder, outside). */
export async function readAsset(rootDir: string, urlPath: string): Promise<Asset | null> {
  const file = resolveAsset(rootDir, urlPath);
  if (file === null) return null;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return null;
    return { body: await fs.readFile(file), type: contentType(file) };
  } catch {
    return null;
  }
}
