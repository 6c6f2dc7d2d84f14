/**
 * `tce usage` run again when nothing changed: the report it made last time, kept in TCE's data folder with a
 * description of everything it was made from. A run lists and stats the transcripts and the files beside them (what
 * any run must do to see whether anything changed) and stats the index and the settings; when all of it is as it was,
 * it prints the kept report without loading the engine or the index. Anything different, however small (a byte
 * appended to one transcript, another TCE saving the index, a setting changed, another TCE build), and the engine
 * makes the report as always, which is then kept in turn.
 *
 * What the description holds, and why it is enough: the engine reads a transcript again only when its size, time,
 * device, inode or birth time differ from what the index holds, so transcripts whose stats are the ones the index had
 * once the report was made add nothing; the index on disk, unchanged, holds what that report was made from; the side
 * files (stats-cache, session-meta) are read again only when their size or time differ; prices come from the settings
 * file, and the code from this build.
 */
import type { Stats } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePrivateFile } from '../private-file.js';
import { bornOf } from '../regular-file.js';
import type { UsageReport } from './types.js';
import { type ProjectListing, listRoot } from './transcript-listing.js';

// See private-file.ts.
const fs = process.getBuiltinModule('node:fs');

export const REPORT_CACHE_FILE = 'usage-report-cache.json';
const FORMAT = 1;
/** Reports kept for different options (ranges, zones) made from the same state. */
const KEPT_REPORTS = 8;
/** The usage index's files, as usage-index.ts names them (not imported: that would load the index code). */
const INDEX_FILES = ['usage-index.bin', 'usage-index.journal', 'usage-index.json'];

/** One line of a state description; fields are numbers and paths, which hold no NUL. */
function entry(...fields: Array<string | number>): string {
  return fields.join('\0');
}

/** A transcript as the engine compares it: see `UsageEngine.sourcesState`. */
export function transcriptEntry(file: string, st: { size: number; mtimeMs: number; dev: number; ino: number; born: number }): string {
  return entry('t', file, st.size, st.mtimeMs, st.dev, st.ino, st.born);
}

/** A side file (stats-cache, session-meta) as the engine's cache of them compares it. */
export function sideFileEntry(file: string, st: { size: number; mtimeMs: number }): string {
  return entry('s', file, st.size, st.mtimeMs);
}

export function problemEntry(problem: string): string {
  return entry('p', problem);
}

/** A description from its lines, in an order that does not depend on the order they were found in. */
export function describe(lines: string[]): string {
  return lines.sort().join('\n');
}

function statEntry(file: string, kind: 't' | 's'): string | null {
  let st: Stats;
  try {
    st = fs.lstatSync(file);
  } catch (error) {
    // Gone since the listing: neither side has it. Anything else: a line the engine never writes, so no match.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : entry('x', file, (error as NodeJS.ErrnoException).code ?? '?');
  }
  if (!st.isFile()) return entry('x', file, 'not a regular file');
  return kind === 't' ? transcriptEntry(file, { size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino, born: bornOf(st) }) : sideFileEntry(file, st);
}

/** The side files of the Claude dirs, as claude-extras.ts finds them. */
function sideFiles(claudeDirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of claudeDirs) {
    const meta = path.join(dir, 'usage-data', 'session-meta');
    let names: string[] = [];
    try {
      names = fs.readdirSync(meta);
    } catch {
      // no session-meta folder: nothing read from there
    }
    for (const name of names) if (name.endsWith('.json')) out.push(path.join(meta, name));
    out.push(path.join(dir, 'stats-cache.json'));
  }
  return out;
}

/**
 * The transcripts and side files as they are on disk now, described as `UsageEngine.sourcesState` describes what it
 * read: one listing, one lstat a file, nothing opened.
 */
export function sourcesNow(claudeDirs: readonly string[]): string {
  const listing = new Map<string, ProjectListing>();
  for (const dir of claudeDirs) listRoot(dir, listing);
  const lines: string[] = [];
  for (const l of listing.values()) {
    for (const problem of l.problems) lines.push(problemEntry(problem));
    for (const f of l.files) {
      const line = statEntry(f.path, 't');
      if (line) lines.push(line);
    }
  }
  for (const file of sideFiles(claudeDirs)) {
    const line = statEntry(file, 's');
    if (line) lines.push(line);
  }
  return describe(lines);
}

