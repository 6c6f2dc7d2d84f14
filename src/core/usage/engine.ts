/**
 * The long-lived usage engine: keeps an incremental, persisted index of every transcript under the Claude config
 * dirs and answers reports, sessions and 5-hour blocks from it. The tray app, the HTTP server and the CLI share it.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { ModelPrice } from '../settings/types.js';
import { BLOCK_MS, HOUR_MS, buildBlocks } from './blocks.js';
import { type ClaudeExtras, type JsonCache, readClaudeExtras } from './claude-extras.js';
import { InvalidInputError } from '../errors.js';
import { bornOf, kindOf, readProblem } from '../regular-file.js';
import { type FileScan, type OpenScan, closeScan, isAnotherFile, openScan, readScan } from './file-scan.js';
import { READ_BUFFER_BYTES, ReadAhead } from './line-reader.js';
import { PriceTable } from './prices.js';
import { Pacer, type Steps, UNPACED, runSteps } from './pacer.js';
import { type ReportInput, buildReport, reportSteps } from './report.js';
import { type SessionsInput, buildSessions } from './sessions.js';
import type { SessionCostState } from './cost-state.js';
import { ZonedCalendar, isValidDate, isValidTimeZone, localTimeZone } from './time-zone.js';
import type { PromptLine } from './transcript-line.js';
import type { SessionUsage, UsageBlock, UsageReport } from './types.js';
import { RecordRows } from './record-rows.js';
import type { RecordStore } from './record-store.js';
import { type FileState, UsageIndex, loadIndex, saveIndex } from './usage-index.js';
import { TranscriptWatch } from './transcript-watch.js';
import { describe, problemEntry, sideFileEntry, transcriptEntry } from './report-cache.js';
import { type FoundFile, type ProjectListing, folderOf, listRootSteps, walkProject } from './transcript-listing.js';

/** A watching engine still lists and stats everything this often, in case the file system lost an event. */
const FULL_RESCAN_MS = 5 * 60_000;
/** Read buffers for a refresh with little to read; doubled up to READ_BUFFER_BYTES as the bytes to read require. */
const READ_MIN_BYTES = 64 * 1024;
/**
 * A watching engine (inside a running app) gives the event loop a turn after this much wall time of work: a first
 * index of a big history is minutes of work for the app's one thread (see pacer.ts).
 */
const SLICE_MS = 10;

export interface UsageProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface UsageEngineOptions {
  claudeDirs: string[];
  dataDir: string;
  /**
   * Long-lived engines (the tray app, the dashboard server): watch the transcript folders, and in a refresh list and
   * stat only the project folders the file system reported changed (everything every few minutes regardless).
   */
  watch?: boolean;
  priceOverrides?: Record<string, ModelPrice>;
  onProgress?: (p: UsageProgress) => void;
  /** Default time zone of reports; the local one if absent. */
  timezone?: string;
}

export interface ReportOptions {
  /** Inclusive YYYY-MM-DD bounds, in the report's time zone. */
  since?: string;
  until?: string;
  timezone?: string;
  now?: Date;
  /**
   * The engine's own object, kept (and handed out again) until the index, prices, zone, range or extras change,
   * instead of a copy: for a monitor that shows the same report every poll. The caller must not change it.
   */
  shared?: boolean;
}

/** What the engine derives from one revision of the index, kept until it changes. */
interface View {
  revision: number;
  store: RecordStore;
  /** Rows of files under this engine's Claude dirs, oldest first. */
  rows: Uint32Array;
  costStates?: ReadonlyMap<string, SessionCostState>;
  tallyOnly?: SessionsInput['tallyOnly'];
}

function noExtras(): ClaudeExtras {
  return { sessionMeta: new Map(), statsCache: new Map(), problems: [] };
}

