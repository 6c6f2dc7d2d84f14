import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TCE_VERSION } from '../../src/core/version.js';

test('tce --version and /metrics build info say the version package.json says', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(TCE_VERSION, pkg.version);
});
