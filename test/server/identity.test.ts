// Exact identity for every signal (issue 12, finding 9): a kill or pin names the process as it was listed, PID and
// start; a PID reused since by another Claude-looking process is refused with "that process is gone", over HTTP and
// from the CLI, even after the monitor has listed the newcomer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createMonitor } from '../../src/core/create-core.js';
import { startDashboardServer } from '../../src/server/index.js';
import type { ActionResult, ClaudeProcess, ProcessSnapshot } from '../../src/shared/api.js';
import { canReusePids, reusePid } from '../core/process/helpers.js';
import { neverSignalled, refTo, spawnFake, spawnFakeFor } from '../support/fake-claude.js';
import { tce } from '../support/tce-cli.js';
import { isolatedEnv, tempDir, waitFor } from '../support/tmp.js';
import { pageHeaders, request } from './http-client.js';

describe('a kill names the process as it was listed', () => {
  it('over HTTP: a PID reused by another Claude process is refused, "that process is gone", and the newcomer lives', { skip: !canReusePids() && 'a real PID reuse needs root (the core kill tests play it without)', timeout: 90_000 }, async (t) => {
    const root = tempDir(t, 'tce-identity-');
    const monitor = createMonitor({ claudeDirs: [path.join(root, 'claude')], dataDir: path.join(root, 'data') });
    t.after(() => monitor.stop());
    const server = await startDashboardServer({ monitor, port: 0, staticDir: path.join(root, 'renderer') });
    t.after(() => server.close());
    const owner = { headers: { 'X-TCE-Token': server.token } };
    const listed = async (pid: number): Promise<ClaudeProcess | undefined> => {
      await monitor.refresh();
      return (await request(server.url, '/api/processes', owner)).json<ProcessSnapshot>().processes.find((p) => p.pid === pid);
    };

    let round = 0;
    const { first, seen, newcomer } = await reusePid(
      () => spawnFake('native-installer', path.join(root, `first-${round++}`)),
      (fake) => waitFor('the first process listed', () => listed(fake.pid)),
      () => spawnFake('npm-native', path.join(root, 'newcomer')),
    );
    t.after(() => newcomer.kill());
    // The server's monitor has polled since: what it lists under that PID now is the newcomer.
    const now = await waitFor('the newcomer listed under the same PID', async () => {
      const p = await listed(first.pid);
      return p?.installForm === 'npm-native' ? p : null;
    });
    assert.notEqual(now.startId, seen.startId);

    for (const action of ['kill', 'pin'] as const) {
      const target = `/api/${action}/${seen.pid}?start=${seen.startId}${action === 'kill' ? '&force=true' : ''}`;
      const res = await request(server.url, target, { method: 'POST', headers: pageHeaders(server.url, server.token) });
      assert.equal(res.status, 409, res.text);
      const result = res.json<ActionResult>();
      assert.deepEqual([result.ok, result.outcome], [false, 'not-found']);
      assert.match(result.message, new RegExp(`PID ${seen.pid}: that process is gone`));
    }
    assert.ok(neverSignalled(newcomer.pid), 'the newcomer was never signalled');
    // The newcomer, named as listed now, can be ended.
    const res = await request(server.url, `/api/kill/${now.pid}?start=${now.startId}&force=true`, { method: 'POST', headers: pageHeaders(server.url, server.token) });
    assert.equal(res.status, 200, res.text);
    await waitFor('the newcomer to end', () => !newcomer.alive());
  });

  it('from the CLI: --start insists on the process listed; without it, the one the PID names when tce reads it', async (t) => {
    const root = tempDir(t, 'tce-identity-');
    const env = isolatedEnv(root);
    const fake = await spawnFakeFor(t, 'native-installer', path.join(root, 'p'));
    const start = refTo(fake.pid).startId;
    const status = JSON.parse((await tce(['status', '--json'], env)).stdout) as { processes: Array<{ pid: number; startId: string }> };
    assert.equal(status.processes.find((p) => p.pid === fake.pid)?.startId, start, 'tce status --json lists the start identity');

    const wrong = await tce(['kill', String(fake.pid), '--start', String(Number(start) + 1)], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, new RegExp(`PID ${fake.pid}: that process is gone; .*Nothing was signalled`));
    const bad = await tce(['pin', String(fake.pid), '--start', 'yesterday'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--start must be a process's startId/);
    assert.ok(neverSignalled(fake.pid));

    const pinned = await tce(['pin', String(fake.pid), '--start', start], env);
    assert.equal(pinned.code, 0, pinned.stderr);
    const killed = await tce(['kill', String(fake.pid)], env);
    assert.equal(killed.code, 0, killed.stderr);
    await waitFor('the process to end', () => !fake.alive());
  });
});
