/**
 * The counted API responses, one row each, held as typed-array columns with the repeated strings (models, sessions,
 * projects) interned: years of history cost tens of bytes a response instead of an object, a map entry and copies of
 * the same strings each. Message ids, needed only to spot a copy of a response already counted, stay in one string
 * as loaded from disk and get a hash table the first time a new line is looked up.
 */
import { type Steps, runSteps } from './pacer.js';
import type { UsageLine } from './transcript-line.js';

/** One counted API response: a usage line's numbers and session, and where it was counted. */
export interface RecordFields extends Omit<UsageLine, 'id' | 'cwd'> {
  /** Project folder name under `projects/` (Claude Code's encoded cwd). */
  project: string;
  /** Index into `UsageIndex.files` of the file holding the counted copy. */
  file: number;
}

/** A row with its message id: what the journal and tests see. */
export interface UsageRecord extends RecordFields {
  id: string;
}

/** `webSearch` (requests) and `flags` (prices.ts FAST_REQUEST | US_INFERENCE) came with index format 3. */
export const NUMBER_COLUMNS = ['ts', 'input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'webSearch', 'flags'] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];
export const REF_COLUMNS = ['model', 'session', 'project', 'file'] as const;
export type RefColumn = (typeof REF_COLUMNS)[number];

/**
 * Ids of rows loaded from disk: one string and where each id starts in it (`starts` has one more entry than rows).
 * `text` is decoded on first use: a start that adds nothing new never needs the ids.
 */
export interface LoadedIds {
  text: () => string;
  starts: Uint32Array;
}

function tokenTotal(r: { input: number; output: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number }): number {
  return r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;
}

function grow<T extends Float64Array | Uint32Array>(a: T, capacity: number): T {
  const b = new (a.constructor as { new (n: number): T })(capacity);
  b.set(a);
  return b;
}

function hashOf(s: string, from = 0, to = s.length): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class RecordStore {
  length = 0;
  readonly num: Record<NumberColumn, Float64Array>;
  readonly ref: Record<RefColumn, Uint32Array>;
  /** Interned model, session and project names; `ref.model[i]` etc. index into it. */
  readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private loadedIds: { text: () => string; starts: Uint32Array } = { text: () => '', starts: new Uint32Array(1) };
  private loadedText: string | null = null;
  private loadedCount = 0;
  /** Ids of rows added since the load: row `loadedCount + k` has `newIds[k]`. */
  private newIds: string[] = [];
  /** Open addressing: row + 1, 0 for an empty slot. Built on the first lookup. */
  private table: Int32Array | null = null;
  /**
   * Each row's id hash, for rows below `hashed`: a table that outgrows itself is built again from these, not by
   * hashing every id again (which, in the middle of a first index, held up a running app).
   */
  private hashes = new Uint32Array(0);
  private hashed = 0;
  /** Bumped by every change to the rows: the time order of all rows is kept until it changes. */
  private version = 0;
  private sorted: { version: number; order: Uint32Array } | null = null;

  constructor(capacity = 1024) {
    this.num = Object.fromEntries(NUMBER_COLUMNS.map((c) => [c, new Float64Array(capacity)])) as Record<NumberColumn, Float64Array>;
    this.ref = Object.fromEntries(REF_COLUMNS.map((c) => [c, new Uint32Array(capacity)])) as Record<RefColumn, Uint32Array>;
  }

  /** Adopts loaded columns as they are (views into a file's bytes, copied only when rows are appended) and ids. */
  static fromColumns(length: number, num: Record<NumberColumn, Float64Array>, ref: Record<RefColumn, Uint32Array>, strings: string[], ids: LoadedIds): RecordStore {
    const store = new RecordStore(0);
    for (const c of NUMBER_COLUMNS) store.num[c] = num[c];
    for (const c of REF_COLUMNS) store.ref[c] = ref[c];
    strings.forEach((s, i) => {
      store.strings.push(s);
      if (!store.stringIds.has(s)) store.stringIds.set(s, i);
    });
    store.length = length;
    store.loadedIds = ids;
    store.loadedCount = length;
    return store;
  }

  intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private get idText(): string {
    return (this.loadedText ??= this.loadedIds.text());
  }

  id(row: number): string {
    if (row >= this.loadedCount) return this.newIds[row - this.loadedCount]!;
    return this.idText.slice(this.loadedIds.starts[row], this.loadedIds.starts[row + 1]);
  }

  private idIs(row: number, id: string): boolean {
    if (row >= this.loadedCount) return this.newIds[row - this.loadedCount] === id;
    const start = this.loadedIds.starts[row]!;
    return this.loadedIds.starts[row + 1]! - start === id.length && this.idText.startsWith(id, start);
  }

  private idHash(row: number): number {
    if (row >= this.loadedCount) return hashOf(this.newIds[row - this.loadedCount]!);
    return hashOf(this.idText, this.loadedIds.starts[row], this.loadedIds.starts[row + 1]);
  }

  private buildTable(): Int32Array {
    let size = 1024;
    while (size < this.length * 2) size *= 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    if (this.hashes.length < this.length) this.hashes = grow(this.hashes, Math.max(this.length, this.num.ts.length));
    for (; this.hashed < this.length; this.hashed++) this.hashes[this.hashed] = this.idHash(this.hashed);
    const hashes = this.hashes;
    for (let row = 0; row < this.length; row++) {
      let h = hashes[row]! & mask;
      while (table[h] !== 0) h = (h + 1) & mask;
      table[h] = row + 1;
    }
    this.table = table;
    return table;
  }

  /** Row of a message id, or -1. */
  find(id: string): number {
    const table = this.table ?? this.buildTable();
    const mask = table.length - 1;
    for (let h = hashOf(id) & mask; table[h] !== 0; h = (h + 1) & mask) {
      const row = table[h]! - 1;
      if (this.idIs(row, id)) return row;
    }
    return -1;
  }

  private ensureCapacity(n: number): void {
    const capacity = this.num.ts.length;
    if (n <= capacity) return;
    const next = Math.max(n, capacity * 2, 1024);
    for (const c of NUMBER_COLUMNS) this.num[c] = grow(this.num[c], next);
    for (const c of REF_COLUMNS) this.ref[c] = grow(this.ref[c], next);
  }

  /** Writes a row's fields (not its id). */
  set(row: number, r: Omit<UsageRecord, 'id'>): void {
    this.version++;
    const { num, ref } = this;
    num.ts[row] = r.ts;
    num.input[row] = r.input;
    num.output[row] = r.output;
    num.cacheWrite5m[row] = r.cacheWrite5m;
    num.cacheWrite1h[row] = r.cacheWrite1h;
    num.cacheRead[row] = r.cacheRead;
    num.webSearch[row] = r.webSearch;
    num.flags[row] = r.flags;
    ref.model[row] = this.intern(r.model);
    ref.session[row] = this.intern(r.sessionId);
    ref.project[row] = this.intern(r.project);
    ref.file[row] = r.file;
  }

  /** Appends a row for an id not in the store (check with `find`). */
  append(id: string, r: Omit<UsageRecord, 'id'>): number {
    const row = this.length;
    this.ensureCapacity(row + 1);
    this.length++;
    this.newIds.push(id);
    this.set(row, r);
    if (this.table) {
      const hash = hashOf(id);
      if (this.hashed === row) {
        if (this.hashes.length <= row) this.hashes = grow(this.hashes, this.num.ts.length);
        this.hashes[row] = hash;
        this.hashed++;
      }
      if (this.length * 2 > this.table.length) this.buildTable();
      else {
        const mask = this.table.length - 1;
        let h = hash & mask;
        while (this.table[h] !== 0) h = (h + 1) & mask;
        this.table[h] = row + 1;
      }
    }
    return row;
  }

  totalOf(row: number): number {
    const n = this.num;
    return n.input[row]! + n.output[row]! + n.cacheWrite5m[row]! + n.cacheWrite1h[row]! + n.cacheRead[row]!;
  }

  /**
   * Counts one copy of a response; keeps the copy with the largest token total (of equal ones, the one with more web
   * searches: early copies can miss them). Returns the row changed, or -1.
   */
  addLine(line: UsageLine, project: string, file: number): { row: number; added: boolean } {
    const row = this.find(line.id);
    const fields = { ts: line.ts, model: line.model, input: line.input, output: line.output, cacheWrite5m: line.cacheWrite5m, cacheWrite1h: line.cacheWrite1h, cacheRead: line.cacheRead, webSearch: line.webSearch, flags: line.flags, sessionId: line.sessionId, project, file };
    if (row === -1) return { row: this.append(line.id, fields), added: true };
    const total = tokenTotal(line);
    const kept = this.totalOf(row);
    if (total > kept || (total === kept && line.webSearch > this.num.webSearch[row]!)) {
      this.set(row, fields);
      return { row, added: false };
    }
    return { row: -1, added: false };
  }

  /** Drops every row counted from `file`; returns how many. Rows after them move down. */
  removeFile(file: number): number {
    return this.removeFiles(new Set([file]));
  }

  /** Drops every row counted from one of `files`; returns how many. Rows after them move down. */
  removeFiles(files: ReadonlySet<number>): number {
    const keep: number[] = [];
    for (let row = 0; row < this.length; row++) if (!files.has(this.ref.file[row]!)) keep.push(row);
    const removed = this.length - keep.length;
    if (removed === 0) return 0;
    this.version++;
    const ids = keep.map((row) => this.id(row));
    keep.forEach((from, to) => {
      for (const c of NUMBER_COLUMNS) this.num[c][to] = this.num[c][from]!;
      for (const c of REF_COLUMNS) this.ref[c][to] = this.ref[c][from]!;
    });
    this.length = keep.length;
    this.loadedIds = { text: () => '', starts: new Uint32Array(1) };
    this.loadedText = null;
    this.loadedCount = 0;
    this.newIds = ids;
    this.table = null;
    this.hashed = 0;
    return removed;
  }

  record(row: number): UsageRecord {
    const { num, ref, strings } = this;
    return {
      id: this.id(row),
      ts: num.ts[row]!,
      model: strings[ref.model[row]!]!,
      input: num.input[row]!,
      output: num.output[row]!,
      cacheWrite5m: num.cacheWrite5m[row]!,
      cacheWrite1h: num.cacheWrite1h[row]!,
      cacheRead: num.cacheRead[row]!,
      webSearch: num.webSearch[row]!,
      flags: num.flags[row]!,
      sessionId: strings[ref.session[row]!]!,
      project: strings[ref.project[row]!]!,
      file: ref.file[row]!,
    };
  }

  /** Rows whose file is in `files` (all when null), oldest first. The caller must not change what it gets. */
  rowsByTime(files: ReadonlySet<number> | null): Uint32Array {
    return runSteps(this.rowsByTimeSteps(files));
  }

  /** `rowsByTime` in steps (see pacer.ts). */
  *rowsByTimeSteps(files: ReadonlySet<number> | null): Steps<Uint32Array> {
    // All rows are asked for twice after a change (the index save and the report): sorted once.
    if (files === null && this.sorted?.version === this.version) return this.sorted.order;
    const version = this.version;
    const order = yield* this.sortRowsSteps(files);
    if (files === null && version === this.version) this.sorted = { version, order };
    return order;
  }

  private *sortRowsSteps(files: ReadonlySet<number> | null): Steps<Uint32Array> {
    const ts = this.num.ts;
    const file = this.ref.file;
    let order: Uint32Array;
    if (files === null) {
      order = new Uint32Array(this.length);
      for (let row = 0; row < this.length; row++) order[row] = row;
    } else {
      const out: number[] = [];
      for (let row = 0; row < this.length; row++) if (files.has(file[row]!)) out.push(row);
      order = Uint32Array.from(out);
    }
    for (let k = 1; k < order.length; k++) {
      // Loaded rows are stored oldest first and new ones mostly come later: sort only when that is not so.
      if (ts[order[k - 1]!]! > ts[order[k]!]!) return yield* sortByTime(order, ts);
    }
    return order;
  }
}

/** Radix sort passes cover this many bits of a time (milliseconds since the earliest): about 8,900 years. */
const RADIX_BITS = 48;

/**
 * `order` (rows, ascending) sorted by `ts`, ties in row order: a stable radix sort on whole milliseconds, 16 bits a
 * pass, a step each (a comparison sort of 300k rows took tens of milliseconds at once). Times with fractions of a
 * millisecond, which Claude Code never writes, are sorted by comparison.
 */
function* sortByTime(order: Uint32Array, ts: Float64Array): Steps<Uint32Array> {
  const n = order.length;
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (let k = 0; k < n; k++) {
    const t = ts[order[k]!]!;
    if (t < min) min = t;
    if (t > max) max = t;
    if (!Number.isInteger(t)) whole = false;
  }
  if (!whole || max - min >= 2 ** RADIX_BITS) return order.sort((a, b) => ts[a]! - ts[b]! || a - b);
  // The key of the row at position k of `order`: its time since the earliest, as 32 low bits and 16 high ones.
  const low = new Uint32Array(n);
  const high = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const d = ts[order[k]!]! - min;
    low[k] = d % 2 ** 32;
    high[k] = Math.floor(d / 2 ** 32);
  }
  yield;
  let from = new Uint32Array(n);
  for (let k = 0; k < n; k++) from[k] = k;
  let to = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  for (const [key, shift] of [[low, 0], [low, 16], [high, 0]] as const) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(key[k]! >>> shift) & 0xffff]!++;
    // All keys alike in these bits (times within 65 s of each other, or 49 days for the high bits): nothing moves.
    if (counts[(key[0]! >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const p = from[k]!;
      to[counts[(key[p]! >>> shift) & 0xffff]!++] = p;
    }
    [from, to] = [to, from];
    yield;
  }
  // Positions back to rows (positions ascend with rows, so ties keep row order).
  for (let k = 0; k < n; k++) to[k] = order[from[k]!]!;
  return to;
}
