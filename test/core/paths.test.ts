import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { claudeDirs, dataDir, settingsFile } from '../../src/core/paths.js';

test('TCE_DATA_DIR moves the settings file', () => {
  assert.equal(settingsFile({ TCE_DATA_DIR: '/tmp/x' }), path.join('/tmp/x', 'config.json'));
});

test('the data folder is where electron-store keeps it on each platform', () => {
  assert.equal(dataDir({ HOME: '/home/a' }, 'linux'), '/home/a/.config/TCE');
  assert.equal(dataDir({ HOME: '/home/a', XDG_CONFIG_HOME: '/cfg' }, 'linux'), '/cfg/TCE');
  assert.equal(dataDir({ HOME: '/Users/a' }, 'darwin'), '/Users/a/Library/Application Support/TCE');
});

test('Claude dirs: explicit, then CLAUDE_CONFIG_DIR as a list, then the two defaults', () => {
  assert.deepEqual(claudeDirs('/a,/b', { HOME: '/h', CLAUDE_CONFIG_DIR: '/c' }), ['/a', '/b']);
  assert.deepEqual(claudeDirs(undefined, { HOME: '/h', CLAUDE_CONFIG_DIR: '/c, ~/d ,/c' }), ['/c', '/h/d']);
  assert.deepEqual(claudeDirs(undefined, { HOME: '/h' }), ['/h/.claude', '/h/.config/claude']);
});
