import type { IpcInvokeChannel, IpcInvokeMap, ProcessRef, SettingsPatch } from '../shared/api.js';
import { MACHINE_NAME_PATTERN, START_ID_PATTERN, settingsPatchProblems } from '../core/settings/schema.js';

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

/** `{pid, startId, machine?}` as a listed process carries them (ClaudeProcess.startId, ClaudeProcess.machine). */
export function parseProcessRef(v: unknown): ProcessRef {
  if (!isPlainObject(v)) throw new PayloadError(`a process must be named as {pid, startId}, got ${JSON.stringify(v)}`);
  const startId = v.startId;
  if (typeof startId !== 'string' || !START_ID_PATTERN.test(startId)) throw new PayloadError(`startId must be a process start identity, got ${JSON.stringify(startId)}`);
  const machine = v.machine;
  if (machine === undefined) return { pid: parsePid(v.pid), startId };
  if (typeof machine !== 'string' || !MACHINE_NAME_PATTERN.test(machine)) throw new PayloadError(`machine must be a remote machine's name, got ${JSON.stringify(machine)}`);
  return { pid: parsePid(v.pid), startId, machine };
}

/** The rule is the settings schema's (src/core/settings/schema.ts), the same for the HTTP server. */
export function parseSettingsPatch(v: unknown): SettingsPatch {
  const problems = settingsPatchProblems(v);
  if (problems.length > 0) throw new PayloadError(`invalid settings: ${problems.join('; ')}`);
  return structuredClone(v) as SettingsPatch;
}

/** One parser per invoke channel: the map's keys must cover every channel (checked by the compiler). */
export const PARSERS: { [C in IpcInvokeChannel]: Parser<C> } = {
  'tce:get-snapshot': (args) => (arity(args, 0, 'tce:get-snapshot'), []),
  'tce:kill': (args) => {
    arity(args, 2, 'tce:kill');
    if (typeof args[1] !== 'boolean') throw new PayloadError(`force must be true or false, got ${JSON.stringify(args[1])}`);
    return [parseProcessRef(args[0]), args[1]];
  },
  'tce:kill-stale': (args) => (arity(args, 0, 'tce:kill-stale'), []),
  'tce:pin': (args) => (arity(args, 1, 'tce:pin'), [parseProcessRef(args[0])]),
  'tce:unpin': (args) => (arity(args, 1, 'tce:unpin'), [parseProcessRef(args[0])]),
  'tce:get-settings': (args) => (arity(args, 0, 'tce:get-settings'), []),
  'tce:update-settings': (args) => (arity(args, 1, 'tce:update-settings'), [parseSettingsPatch(args[0])]),
};
