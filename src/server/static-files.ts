/** Serves the built renderer (dist/renderer), with the page token (security.ts: pageToken) put into index.html as a meta tag. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** dist/renderer, next to dist/src/server where this module is compiled to. */
export function defaultStaticDir(): string {
  return fileURLToPath(new URL('../../renderer/', import.meta.url));
}

export interface StaticFile {
  body: Buffer;
  type: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page with `<meta name="tce-token">` added, so only a same-origin page (which can read it) can act. */
export async function readIndex(dir: string, token: string): Promise<StaticFile | null> {
  let html: string;
  try {
    html = await fs.readFile(path.join(dir, 'index.html'), 'utf8');
  } catch {
    return null;
  }
  const meta = `<meta name="tce-token" content="${escapeAttribute(token)}" />`;
  html = html.includes('</head>') ? html.replace('</head>', `  ${meta}\n  </head>`) : `${meta}\n${html}`;
  return { body: Buffer.from(html), type: TYPES['.html'] as string };
}

/** A file under `dir` for a URL path, or null (missing, a folder, or outside `dir`). */
export async function readAsset(dir: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = path.resolve(dir);
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (!file.startsWith(root + path.sep)) return null;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return null;
    return { body: await fs.readFile(file), type: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
