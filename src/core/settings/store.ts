import fs from 'node:fs';
import path from 'node:path';
import { InvalidSettingsError } from '../errors.js';
import { securePrivateDir, writePrivateFile } from '../private-file.js';
import { DEFAULT_SETTINGS } from './defaults.js';
import { normaliseSettings } from './validate.js';
import type { Settings } from './types.js';

export interface LoadResult {
  settings: Settings;
  /** Human-readable problems found while loading; the caller shows them. */
  warnings: string[];
}

/**
 * TCE's settings file, in electron-store's format (one JSON object in `config.json`),
 * shared by the CLI, the HTTP server and the tray app. Every read goes to disk so that
 * a change made by one of them is seen by the others; every write is atomic and private (0600).
 */
export class SettingsStore {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
    securePrivateDir(path.dirname(file));
  }

  load(): LoadResult {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: structuredClone(DEFAULT_SETTINGS), warnings: [] };
      return {
        settings: structuredClone(DEFAULT_SETTINGS),
        warnings: [`Cannot read settings ${this.file} (${(error as Error).message}); using defaults.`],
      };
    }
    let raw: unknown;
    try {
      raw = text.trim() === '' ? {} : JSON.parse(text);
    } catch (error) {
      const aside = this.moveAside();
      return {
        settings: structuredClone(DEFAULT_SETTINGS),
        warnings: [
          `Settings file ${this.file} was corrupted (${(error as Error).message}); it was moved to ${aside} and defaults are used.`,
        ],
      };
    }
    const { settings, problems } = normaliseSettings(raw);
    return {
      settings,
      warnings: problems.map((p) => `Settings ${this.file}: ${p}; the default is used.`),
    };
  }

  /** Applies `change` to the current settings and writes the result. */
  update(change: (current: Settings) => Settings | void): LoadResult {
    const loaded = this.load();
    const next = change(loaded.settings) ?? loaded.settings;
    const { settings, problems } = normaliseSettings(next);
    if (problems.length > 0) throw new InvalidSettingsError(problems);
    this.write(settings);
    return { settings, warnings: loaded.warnings };
  }

  private write(settings: Settings): void {
    writePrivateFile(this.file, `${JSON.stringify(settings, null, '\t')}\n`);
  }

  private moveAside(): string {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      fs.renameSync(this.file, aside);
    } catch {
      // If it cannot be moved, it is left in place and still never overwritten until the next successful update.
    }
    return aside;
  }
}
