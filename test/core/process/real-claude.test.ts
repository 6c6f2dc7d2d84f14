// The REAL Claude Code (npm package, native binary), interactive under tmux against the stand-in API: the scan must
// report its cwd, its session id from the registry it writes, busy while a request is in flight, idle after, waiting
// (for a permission prompt) while it asks, as the registry says; and a -p run as print, not interactive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClaudeProcess } from '../../../src/core/process/index.js';
import { makeClaudeHome, startInteractive, startPrint, type InteractiveClaude } from '../../support/real-claude.js';
import { startStandInApi } from '../../support/stand-in-api.js';
import { isolatedEnv, makeTempDir, waitFor } from '../../support/tmp.js';
import { monitorIn } from './helpers.js';

const TCE = fileURLToPath(new URL('../../../../bin/tce.js', import.meta.url));

test('a real interactive Claude Code: cwd, session id, tty, busy then idle, waiting at a permission prompt; a -p run as print', { timeout: 180_000 }, async (t) => {
  // One clean-up, in order: Claude Code writes its files as it exits, so the folder goes last.
  const tmp = makeTempDir('tce-real-claude-');
  const root = tmp.dir;
  let claude: InteractiveClaude | null = null;
  const api = await startStandInApi({ varied: true });
  t.after(async () => {
    await claude?.stop();
    await api.close();
    tmp.remove();
  });
  const home = makeClaudeHome({ root, apiUrl: api.url, project: 'real-proj' });
  const session = await startInteractive(home, [], 60_000);
  claude = session;
  const { monitor } = monitorIn(path.join(root, 'monitor'), { claudeDir: home.configDir });

  const registryFile = path.join(home.configDir, 'sessions', `${session.pid}.json`);
  const registry = await waitFor('the sessions/<pid>.json registry', () => {
    try {
      return JSON.parse(fs.readFileSync(registryFile, 'utf8')) as { sessionId?: string; status?: string };
    } catch {
      return null;
    }
  }, 30_000);
  assert.ok(registry.sessionId);

  const find = async (): Promise<ClaudeProcess | undefined> => (await monitor.scan()).processes.find((p) => p.pid === session.pid);
  const first = await find();
  assert.ok(first, `the real Claude Code (PID ${session.pid}) is not in the scan`);
  assert.equal(first.cwd, fs.realpathSync(home.projectDir));
  assert.equal(first.project, 'real-proj');
  assert.equal(first.installForm, 'npm-native');
  assert.equal(first.name, 'claude');
  assert.match(first.tty ?? '', /^pts\/\d+$/);
  assert.equal(first.interactive, true);
  assert.equal(first.kind, 'interactive');
  assert.match(first.version ?? '', /^\d+\.\d+\.\d+/);
  assert.equal(first.health, 'healthy');

  // A response held back by the stand-in keeps the session busy until it arrives.
  api.setDelay(10_000);
  session.type('say hello');
  session.keys('Enter');
  await waitFor('the prompt to reach the stand-in API', () => api.inFlight > 0, 30_000, 100);
  const busy = await waitFor('the scan to show busy while the request is held', async () => {
    const p = await find();
    return p?.activity === 'busy' ? p : null;
  }, 8_000, 250);
  assert.ok(api.inFlight > 0, 'still held: the scan saw busy during the request');
  assert.equal(busy.sessionId, (JSON.parse(fs.readFileSync(registryFile, 'utf8')) as { sessionId: string }).sessionId);
  assert.equal(busy.idleSince, null);
  api.setDelay(0);
  api.release();
  const idle = await waitFor('the scan to show idle after the answer', async () => {
    const p = await find();
    return p?.activity === 'idle' && api.inFlight === 0 ? p : null;
  }, 60_000, 250);
  assert.ok(idle.sessionId);
  assert.equal(idle.sessionId, (JSON.parse(fs.readFileSync(registryFile, 'utf8')) as { sessionId: string }).sessionId);
  assert.ok(idle.idleSince !== null && Date.parse(idle.idleSince) >= Date.parse(busy.startedAt));

  // The built CLI sees the same session.
  const status = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [TCE, 'status', '--json', '--claude-dir', home.configDir], { env: isolatedEnv(path.join(root, 'cli')), timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`tce status failed: ${stderr}`)) : resolve(stdout),
    );
  });
  const listed = (JSON.parse(status) as { processes: Array<Record<string, unknown>> }).processes.find((p) => p.pid === session.pid);
  assert.ok(listed, `tce status --json does not list PID ${session.pid}`);
  assert.deepEqual(
    [listed.sessionId, listed.cwd, listed.activity, listed.tty, listed.kind, listed.health],
    [idle.sessionId, idle.cwd, 'idle', idle.tty, 'interactive', 'healthy'],
  );

  // A permission prompt: Claude Code's registry says waiting, for a permission prompt; TCE shows just that.
  session.type('please RUN_BASH now');
  session.keys('Enter');
  await session.waitForScreen(/Do you want to proceed\?/, 60_000);
  const waiting = await waitFor('the scan to show the session waiting', async () => {
    const p = await find();
    return p?.activity === 'waiting' ? p : null;
  }, 30_000, 250);
  const asked = JSON.parse(fs.readFileSync(registryFile, 'utf8')) as { status: string; waitingFor: string; statusUpdatedAt: number };
  assert.deepEqual([asked.status, asked.waitingFor], ['waiting', 'permission prompt']);
  assert.deepEqual([waiting.waitingFor, waiting.activitySince, waiting.interactive, waiting.print], [asked.waitingFor, new Date(asked.statusUpdatedAt).toISOString(), true, false]);
  const waitingStatus = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [TCE, 'status', '--json', '--claude-dir', home.configDir], { env: isolatedEnv(path.join(root, 'cli')), timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`tce status failed: ${stderr}`)) : resolve(stdout),
    );
  });
  const all = (JSON.parse(waitingStatus) as { processes: Array<Record<string, unknown>>; waiting: number }).processes;
  const at = all.findIndex((p) => p.pid === session.pid);
  assert.ok(at >= 0 && all.slice(0, at).every((p) => p.activity === 'waiting'), 'waiting sessions are listed first');
  assert.deepEqual([all[at]!.activity, all[at]!.waitingFor], ['waiting', 'permission prompt']);
  assert.ok((all[at]!.waitingSeconds as number) >= 0);
  session.keys('Escape');
  await waitFor('the scan to show idle once the prompt is declined', async () => (await find())?.activity === 'idle', 30_000, 250);

  // A -p run, held at its request: Claude Code's registry says kind interactive, entrypoint sdk-cli; TCE says print.
  api.setDelay(20_000);
  const print = startPrint(home, 'say hello from print', [], 90_000);
  const printed = await waitFor('the -p run in the scan, with its registry entry', async () => {
    const p = (await monitor.scan()).processes.find((x) => x.pid === print.pid);
    return p?.sessionId ? p : null;
  }, 30_000, 250);
  const printRegistry = JSON.parse(fs.readFileSync(path.join(home.configDir, 'sessions', `${print.pid}.json`), 'utf8')) as { kind: string; entrypoint: string };
  assert.deepEqual([printRegistry.kind, printRegistry.entrypoint], ['interactive', 'sdk-cli']);
  assert.deepEqual([printed.kind, printed.entrypoint, printed.print, printed.interactive], ['interactive', 'sdk-cli', true, false]);
  api.setDelay(0);
  api.release();
  assert.equal((await print.done).code, 0);
});
