/**
 * What the engine remembers between polls and restarts: one record per API response (message id), the read
 * position of every transcript, and first prompts. Persisted compactly (columns + a string table) in TCE's data
 * folder, so a restart reads only what changed and history survives Claude Code deleting old transcripts.
 */
// Synchronous file calls, like the transcript reads, and no node:crypto: loading fs.promises and crypto alone added
// about 5 MB to every `tce` run, for a handful of small calls (a full write is about 2 MB per 15k responses).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { appendPrivateFile, securePrivateDir, writePrivateFileAsync } from '../private-file.js';
import { type CostStateLine, type SessionCostState, foldCostState, isSessionCostState } from './cost-state.js';
import { type FileState, type IndexContents, type IndexToEncode, type SessionPrompt, decodeIndex, encodeIndexSteps, isFileState } from './index-file.js';
import { type Pacer, type Steps, UNPACED, runSteps } from './pacer.js';
import { RecordStore } from './record-store.js';
import { type UsageLine, isTokenCount, isUsageTime } from './transcript-line.js';

export type { RecordFields, UsageRecord } from './record-store.js';

export const INDEX_FILE = 'usage-index.bin';
/** The JSON full write of earlier versions: still read (it may hold the history of deleted transcripts), replaced at the next full save. */
export const LEGACY_INDEX_FILE = 'usage-index.json';
/**
 * What changed since the last full write, one JSON line per save: a monitor saves after every poll that saw new
 * usage, and rewriting a large index each time would cost more than reading the new lines did.
 */
export const JOURNAL_FILE = 'usage-index.journal';
const LEGACY_INDEX_VERSION = 1;
/** The journal is folded into a full write once it outgrows this, or half the full index. */
const JOURNAL_MIN_COMPACT_BYTES = 1024 * 1024;
/** Files noted as saved between two steps of `markSavedSteps`. */
const FILES_PER_STEP = 256;

export type { FileState, SessionPrompt } from './index-file.js';

/** [id, ts, model, input, output, cacheWrite5m, cacheWrite1h, cacheRead, sessionId, project, file, webSearch, flags] */
export type JournalRecord = [string, number, string, number, number, number, number, number, string, string, number, number, number];

export interface JournalEntry {
  generation: string;
  /** Lines of earlier versions hold records without the last two fields (webSearch and flags): read as 0. */
  records: Array<JournalRecord | [string, number, string, number, number, number, number, number, string, string, number]>;
  files: Array<[number, FileState]>;
  prompts: Record<string, SessionPrompt>;
  projectPaths: Record<string, string>;
  /** Claude Code's tallies that changed, whole; absent in lines of earlier versions. */
  costStates?: Record<string, SessionCostState>;
}

export class UsageIndex {
  store = new RecordStore();
  readonly files: FileState[] = [];
  private readonly fileByPath = new Map<string, number>();
  readonly prompts = new Map<string, SessionPrompt>();
  /** Project folder name -> the cwd its lines name. */
  readonly projectPaths = new Map<string, string>();
  /** Session id -> Claude Code's own tally for it (see cost-state.ts). */
  readonly costStates = new Map<string, SessionCostState>();
  /** Bumped on every change, so callers know when to persist and when cached aggregates are stale. */
  revision = 0;
  /** Names the full write on disk; journal lines written on top of another one are ignored. */
  generation = '';
  /** Whether the next save must be a full write (fresh index, records removed, or a journal that could not be used). */
  needsFullSave = true;
  baseBytes = 0;
  journalBytes = 0;
  /** Rows added or replaced since the last save. */
  private readonly dirtyRows = new Set<number>();
  /** Sessions whose tally changed since the last save. */
  private readonly dirtyCosts = new Set<string>();
  private rereads = new Set<number>();
  private savedFiles: string[] = [];
  private savedPrompts = new Set<string>();
  private savedPaths = new Map<string, string>();

  fileIndex(filePath: string): number | undefined {
    return this.fileByPath.get(filePath);
  }

  addFile(state: FileState): number {
    const idx = this.files.length;
    this.files.push(state);
    this.indexPath(idx);
    this.revision++;
    return idx;
  }

