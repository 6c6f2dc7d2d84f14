import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { claudeFolderProblems, createCore } from '../../src/core/create-core.js';
import { tempDir } from '../support/tmp.js';

test('one core: each part built once, on one settings store that the monitor writes through', async (t) => {
  const dir = tempDir(t, 'tce-core-');
  const claude = path.join(dir, 'claude');
  fs.mkdirSync(claude);
  const core = createCore({ claudeDirs: [claude], dataDir: path.join(dir, 'data'), env: {} });
  assert.equal(core.processes, core.processes);
  assert.equal(core.usage, core.usage);
  assert.equal(core.monitor, core.monitor);
  assert.equal(core.settings.file, path.join(dir, 'data', 'config.json'));
  await core.monitor.updateSettings({ pollIntervalSeconds: 42 });
  assert.equal(core.settings.load().settings.pollIntervalSeconds, 42, 'the monitor wrote through the core’s store');
  assert.deepEqual(core.folderProblems(), []);
});

test('missing Claude folders: the same words for the CLI and the snapshot; named ones each, guessed ones only when none is there', async (t) => {
  const dir = tempDir(t, 'tce-core-');
  const missing = path.join(dir, 'nowhere');
  assert.deepEqual(claudeFolderProblems([missing, dir], true), [`no Claude Code folder at ${missing}; nothing is read from there.`]);
  assert.deepEqual(claudeFolderProblems([missing, dir], false), []);
  assert.deepEqual(claudeFolderProblems([missing], false), [`no Claude Code folder found (looked in ${missing}); use --claude-dir or CLAUDE_CONFIG_DIR.`]);

  const named = createCore({ claudeDir: missing, dataDir: path.join(dir, 'data'), env: {} });
  assert.deepEqual(named.claudeDirs, [missing]);
  assert.deepEqual(named.folderProblems(), claudeFolderProblems([missing], true));
  const fromEnv = createCore({ dataDir: path.join(dir, 'data'), env: { CLAUDE_CONFIG_DIR: missing, HOME: dir } });
  assert.deepEqual(fromEnv.folderProblems(), claudeFolderProblems([missing], true));
  const guessed = createCore({ dataDir: path.join(dir, 'data'), env: { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg') } });
  assert.match(guessed.folderProblems()[0] ?? '', /^no Claude Code folder found \(looked in /);

  const monitor = named.monitor;
  t.after(() => monitor.stop());
  const snapshot = await monitor.refresh();
  assert.ok(snapshot.warnings.includes(`no Claude Code folder at ${missing}; nothing is read from there.`), snapshot.warnings.join('\n'));
});
