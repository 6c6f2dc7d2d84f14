import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeDashboard } from '../../src/server/dashboard-process.js';

describe('looksLikeDashboard', () => {
  it('recognises tce dashboard and tce run, however tce was started', () => {
    assert.equal(looksLikeDashboard(['/usr/bin/node', '/home/u/tce/bin/tce.js', 'dashboard', '--port', '0']), true);
    assert.equal(looksLikeDashboard(['node', '/usr/local/bin/tce', 'dashboard']), true);
    assert.equal(looksLikeDashboard(['/usr/bin/node', '--enable-source-maps', '/opt/tce/bin/tce.js', 'run', '--headless']), true);
  });

  it('rejects other tce commands and programs that merely mention the words', () => {
    assert.equal(looksLikeDashboard(['node', '/home/u/tce/bin/tce.js', 'status']), false);
    assert.equal(looksLikeDashboard(['node', '/home/u/tce/bin/tce.js']), false);
    assert.equal(looksLikeDashboard(['/bin/sleep', 'dashboard']), false);
    assert.equal(looksLikeDashboard(['python3', 'serve.py', 'tce', 'dashboard-ish']), false);
    assert.equal(looksLikeDashboard(['vim', '/home/u/notes/tce.js.bak', 'dashboard']), false);
  });
});