  /**
   * Makes `idx` the entry its path is looked up by, unless another entry has a better claim: a file deleted and
   * recreated at one path has an entry for each, and the live (else the newest) one is the path's.
   */
  private indexPath(idx: number): void {
    const f = this.files[idx]!;
    const current = this.fileByPath.get(f.path);
    const other = current === undefined || current === idx ? undefined : this.files[current];
    if (!other || !f.deleted || (other.deleted && idx > (current as number))) this.fileByPath.set(f.path, idx);
  }

  /** Counts one copy of an API response; keeps the copy with the largest token total. Returns false for a duplicate. */
  addUsage(line: UsageLine, project: string, file: number): boolean {
    const { row, added } = this.store.addLine(line, project, file);
    if (row !== -1) {
      this.dirtyRows.add(row);
      this.revision++;
    }
    return added;
  }

  /** Folds one cost-state line of a file into its session's tally, dated `ts`. */
  addCostState(line: CostStateLine, file: number, ts: number): void {
    const state = foldCostState(this.costStates.get(line.sessionId), line, file, ts);
    if (!state) return;
    this.costStates.set(line.sessionId, state);
    this.dirtyCosts.add(line.sessionId);
    this.revision++;
  }

  /**
   * Forgets what a file contributed, before re-reading it from the start (it was truncated or replaced).
   * Returns how many records went with it.
   */
  resetFile(file: number): number {
    return this.resetFiles(new Set([file]));
  }

  /** Forgets what these files contributed, before re-reading them from the start; returns how many records went. */
  resetFiles(files: ReadonlySet<number>): number {
    const removed = this.store.removeFiles(files);
    let costsRemoved = 0;
    for (const [session, state] of this.costStates) {
      if (files.has(state.file)) {
        this.costStates.delete(session);
        costsRemoved++;
      }
    }
    for (const file of files) {
      const f = this.files[file];
      if (f) {
        Object.assign(f, { offset: 0, lines: 0, malformed: 0, duplicates: 0, promptFound: false });
        delete f.lastTs;
      }
    }
    // The journal only adds and replaces; records and tallies that went away need a full write (which also makes the
    // row numbers noted for the journal, now shifted, moot).
    if (removed > 0 || costsRemoved > 0) {
      this.needsFullSave = true;
      this.dirtyRows.clear();
      this.dirtyCosts.clear();
    }
    this.revision++;
    return removed;
  }

  /**
   * An index of an earlier format has no web searches, fast-mode or US-inference marks and no Claude Code tallies for
   * what it read: the transcripts it read that are still on disk are to be read again from the start (the engine
   * does it at its next refresh, see `takeRereads`), while the history of deleted ones is kept as it is.
   */
  rereadLiveFiles(): void {
    this.files.forEach((f, i) => !f.deleted && this.rereads.add(i));
    if (this.rereads.size > 0) this.needsFullSave = true;
  }

  /** Files to read again from the start, once (see `rereadLiveFiles`). */
  takeRereads(): Set<number> {
    const out = this.rereads;
    this.rereads = new Set();
    return out;
  }

  /**
   * Remembers what is on disk now, so the next journal line holds only what changes after this. After a journal
   * line, only what that line held is noted: a monitor saves after every poll with new usage.
   */
  markSaved(written?: JournalEntry): void {
    runSteps(this.markSavedSteps(written));
  }

  /** `markSaved` in steps (see pacer.ts): after a full write of thousands of files. */
  *markSavedSteps(written?: JournalEntry): Steps<void> {
    this.dirtyRows.clear();
    this.dirtyCosts.clear();
    if (written) {
      for (const [idx, f] of written.files) this.savedFiles[idx] = JSON.stringify(f);
      for (const k of Object.keys(written.prompts)) this.savedPrompts.add(k);
      for (const [k, v] of Object.entries(written.projectPaths)) this.savedPaths.set(k, v);
    } else {
      const savedFiles: string[] = [];
      for (let i = 0; i < this.files.length; i++) {
        if (i % FILES_PER_STEP === FILES_PER_STEP - 1) yield;
        savedFiles.push(JSON.stringify(this.files[i]));
      }
      this.savedFiles = savedFiles;
      this.savedPrompts = new Set(this.prompts.keys());
      this.savedPaths = new Map(this.projectPaths);
    }
    this.needsFullSave = false;
  }

