// The tray app writes the settings through core's store: private like every other file TCE writes (issue 12).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openTraySettings } from './tray-settings.js';
import { tempDir } from '../support/tmp.js';

it('the tray writes config.json 0600, also over a file an older version left 0644', (t) => {
  const dir = tempDir(t, 'tce-settings-private-');
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, '{"pollIntervalSeconds": 12}\n', { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  const { store } = openTraySettings(dir);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'made private when opened');
  store.update((s) => ({ ...s, pollIntervalSeconds: 25 }));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'and written so');
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).pollIntervalSeconds, 25);

  // A first start: the tray writes the defaults, so there is a file to edit.
  const fresh = tempDir(t, 'tce-settings-private-');
  openTraySettings(fresh);
  assert.equal(fs.statSync(path.join(fresh, 'config.json')).mode & 0o777, 0o600, 'created private');
});
