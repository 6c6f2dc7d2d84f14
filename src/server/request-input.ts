/** Checks of what a client sends: PIDs in paths, query flags and dates, the settings patch body. */
import { DEFAULT_SETTINGS } from '../core/settings/defaults.js';
import type { Settings } from '../shared/api.js';
import { DATE_PATTERN } from '../shared/usage-range.js';
import { HttpError } from './http-util.js';

/** Linux caps PIDs at 2^22; other systems stay well below 2^31. */
const MAX_PID = 2 ** 31 - 1;

export function parsePid(text: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new HttpError(400, `Not a process id: '${text}'.`);
  const pid = Number(text);
  if (pid < 1 || pid > MAX_PID) throw new HttpError(400, `Not a process id: '${text}'.`);
  return pid;
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The shape of a settings patch: known keys only, nested groups as objects. Values are checked by the settings store. */
export function parseSettingsPatch(body: string): Partial<Settings> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    throw new HttpError(400, `The settings patch is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(raw)) throw new HttpError(400, 'The settings patch must be a JSON object.');
  const known = DEFAULT_SETTINGS as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in known)) throw new HttpError(400, `Unknown setting '${key}'.`);
    const defaults = known[key];
    if (key === 'health' || key === 'notifications') {
      if (!isObject(value)) throw new HttpError(400, `Setting '${key}' must be an object.`);
      for (const inner of Object.keys(value)) {
        if (!(inner in (defaults as Record<string, unknown>))) throw new HttpError(400, `Unknown setting '${key}.${inner}'.`);
      }
    }
  }
  return raw as Partial<Settings>;
}
