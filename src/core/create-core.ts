/**
 * The composition root: the one place where TCE's parts are built and wired, for the tray app, the HTTP server and
 * every CLI command. Each part is built on first use, once, and shares the one settings store.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { claudeDirs as defaultClaudeDirs, dataDir as defaultDataDir } from './paths.js';
import { SettingsStore } from './settings/store.js';
import { ProcessMonitor } from './process/index.js';
import type { ProcessSource } from './process/source.js';
import { UsageEngine, type UsageProgress } from './usage/engine.js';
import { PollingMonitor } from './polling-monitor.js';
import { Fleet, type FleetOptions } from './fleet/fleet.js';
import type { Monitor, MonitorOptions } from './monitor.js';

export interface CoreOptions extends MonitorOptions {
  /** The folder(s) the user named with `--claude-dir` (comma-separated); used when `claudeDirs` is not given. */
  claudeDir?: string;
  /** Where CLAUDE_CONFIG_DIR, TCE_DATA_DIR and HOME come from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress of a long first read of the transcripts (the CLI draws it). */
  onUsageProgress?: (p: UsageProgress) => void;
  /** Where processes are listed from; default /proc on Linux, systeminformation elsewhere (tests pass their own). */
  processSource?: ProcessSource;
  /** Deadlines of requests to remote machines (tests shorten them). */
  fleet?: FleetOptions;
}

export interface Core {
  readonly claudeDirs: string[];
  readonly dataDir: string;
  /** The one reader and writer of the settings file. */
  readonly settings: SettingsStore;
  /** Claude Code folders that are not there, one message each (the same words on every surface); checked now. */
  folderProblems(): string[];
  /** The Claude Code processes: scan, kill, pin. */
  readonly processes: ProcessMonitor;
  /** Usage from the transcripts, on the persisted index. */
  readonly usage: UsageEngine;
  /** The settings' remote machines (configured from the settings when first used). */
  readonly fleet: Fleet;
  /** Polls both and keeps the latest snapshot (the tray app and the HTTP server). */
  readonly monitor: Monitor;
}

/**
 * What a missing Claude Code folder means: a folder the user named (option or CLAUDE_CONFIG_DIR) should exist, each
 * one is told; the default places are only guesses, told only when none of them exists.
 */
export function claudeFolderProblems(dirs: string[], named: boolean): string[] {
  const missing = dirs.filter((d) => !existsSync(d));
  if (named) return missing.map((d) => `no Claude Code folder at ${d}; nothing is read from there.`);
  if (missing.length < dirs.length) return [];
  return [`no Claude Code folder found (looked in ${dirs.join(', ')}); use --claude-dir or CLAUDE_CONFIG_DIR.`];
}

export function createCore(options: CoreOptions = {}): Core {
  const env = options.env ?? process.env;
  const named = options.claudeDirs !== undefined || options.claudeDir !== undefined || Boolean(env.CLAUDE_CONFIG_DIR);
  const dirs = options.claudeDirs ?? defaultClaudeDirs(options.claudeDir, env);
  const data = options.dataDir ?? defaultDataDir(env);
  const settings = new SettingsStore(path.join(data, 'config.json'));
  let processes: ProcessMonitor | null = null;
  let usage: UsageEngine | null = null;
  let monitor: Monitor | null = null;
  let fleet: Fleet | null = null;
  const core: Core = {
    claudeDirs: dirs,
    dataDir: data,
    settings,
    folderProblems: () => claudeFolderProblems(dirs, named),
    get processes() {
      processes ??= new ProcessMonitor({ claudeDirs: dirs, settings, ...(options.processSource ? { source: options.processSource } : {}) });
      return processes;
    },
    get usage() {
      usage ??= new UsageEngine({
        claudeDirs: dirs,
        dataDir: data,
        priceOverrides: settings.load().settings.priceOverrides,
        ...(options.timezone ? { timezone: options.timezone } : {}),
        ...(options.onUsageProgress ? { onProgress: options.onUsageProgress } : {}),
      });
      return usage;
    },
    get fleet() {
      if (!fleet) {
        fleet = new Fleet(options.fleet);
        fleet.configure(settings.load().settings.remotes);
      }
      return fleet;
    },
    get monitor() {
      monitor ??= new PollingMonitor({
        settings,
        processes: core.processes,
        usage: core.usage,
        fleet: core.fleet,
        dataDir: data,
        folderProblems: core.folderProblems,
        ...(options.timezone ? { timezone: options.timezone } : {}),
        ...(options.indexingAfterMs !== undefined ? { indexingAfterMs: options.indexingAfterMs } : {}),
      });
      return monitor;
    },
  };
  return core;
}

/** The monitor over TCE's parts, for callers that need nothing else (tests, `tce dashboard`). */
export function createMonitor(options: CoreOptions = {}): Monitor {
  return createCore(options).monitor;
}
