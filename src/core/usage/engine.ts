/**
 * The long-lived usage engine: keeps an incremental, persisted index of every transcript under the Claude config
 * dirs and answers reports, sessions and 5-hour blocks from it. The tray app, the HTTP server and the CLI share it.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ModelPrice } from '../settings/types.js';
import { BLOCK_MS, HOUR_MS, buildBlocks } from './blocks.js';
import { type ClaudeExtras, type JsonCache, readClaudeExtras } from './claude-extras.js';
import { kindOf, readProblem } from '../regular-file.js';
import { type FileScan, bornOf, isAnotherFile, scanFile } from './file-scan.js';
import { type Pacer, READ_BUFFER_BYTES } from './line-reader.js';
import { PriceTable } from './prices.js';
import { buildReport } from './report.js';
import { type SessionsInput, buildSessions } from './sessions.js';
import type { SessionCostState } from './cost-state.js';
import { isValidDate, isValidTimeZone, localTimeZone } from './time-zone.js';
import type { PromptLine } from './transcript-line.js';
import type { SessionUsage, UsageBlock, UsageReport } from './types.js';
import { RecordRows } from './record-rows.js';
import type { RecordStore } from './record-store.js';
import { type FileState, UsageIndex, loadIndex, saveIndex } from './usage-index.js';

export interface UsageProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface UsageEngineOptions {
  claudeDirs: string[];
  dataDir: string;
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
}

interface FoundFile {
  path: string;
  root: string;
  project: string;
}

/**
 * Synchronous on purpose, like the stats below: a few milliseconds for hundreds of files, where the thread-pool
 * round trips of the async calls were most of a warm start. What cannot be read, and transcripts that are not regular
 * files (a FIFO, a device, a link, which are never followed or opened), go to `problems`: a gap in the totals is shown.
 */
