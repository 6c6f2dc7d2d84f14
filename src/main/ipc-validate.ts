import type { IpcInvokeChannel, IpcInvokeMap, Settings } from '../shared/api.js';
import { DEFAULT_SETTINGS } from '../core/settings/defaults.js';
import { normaliseSettings } from '../core/settings/validate.js';

/** A payload the renderer sent that does not fit its channel. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

type Parser<C extends IpcInvokeChannel> = (args: unknown[]) => IpcInvokeMap[C]['args'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function arity(args: unknown[], n: number, channel: string): void {
  if (args.length !== n) throw new PayloadError(`${channel} takes ${n} argument(s), got ${args.length}`);
}

export function parsePid(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new PayloadError(`pid must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** Fields the dashboard may change. Pins go through pin/unpin (which check the process); window bounds are the tray's. */
const PATCHABLE = ['pollIntervalSeconds', 'health', 'notifications', 'priceOverrides', 'dashboardPort', 'startHidden'] as const;

export function parseSettingsPatch(v: unknown): Partial<Settings> {
  if (!isPlainObject(v)) throw new PayloadError('the settings patch must be an object');
  const unknown = Object.keys(v).filter((k) => !(PATCHABLE as readonly string[]).includes(k));
  if (unknown.length > 0) throw new PayloadError(`these settings cannot be changed from the dashboard: ${unknown.join(', ')}`);
  for (const group of ['health', 'notifications'] as const) {
    const part = v[group];
    if (part === undefined) continue;
    if (!isPlainObject(part)) throw new PayloadError(`${group} must be an object`);
    const known = Object.keys(DEFAULT_SETTINGS[group]);
    const extra = Object.keys(part).filter((k) => !known.includes(k));
    if (extra.length > 0) throw new PayloadError(`unknown ${group} setting(s): ${extra.join(', ')}`);
  }
  // Checked as the store checks a whole file: the patch laid over the defaults must come through unchanged.
  const merged = {
    ...DEFAULT_SETTINGS,
    ...v,
    health: { ...DEFAULT_SETTINGS.health, ...(v.health as object | undefined) },
    notifications: { ...DEFAULT_SETTINGS.notifications, ...(v.notifications as object | undefined) },
  };
  const { problems } = normaliseSettings(merged);
  if (problems.length > 0) throw new PayloadError(`invalid settings: ${problems.join('; ')}`);
  if (v.priceOverrides !== undefined && !isPlainObject(v.priceOverrides)) throw new PayloadError('priceOverrides must be an object');
  return structuredClone(v) as Partial<Settings>;
}

/** One parser per invoke channel: the map's keys must cover every channel (checked by the compiler). */
export const PARSERS: { [C in IpcInvokeChannel]: Parser<C> } = {
  'tce:get-snapshot': (args) => (arity(args, 0, 'tce:get-snapshot'), []),
  'tce:kill': (args) => {
    arity(args, 2, 'tce:kill');
    if (typeof args[1] !== 'boolean') throw new PayloadError(`force must be true or false, got ${JSON.stringify(args[1])}`);
    return [parsePid(args[0]), args[1]];
  },
  'tce:kill-stale': (args) => (arity(args, 0, 'tce:kill-stale'), []),
  'tce:pin': (args) => (arity(args, 1, 'tce:pin'), [parsePid(args[0])]),
  'tce:unpin': (args) => (arity(args, 1, 'tce:unpin'), [parsePid(args[0])]),
  'tce:get-settings': (args) => (arity(args, 0, 'tce:get-settings'), []),
  'tce:update-settings': (args) => (arity(args, 1, 'tce:update-settings'), [parseSettingsPatch(args[0])]),
};
