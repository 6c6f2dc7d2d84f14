// Claude Code's live session registry (sessions/<pid>.json): the real file 2.1.197 wrote, broken files, and the
// start-time check that keeps a left-behind entry from describing a new process with the same PID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseRegistryEntry, readRegistry, registryMatches } from '../../../src/core/process/registry.js';
import { spawnFakeFor, writeRegistry } from '../../support/fake-claude.js';
import { tempDir } from '../../support/tmp.js';
import { monitorIn } from './helpers.js';

/** sessions/12726.json exactly as Claude Code 2.1.197 wrote it (shared fixtures), kept here so CI has it too. */
const FIXTURE_TEXT =
  '{"pid": 12726, "sessionId": "853c5dfb-97d1-4cd0-994c-08942802dd7b", "cwd": "/home/user/proj", "startedAt": 1795470474556, "procStart": "42905", "version": "2.1.197", "peerProtocol": 1, "kind": "interactive", "entrypoint": "cli", "name": "proj-92", "nameSource": "derived", "status": "busy", "updatedAt": 1795470484413, "statusUpdatedAt": 1795470484413}';
const FIXTURE = '/home/user/.claude/sessions/12726.json';

test('the registry file Claude Code 2.1.197 wrote', () => {
  const entry = parseRegistryEntry(FIXTURE_TEXT, FIXTURE);
  assert.deepEqual(entry, {
    pid: 12726,
    sessionId: '853c5dfb-97d1-4cd0-994c-08942802dd7b',
    cwd: '/home/user/proj',
    startedAt: 1795470474556,
    procStart: '42905',
    version: '2.1.197',
    kind: 'interactive',
    entrypoint: 'cli',
    name: 'proj-92',
    activity: 'busy',
    activitySince: 1795470484413,
    waitingFor: null,
    file: FIXTURE,
  });
});

test('broken, half-written or misnamed registry files are skipped; the others still count', (t) => {
  const root = tempDir(t, 'tce-registry-');
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  const sessions = path.join(a, 'sessions');
  fs.mkdirSync(sessions, { recursive: true });
  fs.writeFileSync(path.join(sessions, '100.json'), '{"pid": 100, "sessionId": "x", "status": "idle", "updatedAt": 5');
  fs.writeFileSync(path.join(sessions, '101.json'), '[1, 2]');
  fs.writeFileSync(path.join(sessions, '102.json'), JSON.stringify({ pid: 999, sessionId: 'belongs to 999' }));
  fs.writeFileSync(path.join(sessions, '103.json'), JSON.stringify({ pid: -3 }));
  fs.writeFileSync(path.join(sessions, 'notes.txt'), 'hello');
  fs.writeFileSync(path.join(sessions, '104.json'), JSON.stringify({ pid: 104, sessionId: 'old', status: 'sleeping', procStart: 77 }));
  // The same PID in a second Claude dir, written later: the newer file wins.
  fs.mkdirSync(path.join(b, 'sessions'), { recursive: true });
  fs.writeFileSync(path.join(b, 'sessions', '104.json'), JSON.stringify({ pid: 104, sessionId: 'new', status: 'idle', statusUpdatedAt: 42 }));
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(b, 'sessions', '104.json'), later, later);

  const registry = readRegistry([a, b, path.join(root, 'missing')]);
  assert.deepEqual([...registry.keys()], [104]);
  const entry = registry.get(104);
  assert.deepEqual([entry?.sessionId, entry?.activity, entry?.activitySince, entry?.procStart], ['new', 'idle', 42, null]);
  assert.equal(parseRegistryEntry(JSON.stringify({ pid: 5, status: 'sleeping', procStart: 77 }), 'f')?.activity, null, 'an unknown status is no activity');
  assert.equal(parseRegistryEntry(JSON.stringify({ pid: 5, procStart: 77 }), 'f')?.procStart, '77', 'a numeric procStart is read too');
});

test('an entry matches a process by procStart (Linux), else by startedAt shortly after the process start', () => {
  const base = { pid: 1, sessionId: null, cwd: null, version: null, kind: null, entrypoint: null, name: null, activity: null, activitySince: null, waitingFor: null, file: 'f' };
  const start = 1_800_000_000_000;
  assert.equal(registryMatches({ ...base, procStart: '500', startedAt: null }, '500', start), true);
  assert.equal(registryMatches({ ...base, procStart: '500', startedAt: start + 100 }, '501', start), false, 'procStart decides');
  // Without procStart (other systems, older versions): Claude Code's JavaScript starts a little after the process.
  assert.equal(registryMatches({ ...base, procStart: null, startedAt: start + 800 }, null, start), true);
  assert.equal(registryMatches({ ...base, procStart: null, startedAt: start + 20_000 }, '42', start), true);
  assert.equal(registryMatches({ ...base, procStart: null, startedAt: start - 3_600_000 }, null, start), false, 'an earlier process');
  assert.equal(registryMatches({ ...base, procStart: null, startedAt: start + 120_000 }, null, start), false, 'a later process');
  assert.equal(registryMatches({ ...base, procStart: null, startedAt: null }, null, start), false);
});

test('a live process: the registry entry without procStart is used when its startedAt fits, ignored when it does not', async (t) => {
  const root = tempDir(t, 'tce-registry-');
  const { monitor, claudeDir } = monitorIn(root);
  const fits = await spawnFakeFor(t, 'argv0', path.join(root, 'fits'));
  const earlier = await spawnFakeFor(t, 'argv0', path.join(root, 'earlier'));
  const write = (pid: number, startedAt: number, sessionId: string) => {
    const entry = writeRegistry(claudeDir, pid, { startedAt, sessionId });
    const { procStart: _dropped, ...withoutProcStart } = entry;
    fs.writeFileSync(path.join(claudeDir, 'sessions', `${pid}.json`), JSON.stringify(withoutProcStart));
  };
  write(fits.pid, Date.now(), 'fits-session');
  write(earlier.pid, Date.now() - 3_600_000, 'earlier-session');
  const snapshot = await monitor.scan();
  assert.equal(snapshot.processes.find((p) => p.pid === fits.pid)?.sessionId, 'fits-session');
  assert.equal(snapshot.processes.find((p) => p.pid === earlier.pid)?.sessionId, null);
});
