// Serves the built renderer (dist/renderer) the way `tce dashboard` does — same CSP, token meta tag — but with no API,
// so a test can drive the page with a fake `window.tce`.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECURITY_HEADERS, readAsset } from '../../src/core/page/assets.js';
import { readIndex } from '../../src/server/static-files.js';

/** dist/renderer, from dist/e2e/support where this file is compiled to. */
export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function startStaticServer(dir = RENDERER_DIR): Promise<StaticServer> {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}index.html is missing: run \`npm run build:renderer\` first.`);
  }
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = urlPath === '/' || urlPath === '/index.html' ? readIndex(dir, 'test-token-0123456789') : readAsset(dir, urlPath);
    file.then(
      (found) => {
        if (!found) {
          res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('not found');
          return;
        }
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': found.type, 'Cache-Control': 'no-store' }).end(found.body);
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
