/** What `tce usage`, `tce sessions` and `tce blocks` share: option checks and a refreshed usage engine. */
import { existsSync } from 'node:fs';
import { claudeDirs, dataDir, settingsFile } from '../../core/paths.js';
import { SettingsStore } from '../../core/settings/store.js';
import { UsageEngine, isValidDate, isValidTimeZone, localTimeZone } from '../../core/usage/index.js';
import type { CommandInput } from '../command.js';
import { IndexProgress } from './usage-progress.js';

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

/** Builds the engine on TCE's persisted index and reads what changed; settings problems go to stderr as warnings. */
export async function refreshedEngine(input: CommandInput, timezone: string): Promise<UsageEngine> {
  const { io, values } = input;
  const loaded = new SettingsStore(settingsFile(io.env)).load();
  for (const w of loaded.warnings) io.stderr.write(`tce: ${w}\n`);
  const progress = new IndexProgress(io.stderr);
  const explicit = typeof values['claude-dir'] === 'string' ? values['claude-dir'] : undefined;
  const dirs = claudeDirs(explicit, io.env);
  const missing = dirs.filter((d) => !existsSync(d));
  // The default places are only guesses; a folder the user named (option or CLAUDE_CONFIG_DIR) should exist.
  if (explicit !== undefined || io.env.CLAUDE_CONFIG_DIR) {
    for (const d of missing) io.stderr.write(`tce: no Claude Code folder at ${d}; nothing is read from there.\n`);
  } else if (missing.length === dirs.length) {
    io.stderr.write(`tce: no Claude Code folder found (looked in ${dirs.join(', ')}); use --claude-dir or CLAUDE_CONFIG_DIR.\n`);
  }
  const engine = new UsageEngine({
    claudeDirs: dirs,
    dataDir: dataDir(io.env),
    priceOverrides: loaded.settings.priceOverrides,
    timezone,
    onProgress: progress.update,
  });
  try {
    await engine.refresh();
  } finally {
    progress.done();
  }
  await engine.close();
  return engine;
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