export class UsageEngine {
  private readonly claudeDirs: string[];
  private readonly roots: Set<string>;
  private readonly dataDir: string;
  private readonly progressListeners = new Set<(p: UsageProgress) => void>();
  private readonly timezone: string;
  private prices: PriceTable;
  private index: UsageIndex | null = null;
  private extras: ClaudeExtras = noExtras();
  private readonly extrasCache: JsonCache = new Map();
  private indexProblem: string | null = null;
  private saveProblem: string | null = null;
  /** Folders and transcripts the last refresh could not read: gaps in the totals, shown with the report. */
  private scanProblems: string[] = [];
  /** Shared by every file read during one refresh (refreshes never overlap), dropped after it. */
  private reader: ReadAhead | null = null;
  private watch: TranscriptWatch | null = null;
  /** Project folders as last listed, by path: a watching engine lists again only the folders that changed. */
  private listing: Map<string, ProjectListing> | null = null;
  private listedAt = 0;
  /** Whether the files beside the transcripts may have changed since they were last read. */
  private extrasChanged = true;
  private savedRevision = -1;
  /** See `revision`: what it was last made from, and its value. */
  private reportRevision = { key: '', value: 0 };
  /** Bumped with every change of the prices. */
  private pricesGeneration = 0;
  private queue: Promise<void> = Promise.resolve();
  private view: View | null = null;
  private lastSessions: { key: string; store: RecordStore | null; extras: ClaudeExtras; sessions: SessionUsage[] } | null = null;
  /** The last report and what it was made from: monitors ask for the same report every poll, mostly unchanged. */
  private lastReport: { key: string; store: RecordStore; prices: PriceTable; report: UsageReport } | null = null;

  constructor(options: UsageEngineOptions) {
    this.claudeDirs = options.claudeDirs.map((d) => path.resolve(d));
    this.roots = new Set(this.claudeDirs);
    this.dataDir = options.dataDir;
    if (options.onProgress) this.progressListeners.add(options.onProgress);
    this.prices = new PriceTable(options.priceOverrides);
    const tz = options.timezone ?? localTimeZone();
    if (!isValidTimeZone(tz)) throw new InvalidInputError(`unknown time zone '${tz}'`);
    this.timezone = tz;
    if (options.watch) this.watchFolders();
  }

  /** Watches the transcript folders from now on (see UsageEngineOptions.watch): for an engine kept running. */
  watchFolders(): void {
    this.watch ??= new TranscriptWatch(this.claudeDirs);
  }

