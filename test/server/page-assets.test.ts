// One asset resolver and one CSP: the tray app's tce:// protocol and the HTTP server serve the same files, refuse the
// same paths and send the same security headers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createMonitor } from '../../src/core/create-core.js';
import type { Monitor } from '../../src/core/monitor.js';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, contentType, resolveAsset } from '../../src/core/page/assets.js';
import { APP_ORIGIN, rendererHandler } from '../../src/main/app-protocol.js';
import { startDashboardServer, type DashboardServer } from '../../src/server/index.js';
import { makeTempDir } from '../support/tmp.js';
import { writeStaticDir } from './fixtures.js';
import { request } from './http-client.js';

describe('the page as both bridges serve it', () => {
  const tmp = makeTempDir('tce-page-');
  const root = path.join(tmp.dir, 'renderer');
  const outside = path.join(tmp.dir, 'secret.txt');
  let monitor: Monitor;
  let server: DashboardServer;
  const protocol = rendererHandler(root);
  const token = 'test-token-0123456789';

  before(async () => {
    writeStaticDir(root);
    fs.writeFileSync(path.join(root, 'assets', 'font.woff2'), 'x');
    fs.writeFileSync(path.join(root, 'assets', 'module.mjs'), 'export {};');
    fs.writeFileSync(outside, 'secret');
    monitor = createMonitor({ claudeDirs: [path.join(tmp.dir, 'claude')], dataDir: path.join(tmp.dir, 'data'), timezone: 'UTC' });
    server = await startDashboardServer({ monitor, port: 0, token, staticDir: root });
  });
  after(async () => {
    await server?.close();
    await monitor?.stop();
    tmp.remove();
  });

  const overHttp = async (urlPath: string) => {
    const res = await request(server.url, urlPath, { headers: { 'X-TCE-Token': token } });
    return { status: res.status, type: String(res.headers['content-type']), headers: res.headers, body: res.text };
  };
  const overProtocol = async (urlPath: string) => {
    const res = await protocol(new Request(`${APP_ORIGIN}${urlPath}`));
    return { status: res.status, type: res.headers.get('content-type') ?? '', headers: Object.fromEntries(res.headers), body: await res.text() };
  };

  it('the same security headers, CSP included, on pages, files and refusals', async () => {
    for (const urlPath of ['/', '/assets/app.js', '/assets/none.js']) {
      for (const [bridge, answer] of [['http', await overHttp(urlPath)], ['tce://', await overProtocol(urlPath)]] as const) {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
          assert.equal(answer.headers[name.toLowerCase()], value, `${bridge} ${urlPath}: ${name}`);
        }
      }
    }
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/);
    assert.match(CONTENT_SECURITY_POLICY, /style-src 'self';/, 'no inline style elements');
    assert.match(CONTENT_SECURITY_POLICY, /style-src-attr 'unsafe-inline'/, 'style attributes (recharts) only');
  });

  it('the same files with the same types, and the same refusals of paths out of the folder', async () => {
    for (const urlPath of ['/assets/app.js', '/assets/font.woff2', '/assets/module.mjs']) {
      const [viaHttp, viaProtocol] = [await overHttp(urlPath), await overProtocol(urlPath)];
      assert.deepEqual([viaHttp.status, viaHttp.type, viaHttp.body], [viaProtocol.status, viaProtocol.type, viaProtocol.body], urlPath);
      assert.equal(viaHttp.status, 200, urlPath);
    }
    const escapes = ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%00app.js', '/%E0%A4%A', '/assets/folder', '/assets'];
    for (const urlPath of escapes) {
      assert.equal((await overHttp(urlPath)).status, 404, `http ${urlPath}`);
      assert.equal((await overProtocol(urlPath)).status, 404, `tce:// ${urlPath}`);
    }
    // The page: the server adds its token to it, the window's page has none (it talks over IPC).
    assert.match((await overHttp('/')).body, /<meta name="tce-token"/);
    assert.doesNotMatch((await overProtocol('/')).body, /tce-token/);
  });

  it('resolveAsset: the file a URL path names, never one outside the folder', () => {
    assert.equal(resolveAsset(root, '/'), path.join(root, 'index.html'));
    assert.equal(resolveAsset(root, '/assets/app.js'), path.join(root, 'assets', 'app.js'));
    assert.equal(resolveAsset(root, '/assets/../assets/app.js'), path.join(root, 'assets', 'app.js'));
    assert.equal(resolveAsset(root, '/a%20b.js'), path.join(root, 'a b.js'));
    assert.equal(resolveAsset(root, '/..%2f..%2fetc/passwd'), path.join(root, 'etc', 'passwd'), '.. stops at the root');
    assert.equal(resolveAsset(root, '/x%00.js'), null);
    assert.equal(resolveAsset(root, '/%E0%A4%A'), null);
    assert.equal(contentType('a.CSS'), 'text/css; charset=utf-8');
    assert.equal(contentType('a.exe'), 'application/octet-stream');
  });
});
