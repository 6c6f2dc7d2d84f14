import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../src/cli/commands.js';

test('every listed command loads the module of that name, with its own usage text', async () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'no name twice');
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.match(command.usage, new RegExp(`tce ${entry.name}\\b`));
    assert.ok(entry.summary.length > 10, `${entry.name} has a summary`);
  }
});
