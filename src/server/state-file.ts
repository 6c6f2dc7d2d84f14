/**
 * `dashboard.json` in TCE's data dir: which process serves the dashboard, where, and its secret, so `tce dashboard-stop`
 * can find it and `tce dashboard --open` can ask it for a login link. Written (0600, in the 0700 data folder) when the
 * server listens, removed when it stops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../core/private-file.js';

export interface DashboardState {
  pid: number;
  url: string;
  port: number;
  host: string;
  /** ISO time the server started. */
  startedAt: string;
  /** Kernel start time of `pid` (Linux, /proc/<pid>/stat field 22), so a reused PID is not taken for the dashboard. */
  procStart?: string;
  /** The server's secret: what TCE's own CLI sends (X-TCE-Token) to talk to it. Only the owner can read this file. */
  secret?: string;
}

export const STATE_FILE_NAME = 'dashboard.json';

export function stateFile(dataDir: string): string {
  return path.join(dataDir, STATE_FILE_NAME);
}

export function writeState(dataDir: string, state: DashboardState): string {
  const file = stateFile(dataDir);
  writePrivateFile(file, `${JSON.stringify(state, null, 2)}\n`);
  return file;
}

export type StateRead = { kind: 'missing' } | { kind: 'damaged'; reason: string } | { kind: 'found'; state: DashboardState };

export function readState(dataDir: string): StateRead {
  let text: string;
  try {
    text = fs.readFileSync(stateFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'damaged', reason: (error as Error).message };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'damaged', reason: `not valid JSON (${(error as Error).message})` };
  }
  const s = raw as Partial<DashboardState> | null;
  if (!s || typeof s !== 'object' || !Number.isInteger(s.pid) || (s.pid as number) < 1 || typeof s.url !== 'string' || !Number.isInteger(s.port)) {
    return { kind: 'damaged', reason: 'it does not name a pid, url and port' };
  }
  return {
    kind: 'found',
    state: {
      pid: s.pid as number,
      url: s.url,
      port: s.port as number,
      host: typeof s.host === 'string' ? s.host : '',
      startedAt: typeof s.startedAt === 'string' ? s.startedAt : '',
      ...(typeof s.procStart === 'string' ? { procStart: s.procStart } : {}),
      ...(typeof s.secret === 'string' ? { secret: s.secret } : {}),
    },
  };
}

/** Removes the state file if it still names `pid` (another dashboard may have started since). */
export function removeStateIfOurs(dataDir: string, pid: number): void {
  const read = readState(dataDir);
  if (read.kind === 'found' && read.state.pid !== pid) return;
  fs.rmSync(stateFile(dataDir), { force: true });
}

export function removeState(dataDir: string): void {
  fs.rmSync(stateFile(dataDir), { force: true });
}