  /** Hears the progress of every refresh (as UsageEngineOptions.onProgress does); returns the way to stop. */
  addProgressListener(listener: (p: UsageProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  private progress(p: UsageProgress): void {
    for (const listener of this.progressListeners) listener(p);
  }

  /**
   * Reads what changed since the last refresh (everything the first time, unless the persisted index has it) and
   * saves the index before resolving, so nothing is left to write once a caller stops using the engine.
   */
  refresh(): Promise<void> {
    const run = this.queue.then(async () => {
      // Only an engine kept running (it watches) has anyone to give turns to.
      const pacer = this.watch ? new Pacer(SLICE_MS) : UNPACED;
      await this.doRefresh(pacer);
      // After a first index of a big history, sorting the rows by time, saving the index and the report take tens of
      // milliseconds each: the app gets a turn before and between them (the sort is kept for the save and the report).
      const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
      await turn();
      if (this.index && this.index.revision !== this.savedRevision) await pacer.run(this.rowOrderSteps());
      await turn();
      await this.persist(pacer);
      // The report a monitor asks for next, made in steps now rather than at once when it asks.
      if (pacer.pacing) await this.prepareReport(pacer);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * What the last refresh read, described as report-cache.ts describes the disk (`sourcesNow`): the transcripts'
   * stats as the index holds them, the listing's problems, the side files as read. While the disk gives the same
   * description, a refresh reads nothing and the report stays the same. Null when a report made now must not be
   * kept: the index could not be loaded or saved (that report says so, once), a transcript could not be read, or
   * the engine watches (only the CLI keeps reports).
   */
  sourcesState(): string | null {
    const listing = this.listing;
    if (!this.index || !listing || this.indexProblem || this.saveProblem || this.watch) return null;
    const lines: string[] = [];
    for (const l of listing.values()) {
      if (l.readProblems.length > 0) return null;
      for (const problem of l.problems) lines.push(problemEntry(problem));
    }
    for (const f of this.index.files) {
      if (this.roots.has(f.root) && !f.deleted) lines.push(transcriptEntry(f.path, { size: f.size, mtimeMs: f.mtimeMs, dev: f.dev, ino: f.ino, born: f.born ?? 0 }));
    }
    for (const [file, read] of this.extrasCache) lines.push(sideFileEntry(file, read));
    return describe(lines);
  }

  setPriceOverrides(overrides: Record<string, ModelPrice>): void {
    this.prices = new PriceTable(overrides);
    this.pricesGeneration++;
  }

  /**
   * Changes whenever anything a report is made from changed (the index, the side files, their problems, the prices);
   * equal revisions mean equal reports for the same range and zone. The snapshot carries it, so a surface knows when
   * to ask again instead of comparing reports.
   */
  get revision(): number {
    const key = JSON.stringify([this.index?.revision ?? -1, this.pricesGeneration, this.problems(), [...this.extras.statsCache].map(([d, m]) => [d, [...m]])]);
    if (key !== this.reportRevision.key) this.reportRevision = { key, value: this.reportRevision.value + 1 };
    return this.reportRevision.value;
  }

  private problems(): string[] {
    return [...(this.indexProblem ? [this.indexProblem] : []), ...(this.saveProblem ? [this.saveProblem] : []), ...this.scanProblems, ...this.extras.problems];
  }

  report(options: ReportOptions = {}): UsageReport {
    const { key, timeZone } = this.reportKey(options);
    const kept = this.keptReport(key);
    if (kept) {
      // Else a copy: callers may sort or trim what they get.
      return options.shared ? kept : { ...structuredClone(kept), generatedAt: (options.now ?? new Date()).toISOString() };
    }
    return this.keepReport(key, buildReport(this.reportInput(options, timeZone)), options.shared === true);
  }

  /** Builds the default report (the one a monitor asks for) in steps, unless it is kept already. */
  private async prepareReport(pacer: Pacer): Promise<void> {
    const { key, timeZone } = this.reportKey({});
    if (!this.keptReport(key)) this.keepReport(key, await pacer.run(reportSteps(this.reportInput({}, timeZone))), true);
  }

  /** What a report with these options is made from (options checked). */
  private reportKey(options: ReportOptions): { key: string; timeZone: string } {
    const timeZone = options.timezone ?? this.timezone;
    if (!isValidTimeZone(timeZone)) throw new InvalidInputError(`unknown time zone '${timeZone}'`);
    for (const [name, value] of [['since', options.since], ['until', options.until]] as const) {
      if (value !== undefined && !isValidDate(value)) throw new InvalidInputError(`--${name} must be a date written YYYY-MM-DD, got '${value}'`);
    }
    const key = JSON.stringify([timeZone, options.since, options.until, this.index?.revision, this.problems(), [...this.extras.statsCache].map(([d, m]) => [d, [...m]])]);
    return { key, timeZone };
  }

  /** The last report, if it was made from what `key` names, the same records and the same prices. */
  private keptReport(key: string): UsageReport | null {
    const last = this.lastReport;
    return last && this.index && last.key === key && last.store === this.index.store && last.prices === this.prices ? last.report : null;
  }

  private reportInput(options: ReportOptions, timeZone: string): ReportInput {
    const files = this.currentFiles();
    return {
      rows: this.records(),
      timeZone,
      since: options.since,
      until: options.until,
      statsCache: this.extras.statsCache,
      projectPaths: this.index?.projectPaths ?? new Map(),
      costStates: this.costStates(),
      projectOfFile: (file) => this.index?.files[file]?.project ?? '(none)',
      diagnostics: {
        files: files.filter((f) => !f.deleted).length,
        linesRead: files.reduce((s, f) => s + f.lines, 0),
        malformedLines: files.reduce((s, f) => s + f.malformed, 0),
        duplicateLines: files.reduce((s, f) => s + f.duplicates, 0),
        deletedFiles: files.filter((f) => f.deleted).length,
        problems: this.problems(),
      },
      prices: this.prices.fingerprint,
      now: options.now,
    };
  }

  /** Keeps a report just built for the next asker; returns it (the engine's own object when shared, else a copy). */
  private keepReport(key: string, report: UsageReport, shared: boolean): UsageReport {
    const store = this.index?.store ?? null;
    this.lastReport = store ? { key, store, prices: this.prices, report } : null;
    return shared || !store ? report : structuredClone(report);
  }

  /**
   * Most recent first. `project` matches the project folder name, its path, or the path's last segment. `livePids`
   * (session id to PID, from the process scan) gives each running session its process. With `shared`, the engine's
   * own array (see `ReportOptions.shared`).
   */
  sessions(options: { limit?: number; project?: string; now?: Date; livePids?: ReadonlyMap<string, number>; shared?: boolean } = {}): SessionUsage[] {
    const now = (options.now ?? new Date()).getTime();
    const livePids = options.livePids ?? new Map<string, number>();
    // Monitors ask for the latest sessions every poll, mostly unchanged: kept until the index, the extras, the
    // live processes or the day (today's share) change.
    const key = JSON.stringify([options.limit, options.project, this.index?.revision, this.index?.store.length, ZonedCalendar.of(this.timezone).at(now).date, [...livePids]]);
    const last = this.lastSessions;
    if (last && last.key === key && last.store === (this.index?.store ?? null) && last.extras === this.extras) return options.shared ? last.sessions : [...last.sessions];
    const rows = options.limit !== undefined && !options.project ? this.latestSessionRows(options.limit) : this.records();
    const all = buildSessions({
      timeZone: this.timezone,
      now,
      rows,
      prompts: this.index?.prompts ?? new Map(),
      projectPaths: this.index?.projectPaths ?? new Map(),
      sessionMeta: this.extras.sessionMeta,
      livePids,
      costStates: this.costStates(),
      tallyOnly: this.tallyOnlySessions(),
    });
    const p = options.project;
    const filtered = p ? all.filter((s) => s.project === p || s.path === p || (s.path !== null && path.basename(s.path) === p)) : all;
    const sessions = options.limit !== undefined ? filtered.slice(0, Math.max(0, options.limit)) : filtered;
    this.lastSessions = { key, store: this.index?.store ?? null, extras: this.extras, sessions };
    return options.shared ? sessions : [...sessions];
  }


  blocks(now: Date = new Date()): UsageBlock[] {
    return buildBlocks(this.records(), now);
  }

  activeBlock(now: Date = new Date()): UsageBlock | null {
    // A gap of 5 h or more always starts a block, so block bounds after such a gap do not depend on earlier rows: from
    // the last gap before now, the bounds are followed on timestamps alone up to the block holding now, and only that
    // block's rows are added up.
    const { store, rows } = this.rowOrder();
    const ts = store.num.ts;
    const nowMs = now.getTime();
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[rows[mid]!]! <= nowMs) lo = mid + 1;
      else hi = mid;
    }
    let first = Math.max(0, lo - 1);
    while (first > 0 && ts[rows[first]!]! - ts[rows[first - 1]!]! < BLOCK_MS) first--;
    let next = rows.length;
    if (first < rows.length) {
      let startMs = Math.floor(ts[rows[first]!]! / HOUR_MS) * HOUR_MS;
      let lastMs = ts[rows[first]!]!;
      for (let k = first + 1; k < rows.length; k++) {
        const t = ts[rows[k]!]!;
        if (t >= startMs + BLOCK_MS || t - lastMs >= BLOCK_MS) {
          const nextStart = Math.floor(t / HOUR_MS) * HOUR_MS;
          if (nextStart > nowMs) {
            next = k;
            break;
          }
          startMs = nextStart;
          first = k;
          lastMs = t;
        } else if (t > lastMs) lastMs = t;
      }
    }
    return buildBlocks(new RecordRows(store, rows.subarray(first, next), this.prices), now).find((b) => b.active) ?? null;
  }

  /**
   * Rows of the `limit` sessions active last (and of any tied with the last of them): walking back in time, the
   * first rows of each session seen are its latest.
   */
  private latestSessionRows(limit: number): RecordRows {
    const { store, rows } = this.rowOrder();
    const ts = store.num.ts;
    const session = store.ref.session;
    const chosen = new Set<string>();
    let lastTs = Number.NaN;
    for (let k = rows.length - 1; k >= 0; k--) {
      const id = store.strings[session[rows[k]!]!]!;
      if (chosen.has(id)) continue;
      if (chosen.size >= limit && ts[rows[k]!]! < lastTs) break;
      chosen.add(id);
      lastTs = ts[rows[k]!]!;
    }
    const chosenIds = Uint8Array.from(store.strings, (name) => (chosen.has(name) ? 1 : 0));
    const mine = rows.filter((row) => chosenIds[session[row]!] === 1);
    return new RecordRows(store, mine, this.prices);
  }

  /** Claude Code's tallies of sessions in files under this engine's Claude dirs. */
  private costStates(): ReadonlyMap<string, SessionCostState> {
    const index = this.index;
    if (!index) return new Map();
    const mine = this.rowOrder();
    if (mine.costStates) return mine.costStates;
    const out = new Map<string, SessionCostState>();
    for (const [session, state] of index.costStates) if (this.roots.has(index.files[state.file]?.root ?? '')) out.set(session, state);
    mine.costStates = out;
    return out;
  }

  /** Sessions with a tally but not one counted response (see SessionsInput.tallyOnly); cached with the view. */
  private tallyOnlySessions(): SessionsInput['tallyOnly'] {
    const view = this.rowOrder();
    if (view.tallyOnly) return view.tallyOnly;
    const { store } = view;
    const withRows = new Set<number>();
    for (let row = 0; row < store.length; row++) withRows.add(store.ref.session[row]!);
    const names = new Set(Array.from(withRows, (id) => store.strings[id]!));
    const out: SessionsInput['tallyOnly'] = [];
    for (const [sessionId, state] of this.costStates()) {
      if (!names.has(sessionId)) out.push({ sessionId, state, project: this.index?.files[state.file]?.project ?? '(none)' });
    }
    view.tallyOnly = out;
    return out;
  }

  /** Waits for a running refresh, persists the index and stops watching. */
  async close(): Promise<void> {
    await this.queue;
    await this.persist();
    this.watch?.close();
  }

  private currentFiles(): FileState[] {
    return this.index ? this.index.files.filter((f) => this.roots.has(f.root)) : [];
  }

  /** Rows of files under this engine's Claude dirs, oldest first; cached until the index changes. */
  private rowOrder(): View {
    return runSteps(this.rowOrderSteps());
  }

  /** `rowOrder` in steps (see pacer.ts): a first index of a big history has hundreds of thousands of rows to sort. */
  private *rowOrderSteps(): Steps<View> {
    const index = this.index ?? new UsageIndex();
    if (!this.view || this.view.revision !== index.revision || this.view.store !== index.store) {
      const mine = new Set<number>();
      index.files.forEach((f, i) => this.roots.has(f.root) && mine.add(i));
      const rows = yield* index.store.rowsByTimeSteps(mine.size === index.files.length ? null : mine);
      this.view = { revision: index.revision, store: index.store, rows };
    }
    return this.view;
  }

  private records(): RecordRows {
    const { store, rows } = this.rowOrder();
    return new RecordRows(store, rows, this.prices);
  }

  /** Saves the index if it changed; a failure (read-only or full disk) is reported, never fatal: only restarts get slower. */
  private async persist(pacer: Pacer = UNPACED): Promise<void> {
    if (!this.index || this.index.revision === this.savedRevision) return;
    const revision = this.index.revision;
    try {
      await saveIndex(this.dataDir, this.index, pacer);
      this.savedRevision = revision;
      this.saveProblem = null;
    } catch (error) {
      // Whatever reached the disk, the next save writes everything.
      this.index.needsFullSave = true;
      this.saveProblem = `cannot save the usage index in ${this.dataDir} (${(error as Error).message}); the next start reads every transcript again`;
    }
  }

  private async doRefresh(pacer: Pacer): Promise<void> {
    if (!this.index) {
      const loaded = await loadIndex(this.dataDir);
      this.index = loaded.index;
      this.indexProblem = loaded.problem;
      this.savedRevision = loaded.problem ? -1 : 0;
    }
    const index = this.index;
    // Files to read again from the start whatever changed: only a full listing finds all those still on disk.
    const rereads = index.takeRereads();
    const scope = await this.list(rereads.size > 0, pacer);
    const listing = this.listing!;
    const found: FoundFile[] = [];
    for (const [folder, l] of listing) {
      if (scope && !scope.has(folder)) continue;
      l.readProblems = [];
      found.push(...l.files);
    }
    found.sort((a, b) => (a.path < b.path ? -1 : 1));
    const stats: Array<{ file: FoundFile; size: number; mtimeMs: number; dev: number; ino: number; born: number } | null> = [];
    for (const file of found) {
      const turn = pacer.turn();
      if (turn) await turn;
      try {
        // lstat: a link or FIFO swapped in since the listing is seen for what it is (and openScan checks again).
        const s = lstatSync(file.path);
        if (s.isFile()) stats.push({ file, size: s.size, mtimeMs: s.mtimeMs, dev: s.dev, ino: s.ino, born: bornOf(s) });
        else {
          this.readProblem(file, `skipped ${file.path}: ${kindOf(s)}, not a regular file`);
          stats.push(null);
        }
      } catch (error) {
        const problem = readProblem(file.path, error);
        if (problem) this.readProblem(file, problem);
        stats.push(null); // vanished since the listing: the next refresh looks again
      }
    }
    if (rereads.size > 0) {
      // Read again from the start whatever of them is still on disk; the history of the others is kept.
      const present = new Set<number>();
      for (const s of stats) {
        const idx = s ? index.fileIndex(s.file.path) : undefined;
        if (idx !== undefined && rereads.has(idx)) present.add(idx);
      }
      index.resetFiles(present);
      for (const idx of present) index.files[idx]!.mtimeMs = 0;
    }
    const seen = new Set<string>();
    const work: Array<{ file: FoundFile; idx: number | undefined; bytes: number }> = [];
    for (const s of stats) {
      if (!s) continue;
      seen.add(s.file.path);
      let idx = index.fileIndex(s.file.path);
      const f = idx === undefined ? undefined : index.files[idx];
      if (f && (f.deleted || isAnotherFile(f, s))) {
        // Deleted and recreated (Claude Code reuses a session's file on resume), or renamed over: a new file. The old
        // one keeps its records, as a deleted transcript does.
        if (!f.deleted) {
          f.deleted = true;
          index.revision++;
        }
        idx = undefined;
      } else if (f && f.size === s.size && f.mtimeMs === s.mtimeMs) continue;
      work.push({ file: s.file, idx, bytes: Math.max(0, s.size - (idx !== undefined && f ? f.offset : 0)) });
    }
    for (const f of scope?.size === 0 ? [] : index.files) {
      if (scope && !scope.has(folderOf(f))) continue;
      if (this.roots.has(f.root) && !f.deleted && !seen.has(f.path)) {
        f.deleted = true;
        index.revision++;
      }
    }
    const progress: UsageProgress = { filesDone: 0, filesTotal: work.length, bytesDone: 0, bytesTotal: work.reduce((s, w) => s + w.bytes, 0) };
    const dropped = new Set<string>();
    await this.readFiles(index, work, progress, pacer, (w, lost) => {
      if (lost) dropped.add(`${w.file.root}\0${w.file.project}`);
      progress.filesDone++;
      this.progress(progress);
    });
    await this.rereadProjects(index, dropped, progress, pacer);
    this.reader = null;
    this.scanProblems = [...new Set([...listing.values()].flatMap((l) => [...l.problems, ...l.readProblems]))];
    if (!scope || this.extrasChanged) this.extras = await readClaudeExtras(this.claudeDirs, this.extrasCache);
  }

  /** A transcript that could not be read: a gap in the totals, kept with its folder's listing until it is looked at again. */
  private readProblem(file: { root: string; project: string }, problem: string): void {
    const listing = this.listing?.get(folderOf(file));
    if (listing) listing.readProblems.push(problem);
    else this.scanProblems.push(problem);
  }

  /**
   * Lists what may have changed: every project folder (returns null), or with a watch only those it reported
   * (returns their paths; `this.listing` keeps the others as they were).
   */
  private async list(full: boolean, pacer: Pacer): Promise<Set<string> | null> {
    // The kernel queued the events of every write made before this refresh; two turns of the event loop (so that one
    // whole poll for I/O lies between) deliver them, and a refresh right after a write sees it.
    for (let k = 0; this.watch && k < 2; k++) await new Promise<void>((resolve) => setImmediate(resolve));
    const changes = this.watch?.take();
    const now = Date.now();
    let scope: Set<string> | null = null;
    if (full || !changes || changes.all || !this.listing || now - this.listedAt >= FULL_RESCAN_MS) {
      const listing = new Map<string, ProjectListing>();
      for (const root of this.claudeDirs) await pacer.run(listRootSteps(root, listing));
      this.listing = listing;
      this.listedAt = now;
      this.extrasChanged = true;
    } else {
      scope = changes.projects;
      this.extrasChanged = changes.extras;
      for (const folder of scope) {
        const root = this.claudeDirs.find((r) => folder.startsWith(path.join(r, 'projects') + path.sep));
        const listing = root === undefined ? null : walkProject(root, folder, path.basename(folder));
        if (listing) this.listing.set(folder, listing);
        else this.listing.delete(folder);
      }
    }
    if (this.watch) await pacer.run(this.watch.syncSteps([...this.listing.values()].flatMap((l) => l.folders)));
    return scope;
  }

  /**
   * Reads what is new in each file into the index, in order; `done` hears of each file once it is applied, with
   * whether it had been truncated or replaced and lost counted records. The next file is opened, and its first chunk
   * read, while the last chunk of the one before is looked at.
   */
  private async readFiles<T extends { file: FoundFile; idx: number | undefined }>(index: UsageIndex, items: T[], progress: UsageProgress, pacer: Pacer, done: (item: T, lost: boolean) => void): Promise<void> {
    if (items.length === 0) return;
    // A poll that reads a few appended lines needs no large buffers.
    let chunk = READ_MIN_BYTES;
    while (chunk < READ_BUFFER_BYTES && chunk < progress.bytesTotal) chunk *= 2;
    // Synchronous reads when nothing else waits for this thread (a command): see READ_BUFFER_BYTES.
    const sync = !pacer.pacing;
    if (this.reader && (this.reader.chunkBytes < chunk || this.reader.sync !== sync)) this.reader = null;
    const reader = (this.reader ??= new ReadAhead(chunk, sync));
    const open = (item: T): OpenScan | { problem: string | null } => {
      const f = item.idx === undefined ? undefined : index.files[item.idx];
      const known = f ? { dev: f.dev, ino: f.ino, born: f.born, offset: f.offset, head: f.head, lines: f.lines, malformed: f.malformed, promptFound: f.promptFound, lastTs: f.lastTs ?? NaN } : null;
      return openScan({ path: item.file.path, known });
    };
    let ahead: OpenScan | { problem: string | null } | null = null;
    try {
      const pace = pacer.pacing ? () => pacer.turn() : undefined;
      for (let k = 0; k < items.length; k++) {
        const item = items[k]!;
        const turn = pace?.();
        if (turn) await turn;
        const current = ahead ?? open(item);
        ahead = null;
        let scan: FileScan | { problem: string | null };
        if (!('fd' in current)) scan = current;
        else {
          scan = await readScan(current, {
            reader,
            onBytes: (n) => {
              progress.bytesDone += n;
              this.progress(progress);
            },
            onLastRead: () => {
              const following = items[k + 1];
              ahead = following ? open(following) : null;
              if (ahead && 'fd' in ahead) reader.prefetch(ahead.fd, ahead.from);
            },
            pace,
          });
        }
        done(item, this.apply(index, item.file, item.idx, scan));
      }
    } finally {
      // Left open when a read failed: closed once its prefetch (if any) is back.
      const left = ahead as OpenScan | { problem: string | null } | null;
      if (left && 'fd' in left) await closeScan(left, reader);
    }
  }

  /**
   * A truncated or replaced file took its counted records with it; copies of those responses in other files of the
   * same project (resumed sessions, sub-agents) were skipped as duplicates, so those files are read again from the start.
   */
  private async rereadProjects(index: UsageIndex, dropped: ReadonlySet<string>, progress: UsageProgress, pacer: Pacer): Promise<void> {
    if (dropped.size === 0) return;
    const again: Array<{ idx: number; file: FoundFile }> = [];
    index.files.forEach((f, idx) => {
      if (!f.deleted && this.roots.has(f.root) && dropped.has(`${f.root}\0${f.project}`)) again.push({ idx, file: { path: f.path, root: f.root, project: f.project } });
    });
    for (const { idx } of again) index.resetFile(idx);
    await this.readFiles(index, again, progress, pacer, () => undefined);
  }

  /** Folds one file's scan into the index; returns true when the file had been truncated or replaced and lost counted records. */
  private apply(index: UsageIndex, file: FoundFile, known: number | undefined, scan: FileScan | { problem: string | null }): boolean {
    if (!('usages' in scan)) {
      // Unreadable or not a regular file: a gap to show. Vanished (no problem): the next refresh looks again.
      if (scan.problem) this.readProblem(file, scan.problem);
      return false;
    }
    let idx = known;
    if (idx !== undefined && scan.replaced) {
      // Replaced between the listing and the open: the old file keeps its records, like a deleted one.
      index.files[idx]!.deleted = true;
      idx = undefined;
    }
    if (idx === undefined) {
      idx = index.addFile({ path: file.path, root: file.root, project: file.project, dev: scan.dev, ino: scan.ino, size: 0, mtimeMs: 0, offset: 0, head: '', deleted: false, lines: 0, malformed: 0, duplicates: 0, promptFound: false });
    }
    const dropped = scan.reset && index.resetFile(idx) > 0;
    const f = index.files[idx]!;
    Object.assign(f, { deleted: false, dev: scan.dev, ino: scan.ino, root: file.root, project: file.project, head: scan.head, lines: scan.lines, malformed: scan.malformed, promptFound: scan.promptFound });
    if (scan.born > 0) f.born = scan.born;
    const addPrompt = (p: PromptLine) => {
      if (!index.prompts.has(p.sessionId)) index.prompts.set(p.sessionId, { prompt: p.prompt, ts: p.ts });
      if (p.cwd && !index.projectPaths.has(f.project)) index.projectPaths.set(f.project, p.cwd);
    };
    scan.usages.forEach((u, i) => {
      if (scan.prompt?.after === i) addPrompt(scan.prompt.line);
      if (!index.addUsage(u, f.project, idx)) f.duplicates++;
      if (u.cwd && index.projectPaths.get(f.project) !== u.cwd) index.projectPaths.set(f.project, u.cwd);
    });
    if (scan.prompt && scan.prompt.after >= scan.usages.length) addPrompt(scan.prompt.line);
    // A tally with no timed line before it in its file is dated by the session's start, else by the file's mtime.
    for (const c of scan.costs) index.addCostState(c.line, idx, Number.isFinite(c.ts) ? c.ts : (c.line.startTime ?? scan.mtimeMs));
    if (Number.isFinite(scan.lastTs)) f.lastTs = scan.lastTs;
    else delete f.lastTs;
    f.offset = scan.offset;
    f.size = scan.size;
    f.mtimeMs = scan.mtimeMs;
    index.revision++;
    return dropped;
  }
}
