/**
 * The usage index's full write, as bytes: a small JSON header (files, prompts, project paths), the interned strings,
 * the message ids as one string, and the records as typed-array columns, oldest first. Loading it is a file read,
 * a few copies and two string decodes: no per-record objects, where the JSON form it replaces spent most of a warm
 * start in JSON.parse and in building objects from it.
 *
 *   "TCEUIDX\0" | u32 format | u32 byte-order mark | u32 header bytes | u32 rows | u32 strings | u32 string bytes | u32 id bytes
 *   header JSON | u32 string lengths | strings (UTF-8) | u32 id starts (rows + 1) | ids (UTF-8) | pad to 8
 *   f64 columns: ts, input, output, cacheWrite5m, cacheWrite1h, cacheRead, webSearch, flags | u32 columns: model, session, project, file
 * Lengths and starts count UTF-16 units of the decoded text; numbers after the mark are in the writer's byte order.
 * Format 3 added the webSearch and flags columns and Claude Code's tallies (`costStates`) to the header; format 2 is
 * still read (those columns as zeros, `olderFormat` set so the caller reads the transcripts still on disk again).
 */
import { isAscii } from 'node:buffer';
import { type SessionCostState, isSessionCostState } from './cost-state.js';
import { type Steps, runSteps } from './pacer.js';
import { NUMBER_COLUMNS, type NumberColumn, REF_COLUMNS, type RefColumn, RecordStore } from './record-store.js';
import { MAX_TOKENS_PER_RESPONSE, isUsageTime } from './transcript-line.js';

/** What the index knows of one transcript file: where it is, how far it has been read, and what was in it. */
export interface FileState {
  path: string;
  /** The Claude config dir this file was found under. */
  root: string;
  project: string;
  dev: number;
  ino: number;
  /** Birth time in ms, when the file system records one (a file recreated at a reused inode has another). */
  born?: number;
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
  /** Time (ms) of the last line read that had one: dates a cost-state line at the start of the next read. */
  lastTs?: number;
}

/** The first human prompt of a session, and when it was written. */
export interface SessionPrompt {
  prompt: string;
  ts: number;
}

const MAGIC = Buffer.from('TCEUIDX\0', 'latin1');
const FORMAT = 3;
const OLDER_FORMAT = 2;
/** Format 2 had the first six number columns. */
const OLDER_NUMBER_COLUMNS = NUMBER_COLUMNS.slice(0, 6);
const BYTE_ORDER_MARK = 0x01020304;
const FIXED_BYTES = MAGIC.length + 8 * 4;

export interface IndexContents {
  generation: string;
  files: FileState[];
  store: RecordStore;
  prompts: Record<string, SessionPrompt>;
  projectPaths: Record<string, string>;
  costStates: Record<string, SessionCostState>;
  /** Set by decodeIndex on a file of format 2: no web searches, marks or tallies in it. */
  olderFormat?: boolean;
}

/** Whether a value read from disk (index header, journal) has every field of a file's state. */
export function isFileState(f: unknown): f is FileState {
  if (!f || typeof f !== 'object') return false;
  const o = f as Record<string, unknown>;
  const counts = ['dev', 'ino', 'size', 'mtimeMs', 'offset', 'lines', 'malformed', 'duplicates'];
  return (
    typeof o.path === 'string' &&
    typeof o.root === 'string' &&
    typeof o.project === 'string' &&
    typeof o.head === 'string' &&
    typeof o.deleted === 'boolean' &&
    typeof o.promptFound === 'boolean' &&
    (o.lastTs === undefined || (typeof o.lastTs === 'number' && Number.isFinite(o.lastTs))) &&
    counts.every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]) && (o[k] as number) >= 0)
  );
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

