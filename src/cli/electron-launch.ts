/**
 * Finds, installs and starts the Electron binary for `tce run` without loading the `electron` package (its entry
 * point downloads the binary synchronously when it is missing, and the CLI must run where Electron cannot). The
 * lookup mirrors that entry point (node_modules/electron/index.js): `path.txt` names the executable under `dist/`,
 * or under $ELECTRON_OVERRIDE_DIST_PATH; a missing binary is fetched by the package's own installer (install.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's manifest, named in pieces so that no import of the package itself appears in the CLI's sources. */
const ELECTRON_MANIFEST = ['electron', 'package.json'].join('/');

/** The project root: package.json's "main" (dist/src/main/index.js) is the app Electron runs. */
export const APP_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const APP_ENTRY = path.join(APP_ROOT, 'dist', 'src', 'main', 'index.js');

export type ElectronLookup =
  | { kind: 'found'; binary: string }
  /** The package is there but its binary was never downloaded (or went missing): its installer can fetch it. */
  | { kind: 'not-downloaded'; packageDir: string; installer: string; version: string }
  | { kind: 'unusable'; problem: string };

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The electron package's folder as seen from `from` (an import.meta.url), or null when it is not installed. */
export function electronPackageDir(from: string = import.meta.url): string | null {
  try {
    return path.dirname(createRequire(from).resolve(ELECTRON_MANIFEST));
  } catch {
    return null;
  }
}