  /** What changed since `markSaved`, or null when nothing did. */
  journalEntry(): JournalEntry | null {
    const records: JournalRecord[] = [];
    for (const row of this.dirtyRows) {
      const r = this.store.record(row);
      records.push([r.id, r.ts, r.model, r.input, r.output, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead, r.sessionId, r.project, r.file, r.webSearch, r.flags]);
    }
    const costStates: Record<string, SessionCostState> = {};
    for (const session of this.dirtyCosts) {
      const state = this.costStates.get(session);
      if (state) costStates[session] = state;
    }
    const files: JournalEntry['files'] = [];
    this.files.forEach((f, idx) => {
      if (JSON.stringify(f) !== this.savedFiles[idx]) files.push([idx, f]);
    });
    const prompts: JournalEntry['prompts'] = {};
    for (const [k, v] of this.prompts) if (!this.savedPrompts.has(k)) prompts[k] = v;
    const projectPaths: JournalEntry['projectPaths'] = {};
    for (const [k, v] of this.projectPaths) if (this.savedPaths.get(k) !== v) projectPaths[k] = v;
    const costsChanged = Object.keys(costStates).length > 0;
    if (records.length === 0 && files.length === 0 && Object.keys(prompts).length === 0 && Object.keys(projectPaths).length === 0 && !costsChanged) return null;
    return { generation: this.generation, records, files, prompts, projectPaths, ...(costsChanged ? { costStates } : {}) };
  }

  /**
   * Replays one journal line, all or nothing: it is checked before anything is applied. Idempotent, so a line
   * already folded into the full write does no harm.
   */
  applyJournal(entry: JournalEntry): void {
    if (!entry || !Array.isArray(entry.files) || !Array.isArray(entry.records) || !entry.prompts || typeof entry.prompts !== 'object' || !entry.projectPaths || typeof entry.projectPaths !== 'object') {
      throw new Error('journal line is incomplete');
    }
    let length = this.files.length;
    for (const item of entry.files) {
      if (!Array.isArray(item) || typeof item[0] !== 'number' || !isFileState(item[1]) || item[0] > length) throw new Error('journal names a file the index does not have');
      if (item[0] === length) length++;
    }
    for (const r of entry.records) {
      const whole =
        Array.isArray(r) &&
        (r.length === 11 || r.length === 13) &&
        [r[0], r[2], r[8], r[9]].every((v) => typeof v === 'string') &&
        isUsageTime(r[1]) &&
        [r[3], r[4], r[5], r[6], r[7], r[11] ?? 0].every(isTokenCount) &&
        Number.isInteger(r[12] ?? 0) &&
        (r[12] ?? 0) >= 0 &&
        Number.isInteger(r[10]) &&
        r[10] >= 0 &&
        r[10] < length;
      if (!whole) throw new Error('journal record is damaged');
    }
    const costStates = entry.costStates ?? {};
    if (typeof costStates !== 'object' || costStates === null || !Object.values(costStates).every((c) => isSessionCostState(c, length))) {
      throw new Error('journal tally is damaged');
    }
    for (const [idx, state] of entry.files) {
      if (idx === this.files.length) this.addFile(state);
      else {
        const old = this.files[idx]!;
        if (this.fileByPath.get(old.path) === idx) this.fileByPath.delete(old.path);
        this.files[idx] = state;
        this.indexPath(idx);
      }
    }
    for (const [id, ts, model, input, output, cacheWrite5m, cacheWrite1h, cacheRead, sessionId, project, file, webSearch = 0, flags = 0] of entry.records) {
      const fields = { ts, model, input, output, cacheWrite5m, cacheWrite1h, cacheRead, webSearch, flags, sessionId, project, file };
      const row = this.store.find(id);
      if (row === -1) this.store.append(id, fields);
      else this.store.set(row, fields);
    }
    for (const [k, v] of Object.entries(entry.prompts)) this.prompts.set(k, v);
    for (const [k, v] of Object.entries(entry.projectPaths)) this.projectPaths.set(k, v);
    for (const [k, v] of Object.entries(costStates)) this.costStates.set(k, v);
  }

