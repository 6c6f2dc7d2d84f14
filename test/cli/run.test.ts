import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ROOT, displayProblem, findElectron, SAME_REQUEST_MS } from '../../src/cli/electron-launch.js';
import { sandboxDecision, systemProbes } from '../../src/main/chromium-sandbox.js';
import { freshInstall, makeZip, mirrorEnv, startMirror } from '../mocks/electron-mirror.js';
import type { StubRecord } from '../mocks/stub-electron.js';
import { isolatedEnv, makeTempDir, tempDir, waitFor, type Cleanup } from '../support/tmp.js';
import { openCheckout } from '../support/other-user.js';

const TCE = path.join(APP_ROOT, 'bin', 'tce.js');
const STUB = fileURLToPath(new URL('../mocks/stub-electron.js', import.meta.url));
const ELECTRON_VERSION = (JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

interface Running {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

/**
 * Runs the built `tce` as a terminal would run a foreground job: in a process group of its own, so that a test can
 * send a "Ctrl+C" to the whole group.
 */
function runTce(t: Cleanup, args: string[], env: NodeJS.ProcessEnv, command: string[] = [TCE], options: { uid?: number; gid?: number } = {}): Running {
  const child = spawn(process.execPath, [...command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  // 'close': the exit code once every byte of its output has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
    // An app it started may still hold its output open (the stub is killed by its own rig).
    child.stdout!.destroy();
    child.stderr!.destroy();
    await ended;
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

/**
 * The stand-in Electron: `<dir>/electron` runs test/mocks/stub-electron.js, which records into
 * $STUB_ELECTRON_RECORD. The modes that end at once are plain shell, so that they end well inside the start grace
 * period however busy the machine is.
 */
function stubElectron(dir: string, mode: string): string {
  fs.mkdirSync(dir, { recursive: true });
  let script = stubScript();
  if (mode === 'fail-at-start') script = '#!/bin/sh\necho "electron: error while loading shared libraries: libgtk-3.so.0: cannot open shared object file" >&2\nexit 127\n';
  else if (mode.startsWith('exit:')) script = `#!/bin/sh\nexit ${Number(mode.slice('exit:'.length))}\n`;
  fs.writeFileSync(path.join(dir, 'electron'), script, { mode: 0o755 });
  return dir;
}

const stubScript = (): string => `#!/bin/sh\nexec "${process.execPath}" "${STUB}" "$@"\n`;

/** Ends a stub Electron left running by a test (it is in a process group of its own). */
function killStub(record: string): void {
  if (!fs.existsSync(record)) return;
  try {
    process.kill(-readRecord(record).pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function readRecord(file: string): StubRecord {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StubRecord;
}

/** The process group and session of a process, from /proc. */
function groupOf(pid: number): { pgid: number; sid: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgid: Number(rest[2]), sid: Number(rest[3]) };
}

interface Rig {
  root: string;
  record: string;
  binary: string;
  env: NodeJS.ProcessEnv;
}

/** A folder for a test that runs a stub Electron: at the end the stub is ended (it reads its record), then the folder goes. */
function stubRoot(t: Cleanup, prefix: string): { root: string; record: string } {
  const { dir, remove } = makeTempDir(prefix);
  const record = path.join(dir, 'electron-record.json');
  t.after(() => {
    killStub(record);
    remove();
  });
  return { root: dir, record };
}

/** A stub Electron in an override folder, and the environment of a desktop session using it. */
function rig(t: Cleanup, mode = 'run', extra: NodeJS.ProcessEnv = {}): Rig {
  const { root, record } = stubRoot(t, 'tce-run-');
  const dist = stubElectron(path.join(root, 'electron-dist'), mode);
  const env = envFor(root, { DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist, STUB_ELECTRON_RECORD: record, STUB_ELECTRON_MODE: mode, ...extra });
  return { root, record, binary: path.join(dist, 'electron'), env };
}

/** Starts `tce run` on a stub Electron and waits until it says the app is running. */
async function startRunning(t: Cleanup, r: Rig, args: string[] = []): Promise<Running> {
  const run = runTce(t, ['run', ...args], r.env);
  await expectOutput(run, 'out', /TCE is running in the tray/);
  await waitFor('the stub to record its start', () => fs.existsSync(r.record));
  return run;
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
    const electron = findElectron(env);
    if (electron.kind === 'unusable') assert.ok(run.err().includes(electron.problem), `the problem is named:\n${run.err()}`);
    if (electron.kind === 'not-downloaded') assert.match(run.err(), /the Electron binary is not downloaded yet/);
    assert.doesNotMatch(run.err(), /downloading Electron/, 'no download where the app could not run anyway');
    await expectOutput(run, 'out', /the tray app did not start/);
    await probeAndStop(run);
  });

  it('falls back when Electron exits at once with an error, showing its last words', { timeout: 60_000 }, async (t) => {
    const r = rig(t, 'fail-at-start');
    const run = runTce(t, ['run', '--port', '0'], r.env);
    await dashboardUrl(run);
    await expectOutput(run, 'err', /serving the dashboard in the browser instead/);
    assert.match(run.err(), /Electron exited with code 127 right after starting: electron: error while loading shared libraries: libgtk-3\.so\.0/);
    assert.doesNotMatch(run.err(), /no graphical display/);
    await probeAndStop(run);
  });

  it('runs the app entry with its flags, in a process group of its own, without ELECTRON_RUN_AS_NODE', { timeout: 60_000 }, async (t) => {
    const claudeDir = path.join(tempDir(t, 'tce-run-claude-'), 'other-claude');
    const r = rig(t, 'run', { ELECTRON_RUN_AS_NODE: '1' });
    const run = await startRunning(t, r, ['--hidden', '--claude-dir', claudeDir]);
    const seen = readRecord(r.record);
    const sandbox = sandboxDecision({ binary: r.binary });
    assert.deepEqual(seen.argv, [APP_ROOT, ...(sandbox.noSandbox ? ['--no-sandbox'] : []), '--hidden']);
    if (sandbox.noSandbox) assert.ok(run.err().includes(`tce run: starting Electron with --no-sandbox: ${sandbox.why}.`), run.err());
    else assert.doesNotMatch(run.err(), /--no-sandbox/);
    assert.equal(seen.env.ELECTRON_RUN_AS_NODE, undefined);
    assert.equal(seen.env.CLAUDE_CONFIG_DIR, claudeDir);
    assert.equal(seen.env.DISPLAY, ':99');
    assert.equal(seen.cwd, process.cwd());
    // Its own group (and session): a terminal's Ctrl+C reaches `tce run` only.
    const tce = groupOf(run.child.pid!);
    assert.equal(seen.pgid, seen.pid);
    assert.notEqual(seen.pgid, tce.pgid);
    assert.doesNotMatch(run.out(), /TCE dashboard:/);
  });

  it('as root adds --no-sandbox and says why; as another user it does not (here user namespaces are free)', { timeout: 60_000, skip: process.getuid?.() !== 0 ? 'needs root: it runs `tce run` as root and as an unprivileged user' : false }, async (t) => {
    const restricted = sandboxDecision({ binary: '/nonexistent/electron' }, { ...systemProbes(), uid: 4242 }).noSandbox;
    const r = rig(t);
    const asRoot = await startRunning(t, r);
    assert.deepEqual(readRecord(r.record).argv, [APP_ROOT, '--no-sandbox']);
    assert.match(asRoot.err(), /^tce run: starting Electron with --no-sandbox: running as root, where Chromium cannot start its sandbox\.$/m);
    asRoot.child.kill('SIGTERM');
    assert.equal(await asRoot.exited, 0, transcript(asRoot));

    // The same command as an unprivileged user (nobody), with files it may write.
    const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
    const uid = Number(nobody.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim());
    assert.ok(uid > 0 && gid > 0, 'the nobody user exists');
    openCheckout();
    const root2 = tempDir(t, 'tce-run-user-');
    fs.chmodSync(root2, 0o777);
    const r2 = rig(t);
    fs.chmodSync(r2.root, 0o777);
    fs.rmSync(r2.record, { force: true });
    const env = { ...r2.env, ...isolatedEnv(root2, { DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: r2.env.ELECTRON_OVERRIDE_DIST_PATH, STUB_ELECTRON_RECORD: r2.record, STUB_ELECTRON_MODE: 'run' }) };
    fs.chownSync(path.join(root2, 'home'), uid, gid);
    const asUser = runTce(t, ['run'], env, [TCE], { uid, gid });
    await expectOutput(asUser, 'out', /TCE is running in the tray/);
    await waitFor('the stub to record its start', () => fs.existsSync(r2.record));
    assert.deepEqual(readRecord(r2.record).argv, restricted ? [APP_ROOT, '--no-sandbox'] : [APP_ROOT]);
    if (!restricted) assert.doesNotMatch(asUser.err(), /--no-sandbox/);
    asUser.child.kill('SIGTERM');
    assert.equal(await asUser.exited, 0, transcript(asUser));
  });

  it('passes one graceful stop on for one Ctrl+C to its terminal, waits for the app, and exits with its code', { timeout: 60_000 }, async (t) => {
    const r = rig(t, 'run', { STUB_ELECTRON_EXIT_CODE: '7' });
    const run = await startRunning(t, r);
    // The terminal sends SIGINT to its whole foreground group.
    process.kill(-run.child.pid!, 'SIGINT');
    assert.equal(await run.exited, 7, transcript(run));
    assert.deepEqual(readRecord(r.record).signals, ['SIGINT'], 'exactly one stop reached the app');
    assert.match(run.err(), /tce run: stopping TCE \(SIGINT\)…/);
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`passes one ${signal} on and exits with the app's code`, { timeout: 60_000 }, async (t) => {
      const r = rig(t, 'run', { STUB_ELECTRON_EXIT_CODE: '3' });
      const run = await startRunning(t, r);
      process.kill(-run.child.pid!, signal);
      assert.equal(await run.exited, 3, transcript(run));
      assert.deepEqual(readRecord(r.record).signals, [signal]);
    });
  }

  it('takes one Ctrl+C delivered twice at once (npm forwards it too) as one stop; a second Ctrl+C forces', { timeout: 60_000 }, async (t) => {
    const r = rig(t, 'slow-quit');
    const run = await startRunning(t, r);
    const stub = readRecord(r.record).pid;
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    // The hint comes once a further Ctrl+C would be a new request (SAME_REQUEST_MS after the first).
    await expectOutput(run, 'err', /press Ctrl\+C again to force it/);
    assert.ok(SAME_REQUEST_MS > 0);
    await waitFor('the stub to record the stop', () => readRecord(r.record).signals.length > 0);
    assert.deepEqual(readRecord(r.record).signals, ['SIGINT']);
    assert.ok(isAlive(stub), 'the app is still shutting down, not killed');
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 137, transcript(run));
    assert.match(run.err(), /tce run: forcing TCE to stop \(SIGKILL\)\./);
    await waitFor('the app to be gone', () => !isAlive(stub));
    assert.deepEqual(readRecord(r.record).signals, ['SIGINT'], 'the force is SIGKILL, not another stop');
  });

  it('hands over to a tray app that is already running', { timeout: 60_000 }, async (t) => {
    const r = rig(t, 'exit:0');
    const run = runTce(t, ['run'], r.env);
    assert.equal(await run.exited, 0, transcript(run));
    assert.match(run.out(), /TCE is already running in the tray; its dashboard window was opened\./);
    assert.doesNotMatch(run.out(), /TCE dashboard:/);
  });

  it('with --headless serves the dashboard without trying the tray app', { timeout: 60_000 }, async (t) => {
    const r = rig(t);
    const run = runTce(t, ['run', '--headless', '--port', '0'], r.env);
    await dashboardUrl(run);
    await expectOutput(run, 'out', /Headless/);
    assert.equal(fs.existsSync(r.record), false);
    await probeAndStop(run);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describe('tce run on a fresh install (the Electron binary never downloaded)', () => {
  /** `tce run` of a fresh copy of TCE, its modules resolved inside that copy. */
  const runFresh = (t: Cleanup, tce: string, args: string[], env: NodeJS.ProcessEnv): Running =>
    runTce(t, args, env, ['--preserve-symlinks', '--preserve-symlinks-main', tce]);

  it('downloads Electron with its own installer, then starts the app', { timeout: 120_000 }, async (t) => {
    const { root, record } = stubRoot(t, 'tce-fresh-');
    const { appRoot, tce, electronDir } = freshInstall(root, APP_ROOT);
    const zip = makeZip([
      { name: 'electron', data: Buffer.from(stubScript()), mode: 0o755 },
      { name: 'version', data: Buffer.from(`v${ELECTRON_VERSION}`), mode: 0o644 },
    ]);
    const mirror = await startMirror(ELECTRON_VERSION, zip);
    t.after(() => mirror.close());
    const env = envFor(root, { DISPLAY: ':99', STUB_ELECTRON_RECORD: record, STUB_ELECTRON_MODE: 'run', ...mirrorEnv(mirror, path.join(root, 'cache')) });
    assert.equal(findElectron(env, electronDir).kind, 'not-downloaded');
    const run = runFresh(t, tce, ['run'], env);
    await expectOutput(run, 'out', /TCE is running in the tray/);
    assert.match(run.err(), new RegExp(`^tce run: first launch: downloading Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')} with its installer \\(.*install\\.js\\)…$`, 'm'));
    assert.match(run.err(), new RegExp(`^tce run: Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')} is installed\\.$`, 'm'));
    assert.ok(mirror.requests.some((p) => p.endsWith('.zip')), `the installer fetched the zip: ${mirror.requests.join(', ')}`);
    // Where the electron package's own entry point would look for it next time.
    assert.equal(fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8'), 'electron');
    assert.deepEqual(findElectron(env, electronDir), { kind: 'found', binary: path.join(electronDir, 'dist', 'electron') });
    await waitFor('the app to start', () => fs.existsSync(record));
    assert.equal(readRecord(record).argv[0], `${appRoot}/`, 'the fresh install’s app');
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0, transcript(run));
  });

  it('says in one line when the download fails, and serves the dashboard', { timeout: 120_000 }, async (t) => {
    const root = tempDir(t, 'tce-fresh-');
    const { tce, electronDir } = freshInstall(root, APP_ROOT);
    const mirror = await startMirror(ELECTRON_VERSION, null);
    t.after(() => mirror.close());
    const env = envFor(root, { DISPLAY: ':99', ...mirrorEnv(mirror, path.join(root, 'cache')) });
    const run = runFresh(t, tce, ['run', '--port', '0'], env);
    await dashboardUrl(run);
    const said = run.err().split('\n').filter((line) => line.trim() !== '');
    assert.equal(said.length, 2, run.err());
    assert.match(said[0]!, /^tce run: first launch: downloading Electron .* with its installer/);
    assert.match(said[1]!, new RegExp(`^tce run: Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')} could not be downloaded \\(its installer exited with code 1: .*404.*\\); serving the dashboard in the browser instead\\.$`));
    assert.equal(findElectron(env, electronDir).kind, 'not-downloaded', 'nothing half-installed is left');
    await probeAndStop(run);
  });
});

describe('finding Electron', () => {
  it('says what is wrong with an override that holds no binary', (t) => {
    const dir = tempDir(t, 'tce-electron-');
    const found = findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    assert.equal(found.kind, 'unusable');
    assert.match((found as { problem: string }).problem, /is not an executable file/);
    fs.writeFileSync(path.join(dir, 'electron'), 'not executable', { mode: 0o644 });
    assert.equal(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dir }).kind, 'unusable');
    fs.chmodSync(path.join(dir, 'electron'), 0o755);
    assert.deepEqual(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dir }), { kind: 'found', binary: path.join(dir, 'electron') });
  });

  it('reads path.txt as the electron package does, and offers its installer when the binary is missing', (t) => {
    const pkg = tempDir(t, 'tce-electron-pkg-');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"version":"45.4.1"}');
    assert.equal(findElectron({}, pkg).kind, 'unusable', 'no installer either');
    fs.writeFileSync(path.join(pkg, 'install.js'), '');
    assert.deepEqual(findElectron({}, pkg), { kind: 'not-downloaded', packageDir: pkg, installer: path.join(pkg, 'install.js'), version: '45.4.1' });
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    assert.equal(findElectron({}, pkg).kind, 'not-downloaded', 'path.txt without the binary: downloaded again');
    fs.mkdirSync(path.join(pkg, 'dist'));
    fs.writeFileSync(path.join(pkg, 'dist', 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    assert.deepEqual(findElectron({}, pkg), { kind: 'found', binary: path.join(pkg, 'dist', 'electron') });
    // The override wins, and takes the file name path.txt gives.
    const override = tempDir(t, 'tce-electron-override-');
    fs.writeFileSync(path.join(override, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    assert.deepEqual(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: override }, pkg), { kind: 'found', binary: path.join(override, 'electron') });
  });

  it('needs a display on Linux only', () => {
    assert.match(displayProblem({}, 'linux')!, /no graphical display/);
    assert.equal(displayProblem({ DISPLAY: ':0' }, 'linux'), null);
    assert.equal(displayProblem({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'), null);
    assert.equal(displayProblem({}, 'darwin'), null);
    assert.equal(displayProblem({}, 'win32'), null);
  });
});