/** Where the binary is, as the electron package itself would answer, or why it cannot be had. */
export function findElectron(env: NodeJS.ProcessEnv = process.env, packageDir: string | null = electronPackageDir()): ElectronLookup {
  const relative = packageDir ? readText(path.join(packageDir, 'path.txt'))?.trim() || null : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    // The override is used as it is: the package never downloads into it.
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    if (isExecutableFile(binary)) return { kind: 'found', binary };
    return { kind: 'unusable', problem: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} is not an executable file.` };
  }
  if (!packageDir) return { kind: 'unusable', problem: 'the electron package is not installed (run `npm install`).' };
  const installer = path.join(packageDir, 'install.js');
  const binary = relative ? path.join(packageDir, 'dist', relative) : null;
  if (binary && isExecutableFile(binary)) return { kind: 'found', binary };
  if (binary && fs.existsSync(binary)) return { kind: 'unusable', problem: `the Electron binary ${binary} is not executable.` };
  if (!fs.existsSync(installer)) return { kind: 'unusable', problem: `the Electron binary is not installed and ${installer} is missing (reinstall the electron package).` };
  const version = (JSON.parse(readText(path.join(packageDir, 'package.json')) ?? '{}') as { version?: string }).version ?? '?';
  return { kind: 'not-downloaded', packageDir, installer, version };
}

export type Install = { ok: true } | { ok: false; problem: string };

export interface InstallOptions {
  installer: string;
  version: string;
  env: NodeJS.ProcessEnv;
  /** Where the installer's output goes when it is not a terminal (only its last words are kept then). */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Runs the electron package's own installer, as its entry point does when the binary is missing. On a terminal the
 * installer writes there itself, so its progress bar shows; otherwise its output is kept and its last line names
 * the failure. Resolves when it is done.
 */
export function installElectron(options: InstallOptions): Promise<Install> {
  const onTerminal = options.stderr.isTTY === true;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [options.installer], {
        cwd: path.dirname(options.installer),
        env: options.env,
        stdio: onTerminal ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({ ok: false, problem: `its installer could not be started: ${(error as Error).message}` });
      return;
    }
    let said = '';
    const keep = (chunk: Buffer): void => {
      said = (said + chunk.toString('utf8')).slice(-MAX_KEPT_ERROR);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (error) => resolve({ ok: false, problem: `its installer could not be started: ${error.message}` }));
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve({ ok: true });
        return;
      }
      const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      const last = said.trim().split('\n').find((line) => line.trim() !== '')?.trim();
      const why = onTerminal ? `its installer ${how}; its output is above` : `its installer ${how}${last ? `: ${last}` : ''}`;
      resolve({ ok: false, problem: why });
    });
  });
}

/** Linux and the BSDs need an X11 or Wayland display for a tray; macOS and Windows always have one. */
export function displayProblem(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no graphical display ($DISPLAY and $WAYLAND_DISPLAY are unset), so there is no tray to live in.';
}

/** How a child's end is reported as an exit code: its own code, or 128 + the signal's number as shells do. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? os.constants.signals[signal] : undefined;
  return number ? 128 + number : 1;
}

export type Launch =
  /**
   * `endedAtOnce`: it quit without an error before the grace period, as a second instance does; `stopped`: it ended
   * before then because `tce run` was asked to stop it.
   */
  | { ok: true; exited: Promise<number>; endedAtOnce: boolean; stopped: boolean; pid: number }
  | { ok: false; problem: string };

export interface LaunchOptions {
  binary: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** How long the app must stay up to count as started. */
  graceMs: number;
  /** Where Electron's own error output goes (also kept for the message when it fails at once). */
  stderr: NodeJS.WritableStream;
  /** What `tce run` says while it stops the app on a signal. */
  notes: NodeJS.WritableStream;
}

const MAX_KEPT_ERROR = 4000;
const STDERR_DRAIN_MS = 500;
/** Signals that ask `tce run` to stop the app. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/**
 * A second stop signal within this time is the same request delivered twice (under `npm start` one Ctrl+C reaches
 * `tce run` from the terminal and again from npm, which forwards it), not a request to force.
 */
export const SAME_REQUEST_MS = 300;

/**
 * Stops the app on a signal, as a terminal user expects: the first SIGINT, SIGTERM or SIGHUP is passed on once
 * (Electron quits gracefully on each of them, once: electron/electron shell/browser/electron_browser_main_parts_posix.cc),
 * and `tce run` waits for the app to finish; another one after that kills the app's whole process group.
 * Returns the function that stops listening.
 */
function superviseSignals(child: ChildProcess, notes: NodeJS.WritableStream): () => void {
  let firstAt: number | null = null;
  let forced = false;
  let hint: NodeJS.Timeout | null = null;
  const say = (text: string): void => {
    try {
      notes.write(text);
    } catch {
      // The terminal may be gone (SIGHUP): nothing to say it on.
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const now = Date.now();
    if (firstAt === null) {
      firstAt = now;
      child.kill(signal);
      if (signal === 'SIGHUP') return;
      say(`tce run: stopping TCE (${signal})…\n`);
      // Said once a further Ctrl+C would be taken as a new request.
      hint = setTimeout(() => say('tce run: press Ctrl+C again to force it.\n'), SAME_REQUEST_MS);
      hint.unref();
      return;
    }
    if (forced || now - firstAt < SAME_REQUEST_MS) return;
    forced = true;
    say('tce run: forcing TCE to stop (SIGKILL).\n');
    try {
      // Its own process group: the renderer and GPU processes go with it.
      process.kill(-pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return () => {
    if (hint) clearTimeout(hint);
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  };
}

/**
 * Spawns Electron with the app in a process group of its own (a terminal's Ctrl+C reaches `tce run` only, which
 * passes one stop on) and waits `graceMs`: an exit within that time with an error (a missing library, no display it
 * can open, a crash on start) is reported with the end of its error output instead. Signals are handled from the
 * moment it is spawned; the exit code is Electron's.
 */
export function launchElectron(options: LaunchOptions): Promise<Launch> {
  const env = { ...options.env };
  // Set, it would make the binary behave as plain Node and run our main file without Electron's modules.
  delete env.ELECTRON_RUN_AS_NODE;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      // POSIX: a session and process group of its own. (On Windows there are no such signals to keep apart, and
      // `detached` would give the process a console of its own.)
      child = spawn(options.binary, options.args, { env, stdio: ['ignore', 'inherit', 'pipe'], detached: process.platform !== 'win32' });
    } catch (error) {
      resolve({ ok: false, problem: `Electron could not be started: ${(error as Error).message}` });
      return;
    }
    const stopSupervising = superviseSignals(child, options.notes);
    let errorText = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      try {
        options.stderr.write(chunk);
      } catch {
        // Our terminal may be gone; Electron keeps running.
      }
      errorText = (errorText + chunk.toString('utf8')).slice(-MAX_KEPT_ERROR);
    });
    let settled = false;
    let stopRequested = false;
    const markStop = (): void => {
      stopRequested = true;
    };
    for (const s of STOP_SIGNALS) process.once(s, markStop);
    const forgetStop = (): void => {
      for (const s of STOP_SIGNALS) process.off(s, markStop);
    };
    const exited = new Promise<number>((done) => {
      child.once('error', (error) => {
        stopSupervising();
        forgetStop();
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve({ ok: false, problem: `Electron could not be started: ${error.message}` });
        }
        done(1);
      });
      child.once('exit', (code, signal) => {
        stopSupervising();
        forgetStop();
        const status = exitStatus(code, signal);
        if (settled || stopRequested) {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve({ ok: true, exited: Promise.resolve(status), endedAtOnce: false, stopped: true, pid: child.pid ?? 0 });
          }
          done(status);
          return;
        }
        // Its last error lines may still be in the pipe: read them (a helper process holding the pipe open is not
        // waited for long).
        const stderr = child.stderr;
        const drained = stderr && !stderr.readableEnded ? new Promise<void>((r) => {
          stderr.once('end', r);
          setTimeout(r, STDERR_DRAIN_MS).unref();
        }) : Promise.resolve();
        void drained.then(() => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            if (status === 0) {
              // Quit at once without an error: the normal case when another instance was already running.
              resolve({ ok: true, exited: Promise.resolve(0), endedAtOnce: true, stopped: false, pid: child.pid ?? 0 });
            } else {
              const why = signal ? `was killed by ${signal}` : `exited with code ${status}`;
              const tail = errorText.trim().split('\n').slice(-3).join(' | ');
              resolve({ ok: false, problem: `Electron ${why} right after starting${tail ? `: ${tail}` : '.'}` });
            }
          }
          done(status);
        });
      });
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      resolve({ ok: true, exited, endedAtOnce: false, stopped: false, pid: child.pid ?? 0 });
    }, options.graceMs);
  });
}