function bytesOf(a: Float64Array | Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Keyed parts of the index as the encoder takes them: the index's own maps, or objects as decoded. */
type Keyed<T> = Readonly<Record<string, T>> | ReadonlyMap<string, T>;

/** What `encodeIndex` writes. */
export interface IndexToEncode {
  generation: string;
  files: readonly FileState[];
  store: RecordStore;
  prompts: Keyed<SessionPrompt>;
  projectPaths: Keyed<string>;
  costStates: Keyed<SessionCostState>;
}

export function encodeIndex(contents: IndexToEncode): Buffer {
  const parts = runSteps(encodeIndexSteps(contents));
  return Buffer.concat(parts, parts.reduce((n, p) => n + p.length, 0));
}

/** Rows, files and prompts encoded between two steps of `encodeIndexSteps`. */
const ROWS_PER_STEP = 4096;
const ENTRIES_PER_STEP = 256;

/**
 * The JSON of a list or of keyed values, as UTF-8, `ENTRIES_PER_STEP` entries a part and a step: the same text as
 * JSON.stringify's of the list or of an object with those keys.
 */
function* jsonSteps(value: readonly unknown[] | Keyed<unknown>, into: Buffer[]): Steps<void> {
  const list = Array.isArray(value);
  const entries: readonly unknown[] = list ? value : value instanceof Map ? [...value] : Object.entries(value);
  into.push(Buffer.from(list ? '[' : '{'));
  let first = true;
  for (let from = 0; from < entries.length; from += ENTRIES_PER_STEP) {
    const slice = entries.slice(from, from + ENTRIES_PER_STEP);
    const text = list ? JSON.stringify(slice) : JSON.stringify(Object.fromEntries(slice as Array<[string, unknown]>));
    // Without its brackets; empty when every value was one JSON leaves out (undefined).
    if (text.length > 2) {
      into.push(Buffer.from(`${first ? '' : ','}${text.slice(1, -1)}`));
      first = false;
    }
    yield;
  }
  into.push(Buffer.from(list ? ']' : '}'));
}

/**
 * `encodeIndex` in steps (see pacer.ts), as the parts of the file in order: a big history's index is tens of
 * megabytes, encoded in tens of milliseconds, and written as it is (no copy into one buffer).
 */
export function* encodeIndexSteps(contents: IndexToEncode): Steps<Uint8Array[]> {
  const { store } = contents;
  const order = yield* store.rowsByTimeSteps(null);
  const n = order.length;
  const idStarts = new Uint32Array(n + 1);
  const idChunks: Buffer[] = [];
  let idBytes = 0;
  for (let from = 0; from < n; from += ROWS_PER_STEP) {
    const to = Math.min(n, from + ROWS_PER_STEP);
    const ids: string[] = [];
    for (let i = from; i < to; i++) {
      const id = store.id(order[i]!);
      ids.push(id);
      idStarts[i + 1] = idStarts[i]! + id.length;
    }
    const chunk = Buffer.from(ids.join(''));
    idChunks.push(chunk);
    idBytes += chunk.length;
    yield;
  }
  const stringLengths = Uint32Array.from(store.strings, (s) => s.length);
  const stringBlob = Buffer.from(store.strings.join(''));
  // Key by key, in the order JSON.stringify of the header object would write them.
  const header: Buffer[] = [Buffer.from(`{"generation":${JSON.stringify(contents.generation)},"files":`)];
  yield* jsonSteps(contents.files, header);
  header.push(Buffer.from(',"prompts":'));
  yield* jsonSteps(contents.prompts, header);
  header.push(Buffer.from(',"projectPaths":'));
  yield* jsonSteps(contents.projectPaths, header);
  header.push(Buffer.from(',"costStates":'));
  yield* jsonSteps(contents.costStates, header);
  header.push(Buffer.from('}'));
  const headerBytes = header.reduce((sum, p) => sum + p.length, 0);
  const columns: Array<Float64Array | Uint32Array> = [];
  for (const c of NUMBER_COLUMNS) {
    const from = store.num[c];
    const to = new Float64Array(n);
    for (let i = 0; i < n; i++) to[i] = from[order[i]!]!;
    columns.push(to);
    yield;
  }
  for (const c of REF_COLUMNS) {
    const from = store.ref[c];
    const to = new Uint32Array(n);
    for (let i = 0; i < n; i++) to[i] = from[order[i]!]!;
    columns.push(to);
    yield;
  }

  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (p: Uint8Array) => {
    parts.push(p);
    size += p.length;
  };
  const fixed = Buffer.alloc(FIXED_BYTES);
  MAGIC.copy(fixed, 0);
  let at = fixed.writeUInt32LE(FORMAT, MAGIC.length);
  // In the writer's byte order, like the columns: a reader with another byte order sees another number.
  fixed.set(bytesOf(Uint32Array.of(BYTE_ORDER_MARK)), at);
  at += 4;
  for (const v of [headerBytes, n, store.strings.length, stringBlob.length, idBytes]) at = fixed.writeUInt32LE(v, at);
  push(fixed);
  for (const p of header) push(p);
  push(Buffer.alloc(pad8(size) - size));
  push(bytesOf(stringLengths));
  push(stringBlob);
  push(Buffer.alloc(pad8(size) - size));
  push(bytesOf(idStarts));
  for (const chunk of idChunks) push(chunk);
  push(Buffer.alloc(pad8(size) - size));
  for (const c of columns) push(bytesOf(c));
  return parts;
}

/** A typed array over `count` elements at `at`: a view when aligned, else a copy. */
function read<T extends Float64Array | Uint32Array>(Type: { new (b: ArrayBufferLike, o: number, n: number): T; new (n: number): T; BYTES_PER_ELEMENT: number }, buf: Buffer, at: number, count: number): T {
  const offset = buf.byteOffset + at;
  if (offset % Type.BYTES_PER_ELEMENT === 0) return new Type(buf.buffer, offset, count);
  const copy = new Type(count);
  new Uint8Array(copy.buffer).set(buf.subarray(at, at + count * Type.BYTES_PER_ELEMENT));
  return copy;
}

/** Splits decoded text into strings of the given lengths; throws when they do not add up (text that did not survive UTF-8). */
function split(text: string, lengths: Uint32Array): string[] {
  const out: string[] = new Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    out[i] = text.slice(at, at + lengths[i]!);
    at += lengths[i]!;
  }
  if (at !== text.length) throw new Error('index string table is damaged');
  return out;
}

