// The REAL Claude Code, interactive under tmux against the stand-in API, watched by a real `tce dashboard` process:
// the process, its session and its tokens show over HTTP and the event stream, and a kill from the page's side ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionResult, ProcessSnapshot, SessionUsage, Snapshot, UsageReport } from '../../src/shared/api.js';
import { makeClaudeHome, startInteractive } from '../support/real-claude.js';
import { startStandInApi } from '../support/stand-in-api.js';
import { tempDir, waitFor, writeFile } from '../support/tmp.js';
import { pageHeaders, readEvents, request } from './http-client.js';

const TCE = fileURLToPath(new URL('../../../bin/tce.js', import.meta.url));

test('tce dashboard shows a real Claude Code session, its usage, live events, and kills it from the page side', { timeout: 240_000 }, async (t) => {
  const root = tempDir(t, 'tce-real-dashboard-');
  const api = await startStandInApi({ outputTokens: 42, text: 'Hello from the stand-in.' });
  t.after(() => api.close());
  const home = makeClaudeHome({ root, apiUrl: api.url, project: 'dash-proj' });
  const claude = await startInteractive(home, [], 90_000);
  t.after(() => claude.stop());

  const dataDir = path.join(root, 'tce-data');
  writeFile(path.join(dataDir, 'config.json'), { pollIntervalSeconds: 1 });
  // The secret from the environment: never on the command line, where every user could read it.
  const token = 'real-claude-test-token-0123456789';
  const env = { ...home.env, TCE_DATA_DIR: dataDir, CLAUDE_CONFIG_DIR: home.configDir, NO_COLOR: '1', TCE_DASHBOARD_TOKEN: token };
  const dashboard = spawn(process.execPath, [TCE, 'dashboard', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const owner = { headers: { 'X-TCE-Token': token } };
  let out = '';
  let err = '';
  dashboard.stdout.on('data', (c: Buffer) => (out += c.toString()));
  dashboard.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => dashboard.once('exit', resolve));
  t.after(async () => {
    if (dashboard.exitCode === null && dashboard.signalCode === null) {
      dashboard.kill('SIGKILL');
      await exited;
    }
  });
  const base = await waitFor(`the dashboard URL (stderr: ${err})`, () => /TCE dashboard: (http:\/\/\S+)/.exec(out)?.[1], 30_000);
  const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'dashboard.json'), 'utf8')) as { pid: number };
  assert.equal(state.pid, dashboard.pid);

  const listed = await waitFor('the real Claude Code in /api/processes', async () => {
    const snapshot = (await request(base, '/api/processes', owner)).json<ProcessSnapshot>();
    return snapshot.processes.find((p) => p.pid === claude.pid);
  }, 60_000, 500);
  assert.equal(listed.project, 'dash-proj');
  assert.equal(listed.interactive, true);

  // One prompt: its answer's tokens reach the transcript, the usage report, the session list and the event stream.
  claude.type('say hello');
  claude.keys('Enter');
  await claude.waitForScreen(/Hello from the stand-in/, 60_000);
  const report = await waitFor('the answer counted in /api/usage', async () => {
    const r = (await request(base, '/api/usage', owner)).json<UsageReport>();
    return r.totals.outputTokens >= 42 ? r : null;
  }, 60_000, 500);
  assert.ok(report.totals.inputTokens > 0);
  assert.ok(report.models.length > 0);
  for (const m of report.models) {
    // Cost is known for priced models and flagged unknown (never a silent zero) for the rest.
    assert.ok(m.unpriced || m.costUSD > 0, `model ${m.model}: ${JSON.stringify(m)}`);
  }
  const sessions = (await request(base, '/api/sessions?limit=5', owner)).json<SessionUsage[]>();
  const session = sessions.find((s) => s.livePid === claude.pid);
  assert.ok(session, `no session tied to the live PID: ${JSON.stringify(sessions.map((s) => [s.project, s.livePid]))}`);
  assert.equal(session.path, fs.realpathSync(home.projectDir));
  assert.ok(session.outputTokens >= 42);

  const { events } = await readEvents(base, '/api/events', (list) => list.some((e) => e.event === 'snapshot'), 30_000, owner.headers);
  const pushed = JSON.parse(events.find((e) => e.event === 'snapshot')?.data ?? 'null') as Snapshot;
  assert.ok(pushed.processes.processes.some((p) => p.pid === claude.pid));
  assert.ok((pushed.usage?.totals.outputTokens ?? 0) >= 42);

  // A kill without the token is refused; with it, and the process as listed, Claude Code ends.
  const refused = await request(base, `/api/kill/${claude.pid}?start=${listed.startId}`, { method: 'POST', headers: { Origin: new URL(base).origin } });
  assert.equal(refused.status, 401);
  assert.ok(fs.existsSync(`/proc/${claude.pid}`), 'still running after the refused kill');
  const killed = await request(base, `/api/kill/${claude.pid}?start=${listed.startId}&force=false`, { method: 'POST', headers: pageHeaders(base, token) });
  const result = killed.json<ActionResult>();
  assert.equal(killed.status, 200, JSON.stringify(result));
  assert.equal(result.ok, true);
  await waitFor('Claude Code to exit after the kill', () => !fs.existsSync(`/proc/${claude.pid}`) || /^\d+ \([^)]*\) Z/.test(fs.readFileSync(`/proc/${claude.pid}/stat`, 'utf8')), 20_000);
  await waitFor('the process gone from /api/processes', async () => {
    const snapshot = (await request(base, '/api/processes', owner)).json<ProcessSnapshot>();
    return !snapshot.processes.some((p) => p.pid === claude.pid);
  }, 20_000, 500);

  dashboard.kill('SIGTERM');
  assert.equal(await exited, 0, err);
  assert.ok(!fs.existsSync(path.join(dataDir, 'dashboard.json')));
});
