// A remote machine's token stays in its token file and in the requests to that machine: never in the page, the
// snapshot or anything else this server answers, never in its log or its files. And the page acts on a remote
// process only through this server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Snapshot } from '../../src/shared/api.js';
import { spawnFakeFor } from '../support/fake-claude.js';
import { writeMachineHome } from '../support/machine-home.js';
import { startTceServer, writeSettings, writeTokenFile } from '../support/tce-server.js';
import { isolatedEnv, tempDir, waitFor } from '../support/tmp.js';
import { readEvents, request } from './http-client.js';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("a remote machine's token", () => {
  it('never reaches the page, the snapshot, the settings, the event stream, the metrics or the log; actions still reach that machine', async (t) => {
    const root = tempDir(t);
    const fake = await spawnFakeFor(t, 'native-installer', path.join(root, 'fake'));
    const remoteEnv = isolatedEnv(path.join(root, 'devbox'), { TCE_DEBUG: '1' });
    writeMachineHome(remoteEnv.CLAUDE_CONFIG_DIR as string, { '-home-dev-x': [{ model: 'claude-sonnet-4-5', input: 1000, output: 10, daysAgo: 0 }] });
    writeSettings(remoteEnv.TCE_DATA_DIR as string, { pollIntervalSeconds: 1 });
    const remote = await startTceServer(t, remoteEnv);
    // A second remote whose token file holds a wrong token: its refusal is shown, the token in it is not.
    const wrong = writeTokenFile(path.join(root, 'wrong.token'));

    const env = isolatedEnv(path.join(root, 'local'), { TCE_DEBUG: '1' });
    writeSettings(env.TCE_DATA_DIR as string, {
      pollIntervalSeconds: 1,
      remotes: [
        { name: 'devbox', url: remote.url, tokenFile: remote.tokenFile },
        { name: 'wrongkey', url: remote.url, tokenFile: wrong.file },
      ],
    });
    const local = await startTceServer(t, env);
    const own = { headers: { Authorization: `Bearer ${local.token}` } };

    const snapshot = await waitFor('devbox listing the process, and wrongkey refused', async () => {
      const s = (await request(local.url, '/api/snapshot', own)).json<Snapshot>();
      const devbox = s.machines.find((m) => m.name === 'devbox');
      const refused = s.machines.find((m) => m.name === 'wrongkey');
      return devbox?.summary?.processes.processes.some((p) => p.pid === fake.pid) && refused?.error ? s : null;
    }, 30_000, 200);
    assert.match(snapshot.machines[1]!.error!, new RegExp(`it refused the token in ${wrong.file.replace(/[.]/g, '\\.')} \\(401\\)`));

    const secrets = [remote.token, wrong.token];
    const answers: Array<[string, string]> = [];
    for (const route of ['/', '/api/snapshot', '/api/settings', '/api/processes', '/api/machine', '/metrics', '/api/usage', '/api/sessions']) {
      const res = await request(local.url, route, own);
      assert.equal(res.status, 200, route);
      answers.push([route, res.text]);
    }
    const page = answers[0]![1];
    for (const asset of page.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+)"/g)) answers.push([asset[1]!, (await request(local.url, asset[1]!, own)).text]);
    assert.ok(answers.length > 8, 'the page and its assets were read');
    const events = await readEvents(local.url, '/api/events', (list) => list.some((e) => e.event === 'snapshot' && e.data.includes('"devbox"')), 20_000, own.headers);
    answers.push(['/api/events', events.raw]);
    assert.ok(answers.find(([r]) => r === '/api/settings')![1].includes(remote.tokenFile), 'the settings name the token file');

    // Kill through this server, as the page does (the page never talks to devbox itself).
    const started = (snapshot.machines[0]!.summary!.processes.processes.find((p) => p.pid === fake.pid))!.startId;
    const kill = await request(local.url, `/api/kill/${fake.pid}?start=${started}&machine=devbox`, { method: 'POST', headers: own.headers });
    assert.equal(kill.status, 200, kill.text);
    answers.push(['kill', kill.text]);
    await waitFor('the process to end', () => !fake.alive(), 10_000);
    await waitFor("devbox's log of the kill", () => new RegExp(`POST /api/kill/${fake.pid}\\?start=${started}&force=false 200`).test(remote.err()), 5000);

    await local.stop();
    const logs = `${local.out()}\n${local.err()}`;
    assert.match(logs, /GET \/api\/snapshot 200/, 'the access log was on');
    for (const secret of secrets) {
      for (const [route, text] of answers) assert.ok(!text.includes(secret), `${route} holds a remote token`);
      assert.ok(!logs.includes(secret), 'the log holds a remote token');
      for (const file of filesUnder(env.TCE_DATA_DIR as string)) assert.ok(!fs.readFileSync(file, 'latin1').includes(secret), `${file} holds a remote token`);
    }
  });
});
