/**
 * `tce usage` with nothing changed since the last run prints the report kept then (core/usage/report-cache.ts), with
 * what that run wrote on stderr before it. Only this, node:fs and the listing are loaded for it: the engine, the
 * index and the settings code load only when the report must be made.
 */
import path from 'node:path';
import { claudeDirs, dataDir } from '../core/paths.js';
import { type ReportState, indexState, keepReport, keptReport, settingsState, sourcesNow } from '../core/usage/report-cache.js';
import { localZoneInputs } from '../core/usage/time-zone.js';
import type { UsageEngine } from '../core/usage/engine.js';
import type { UsageReport } from '../core/usage/types.js';
import type { CommandInput } from './command.js';

// See compile-cache.ts.
const { existsSync } = process.getBuiltinModule('node:fs');

export interface UsageRun {
  /** The report kept for these options, made from exactly what is on disk now, and its notes; or null. */
  kept: { report: UsageReport; notes: string[] } | null;
  /** Keeps the report just made (after the engine's refresh and close) for the next run, with the run's notes. */
  keep(engine: UsageEngine, report: UsageReport, notes: string[]): void;
}

/** The same Claude dirs, data folder and settings file the composition root (create-core.ts) takes. */
export function usageRun(input: CommandInput, options: { timezone?: string; since?: string; until?: string }): UsageRun {
  const { values, io } = input;
  const explicit = typeof values['claude-dir'] === 'string' ? values['claude-dir'] : undefined;
  const dirs = claudeDirs(explicit, io.env);
  const data = dataDir(io.env);
  const named = explicit !== undefined || Boolean(io.env.CLAUDE_CONFIG_DIR);
  // The zone asked for, or what the local one is decided from; where that cannot be told, nothing is kept.
  const zone = options.timezone ?? localZoneInputs();
  const asked = JSON.stringify([zone, options.since ?? null, options.until ?? null]);
  // Taken before the run: a file changed during it shows as changed next time, never the other way round.
  const settings = settingsState(path.join(data, 'config.json'));
  const context = JSON.stringify([named, dirs.map((d) => existsSync(d))]);
  const state: Omit<ReportState, 'sources'> = { claudeDirs: dirs, index: indexState(data), settings, context };
  return {
    kept: zone === null ? null : keptReport(data, state, () => sourcesNow(dirs), asked),
    keep(engine, report, notes) {
      const read = engine.sourcesState();
      if (zone === null || read === null) return;
      keepReport(data, { ...state, sources: read, index: indexState(data) }, asked, report, notes);
    },
  };
}