function findTranscripts(root: string, problems: string[]): FoundFile[] {
  const out: FoundFile[] = [];
  // One readdir per folder, types from the listing: the recursive readdir stats every entry to find the folders.
  const walk = (dir: string, project: string | null): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // A missing `projects` folder (no session yet) or one removed meanwhile is no gap.
      const problem = readProblem(dir, error);
      if (problem) problems.push(`${problem.replace(/^cannot read /, 'cannot read folder ')}; the transcripts in it are not counted`);
      return;
    }
    for (const d of entries) {
      const full = `${dir}${path.sep}${d.name}`;
      if (d.isDirectory()) walk(full, project ?? d.name);
      else if (d.isFile()) {
        if (d.name.endsWith('.jsonl')) out.push({ path: full, root, project: project ?? '(none)' });
      } else if (d.name.endsWith('.jsonl') || (project === null && d.isSymbolicLink())) {
        problems.push(`skipped ${full}: ${kindOf(d)}, not a regular file`);
      }
    }
  };
  walk(path.join(root, 'projects'), null);
  return out;
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
  private readonly onProgress: ((p: UsageProgress) => void) | undefined;
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
  private readBuffer: Buffer | null = null;
  private readonly pacer: Pacer = { bytesSinceYield: 0 };
  private savedRevision = -1;
  /** See `revision`: what it was last made from, and its value. */
  private reportRevision = { key: '', value: 0 };
  /** Bumped with every change of the prices. */
  private pricesGeneration = 0;
  private queue: Promise<void> = Promise.resolve();
  private view: View | null = null;
  /** The last report and what it was made from: monitors ask for the same report every poll, mostly unchanged. */
  private lastReport: { key: string; store: RecordStore; prices: PriceTable; report: UsageReport } | null = null;

  constructor(options: UsageEngineOptions) {
    this.claudeDirs = options.claudeDirs.map((d) => path.resolve(d));
    this.roots = new Set(this.claudeDirs);
    this.dataDir = options.dataDir;
    this.onProgress = options.onProgress;
    this.prices = new PriceTable(options.priceOverrides);
    const tz = options.timezone ?? localTimeZone();
    if (!isValidTimeZone(tz)) throw new RangeError(`unknown time zone '${tz}'`);
    this.timezone = tz;
  }

  /**
   * Reads what changed since the last refresh (everything the first time, unless the persisted index has it) and
   * saves the index before resolving, so nothing is left to write once a caller stops using the engine.
   */
  refresh(): Promise<void> {
    const run = this.queue.then(async () => {
      await this.doRefresh();
      await this.persist();
    });
    this.queue = run.catch(() => undefined);
    return run;
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
    const timeZone = options.timezone ?? this.timezone;
    if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
    for (const [name, value] of [['since', options.since], ['until', options.until]] as const) {
      if (value !== undefined && !isValidDate(value)) throw new RangeError(`--${name} must be a date written YYYY-MM-DD, got '${value}'`);
    }
    const problems = this.problems();
    const generatedAt = (options.now ?? new Date()).toISOString();
    const store = this.index?.store ?? null;
    const key = JSON.stringify([timeZone, options.since, options.until, this.index?.revision, problems, [...this.extras.statsCache].map(([d, m]) => [d, [...m]])]);
    const last = this.lastReport;
    if (last && store && last.key === key && last.store === store && last.prices === this.prices) {
      // A copy: callers may sort or trim what they get.
      return { ...structuredClone(last.report), generatedAt };
    }
    const files = this.currentFiles();
    const report = buildReport({
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
        problems,
      },
      prices: this.prices.fingerprint,
      now: options.now,
    });
    this.lastReport = store ? { key, store, prices: this.prices, report: structuredClone(report) } : null;
    return report;
  }

  /**
   * Most recent first. `project` matches the project folder name, its path, or the path's last segment. `livePids`
   * (session id to PID, from the process scan) gives each running session its process.
   */
  sessions(options: { limit?: number; project?: string; now?: Date; livePids?: ReadonlyMap<string, number> } = {}): SessionUsage[] {
    const rows = options.limit !== undefined && !options.project ? this.latestSessionRows(options.limit) : this.records();
    const all = buildSessions({
      timeZone: this.timezone,
      now: (options.now ?? new Date()).getTime(),
      rows,
      prompts: this.index?.prompts ?? new Map(),
      projectPaths: this.index?.projectPaths ?? new Map(),
      sessionMeta: this.extras.sessionMeta,
      livePids: options.livePids ?? new Map(),
      costStates: this.costStates(),
      tallyOnly: this.tallyOnlySessions(),
    });
    const p = options.project;
    const filtered = p ? all.filter((s) => s.project === p || s.path === p || (s.path !== null && path.basename(s.path) === p)) : all;
    return options.limit !== undefined ? filtered.slice(0, Math.max(0, options.limit)) : filtered;
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

  /** Waits for a running refresh and persists the index. */
  async close(): Promise<void> {
    await this.queue;
    await this.persist();
  }

  private currentFiles(): FileState[] {
    return this.index ? this.index.files.filter((f) => this.roots.has(f.root)) : [];
  }

  /** Rows of files under this engine's Claude dirs, oldest first; cached until the index changes. */
  private rowOrder(): View {
    const index = this.index ?? new UsageIndex();
    if (!this.view || this.view.revision !== index.revision || this.view.store !== index.store) {
      const mine = new Set<number>();
      index.files.forEach((f, i) => this.roots.has(f.root) && mine.add(i));
      this.view = { revision: index.revision, store: index.store, rows: index.store.rowsByTime(mine.size === index.files.length ? null : mine) };
    }
    return this.view;
  }

  private records(): RecordRows {
    const { store, rows } = this.rowOrder();
    return new RecordRows(store, rows, this.prices);
  }

  /** Saves the index if it changed; a failure (read-only or full disk) is reported, never fatal: only restarts get slower. */
  private async persist(): Promise<void> {
    if (!this.index || this.index.revision === this.savedRevision) return;
    const revision = this.index.revision;
    try {
      await saveIndex(this.dataDir, this.index);
      this.savedRevision = revision;
      this.saveProblem = null;
    } catch (error) {
      // Whatever reached the disk, the next save writes everything.
      this.index.needsFullSave = true;
      this.saveProblem = `cannot save the usage index in ${this.dataDir} (${(error as Error).message}); the next start reads every transcript again`;
    }
  }

  private async doRefresh(): Promise<void> {
    if (!this.index) {
      const loaded = await loadIndex(this.dataDir);
      this.index = loaded.index;
      this.indexProblem = loaded.problem;
      this.savedRevision = loaded.problem ? -1 : 0;
    }
    const index = this.index;
    const problems: string[] = [];
    const found = this.claudeDirs.flatMap((root) => findTranscripts(root, problems)).sort((a, b) => (a.path < b.path ? -1 : 1));
    const stats: Array<{ file: FoundFile; size: number; mtimeMs: number; dev: number; ino: number; born: number } | null> = [];
    for (const file of found) {
      try {
        // lstat: a link or FIFO swapped in since the listing is seen for what it is (and scanFile checks again).
        const s = lstatSync(file.path);
        if (s.isFile()) stats.push({ file, size: s.size, mtimeMs: s.mtimeMs, dev: s.dev, ino: s.ino, born: bornOf(s) });
        else {
          problems.push(`skipped ${file.path}: ${kindOf(s)}, not a regular file`);
          stats.push(null);
        }
      } catch (error) {
        const problem = readProblem(file.path, error);
        if (problem) problems.push(problem);
        stats.push(null); // vanished since the listing: the next refresh looks again
      }
    }
    const rereads = index.takeRereads();
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
    this.scanProblems = problems;
    for (const f of index.files) {
      if (this.roots.has(f.root) && !f.deleted && !seen.has(f.path)) {
        f.deleted = true;
        index.revision++;
      }
    }
    const progress: UsageProgress = { filesDone: 0, filesTotal: work.length, bytesDone: 0, bytesTotal: work.reduce((s, w) => s + w.bytes, 0) };
    const dropped = new Set<string>();
    for (const w of work) {
      if (await this.readFile(index, w.file, w.idx, progress)) dropped.add(`${w.file.root}\0${w.file.project}`);
      progress.filesDone++;
      this.onProgress?.(progress);
    }
    await this.rereadProjects(index, dropped, progress);
    this.readBuffer = null;
    this.extras = await readClaudeExtras(this.claudeDirs, this.extrasCache);
  }

  /** Reads what is new in one file into the index; returns true when the file had been truncated or replaced and lost counted records. */
  private async readFile(index: UsageIndex, file: FoundFile, idx: number | undefined, progress: UsageProgress): Promise<boolean> {
    const f = idx === undefined ? undefined : index.files[idx];
    const known = f ? { dev: f.dev, ino: f.ino, born: f.born, offset: f.offset, head: f.head, lines: f.lines, malformed: f.malformed, promptFound: f.promptFound, lastTs: f.lastTs ?? NaN } : null;
    const scan = await scanFile(
      { path: file.path, known },
      {
        buffer: (this.readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES)),
        pacer: this.pacer,
        onBytes: (n) => {
          progress.bytesDone += n;
          this.onProgress?.(progress);
        },
      },
    );
    return this.apply(index, file, idx, scan);
  }

  /**
   * A truncated or replaced file took its counted records with it; copies of those responses in other files of the
   * same project (resumed sessions, sub-agents) were skipped as duplicates, so those files are read again from the start.
   */
  private async rereadProjects(index: UsageIndex, dropped: ReadonlySet<string>, progress: UsageProgress): Promise<void> {
    if (dropped.size === 0) return;
    const again: Array<{ idx: number; file: FoundFile }> = [];
    index.files.forEach((f, idx) => {
      if (!f.deleted && this.roots.has(f.root) && dropped.has(`${f.root}\0${f.project}`)) again.push({ idx, file: { path: f.path, root: f.root, project: f.project } });
    });
    for (const { idx } of again) index.resetFile(idx);
    for (const { idx, file } of again) await this.readFile(index, file, idx, progress);
  }

  /** Folds one file's scan into the index; returns true when the file had been truncated or replaced and lost counted records. */
  private apply(index: UsageIndex, file: FoundFile, known: number | undefined, scan: FileScan | { problem: string | null }): boolean {
    if (!('usages' in scan)) {
      // Unreadable or not a regular file: a gap to show. Vanished (no problem): the next refresh looks again.
      if (scan.problem) this.scanProblems.push(scan.problem);
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
