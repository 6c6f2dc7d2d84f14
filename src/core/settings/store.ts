import fs from 'node:fs';
import path from 'node:path';
import { InvalidSettingsError } from '../errors.js';
import { securePrivateDir, writePrivateFile } from '../private-file.js';
import { DEFAULT_SETTINGS } from './defaults.js';
import { normaliseSettings } from './schema.js';
import type { Settings } from './types.js';

export interface LoadResult {
  settings: Settings;
  /** Human-readable problems found while loading; the caller shows them. */
  warnings: string[];
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

/**
 * TCE's settings file, the one writer of it for the tray app, the HTTP server and the CLI: one JSON object in
 * `config.json`, tab-indented (the format electron-store wrote, so settings of earlier versions carry over). A change
 * made by another process is seen on the next load: the file is read again whenever its size, time or inode changed,
 * and otherwise answered from the last read. Every write is atomic and private (0600).
 */
export class SettingsStore {
  readonly file: string;
  /** The last read, and the file's stat it was made from. */
  private last: { key: string; result: LoadResult } | null = null;
  /** What happened to the file that its user must still learn after it is over (a corrupted file moved aside). */
  private readonly events: string[] = [];

  constructor(file: string) {
    this.file = file;
    securePrivateDir(path.dirname(file));
  }

  /** The settings, and what is wrong with the file now or was since this store opened it (moved aside). */
  load(): LoadResult {
    const { settings, warnings } = this.current();
    return { settings, warnings: [...this.events, ...warnings] };
  }

  private current(): LoadResult {
    let key: string;
    try {
      const st = fs.statSync(this.file);
      key = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.last = null;
        return { settings: structuredClone(DEFAULT_SETTINGS), warnings: [] };
      }
      key = '';
    }
    if (key !== '' && this.last?.key === key) return structuredClone(this.last.result);
    const result = this.read();
    this.last = key !== '' ? { key, result: structuredClone(result) } : null;
    return result;
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

  /**
   * What the tray app does once at its start: writes the defaults where there is no file yet (so there is one to edit),
   * and where values had to be replaced, keeps the file as it was aside and writes it again with the defaults in their
   * place (a corrupted file is already moved aside by the load). Problems are so told once, not on every poll.
   */
  prepare(): string[] {
    const { warnings } = this.load();
    const exists = fs.existsSync(this.file);
    if (exists && this.current().warnings.length === 0) return warnings;
    const aside = `${this.file}.invalid-${stamp()}`;
    try {
      if (exists) fs.copyFileSync(this.file, aside);
      this.update(() => undefined);
      if (exists) warnings.push(`The settings as they were are kept in ${aside}.`);
    } catch (error) {
      warnings.push(`Settings could not be ${exists ? 'repaired' : 'written'} (${(error as Error).message}).`);
    }
    return warnings;
  }

  private read(): LoadResult {
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
      this.events.push(`Settings file ${this.file} was corrupted (${(error as Error).message}); it was moved to ${aside} and defaults are used.`);
      return { settings: structuredClone(DEFAULT_SETTINGS), warnings: [] };
    }
    const { settings, problems } = normaliseSettings(raw);
    return {
      settings,
      warnings: problems.map((p) => `Settings ${this.file}: ${p}; the default is used.`),
    };
  }

  private write(settings: Settings): void {
    writePrivateFile(this.file, `${JSON.stringify(settings, null, '\t')}\n`);
    this.last = null;
  }

  private moveAside(): string {
    const aside = `${this.file}.corrupt-${stamp()}`;
    try {
      fs.renameSync(this.file, aside);
    } catch {
      // If it cannot be moved, it is left in place and still never overwritten until the next successful update.
    }
    return aside;
  }
}
