/**
 * What the engine remembers between polls and restarts: one record per API response (message id), the read
 * position of every transcript, and first prompts. Persisted compactly (columns + a string table) in TCE's data
 * folder, so a restart reads only what changed and history survives Claude Code deleting old transcripts.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { UsageLine } from './transcript-line.js';

export const INDEX_FILE = 'usage-index.json';
const INDEX_VERSION = 1;

export interface UsageRecord {
  id: string;
  ts: number;
  model: string;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  sessionId: string;
  /** Project folder name under `projects/` (Claude Code's encoded cwd). */
  project: string;
  /** Index into `UsageIndex.files` of the file holding the counted copy. */
  file: number;
}

export interface FileState {
  path: string;
  /** The Claude config dir this file was found under. */
  root: string;
  project: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** Where the next read starts: just after the last complete line. */
  offset: number;
  /** Hex of the file's first bytes: a file rewritten in place shows a different head. */
  head: string;
  deleted: boolean;
  lines: number;
  malformed: number;
  duplicates: number;
  /** Whether this file's first human prompt is known (no need to parse more user lines). */
  promptFound: boolean;
}

export interface SessionPrompt {
  prompt: string;
  ts: number;
}

export function tokenTotal(r: { input: number; output: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number }): number {
  return r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;
}

export class UsageIndex {
  readonly records = new Map<string, UsageRecord>();
  readonly files: FileState[] = [];
  private readonly fileByPath = new Map<string, number>();
  readonly prompts = new Map<string, SessionPrompt>();
  /** Project folder name -> the cwd its lines name. */
  readonly projectPaths = new Map<string, string>();
  /** Bumped on every change, so callers know when to persist and when cached aggregates are stale. */
  revision = 0;

  fileIndex(filePath: string): number | undefined {
    return this.fileByPath.get(filePath);
  }

  addFile(state: FileState): number {
    const idx = this.files.length;
    this.files.push(state);
    this.fileByPath.set(state.path, idx);
    this.revision++;
    return idx;
  }

  /** Counts one copy of an API response; keeps the copy with the largest token total. Returns false for a duplicate. */
  addUsage(line: UsageLine, project: string, file: number): boolean {
    const existing = this.records.get(line.id);
    if (existing) {
      if (tokenTotal(line) > tokenTotal(existing)) {
        Object.assign(existing, {
          ts: line.ts,
          model: line.model,
          input: line.input,
          output: line.output,
          cacheWrite5m: line.cacheWrite5m,
          cacheWrite1h: line.cacheWrite1h,
          cacheRead: line.cacheRead,
          sessionId: line.sessionId,
          project,
          file,
        });
        this.revision++;
      }
      return false;
    }
    this.records.set(line.id, {
      id: line.id,
      ts: line.ts,
      model: line.model,
      input: line.input,
      output: line.output,
      cacheWrite5m: line.cacheWrite5m,
      cacheWrite1h: line.cacheWrite1h,
      cacheRead: line.cacheRead,
      sessionId: line.sessionId,
      project,
      file,
    });
    this.revision++;
    return true;
  }

  /** Forgets what a file contributed, before re-reading it from the start (it was truncated or replaced). */
  /** Returns how many records went with it. */
  resetFile(file: number): number {
    let removed = 0;
    for (const [id, r] of this.records) {
      if (r.file === file) {
        this.records.delete(id);
        removed++;
      }
    }
    const f = this.files[file];
    if (f) Object.assign(f, { offset: 0, lines: 0, malformed: 0, duplicates: 0, promptFound: false });
    this.revision++;
    return removed;
  }

  toJSON(): unknown {
    const strings: string[] = [];
    const stringIds = new Map<string, number>();
    const intern = (s: string): number => {
      let id = stringIds.get(s);
      if (id === undefined) {
        id = strings.length;
        strings.push(s);
        stringIds.set(s, id);
      }
      return id;
    };
    const cols = { id: [] as string[], ts: [] as number[], model: [] as number[], input: [] as number[], output: [] as number[], cw5m: [] as number[], cw1h: [] as number[], cacheRead: [] as number[], session: [] as number[], project: [] as number[], file: [] as number[] };
    for (const r of this.records.values()) {
      cols.id.push(r.id);
      cols.ts.push(r.ts);
      cols.model.push(intern(r.model));
      cols.input.push(r.input);
      cols.output.push(r.output);
      cols.cw5m.push(r.cacheWrite5m);
      cols.cw1h.push(r.cacheWrite1h);
      cols.cacheRead.push(r.cacheRead);
      cols.session.push(intern(r.sessionId));
      cols.project.push(intern(r.project));
      cols.file.push(r.file);
    }
    return {
      version: INDEX_VERSION,
      strings,
      records: cols,
      files: this.files,
      prompts: Object.fromEntries(this.prompts),
      projectPaths: Object.fromEntries(this.projectPaths),
    };
  }

  static fromJSON(raw: unknown): UsageIndex {
    const o = raw as Record<string, unknown>;
    if (!o || typeof o !== 'object' || o.version !== INDEX_VERSION) throw new Error('unknown index version');
    const index = new UsageIndex();
    const strings = o.strings as string[];
    const c = o.records as Record<string, unknown[]>;
    const files = o.files as FileState[];
    if (!Array.isArray(strings) || !c || !Array.isArray(files) || !Array.isArray(c.id)) throw new Error('index is incomplete');
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
      index.records.set(id, {
        id,
        ts: ts[i]!,
        model: strings[model[i]!]!,
        input: input[i]!,
        output: output[i]!,
        cacheWrite5m: cw5m[i]!,
        cacheWrite1h: cw1h[i]!,
        cacheRead: cacheRead[i]!,
        sessionId: strings[session[i]!]!,
        project: strings[project[i]!]!,
        file: file[i]!,
      });
    }
    for (const [k, v] of Object.entries((o.prompts as Record<string, SessionPrompt>) ?? {})) index.prompts.set(k, v);
    for (const [k, v] of Object.entries((o.projectPaths as Record<string, string>) ?? {})) index.projectPaths.set(k, v);
    index.revision = 0;
    return index;
  }
}

/** Loads the persisted index; a missing file is a fresh start, a damaged one too (with a problem to report). */
export async function loadIndex(dataDir: string): Promise<{ index: UsageIndex; problem: string | null }> {
  const file = path.join(dataDir, INDEX_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { index: new UsageIndex(), problem: null };
    return { index: new UsageIndex(), problem: `cannot read ${file}: ${(error as Error).message}; rebuilding the usage index` };
  }
  try {
    return { index: UsageIndex.fromJSON(JSON.parse(text)), problem: null };
  } catch (error) {
    return { index: new UsageIndex(), problem: `${file} is damaged (${(error as Error).message}); rebuilding the usage index` };
  }
}

/** Writes atomically (temp file + rename) so a crash never leaves half an index. */
export async function saveIndex(dataDir: string, index: UsageIndex): Promise<void> {
  await fsp.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, INDEX_FILE);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(index));
  await fsp.rename(tmp, file);
}
