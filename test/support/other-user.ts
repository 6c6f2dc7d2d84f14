// A second real account on this machine, for the security tests: created with useradd for one test (or suite) and
// removed after it. Commands run as that user through runuser, with no access to anything of ours it should not have.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './tmp.js';

export interface OtherUser {
  name: string;
  uid: number;
  gid: number;
  /** Runs `file args` as this user (runuser, no shell); never throws, resolves with what happened. */
  run(file: string, args: string[], options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Runs a Node script (given as text) as this user. */
  node(script: string, args?: string[], options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Why a second user cannot be made here, or null. Only root can add users. */
export function otherUserProblem(): string | null {
  if (process.platform !== 'linux') return 'a second local user is made with useradd on Linux only';
  if (process.getuid?.() !== 0) return 'adding a second local user needs root';
  for (const tool of ['/usr/sbin/useradd', '/usr/sbin/userdel', '/usr/sbin/runuser']) if (!fs.existsSync(tool)) return `${tool} is missing`;
  return null;
}

/**
 * A fresh user, removed when the test ends. In CI the machine must allow it (the suite runs as root there); elsewhere a
 * test without root says so and is skipped by the caller.
 */
export function makeOtherUser(t: Cleanup): OtherUser {
  openCheckout();
  const name = `tcesec${process.pid.toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  execFileSync('/usr/sbin/useradd', ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', name], { stdio: 'pipe' });
  t.after(() => {
    try {
      execFileSync('/usr/sbin/userdel', [name], { stdio: 'pipe' });
    } catch {
      // A process of the user still running: killed first, then removed.
      try {
        execFileSync('/usr/bin/pkill', ['-KILL', '-u', name], { stdio: 'pipe' });
      } catch {
        // none left
      }
      execFileSync('/usr/sbin/userdel', ['--force', name], { stdio: 'pipe' });
    }
  });
  const uid = Number(execFileSync('/usr/bin/id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('/usr/bin/id', ['-g', name], { encoding: 'utf8' }).trim());
  const run: OtherUser['run'] = (file, args, options = {}) =>
    new Promise((resolve) => {
      execFile(
        '/usr/sbin/runuser',
        ['-u', name, '--', file, ...args],
        { timeout: options.timeoutMs ?? 30_000, env: { PATH: process.env.PATH, LANG: 'C', ...options.env }, cwd: '/', maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  return {
    name,
    uid,
    gid,
    run,
    node: (script, args = [], options) => run(process.execPath, ['--input-type=module', '-e', script, '--', ...args], options),
  };
}

/** Opens the folders from `/` down to `dir` for other users to pass through (a temp folder is 0700): only TCE's own modes guard what is inside. */
export function openPathTo(dir: string): void {
  const tmp = fs.realpathSync(os.tmpdir());
  for (let at = path.resolve(dir); at !== path.dirname(at); at = path.dirname(at)) {
    const mode = fs.statSync(at).mode & 0o777;
    if ((mode & 0o005) === 0o005) continue;
    // Only test folders are opened; anything else that blocks the way is the machine's, and a reason to stop.
    if (!at.startsWith(`${tmp}${path.sep}`)) throw new Error(`${at} (mode ${mode.toString(8)}) keeps other users out; run the test under ${tmp}`);
    fs.chmodSync(at, mode | 0o005);
  }
}

/** This checkout (bin/, dist/, node_modules/), which another user runs TCE from. */
const CHECKOUT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Lets other users reach this checkout when it sits in a temp folder (a fresh clone made with mktemp is 0700): they
 * get to the code, whose files are readable as git wrote them. Elsewhere a folder that keeps them out is named.
 */
export function openCheckout(): void {
  openPathTo(CHECKOUT);
}
