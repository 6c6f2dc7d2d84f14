import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

// The core is shared by the CLI, the HTTP server and the tray app: it must run where Electron cannot.
const forbidden = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron(?:\/[^'"]*)?['"]/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|cts|mts)$/.test(e.name) ? [p] : [];
  });
}

test('no file of the core, the CLI or the server imports electron', () => {
  const files = ['src/core', 'src/cli', 'src/server'].flatMap((d) => (fs.existsSync(d) ? sources(d) : []));
  assert.ok(files.length > 5, `expected core sources, found ${files.length}`);
  const offenders = files.filter((f) => forbidden.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the check itself catches an electron import', () => {
  assert.ok(forbidden.test("import { app } from 'electron';"));
  assert.ok(forbidden.test('const e = require("electron")'));
  assert.ok(!forbidden.test("import x from 'electron-store-like';"));
});
