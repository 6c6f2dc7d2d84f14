import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../src/shared/api.js';
import { neverSignalled, spawnFake } from '../support/fake-claude.js';
import { isolatedEnv, tempDir, waitFor, writeFile, type Cleanup } from '../support/tmp.js';
import { request } from './http-client.js';

const TCE = fileURLToPath(new URL('../../../bin/tce.js', import.meta.url));

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
  url: string;
}

/** Starts `tce dashboard args` and waits for its URL line; stopped (SIGKILL) when the test ends if still running. */
async function startDashboard(t: Cleanup, env: NodeJS.ProcessEnv, args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [TCE, 'dashboard', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
  });
  const url = await waitFor(
    `the dashboard URL on stdout (stdout: ${JSON.stringify(out)}, stderr: ${JSON.stringify(err)})`,
    () => {
      if (child.exitCode !== null) throw new Error(`tce dashboard exited with ${child.exitCode}: ${err}`);
      return /TCE dashboard: (http:\/\/\S+)/.exec(out)?.[1];
    },
    30_000,
  );
  return { child, out: () => out, err: () => err, exit, url };
}

function tce(env: NodeJS.ProcessEnv, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [TCE, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function stateFileOf(env: NodeJS.ProcessEnv): string {
  return path.join(env.TCE_DATA_DIR as string, 'dashboard.json');
}

/** How TCE's own CLI talks to the dashboard: with the secret from the (0600) state file. */
function asOwner(env: NodeJS.ProcessEnv): { headers: Record<string, string> } {
  const state = JSON.parse(fs.readFileSync(stateFileOf(env), 'utf8')) as { secret: string };
  return { headers: { 'X-TCE-Token': state.secret } };
}

describe('tce dashboard and tce dashboard-stop', () => {
  it('serves the API on the asked port, writes the state file, and dashboard-stop stops it and removes the file', async (t) => {
    const root = tempDir(t);
    const env = isolatedEnv(root);
    const fake = await spawnFake('native-installer', root);
    t.after(() => fake.kill('SIGKILL'));
    const dash = await startDashboard(t, env, ['--port', '0']);
    assert.match(dash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    const state = JSON.parse(fs.readFileSync(stateFileOf(env), 'utf8')) as Record<string, unknown>;
    assert.equal(state.pid, dash.child.pid);
    assert.equal(state.url, dash.url);
    assert.equal(state.port, Number(new URL(dash.url).port));
    assert.equal(state.host, '127.0.0.1');
    assert.ok(!Number.isNaN(Date.parse(state.startedAt as string)));

    assert.equal((await request(dash.url, '/api/snapshot')).status, 401, 'nothing without the secret');
    const owner = asOwner(env);
    await waitFor('the Claude-form process in /api/snapshot of the CLI server', async () => {
      const res = await request(dash.url, '/api/snapshot', owner);
      return res.status === 200 && res.json<Snapshot>().processes.processes.some((p) => p.pid === fake.pid);
    }, 30_000, 500);
    const page = await request(dash.url, '/', owner);
    assert.ok(page.status === 200 || page.status === 503, `page status ${page.status}`);
    assert.equal(typeof state.secret, 'string');
    assert.equal(fs.statSync(stateFileOf(env)).mode & 0o777, 0o600, 'the state file (which holds the secret) is private');
    assert.equal(fs.statSync(env.TCE_DATA_DIR as string).mode & 0o777, 0o700, 'so is the data folder');

    const stop = tce(env, ['dashboard-stop']);
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, new RegExp(`Stopped the dashboard at ${dash.url.replace(/[.]/g, '\\.')} \\(pid ${dash.child.pid}\\)`));
    assert.equal(await dash.exit, 0, dash.err());
    assert.match(dash.out(), /Dashboard stopped/);
    assert.ok(!fs.existsSync(stateFileOf(env)), 'the state file is removed');
    assert.ok(fake.alive(), 'stopping the dashboard leaves Claude processes alone');
    await assert.rejects(request(dash.url, '/api/settings'), /ECONNREFUSED/);

    const again = tce(env, ['dashboard-stop']);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /No dashboard is running/);
  });

  it('stops cleanly on Ctrl+C (SIGINT) and removes its state file', async (t) => {
    const root = tempDir(t);
    const env = isolatedEnv(root);
    const dash = await startDashboard(t, env, ['--port', '0']);
    assert.ok(fs.existsSync(stateFileOf(env)));
    dash.child.kill('SIGINT');
    assert.equal(await dash.exit, 0, dash.err());
    assert.ok(!fs.existsSync(stateFileOf(env)));
  });

  it('takes the port from --port, else the settings file, else CLAUDE_MONITOR_PORT', async (t) => {
    const root = tempDir(t);
    const [settingsPort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()];
    const env = isolatedEnv(root, { CLAUDE_MONITOR_PORT: String(envPort) });

    const fromEnv = await startDashboard(t, env, []);
    assert.equal(new URL(fromEnv.url).port, String(envPort));
    fromEnv.child.kill('SIGTERM');
    assert.equal(await fromEnv.exit, 0);

    writeFile(path.join(env.TCE_DATA_DIR as string, 'config.json'), { dashboardPort: settingsPort });
    const fromSettings = await startDashboard(t, env, []);
    assert.equal(new URL(fromSettings.url).port, String(settingsPort));
    fromSettings.child.kill('SIGTERM');
    assert.equal(await fromSettings.exit, 0);

    const fromFlag = await startDashboard(t, env, ['--port', String(flagPort)]);
    assert.equal(new URL(fromFlag.url).port, String(flagPort));
    fromFlag.child.kill('SIGTERM');
    assert.equal(await fromFlag.exit, 0);
  });

  it('says so and exits 1 when the port is in use', async (t) => {
    const root = tempDir(t);
    const env = isolatedEnv(root);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as net.AddressInfo).port;
    const result = tce(env, ['dashboard', '--port', String(port)]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`port ${port} .*already in use by another program`));
    assert.ok(!fs.existsSync(stateFileOf(env)), 'no state file for a server that never ran');
  });

  it('a second dashboard on the same port points to the running one and leaves its state file alone', async (t) => {
    const root = tempDir(t);
    const env = isolatedEnv(root);
    const first = await startDashboard(t, env, ['--port', '0']);
    const port = new URL(first.url).port;
    const stateBefore = fs.readFileSync(stateFileOf(env), 'utf8');
    const second = tce(env, ['dashboard', '--port', port]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, new RegExp(`already running at ${first.url.replace(/[.]/g, '\\.')} \\(pid ${first.child.pid}\\)`));
    // With a fresh login link to it, asked of the running server with the secret from its state file.
    const link = /log in with (http:\/\/\S+\/login\?once=\S+)/.exec(second.stderr)?.[1];
    assert.ok(link, second.stderr);
    assert.equal((await request(first.url, new URL(link).pathname + new URL(link).search)).status, 200, 'the new link logs in');
    assert.equal(fs.readFileSync(stateFileOf(env), 'utf8'), stateBefore);
    assert.equal((await request(first.url, '/api/settings', asOwner(env))).status, 200, 'the first one still serves');
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0);
  });

  it('refuses bad ports, short tokens, and a non-loopback host without --token', (t) => {
    const root = tempDir(t);
    const env = isolatedEnv(root);
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['--port', 'http'], env, /--port must be a port number/],
      [['--port', '70000'], env, /--port must be a port number/],
      [[], { ...env, CLAUDE_MONITOR_PORT: 'abc' }, /CLAUDE_MONITOR_PORT must be a port number/],
      [['--port', '0', '--token', 'short'], env, /at least 16 characters/],
      [['--port', '0', '--host', '0.0.0.0'], env, /refusing to listen on 0\.0\.0\.0 without a token/],
    ];
    for (const [args, caseEnv, message] of cases) {
      const result = tce(caseEnv, ['dashboard', ...args]);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });

  it('listens beyond loopback with --token, warns, and accepts only that token for actions', async (t) => {
    const root = tempDir(t);
    const env = isolatedEnv(root);
    const token = 'a-long-secret-for-the-lan-0123';
    const dash = await startDashboard(t, env, ['--port', '0', '--host', '0.0.0.0', '--token', token]);
    await waitFor('the warning on stderr', () => /warning: listening on 0\.0\.0\.0/.test(dash.err()));
    const port = new URL(dash.url).port;
    const base = `http://127.0.0.1:${port}/`;
    const origin = `http://127.0.0.1:${port}`;
    assert.match(dash.out(), /\?token=<your token>/);
    // Beyond loopback the page (which holds the token) is not served to just anyone.
    assert.equal((await request(base, '/')).status, 401);
    assert.equal((await request(base, '/api/snapshot')).status, 401);
    const body = JSON.stringify({ pollIntervalSeconds: 7 });
    const wrong = await request(base, '/api/settings', { method: 'POST', headers: { Origin: origin, 'X-TCE-Token': 'x'.repeat(30) }, body });
    assert.equal(wrong.status, 401, 'a wrong token is turned away before anything else');
    const right = await request(base, '/api/settings', { method: 'POST', headers: { Origin: origin, 'X-TCE-Token': token }, body });
    assert.equal(right.status, 200, right.text);
    dash.child.kill('SIGTERM');
    assert.equal(await dash.exit, 0);
  });

  it('--open hands the URL to the browser opener, and only warns when there is none', async (t) => {
    const root = tempDir(t);
    const bin = path.join(root, 'bin');
    const opened = path.join(root, 'opened.txt');
    writeFile(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    fs.chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const env = isolatedEnv(root, { PATH: `${bin}:${process.env.PATH}` });
    const dash = await startDashboard(t, env, ['--port', '0', '--open']);
    const url = await waitFor('xdg-open to be called', () => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8') : ''));
    // A one-time login link, not the bare page (which is closed without one).
    assert.match(url, new RegExp(`^${dash.url.replace(/[.]/g, '\\.')}login\\?once=[\\w-]{20,}$`));
    const login = await request(dash.url, new URL(url).pathname + new URL(url).search);
    assert.equal(login.status, 200);
    assert.match(String(login.headers['set-cookie']), /HttpOnly; SameSite=Strict/);

    // Asked again while it runs: it opens a new login link to the running dashboard.
    fs.rmSync(opened);
    const again = tce(env, ['dashboard', '--port', new URL(dash.url).port, '--open']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /already running .*; opened it in your browser/);
    const second = fs.readFileSync(opened, 'utf8');
    assert.notEqual(second, url);
    assert.equal((await request(dash.url, new URL(second).pathname + new URL(second).search)).status, 200);
    dash.child.kill('SIGTERM');
    assert.equal(await dash.exit, 0);

    const emptyBin = path.join(root, 'empty-bin');
    fs.mkdirSync(emptyBin);
    const noOpener = { ...isolatedEnv(root), PATH: emptyBin };
    const alone = await startDashboard(t, noOpener, ['--port', '0', '--open']);
    await waitFor('the warning about the browser', () => /could not open a browser/.test(alone.err()));
    assert.equal((await request(alone.url, '/api/settings', asOwner(noOpener))).status, 200, 'the server runs on without a browser');
    alone.child.kill('SIGTERM');
    assert.equal(await alone.exit, 0);
  });

  describe('dashboard-stop with a state file that does not name a running dashboard', () => {
    it('a dead PID: says none is running and removes the file', async (t) => {
      const root = tempDir(t);
      const env = isolatedEnv(root);
      const gone = spawnSync('/bin/sh', ['-c', 'echo $$']).stdout.toString().trim();
      writeFile(stateFileOf(env), { pid: Number(gone), url: 'http://127.0.0.1:5111/', port: 5111, host: '127.0.0.1', startedAt: new Date().toISOString() });
      const result = tce(env, ['dashboard-stop']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /No dashboard is running .*gone.*removed the stale state file/);
      assert.ok(!fs.existsSync(stateFileOf(env)));
    });

    it('a PID that is now another program: leaves it running and removes the file', async (t) => {
      const root = tempDir(t);
      const env = isolatedEnv(root);
      const other = await spawnFake('decoy-claudette', root);
      t.after(() => other.kill('SIGKILL'));
      writeFile(stateFileOf(env), { pid: other.pid, url: 'http://127.0.0.1:5111/', port: 5111, host: '127.0.0.1', startedAt: new Date().toISOString() });
      const result = tce(env, ['dashboard-stop']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /now something else.*left it alone/);
      assert.ok(neverSignalled(other.pid), 'a process that is not the dashboard is never signalled');
      assert.ok(!fs.existsSync(stateFileOf(env)));
    });

    it('a damaged file: says so, removes it, exits 1', (t) => {
      const root = tempDir(t);
      const env = isolatedEnv(root);
      writeFile(stateFileOf(env), '{"pid": 12');
      const result = tce(env, ['dashboard-stop']);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /damaged/);
      assert.ok(!fs.existsSync(stateFileOf(env)));
    });
  });
});