  /** What a full write holds: the index's own objects (nothing copied), for `encodeIndex` at once. */
  contents(): IndexToEncode {
    return { generation: this.generation, files: this.files, store: this.store, prompts: this.prompts, projectPaths: this.projectPaths, costStates: this.costStates };
  }

  static fromContents(c: IndexContents): UsageIndex {
    const index = new UsageIndex();
    for (const f of c.files) index.addFile(f);
    index.store = c.store;
    for (const [k, v] of Object.entries(c.prompts)) index.prompts.set(k, v);
    for (const [k, v] of Object.entries(c.projectPaths)) index.projectPaths.set(k, v);
    for (const [k, v] of Object.entries(c.costStates)) index.costStates.set(k, v);
    index.generation = c.generation;
    index.revision = 0;
    return index;
  }

  /** Reads the JSON full write of earlier versions (columns and a string table). */
  static fromLegacyJSON(raw: unknown): UsageIndex {
    const o = raw as Record<string, unknown>;
    if (!o || typeof o !== 'object' || o.version !== LEGACY_INDEX_VERSION) throw new Error('unknown index version');
    const index = new UsageIndex();
    const strings = o.strings as string[];
    const c = o.records as Record<string, unknown[]>;
    const files = o.files as FileState[];
    if (!Array.isArray(strings) || !c || !Array.isArray(files) || !Array.isArray(c.id) || !files.every(isFileState)) throw new Error('index is incomplete');
    for (const f of files) index.addFile(f);
    const n = c.id.length;
    const col = (name: string): number[] => {
      const v = c[name];
      if (!Array.isArray(v) || v.length !== n) throw new Error(`index column ${name} is damaged`);
      return v as number[];
    };
    const [ts, model, input, output, cw5m, cw1h, cacheRead, session, project, file] = ['ts', 'model', 'input', 'output', 'cw5m', 'cw1h', 'cacheRead', 'session', 'project', 'file'].map(col) as number[][] as [number[], number[], number[], number[], number[], number[], number[], number[], number[], number[]];
    for (let i = 0; i < n; i++) {
      const id = c.id[i] as string;
      const numbers = [input[i], output[i], cw5m[i], cw1h[i], cacheRead[i]];
      if (typeof id !== 'string' || [model, session, project].some((col) => typeof strings[col[i]!] !== 'string') || !(file[i]! < files.length) || !isUsageTime(ts[i]!) || !numbers.every(isTokenCount)) {
        throw new Error(`index record ${i} is damaged`);
      }
      index.store.append(id, {
        ts: ts[i]!,
        model: strings[model[i]!]!,
        input: input[i]!,
        output: output[i]!,
        cacheWrite5m: cw5m[i]!,
        cacheWrite1h: cw1h[i]!,
        cacheRead: cacheRead[i]!,
        webSearch: 0,
        flags: 0,
        sessionId: strings[session[i]!]!,
        project: strings[project[i]!]!,
        file: file[i]!,
      });
    }
    for (const [k, v] of Object.entries((o.prompts as Record<string, SessionPrompt>) ?? {})) index.prompts.set(k, v);
    for (const [k, v] of Object.entries((o.projectPaths as Record<string, string>) ?? {})) index.projectPaths.set(k, v);
    index.generation = typeof o.generation === 'string' ? o.generation : '';
    index.revision = 0;
    return index;
  }
}

/**
 * Loads the persisted index: the full write, then the journal lines written on top of it. A missing index is a
 * fresh start; a damaged one too (with a problem to report). A journal line cut short by a crash, or written on top
 * of an older full write, ends the replay: what it held is read again from the transcripts.
 */
