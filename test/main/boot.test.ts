// The real main entry (package.json "main") starting under the fake electron, with its default paths and monitor.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isolatedEnv, tempDir } from '../support/tmp.js';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../../', import.meta.url));
const root = path.dirname(dist.replace(/\/$/, ''));

describe('main entry', () => {
  it('starts hidden in the tray with its own preload, page and monitor, and opens the window on a second start', { timeout: 60_000 }, async (t) => {
    const main = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string }).main;
    const temp = tempDir(t, 'tce-boot-');
    const env = isolatedEnv(temp);
    fs.mkdirSync(env.CLAUDE_CONFIG_DIR!, { recursive: true });
    const { stdout } = await run(
      process.execPath,
      ['--import', path.join(dist, 'test/mocks/register-electron.js'), '--import', path.join(dist, 'test/main/boot-probe.js'), path.join(root, main), '--hidden'],
      { env, cwd: root, timeout: 50_000 },
    );
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    assert.equal(seen.exitCode, null, 'the app did not exit with an error');
    assert.equal(seen.trays, 1);
    assert.match(String(seen.firstLine), /Claude Code process|No Claude Code process running/);
    assert.equal(seen.windowsBefore, 0, '--hidden: no window at start');
    assert.equal(seen.windowShown, true);
    assert.equal(seen.loadedUrl, 'tce://dashboard/index.html');
    assert.equal(seen.preload, path.join(dist, 'src/preload/index.cjs'));
    assert.equal(seen.preloadExists, true);
    assert.equal(seen.pageStatus, 200, 'the built dashboard page is found where the app looks for it');
    assert.match(String(seen.pageCsp), /default-src 'none'/);
    // Its settings went where the CLI reads them.
    assert.ok(fs.existsSync(path.join(env.TCE_DATA_DIR!, 'config.json')));
  });
});
