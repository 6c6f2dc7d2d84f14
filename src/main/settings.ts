import fs from 'node:fs';
import path from 'node:path';
import Store, { type Schema } from 'electron-store';
import { DEFAULT_SETTINGS } from '../core/settings/defaults.js';
import { SettingsStore } from '../core/settings/store.js';
import type { Settings } from '../core/settings/types.js';

const number = (minimum: number, maximum?: number) => ({ type: 'number', minimum, ...(maximum === undefined ? {} : { maximum }) }) as const;

const price = {
  type: 'object',
  required: ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'],
  properties: {
    input: number(0),
    output: number(0),
    cacheWrite5m: number(0),
    cacheWrite1h: number(0),
    cacheRead: number(0),
  },
} as const;

/** The settings file's schema; the same checks as src/core/settings/validate.ts, which the CLI and server use. */
export const SETTINGS_SCHEMA: Schema<Settings> = {
  pollIntervalSeconds: { ...number(1, 3600), default: DEFAULT_SETTINGS.pollIntervalSeconds },
  health: {
    type: 'object',
    properties: {
      staleInteractiveHours: number(0),
      staleBackgroundHours: number(0),
      idleCpuPercent: number(0),
      hogCpuPercent: number(0),
      hogMemoryMiB: number(0),
    },
    default: DEFAULT_SETTINGS.health,
  },
  notifications: {
    type: 'object',
    properties: {
      stale: { type: 'boolean' },
      zombie: { type: 'boolean' },
      hog: { type: 'boolean' },
      cooldownMinutes: number(0),
      pausedUntil: { type: ['string', 'null'] },
    },
    default: DEFAULT_SETTINGS.notifications,
  },
  priceOverrides: { type: 'object', additionalProperties: price, default: {} },
  dashboardPort: { type: 'integer', minimum: 1, maximum: 65535, default: DEFAULT_SETTINGS.dashboardPort },
  pins: {
    type: 'array',
    items: { type: 'object', required: ['pid', 'startedAt'], properties: { pid: { type: 'integer' }, startedAt: { type: 'string' } } },
    default: [],
  },
  startHidden: { type: 'boolean', default: DEFAULT_SETTINGS.startHidden },
  windowBounds: {
    type: ['object', 'null'],
    properties: { x: { type: 'number' }, y: { type: 'number' }, width: number(1), height: number(1) },
    default: null,
  },
} as Schema<Settings>;

export interface OpenedSettings {
  store: Store<Settings>;
  /** Problems found on the way (file corrupted and moved aside, bad values replaced): show them. */
  warnings: string[];
}

/**
 * Opens the settings as electron-store over the same `config.json` the CLI and the server use. The core's store
 * reads it first: a corrupted file is moved aside there, and a readable one with bad values is kept aside and
 * rewritten with those values replaced, so electron-store never meets a file its schema refuses.
 */
export function openSettings(dir: string): OpenedSettings {
  const file = path.join(dir, 'config.json');
  const core = new SettingsStore(file);
  const { warnings } = core.load();
  if (warnings.length > 0 && fs.existsSync(file)) {
    const aside = `${file}.invalid-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      fs.copyFileSync(file, aside);
      core.update(() => undefined);
      warnings.push(`The settings as they were are kept in ${aside}.`);
    } catch (error) {
      warnings.push(`Settings could not be repaired (${(error as Error).message}).`);
    }
  }
  // 0600 like every file TCE writes (src/core/private-file.ts): the settings hold pins and prices.
  const options = { cwd: dir, name: 'config', schema: SETTINGS_SCHEMA, clearInvalidConfig: false, configFileMode: 0o600 } as const;
  let store: Store<Settings>;
  try {
    store = new Store<Settings>(options);
  } catch (error) {
    // Only a file changed between the two reads gets here: keep it aside and start from the defaults.
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(file, aside);
    warnings.push(`Settings ${file} could not be read (${(error as Error).message}); it was moved to ${aside} and defaults are used.`);
    store = new Store<Settings>(options);
  }
  return { store, warnings };
}

/**
 * One setting as the tray uses it: when the file went bad while the app runs (hand edits, another tool), the
 * default, and the reason to show. The core moves a corrupted file aside on its next poll.
 */
export function readSetting<K extends keyof Settings>(store: Store<Settings>, key: K): { value: Settings[K]; problem: string | null } {
  try {
    return { value: store.get(key), problem: null };
  } catch (error) {
    return {
      value: structuredClone(DEFAULT_SETTINGS[key]),
      problem: `Settings file unreadable; default ${key} in use until it is fixed (${(error as Error).message})`,
    };
  }
}
