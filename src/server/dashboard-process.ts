/** Is the PID in dashboard.json still a running `tce dashboard` (or `tce run` serving it)? Checked before any signal. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isRunning, startTicksOf } from '../core/system/probe.js';
import type { DashboardState } from './state-file.js';

export type DashboardCheck = { kind: 'gone' } | { kind: 'other'; command: string } | { kind: 'dashboard'; command: string };

function commandLine(pid: number): string[] | null {
  if (process.platform === 'linux') {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      return null;
    }
  }
  try {
    // ps joins argv with spaces; good enough to recognise `tce dashboard`.
    const text = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return text ? text.split(/\s+/) : null;
  } catch {
    return null;
  }
}

/** argv of `tce dashboard ...` / `tce run ...`: the tce script (bin/tce.js, a `tce` link) followed by the command. */
export function looksLikeDashboard(argv: string[]): boolean {
  const script = argv.findIndex((a) => ['tce', 'tce.js'].includes(path.basename(a)) || a.endsWith(`${path.sep}cli${path.sep}main.js`));
  if (script < 0) return false;
  // The command is always the first argument after the script (src/cli/main.ts).
  const command = argv[script + 1];
  return command === 'dashboard' || command === 'run';
}

export function checkDashboardProcess(state: DashboardState): DashboardCheck {
  // A zombie serves nothing: gone.
  if (!isRunning(state.pid)) return { kind: 'gone' };
  const argv = commandLine(state.pid);
  if (!argv || argv.length === 0) return { kind: 'gone' };
  const command = argv.join(' ');
  if (state.procStart !== undefined) {
    const now = startTicksOf(state.pid);
    // The PID was reused by a process started later: the dashboard itself is gone.
    if (now !== null && now !== state.procStart) return { kind: 'other', command };
  }
  return looksLikeDashboard(argv) ? { kind: 'dashboard', command } : { kind: 'other', command };
}
