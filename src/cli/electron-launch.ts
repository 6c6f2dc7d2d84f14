/**
 * Finds and starts the Electron binary for `tce run` without loading the `electron` package: its entry point
 * tries to download the binary when it is missing, and the CLI must run where Electron cannot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's manifest, named in pieces so that no import of the package itself appears in the CLI's sources. */
const ELECTRON_MANIFEST = ['electron', 'package.json'].join('/');

/** The project root: package.json's "main" (dist/src/main/index.js) is the app Electron runs. */
export const APP_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const APP_ENTRY = path.join(APP_ROOT, 'dist', 'src', 'main', 'index.js');

export type Found = { ok: true; binary: string } | { ok: false; problem: string };

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the electron package's install script put the binary: `<package>/dist/<path.txt>`, or under
 * $ELECTRON_OVERRIDE_DIST_PATH as the package itself honours it.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, from: string = import.meta.url): Found {
  let relative: string | null = null;
  let packageDir: string | null = null;
  try {
    packageDir = path.dirname(createRequire(from).resolve(ELECTRON_MANIFEST));
    relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim() || null;
  } catch {
    // No package, or its install script never wrote path.txt: said below.
  }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    if (isExecutableFile(binary)) return { ok: true, binary };
    return { ok: false, problem: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} is not an executable file.` };
  }
  if (!packageDir) return { ok: false, problem: 'the electron package is not installed (run `npm install`).' };
  if (!relative) {
    return {
      ok: false,
      problem: `the Electron binary is not installed (${path.join(packageDir, 'path.txt')} is missing: its download did not run or failed; try \`node ${path.join(packageDir, 'install.js')}\`).`,
    };
  }
  const binary = path.join(packageDir, 'dist', relative);
  if (!isExecutableFile(binary)) return { ok: false, problem: `the Electron binary ${binary} is missing or not executable.` };
  return { ok: true, binary };
}

/** Linux and the BSDs need an X11 or Wayland display for a tray; macOS and Windows always have one. */
export function displayProblem(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no graphical display ($DISPLAY and $WAYLAND_DISPLAY are unset), so there is no tray to live in.';
}

export type Launch =
  /** `endedAtOnce`: it quit without an error before the grace period, as a second instance does. */
  | { ok: true; child: ChildProcess; exited: Promise<number>; endedAtOnce: boolean }
  | { ok: false; problem: string };

export interface LaunchOptions {
  binary: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** How long the app must stay up to count as started. */
  graceMs: number;
  /** Where Electron's own error output goes (also kept for the message when it fails at once). */
  stderr: NodeJS.WritableStream;
}

const MAX_KEPT_ERROR = 4000;
const STDERR_DRAIN_MS = 500;

/**
 * Spawns Electron with the app and waits `graceMs`: an exit within that time with an error (a missing library, no
 * display it can open, a crash on start) is reported with the end of its error output instead.
 */
export function launchElectron(options: LaunchOptions): Promise<Launch> {
  const env = { ...options.env };
  // Set, it would make the binary behave as plain Node and run our main file without Electron's modules.
  delete env.ELECTRON_RUN_AS_NODE;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(options.binary, options.args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    } catch (error) {
      resolve({ ok: false, problem: `Electron could not be started: ${(error as Error).message}` });
      return;
    }
    let errorText = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      options.stderr.write(chunk);
      errorText = (errorText + chunk.toString('utf8')).slice(-MAX_KEPT_ERROR);
    });
    let settled = false;
    const exited = new Promise<number>((done) => {
      child.once('error', (error) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve({ ok: false, problem: `Electron could not be started: ${error.message}` });
        }
        done(1);
      });
      child.once('exit', (code, signal) => {
        const status = code ?? (signal ? 128 : 1);
        if (settled) {
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
              resolve({ ok: true, child, exited: Promise.resolve(0), endedAtOnce: true });
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
      resolve({ ok: true, child, exited, endedAtOnce: false });
    }, options.graceMs);
  });
}
