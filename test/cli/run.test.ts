import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT, displayProblem, findElectronBinary } from '../../src/cli/electron-launch.js';
import { isolatedEnv, tempDir, waitFor, type Cleanup } from '../support/tmp.js';

const TCE = path.join(APP_ROOT, 'bin', 'tce.js');

interface Running {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

function runTce(t: Cleanup, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [TCE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  // 'close': the exit code once every byte of its output has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, out: () => out, err: () => err, exited };
}

/** An environment without a display, or with a pretend one, never touching the user's own files. */
function envFor(root: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = isolatedEnv(root, extra);
  if (!('DISPLAY' in extra)) delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  if (!('ELECTRON_OVERRIDE_DIST_PATH' in extra)) delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return env;
}

/** Both output streams, for failure messages. */
const transcript = (run: Running): string => `--- stdout:\n${run.out()}\n--- stderr:\n${run.err()}`;

/** Waits until `stream` of `run` matches `pattern` (stdout and stderr arrive independently). */
async function expectOutput(run: Running, stream: 'out' | 'err', pattern: RegExp): Promise<void> {
  try {
    await waitFor(`${pattern} in std${stream}`, () => pattern.test(run[stream]()), 30_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${transcript(run)}`, { cause: error });
  }
}

async function dashboardUrl(run: Running): Promise<string> {
  await expectOutput(run, 'out', /TCE dashboard: http:\/\/127\.0\.0\.1:\d+\//);
  return /TCE dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.out())![1]!;
}

async function probeAndStop(run: Running): Promise<void> {
  const url = await dashboardUrl(run);
  assert.equal((await fetch(url)).status, 401, 'the page is closed until the owner logs in');
  // The one-time login link it printed trades for the cookie that opens the page.
  await expectOutput(run, 'out', /Log in .*: http:\/\/\S+\/login\?once=\S+/);
  const login = await fetch(/Log in .*: (http:\/\/\S+)/.exec(run.out())![1]!, { redirect: 'manual' });
  assert.equal(login.status, 200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const response = await fetch(url, { headers: { Cookie: cookie } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await response.text(), /<html/i);
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0, transcript(run));
  assert.match(run.out(), /Dashboard stopped\./);
}

/** A stand-in Electron binary: a shell script doing `body`. */
function fakeElectron(dir: string, body: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'electron');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

describe('tce run', () => {
  it('on this machine says why the tray app cannot start and serves the dashboard instead', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-run-');
    const env = envFor(root);
    const run = runTce(t, ['run', '--port', '0'], env);
    await dashboardUrl(run);
    await expectOutput(run, 'err', /serving the dashboard in the browser instead/);
    assert.match(run.err(), /tce run: the tray app cannot start here:/);
    assert.match(run.err(), /no graphical display \(\$DISPLAY and \$WAYLAND_DISPLAY are unset\)/);
    const binary = findElectronBinary(env);
    if (!binary.ok) assert.ok(run.err().includes(binary.problem), `the missing binary is named:\n${run.err()}`);
    await expectOutput(run, 'out', /the tray app did not start/);
    await probeAndStop(run);
  });

  it('falls back when Electron exits at once with an error, showing its last words', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-run-');
    const dist = fakeElectron(path.join(root, 'electron-dist'), 'echo "electron: error while loading shared libraries: libgtk-3.so.0" >&2\nexit 127');
    const run = runTce(t, ['run', '--port', '0'], envFor(root, { DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist }));
    await dashboardUrl(run);
    await expectOutput(run, 'err', /serving the dashboard in the browser instead/);
    assert.match(run.err(), /Electron exited with code 127 right after starting: electron: error while loading shared libraries: libgtk-3\.so\.0/);
    assert.doesNotMatch(run.err(), /no graphical display/);
    await probeAndStop(run);
  });

  it('runs Electron with the app and waits for it, passing --hidden and signals on', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-run-');
    const record = path.join(root, 'electron-args.txt');
    const dist = fakeElectron(
      path.join(root, 'electron-dist'),
      `printf '%s\\n' "$@" > "${record}.tmp"\necho "run-as-node=\${ELECTRON_RUN_AS_NODE:-unset}" >> "${record}.tmp"\necho "claude=$CLAUDE_CONFIG_DIR" >> "${record}.tmp"\nmv "${record}.tmp" "${record}"\nexec sleep 120`,
    );
    const claudeDir = path.join(root, 'other-claude');
    const run = runTce(t, ['run', '--hidden', '--claude-dir', claudeDir], envFor(root, { DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RUN_AS_NODE: '1' }));
    await expectOutput(run, 'out', /TCE is running in the tray/);
    const lines = fs.readFileSync(record, 'utf8').trim().split('\n');
    assert.deepEqual(lines, [APP_ROOT, '--hidden', 'run-as-node=unset', `claude=${claudeDir}`]);
    assert.doesNotMatch(run.out(), /TCE dashboard:/);
    run.child.kill('SIGTERM');
    const code = await run.exited;
    assert.notEqual(code, 0, 'Electron ended by a signal');
    assert.equal(code, 128);
  });

  it('hands over to a tray app that is already running', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-run-');
    const dist = fakeElectron(path.join(root, 'electron-dist'), 'exit 0');
    const run = runTce(t, ['run'], envFor(root, { DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist }));
    assert.equal(await run.exited, 0, transcript(run));
    assert.match(run.out(), /TCE is already running in the tray; its dashboard window was opened\./);
    assert.doesNotMatch(run.out(), /TCE dashboard:/);
  });

  it('with --headless serves the dashboard without trying the tray app', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-run-');
    const record = path.join(root, 'started');
    const dist = fakeElectron(path.join(root, 'electron-dist'), `touch "${record}"\nexec sleep 120`);
    const run = runTce(t, ['run', '--headless', '--port', '0'], envFor(root, { DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist }));
    await dashboardUrl(run);
    await expectOutput(run, 'out', /Headless/);
    assert.equal(fs.existsSync(record), false);
    await probeAndStop(run);
  });
});

describe('finding Electron', () => {
  it('says what is wrong with an override that holds no binary', (t) => {
    const dir = tempDir(t, 'tce-electron-');
    const found = findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    assert.equal(found.ok, false);
    assert.match((found as { problem: string }).problem, /is not an executable file/);
    fs.writeFileSync(path.join(dir, 'electron'), 'not executable', { mode: 0o644 });
    assert.equal(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir }).ok, false);
    fs.chmodSync(path.join(dir, 'electron'), 0o755);
    assert.deepEqual(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir }), { ok: true, binary: path.join(dir, 'electron') });
  });

  it('needs a display on Linux only', () => {
    assert.match(displayProblem({}, 'linux')!, /no graphical display/);
    assert.equal(displayProblem({ DISPLAY: ':0' }, 'linux'), null);
    assert.equal(displayProblem({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'), null);
    assert.equal(displayProblem({}, 'darwin'), null);
    assert.equal(displayProblem({}, 'win32'), null);
  });
});
