/**
 * The usage index's full write, as bytes: a small JSON header (files, prompts, project paths), one string table and
 * the records as typed-array columns. Loading it is a file read and a few views, where the JSON form it replaces
 * spent most of a warm start in JSON.parse and in building arrays from it.
 *
 *   "TCEUIDX\0" | u32 format | u32 byte-order mark | u32 header bytes | u32 records | u32 strings | u32 blob bytes
 *   header JSON | u32 string lengths (UTF-16 units) | UTF-8 blob of all strings | pad to 8
 *   f64 columns: ts, input, output, cacheWrite5m, cacheWrite1h, cacheRead | u32 columns: id, model, session, project, file
 */
import type { FileState, SessionPrompt, UsageRecord } from './usage-index.js';

const MAGIC = Buffer.from('TCEUIDX\0', 'latin1');
const FORMAT = 2;
const BYTE_ORDER_MARK = 0x01020304;
const FIXED_BYTES = MAGIC.length + 6 * 4;
const F64_COLUMNS = ['ts', 'input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
const U32_COLUMNS = 5;

export interface IndexContents {
  generation: string;
  files: FileState[];
  records: UsageRecord[];
  prompts: Record<string, SessionPrompt>;
  projectPaths: Record<string, string>;
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

export function encodeIndex(contents: IndexContents): Buffer {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      ids.set(s, id);
    }
    return id;
  };
  const n = contents.records.length;
  const f64 = new Float64Array(F64_COLUMNS.length * n);
  const u32 = new Uint32Array(U32_COLUMNS * n);
  contents.records.forEach((r, i) => {
    F64_COLUMNS.forEach((c, k) => (f64[k * n + i] = r[c]));
    u32[i] = intern(r.id);
    u32[n + i] = intern(r.model);
    u32[2 * n + i] = intern(r.sessionId);
    u32[3 * n + i] = intern(r.project);
    u32[4 * n + i] = r.file;
  });
  const header = Buffer.from(JSON.stringify({ generation: contents.generation, files: contents.files, prompts: contents.prompts, projectPaths: contents.projectPaths }));
  const lengths = Uint32Array.from(strings, (s) => s.length);
  const blob = Buffer.from(strings.join(''));
  const stringsAt = pad8(FIXED_BYTES + header.length);
  const blobAt = stringsAt + lengths.byteLength;
  const columnsAt = pad8(blobAt + blob.length);
  const out = Buffer.alloc(columnsAt + f64.byteLength + u32.byteLength);
  MAGIC.copy(out, 0);
  let at = MAGIC.length;
  at = out.writeUInt32LE(FORMAT, at);
  // In this machine's byte order, like the columns: a reader on another byte order sees a different number.
  out.set(new Uint8Array(Uint32Array.of(BYTE_ORDER_MARK).buffer), at);
  at += 4;
  for (const v of [header.length, n, strings.length, blob.length]) at = out.writeUInt32LE(v, at);
  header.copy(out, FIXED_BYTES);
  out.set(new Uint8Array(lengths.buffer), stringsAt);
  blob.copy(out, blobAt);
  out.set(new Uint8Array(f64.buffer), columnsAt);
  out.set(new Uint8Array(u32.buffer), columnsAt + f64.byteLength);
  return out;
}

/** A typed-array view when the bytes are aligned for it (they are in a buffer of their own), else a copy. */
function view<T extends Float64Array | Uint32Array>(Type: { new (b: ArrayBuffer, o: number, n: number): T; new (n: number): T; BYTES_PER_ELEMENT: number }, buf: Buffer, at: number, n: number): T {
  const offset = buf.byteOffset + at;
  if (offset % Type.BYTES_PER_ELEMENT === 0) return new Type(buf.buffer as ArrayBuffer, offset, n);
  const copy = new Type(n);
  new Uint8Array(copy.buffer).set(buf.subarray(at, at + n * Type.BYTES_PER_ELEMENT));
  return copy;
}

/** Whether these bytes start like an index file of this kind (any format version). */
export function looksLikeIndexFile(buf: Buffer): boolean {
  return buf.length >= MAGIC.length && buf.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Throws, with what is wrong, on anything but a whole index file of this format written on a machine like this one. */
export function decodeIndex(buf: Buffer): IndexContents {
  if (!looksLikeIndexFile(buf) || buf.length < FIXED_BYTES) throw new Error('not a TCE usage index');
  const [format, , headerBytes, n, stringCount, blobBytes] = [0, 1, 2, 3, 4, 5].map((i) => buf.readUInt32LE(MAGIC.length + 4 * i)) as [number, number, number, number, number, number];
  if (format !== FORMAT) throw new Error(`unknown index format ${format}`);
  if (view(Uint32Array, buf, MAGIC.length + 4, 1)[0] !== BYTE_ORDER_MARK) throw new Error('index was written with another byte order');
  const stringsAt = pad8(FIXED_BYTES + headerBytes);
  const blobAt = stringsAt + 4 * stringCount;
  const columnsAt = pad8(blobAt + blobBytes);
  const end = columnsAt + (F64_COLUMNS.length * 8 + U32_COLUMNS * 4) * n;
  if (buf.length !== end) throw new Error(`index is ${buf.length} bytes, its header says ${end}`);
  const header = JSON.parse(buf.toString('utf8', FIXED_BYTES, FIXED_BYTES + headerBytes)) as Omit<IndexContents, 'records'>;
  if (!header || !Array.isArray(header.files) || typeof header.prompts !== 'object' || typeof header.projectPaths !== 'object') throw new Error('index header is incomplete');

  const lengths = view(Uint32Array, buf, stringsAt, stringCount);
  const text = buf.toString('utf8', blobAt, blobAt + blobBytes);
  const strings: string[] = new Array(stringCount);
  let at = 0;
  for (let i = 0; i < stringCount; i++) {
    strings[i] = text.slice(at, at + lengths[i]!);
    at += lengths[i]!;
  }
  // Strings that did not survive UTF-8 (lone surrogates) shift every later one: refuse rather than mislabel records.
  if (at !== text.length) throw new Error('index string table is damaged');

  const f64 = view(Float64Array, buf, columnsAt, F64_COLUMNS.length * n);
  const u32 = view(Uint32Array, buf, columnsAt + f64.byteLength, U32_COLUMNS * n);
  const fileCount = header.files.length;
  const records: UsageRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = strings[u32[i]!];
    const model = strings[u32[n + i]!];
    const sessionId = strings[u32[2 * n + i]!];
    const project = strings[u32[3 * n + i]!];
    const file = u32[4 * n + i]!;
    if (id === undefined || model === undefined || sessionId === undefined || project === undefined || file >= fileCount) throw new Error(`index record ${i} is damaged`);
    records[i] = { id, ts: f64[i]!, model, input: f64[n + i]!, output: f64[2 * n + i]!, cacheWrite5m: f64[3 * n + i]!, cacheWrite1h: f64[4 * n + i]!, cacheRead: f64[5 * n + i]!, sessionId, project, file };
  }
  return { generation: typeof header.generation === 'string' ? header.generation : '', files: header.files, records, prompts: header.prompts, projectPaths: header.projectPaths };
}
