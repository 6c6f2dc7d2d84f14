/** The built renderer (dist/renderer) as the HTTP server serves it: the page gets its anti-forgery token (security.ts: pageToken) as a meta tag. */
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Asset, HTML_TYPE, resolveAsset } from '../core/page/assets.js';

/** dist/renderer, next to dist/src/server where this module is compiled to. */
export function defaultStaticDir(): string {
  return fileURLToPath(new URL('../../renderer/', import.meta.url));
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page with `<meta name="tce-token">` added, so only a same-origin page (which can read it) can act. */
export async function readIndex(dir: string, token: string): Promise<Asset | null> {
  let html: string;
  try {
    html = await fs.readFile(resolveAsset(dir, '/') as string, 'utf8');
  } catch {
    return null;
  }
  const meta = `<meta name="tce-token" content="${escapeAttribute(token)}" />`;
  html = html.includes('</head>') ? html.replace('</head>', `  ${meta}\n  </head>`) : `${meta}\n${html}`;
  return { body: Buffer.from(html), type: HTML_TYPE };
}