export async function loadIndex(dataDir: string): Promise<{ index: UsageIndex; problem: string | null }> {
  securePrivateDir(dataDir);
  let file = path.join(dataDir, INDEX_FILE);
  let index: UsageIndex;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { index: new UsageIndex(), problem: `cannot read ${file}: ${(error as Error).message}; rebuilding the usage index` };
    file = path.join(dataDir, LEGACY_INDEX_FILE);
    try {
      bytes = readFileSync(file);
    } catch (legacyError) {
      if ((legacyError as NodeJS.ErrnoException).code === 'ENOENT') return { index: new UsageIndex(), problem: null };
      return { index: new UsageIndex(), problem: `cannot read ${file}: ${(legacyError as Error).message}; rebuilding the usage index` };
    }
  }
  let olderFormat = file.endsWith(LEGACY_INDEX_FILE);
  try {
    if (olderFormat) index = UsageIndex.fromLegacyJSON(JSON.parse(bytes.toString('utf8')));
    else {
      const contents = decodeIndex(bytes);
      olderFormat = contents.olderFormat === true;
      index = UsageIndex.fromContents(contents);
    }
  } catch (error) {
    return { index: new UsageIndex(), problem: `${file} is damaged (${(error as Error).message}); rebuilding the usage index` };
  }
  index.baseBytes = bytes.length;
  const clean = await replayJournal(path.join(dataDir, JOURNAL_FILE), index);
  index.revision = 0;
  index.markSaved();
  if (olderFormat) index.rereadLiveFiles();
  // A journal that could not be used entirely, or an index in an older format, is replaced by the next (full) save.
  index.needsFullSave = !clean || olderFormat;
  return { index, problem: null };
}

async function replayJournal(file: string, index: UsageIndex): Promise<boolean> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return true; // no journal: nothing was saved since the full write
  }
  index.journalBytes = Buffer.byteLength(text);
  let clean = true;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    // A line is applied whole or not at all, so the replay can stop at any line with a consistent index.
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      return false;
    }
    // Another process (the CLI beside the tray app) may still append lines made on the full write this one replaced:
    // their file numbers mean nothing here. Skipped, their usage is read again from the transcripts.
    if (!index.generation || entry?.generation !== index.generation) {
      clean = false;
      continue;
    }
    try {
      index.applyJournal(entry);
    } catch {
      return false;
    }
  }
  return clean;
}

/**
 * Saves what changed: one journal line, or (for a fresh index, after records were removed, or once the journal has
 * grown large) a full write, atomically (temp file + rename, 0600), after which the journal starts over. A full write
 * of a big history is encoded in steps, paced by `pacer` (see pacer.ts), and written on the thread pool.
 */
export async function saveIndex(dataDir: string, index: UsageIndex, pacer: Pacer = UNPACED): Promise<void> {
  const journal = path.join(dataDir, JOURNAL_FILE);
  if (!index.needsFullSave && index.journalBytes <= Math.max(JOURNAL_MIN_COMPACT_BYTES, index.baseBytes / 2)) {
    const entry = index.journalEntry();
    if (!entry) return;
    const line = `${JSON.stringify(entry)}\n`;
    appendPrivateFile(journal, line);
    index.journalBytes += Buffer.byteLength(line);
    index.markSaved(entry);
    return;
  }
  const file = path.join(dataDir, INDEX_FILE);
  // Names this full write for the journal lines made on top of it; unique enough across processes and restarts.
  index.generation = `${Date.now().toString(36)}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2)}`;
  // What is saved is the index as it is now (refreshes, the only writers of the index, never overlap a save).
  const parts = await pacer.run(encodeIndexSteps(index.contents()));
  // Also removes temporary files of earlier saves that never finished (a `tce` killed mid-save).
  await writePrivateFileAsync(file, parts);
  // Lines of the old journal name the old generation: if this removal fails they are ignored at the next load.
  rmSync(journal, { force: true });
  rmSync(path.join(dataDir, LEGACY_INDEX_FILE), { force: true });
  index.baseBytes = parts.reduce((n, p) => n + p.length, 0);
  index.journalBytes = 0;
  await pacer.run(index.markSavedSteps());
}