function identity(file: string): string {
  try {
    const st = fs.statSync(file);
    return entry(st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs);
  } catch {
    return 'absent';
  }
}

/** The usage index on disk: which full write, and how far its journal has grown. */
export function indexState(dataDir: string): string {
  return INDEX_FILES.map((name) => identity(path.join(dataDir, name))).join('\n');
}

/** The settings file (where prices come from), as the settings store tells whether it changed. */
export function settingsState(file: string): string {
  return identity(file);
}

/** This build of TCE on this Node (its time zone data included). */
function buildState(): string {
  return entry(identity(fileURLToPath(import.meta.url)), process.version);
}

/** What a kept report was made from, beside its options. */
export interface ReportState {
  claudeDirs: readonly string[];
  sources: string;
  index: string;
  settings: string;
  /** Anything else that changes the report or what is written beside it (which Claude dirs exist, and so on). */
  context: string;
}

interface KeptReport {
  options: string;
  report: UsageReport;
  /** What the run that made it wrote on stderr before the report (settings warnings, missing folders). */
  notes: string[];
}

interface CacheFile {
  format: number;
  build: string;
  state: ReportState;
  reports: KeptReport[];
}

/** The same state apart from the transcripts (cheap to know: a few stats), which `sameSources` compares. */
function sameSurroundings(a: Omit<ReportState, 'sources'>, b: Omit<ReportState, 'sources'>): boolean {
  return a.index === b.index && a.settings === b.settings && a.context === b.context && JSON.stringify(a.claudeDirs) === JSON.stringify(b.claudeDirs);
}

function sameState(a: ReportState, b: ReportState): boolean {
  return sameSurroundings(a, b) && a.sources === b.sources;
}

function readCache(dataDir: string): CacheFile | null {
  try {
    const cache = JSON.parse(fs.readFileSync(path.join(dataDir, REPORT_CACHE_FILE), 'utf8')) as CacheFile;
    return cache && cache.format === FORMAT && Array.isArray(cache.reports) && cache.state ? cache : null;
  } catch {
    return null;
  }
}

/**
 * The kept report for these options, if it was made from this very state; `generatedAt` is now. Null on any
 * difference, and when nothing is kept (or what is kept cannot be read). The transcripts are described (`sources`,
 * a listing and a stat of each) only when everything else is the same: a first run, or one after another TCE saved
 * the index, is not slowed by it.
 */
export function keptReport(dataDir: string, state: Omit<ReportState, 'sources'>, sources: () => string, options: string): { report: UsageReport; notes: string[] } | null {
  const cache = readCache(dataDir);
  if (!cache || cache.build !== buildState() || !sameSurroundings(cache.state, state)) return null;
  const kept = cache.reports.find((r) => r.options === options);
  if (!kept || typeof kept.report !== 'object' || kept.report === null || !Array.isArray(kept.notes)) return null;
  if (cache.state.sources !== sources()) return null;
  return { report: { ...kept.report, generatedAt: new Date().toISOString() }, notes: kept.notes };
}

/**
 * Keeps a report made from `state` for the next run with the same options (beside others made from the same state).
 * A failure to write only makes the next run slower.
 */
export function keepReport(dataDir: string, state: ReportState, options: string, report: UsageReport, notes: string[]): void {
  const build = buildState();
  const cache = readCache(dataDir);
  const others = cache && cache.build === build && sameState(cache.state, state) ? cache.reports.filter((r) => r.options !== options) : [];
  const next: CacheFile = { format: FORMAT, build, state, reports: [{ options, report, notes }, ...others].slice(0, KEPT_REPORTS) };
  try {
    writePrivateFile(path.join(dataDir, REPORT_CACHE_FILE), JSON.stringify(next));
  } catch {
    // Read-only or full: the next run makes the report again.
  }
}