/** Throws, saying what is wrong, on anything but a whole index file of this format written with this byte order. */
export function decodeIndex(buf: Buffer): IndexContents {
  if (buf.length < FIXED_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a TCE usage index');
  const format = buf.readUInt32LE(MAGIC.length);
  if (format !== FORMAT && format !== OLDER_FORMAT) throw new Error(`unknown index format ${format}`);
  const numberColumns = format === FORMAT ? NUMBER_COLUMNS : OLDER_NUMBER_COLUMNS;
  if (read(Uint32Array, buf, MAGIC.length + 4, 1)[0] !== BYTE_ORDER_MARK) throw new Error('index was written with another byte order');
  const [headerBytes, n, stringCount, stringBytes, idBytes] = [2, 3, 4, 5, 6].map((i) => buf.readUInt32LE(MAGIC.length + 4 * i)) as [number, number, number, number, number];
  const stringsAt = pad8(FIXED_BYTES + headerBytes);
  const idsAt = pad8(stringsAt + 4 * stringCount + stringBytes);
  const columnsAt = pad8(idsAt + 4 * (n + 1) + idBytes);
  const end = columnsAt + (numberColumns.length * 8 + REF_COLUMNS.length * 4) * n;
  if (buf.length !== end) throw new Error(`index is ${buf.length} bytes, its header says ${end}`);

  const header = JSON.parse(buf.toString('utf8', FIXED_BYTES, FIXED_BYTES + headerBytes)) as Omit<IndexContents, 'store'>;
  if (!header || !Array.isArray(header.files) || !header.prompts || typeof header.prompts !== 'object' || !header.projectPaths || typeof header.projectPaths !== 'object') {
    throw new Error('index header is incomplete');
  }
  header.files.forEach((f, i) => {
    if (!isFileState(f)) throw new Error(`index file entry ${i} is damaged`);
  });
  const costStates = format === FORMAT ? header.costStates : {};
  if (typeof costStates !== 'object' || costStates === null) throw new Error('index header is incomplete');
  for (const [session, state] of Object.entries(costStates)) {
    if (!isSessionCostState(state, header.files.length)) throw new Error(`index tally of session ${session} is damaged`);
  }
  const stringLengths = read(Uint32Array, buf, stringsAt, stringCount);
  const strings = split(buf.toString('utf8', stringsAt + 4 * stringCount, stringsAt + 4 * stringCount + stringBytes), stringLengths);
  const idStarts = read(Uint32Array, buf, idsAt, n + 1);
  const idBlob = buf.subarray(idsAt + 4 * (n + 1), idsAt + 4 * (n + 1) + idBytes);
  if (idStarts[0] !== 0 || idStarts[n]! > idBytes) throw new Error('index id table is damaged');
  for (let i = 0; i < n; i++) if (idStarts[i + 1]! < idStarts[i]!) throw new Error('index id table is damaged');
  const decodeIds = (): string => {
    const text = idBlob.toString('utf8');
    if (text.length !== idStarts[n]) throw new Error('index id table is damaged');
    return text;
  };
  // All-ASCII ids (the rule: message ids) are one UTF-16 unit a byte, so their starts are checked without decoding
  // them, which waits until an id is needed; others are decoded and checked now. Either way damage is found while
  // loading, never in the middle of a refresh.
  const eager = idStarts[n] === idBytes && isAscii(idBlob) ? null : decodeIds();
  const idText = eager === null ? () => idBlob.toString('latin1') : () => eager;

  let at = columnsAt;
  const num = {} as Record<NumberColumn, Float64Array>;
  for (const c of NUMBER_COLUMNS) {
    if (!numberColumns.includes(c)) {
      num[c] = new Float64Array(n);
      continue;
    }
    num[c] = read(Float64Array, buf, at, n);
    at += 8 * n;
  }
  const ref = {} as Record<RefColumn, Uint32Array>;
  for (const c of REF_COLUMNS) {
    ref[c] = read(Uint32Array, buf, at, n);
    at += 4 * n;
  }
  const fileCount = header.files.length;
  const { model, session, project, file } = ref;
  for (let i = 0; i < n; i++) {
    if (model[i]! >= stringCount || session[i]! >= stringCount || project[i]! >= stringCount || file[i]! >= fileCount) throw new Error(`index record ${i} is damaged`);
  }
  const ts = num.ts;
  for (let i = 0; i < n; i++) if (!isUsageTime(ts[i]!)) throw new Error(`index record ${i} has no valid time`);
  for (const c of numberColumns) {
    const column = num[c];
    // Token counts past MAX_TOKENS_PER_RESPONSE are damage (an older version summed one such line into every total).
    const max = c === 'ts' ? Infinity : MAX_TOKENS_PER_RESPONSE;
    for (let i = 0; i < n; i++) if (!(column[i]! >= 0 && column[i]! <= max)) throw new Error(`index record ${i} is damaged`);
  }
  const flags = num.flags;
  for (let i = 0; i < n; i++) if (!Number.isInteger(flags[i])) throw new Error(`index record ${i} is damaged`);
  const store = RecordStore.fromColumns(n, num, ref, strings, { text: idText, starts: idStarts });
  return {
    generation: typeof header.generation === 'string' ? header.generation : '',
    files: header.files,
    store,
    prompts: header.prompts,
    projectPaths: header.projectPaths,
    costStates,
    olderFormat: format === OLDER_FORMAT,
  };
}
