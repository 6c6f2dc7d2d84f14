/** Checks of what a client sends: PIDs in paths, query flags and dates, the settings patch body. */
import { LIMITS, MACHINE_NAME_PATTERN, START_ID_PATTERN, settingsPatchProblems } from '../core/settings/schema.js';
import type { ProcessRef, SettingsPatch } from '../shared/api.js';
import { DATE_PATTERN } from '../shared/usage-range.js';
import { HttpError } from './http-util.js';

export function parsePid(text: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new HttpError(400, `Not a process id: '${text}'.`);
  const pid = Number(text);
  if (pid < LIMITS.pid[0] || pid > LIMITS.pid[1]) throw new HttpError(400, `Not a process id: '${text}'.`);
  return pid;
}

/** `/{pid}?start={startId}[&machine=<name>]`: the process as the page listed it; without its start a PID could name a newer process. */
export function parseTarget(pidText: string, params: URLSearchParams): ProcessRef {
  const pid = parsePid(pidText);
  const startId = params.get('start');
  if (startId === null || startId === '') {
    throw new HttpError(400, `Name the process by PID and start: ?start=<its startId from /api/processes>.`);
  }
  if (!START_ID_PATTERN.test(startId)) throw new HttpError(400, `?start must be a process's startId, got '${startId}'.`);
  // `?machine=<name>`: a remote machine's process; this server passes the action on to that machine's server.
  const machine = params.get('machine');
  if (machine === null || machine === '') return { pid, startId };
  if (!MACHINE_NAME_PATTERN.test(machine)) throw new HttpError(400, `?machine must be the name of a remote machine, got '${machine.slice(0, 40)}'.`);
  return { pid, startId, machine };
}

/** `?name=true|false|1|0` (absent: `fallback`). */
export function parseFlag(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = params.get(name);
  if (value === null || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new HttpError(400, `?${name} must be true or false, got '${value}'.`);
}

export function parseDate(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  if (value === null || value === '') return undefined;
  if (!DATE_PATTERN.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new HttpError(400, `?${name} must be a date written YYYY-MM-DD, got '${value}'.`);
  }
  return value;
}

export function parseTimeZone(params: URLSearchParams): string | undefined {
  const value = params.get('timezone');
  if (value === null || value === '') return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new HttpError(400, `Unknown time zone '${value}'.`);
  }
  return value;
}

export function parseLimit(params: URLSearchParams, fallback: number): number {
  const value = params.get('limit');
  if (value === null || value === '') return fallback;
  if (!/^\d{1,6}$/.test(value)) throw new HttpError(400, `?limit must be a whole number, got '${value}'.`);
  return Number(value);
}

/**
 * A settings patch, by the same rule as IPC's (the settings schema): known keys only, no pins or window bounds, every
 * value within bounds (checked again by the settings store on write).
 */
export function parseSettingsPatch(body: string): SettingsPatch {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    throw new HttpError(400, `The settings patch is not valid JSON: ${(error as Error).message}`);
  }
  const problems = settingsPatchProblems(raw);
  if (problems.length > 0) throw new HttpError(400, `Invalid settings: ${problems.join('; ')}.`);
  return raw as SettingsPatch;
}
