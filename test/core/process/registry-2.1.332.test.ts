// What Claude Code 2.1.332's registry says (test/fixtures/claude-code-2.1.332/sessions): a session waiting at a
// permission prompt, an idle one, and a -p run whose kind says interactive. Shown as Claude Code reports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseRegistryEntry } from '../../../src/core/process/registry.js';
import { fixtureDir } from '../../support/fixtures.js';
import { spawnFakeFor, writeRegistry } from '../../support/fake-claude.js';
import { tempDir } from '../../support/tmp.js';
import { monitorIn } from './helpers.js';

const HOUR = 3_600_000;
const sessions = (name: string) => path.join(fixtureDir('claude-code-2.1.332'), 'sessions', name);

test('the registry files of the 2.1.332 run: waiting at a permission prompt, and idle', () => {
  const waiting = parseRegistryEntry(fs.readFileSync(sessions('registry-s11-waiting.json'), 'utf8'), 'f');
  assert.deepEqual(
    [waiting?.pid, waiting?.activity, waiting?.waitingFor, waiting?.activitySince, waiting?.name, waiting?.kind, waiting?.entrypoint, waiting?.version],
    [31302, 'waiting', 'permission prompt', 1796013159038, 'proj-beta-b8', 'interactive', 'cli', '2.1.332'],
  );
  const idle = parseRegistryEntry(fs.readFileSync(sessions('registry-s8-idle.json'), 'utf8'), 'f');
  assert.deepEqual([idle?.activity, idle?.waitingFor, idle?.activitySince, idle?.name], ['idle', null, 1796013196070, 'proj-gamma-x-37']);
  // A waiting entry that does not say what for still waits for its user.
  assert.equal(parseRegistryEntry(JSON.stringify({ pid: 9, status: 'waiting' }), 'f')?.waitingFor, 'input');
});

test('live processes: waiting with what for and since when; a -p run is print, not interactive, and gets the background limit', async (t) => {
  const root = tempDir(t, 'tce-registry-332-');
  const { monitor, claudeDir } = monitorIn(root);
  const now = Date.now();
  // The fixture's fields, with this process's own start (procStart, startedAt) so the monitor accepts them.
  const entry = (name: string) => {
    const { procStart: _p, startedAt: _s, ...rest } = JSON.parse(fs.readFileSync(sessions(name), 'utf8')) as Record<string, unknown>;
    return rest;
  };
  const asker = await spawnFakeFor(t, 'npm-native', path.join(root, 'asker'));
  const askingSince = now - 90_000;
  writeRegistry(claudeDir, asker.pid, { ...entry('registry-s11-waiting.json'), pid: asker.pid, cwd: asker.cwd, statusUpdatedAt: askingSince, updatedAt: askingSince } as never);
  // A -p run idle for 5 h: Claude Code says kind interactive, entrypoint sdk-cli.
  const printer = await spawnFakeFor(t, 'npm-native', path.join(root, 'printer'));
  const idleSince = now - 5 * HOUR;
  writeRegistry(claudeDir, printer.pid, { ...entry('registry-s8-idle.json'), pid: printer.pid, cwd: printer.cwd, entrypoint: 'sdk-cli', statusUpdatedAt: idleSince, updatedAt: idleSince } as never);
  // The same, really interactive: stale after 4 h.
  const person = await spawnFakeFor(t, 'npm-native', path.join(root, 'person'));
  writeRegistry(claudeDir, person.pid, { ...entry('registry-s8-idle.json'), pid: person.pid, cwd: person.cwd, statusUpdatedAt: idleSince, updatedAt: idleSince } as never);

  const snapshot = await monitor.scan();
  const get = (pid: number) => {
    const p = snapshot.processes.find((q) => q.pid === pid);
    assert.ok(p, `PID ${pid} not listed`);
    return p;
  };
  const w = get(asker.pid);
  assert.deepEqual([w.activity, w.waitingFor, w.activitySince, w.sessionName, w.interactive, w.print, w.health], ['waiting', 'permission prompt', new Date(askingSince).toISOString(), 'proj-beta-b8', true, false, 'healthy']);
  assert.equal(w.idleSince, new Date(askingSince).toISOString(), 'waiting for its user, it does nothing meanwhile');
  const p = get(printer.pid);
  assert.deepEqual([p.kind, p.entrypoint, p.print, p.interactive, p.health], ['interactive', 'sdk-cli', true, false, 'healthy']);
  assert.equal(get(person.pid).health, 'stale');
});
