// The tray app writes the settings through electron-store: private like every other file TCE writes (issue 12).
import { beforeEach, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fake } from '../mocks/electron.js';
import { openSettings } from '../../src/main/settings.js';
import { tempDir } from '../support/tmp.js';

beforeEach(() => fake.reset());

it('electron-store writes config.json 0600, also over a file an older version left 0644', (t) => {
  const dir = tempDir(t, 'tce-settings-private-');
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, '{"pollIntervalSeconds": 12}\n', { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  const { store } = openSettings(dir);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'made private when opened');
  store.set('pollIntervalSeconds', 25);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'and written so');
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).pollIntervalSeconds, 25);

  // A first start: electron-store creates the file itself.
  const fresh = tempDir(t, 'tce-settings-private-');
  openSettings(fresh).store.set('pollIntervalSeconds', 30);
  assert.equal(fs.statSync(path.join(fresh, 'config.json')).mode & 0o777, 0o600, 'created private');
});
