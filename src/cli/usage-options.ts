/** What `tce usage`, `tce sessions` and `tce blocks` share: their option checks. */
import { isValidDate, isValidTimeZone, localTimeZone } from '../core/usage/time-zone.js';
import type { CommandInput } from './command.js';

/** A bad option value: the command prints the message and exits 2. */
export class UsageOptionError extends Error {}

export function timeZoneOption(values: CommandInput['values']): string {
  const tz = values.timezone;
  if (tz === undefined) return localTimeZone();
  if (typeof tz !== 'string' || !isValidTimeZone(tz)) throw new UsageOptionError(`unknown time zone '${String(tz)}' (use an IANA name such as Europe/Berlin or UTC)`);
  return tz;
}

export function dateOption(values: CommandInput['values'], name: 'since' | 'until'): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !isValidDate(v)) throw new UsageOptionError(`--${name} must be a date written YYYY-MM-DD, got '${String(v)}'`);
  return v;
}

export function positiveIntOption(values: CommandInput['values'], name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageOptionError(`--${name} must be a whole number of at least 1, got '${String(v)}'`);
  return Number(v);
}

/** Runs a usage command body, turning option errors into exit code 2. */
export async function withUsageOptions(input: CommandInput, name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageOptionError) {
      input.io.stderr.write(`tce ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
