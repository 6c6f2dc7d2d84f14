/**
 * A generated Claude config dir shaped like a heavy user's: many projects and sessions, mostly big tool results on
 * user lines, each API response written once per content block (early copies with partial output counts), sub-agent
 * files, resumed sessions that start with copies of older lines, <synthetic> lines, bookkeeping lines, the odd
 * half-written last line. Deterministic (seeded), so runs are comparable.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CorpusOptions {
  dir: string;
  /** Stop adding sessions once this many bytes are written. */
  targetBytes: number;
  seed?: number;
  /** Turns per session are 3 up to this (default 18): fewer make more, smaller files for the same bytes. */
  maxTurns?: number;
}

/** What the API responses written add up to, each counted once: the exact answer a reader must give. */
export interface CorpusTruth {
  responses: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

export interface CorpusStats {
  files: number;
  bytes: number;
  responses: number;
  assistantLines: number;
  /** Session files of one project, for appending to. */
  sampleFile: string;
  truth: CorpusTruth;
}

const MODELS = ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-20250514', 'claude-opus-4-1-20250805'];
const WORDS = 'const let return function import export from if else for while await async class interface type string number boolean null undefined true false new this throw try catch finally switch case default break continue yield extends implements public private protected static readonly'.split(' ');
const START = Date.UTC(2026, 9, 1, 6, 0, 0);
const DAY = 86_400_000;

/** mulberry32: small, fast, good enough for shaping data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(r: () => number): string {
  const h = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${h(8)}-${h(4)}-4${h(3)}-8${h(3)}-${h(12)}`;
}

/** Source-code-like text with newlines, quotes, tabs and backslashes, so JSON escaping happens as in real tool results. */
function blob(r: () => number, size: number): string {
  const parts: string[] = [];
  let n = 0;
  let lineNo = 1;
  while (n < size) {
    const words = Array.from({ length: 3 + Math.floor(r() * 10) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
    const line = `${String(lineNo++).padStart(5)}\t  ${words} = "value_${Math.floor(r() * 1e6)}"; // path\\to\\file\n`;
    parts.push(line);
    n += line.length;
  }
  return parts.join('').slice(0, size);
}

/** The fields Claude Code 2.1 ends user and assistant lines with. */
function sessionFields(ctx: Ctx): Record<string, unknown> {
  return { userType: 'external', entrypoint: 'cli', cwd: ctx.cwd, sessionId: ctx.sessionId, version: '2.1.197', gitBranch: 'main' };
}

export class LineWriter {
  readonly r: () => number;
  private readonly blobs: string[];
  responses = 0;
  assistantLines = 0;
  /** Every response written, once, with its final counts (the copies a resumed session makes add nothing). */
  readonly truth: CorpusTruth = { responses: 0, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0 };
  private msg = 0;

  /** @param maxToolResultBytes caps tool results (small transcripts for scenarios that need many files, not bytes) */
  constructor(
    private readonly seed: number,
    private readonly maxToolResultBytes = Infinity,
  ) {
    this.r = rng(seed);
    this.blobs = Array.from({ length: 32 }, () => blob(this.r, 256 * 1024));
  }

  private text(size: number): string {
    const b = this.blobs[Math.floor(this.r() * this.blobs.length)]!;
    const start = Math.floor(this.r() * Math.max(1, b.length - size));
    return b.slice(start, start + size);
  }

  /** A tool result: mostly a few KB, sometimes a whole big file. */
  toolResultSize(): number {
    const x = this.r();
    const size = x < 0.05 ? 60_000 + Math.floor(this.r() * 190_000) : x < 0.35 ? 8_000 + Math.floor(this.r() * 30_000) : 200 + Math.floor(this.r() * 6_000);
    return Math.min(size, this.maxToolResultBytes);
  }

  /** Keys in the order Claude Code 2.1 writes them (see the fixtures): `type` early, the session fields last. */
  user(ctx: Ctx, ts: number, content: unknown, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({
      parentUuid: uuid(this.r),
      isSidechain: ctx.sidechain,
      promptId: uuid(this.r),
      type: 'user',
      message: { role: 'user', content },
      uuid: uuid(this.r),
      timestamp: new Date(ts).toISOString(),
      ...extra,
      ...sessionFields(ctx),
    });
  }

  prompt(ctx: Ctx, ts: number): string {
    return this.user(ctx, ts, `please ${this.text(40 + Math.floor(this.r() * 300)).replace(/\s+/g, ' ')}`);
  }

  toolResult(ctx: Ctx, ts: number): string {
    return this.user(ctx, ts, [{ tool_use_id: `toolu_${uuid(this.r)}`, type: 'tool_result', content: this.text(this.toolResultSize()) }], { toolUseResult: { stdout: '', stderr: '', interrupted: false } });
  }

  /** One API response, written once per content block as Claude Code does; the last copy has the final output count. */
  response(ctx: Ctx, ts: number, model: string, contextTokens: number): string[] {
    // The writer's seed in the ids: lines appended by another writer are other responses, never copies of these.
    const id = `msg_bench_${this.seed.toString(36)}_${(this.msg++).toString(36).padStart(8, '0')}`;
    const requestId = `req_bench_${this.seed.toString(36)}_${this.msg.toString(36)}`;
    const blocks = 1 + Math.floor(this.r() * 3);
    const output = 20 + Math.floor(this.r() * 2500);
    const cacheWrite = Math.floor(this.r() * 8000);
    const cacheRead = Math.min(contextTokens, 190_000 - cacheWrite - 10);
    const input = 1 + Math.floor(this.r() * 8);
    const lines: string[] = [];
    for (let b = 0; b < blocks; b++) {
      const last = b === blocks - 1;
      const content = last
        ? [{ type: 'tool_use', id: `toolu_${uuid(this.r)}`, name: 'Read', input: { file_path: `${ctx.cwd}/src/file${b}.ts` } }]
        : [{ type: b === 0 ? 'thinking' : 'text', [b === 0 ? 'thinking' : 'text']: this.text(200 + Math.floor(this.r() * 1500)) }];
      lines.push(
        // Keys in the order Claude Code 2.1 writes them (see the fixtures): the message first, session fields last.
        JSON.stringify({
          parentUuid: uuid(this.r),
          isSidechain: ctx.sidechain,
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model,
            content,
            stop_reason: last ? 'tool_use' : null,
            stop_sequence: null,
            usage: {
              input_tokens: input,
              cache_creation_input_tokens: cacheWrite,
              cache_read_input_tokens: cacheRead,
              // Early copies carry a partial streaming count.
              output_tokens: last ? output : Math.min(output, 1 + b * 7),
              server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
              service_tier: 'standard',
              cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: cacheWrite },
              inference_geo: '',
              iterations: [],
              speed: 'standard',
            },
            stop_details: null,
          },
          requestId,
          type: 'assistant',
          uuid: uuid(this.r),
          timestamp: new Date(ts).toISOString(),
          ...sessionFields(ctx),
        }),
      );
      this.assistantLines++;
    }
    this.responses++;
    const t = this.truth;
    t.responses++;
    t.inputTokens += input;
    t.outputTokens += output;
    t.cacheCreationTokens += cacheWrite;
    t.cacheReadTokens += cacheRead;
    t.totalTokens += input + output + cacheWrite + cacheRead;
    return lines;
  }

  synthetic(ctx: Ctx, ts: number): string {
    return JSON.stringify({ parentUuid: null, isSidechain: false, cwd: ctx.cwd, sessionId: ctx.sessionId, type: 'assistant', message: { id: uuid(this.r), model: '<synthetic>', role: 'assistant', content: [{ type: 'text', text: 'No response requested.' }], usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } }, uuid: uuid(this.r), timestamp: new Date(ts).toISOString() });
  }

  bookkeeping(ctx: Ctx): string {
    const x = this.r();
    if (x < 0.5) return JSON.stringify({ type: 'file-history-snapshot', messageId: uuid(this.r), snapshot: { trackedFileBackups: { [`${ctx.cwd}/a.ts`]: { backupFileName: `${uuid(this.r)}@v1`, version: 1 } } }, isSnapshotUpdate: false });
    return JSON.stringify({ type: 'attachment', parentUuid: uuid(this.r), sessionId: ctx.sessionId, attachment: { type: 'todo', content: this.text(300) } });
  }

  /** A turn: prompt, then tool calls with their results, the lines in the order Claude Code writes them. */
  turn(ctx: Ctx, model: string): string[] {
    const lines = [this.prompt(ctx, ctx.ts)];
    const calls = 1 + Math.floor(this.r() * 6);
    for (let c = 0; c < calls; c++) {
      ctx.ts += 2000 + Math.floor(this.r() * 30_000);
      ctx.context += 2000 + Math.floor(this.r() * 9000);
      lines.push(...this.response(ctx, ctx.ts, model, ctx.context));
      ctx.ts += 500 + Math.floor(this.r() * 5000);
      lines.push(this.toolResult(ctx, ctx.ts));
      if (this.r() < 0.1) lines.push(this.bookkeeping(ctx));
    }
    if (this.r() < 0.03) lines.push(this.synthetic(ctx, ctx.ts));
    ctx.ts += 30_000 + Math.floor(this.r() * 600_000);
    return lines;
  }
}

export interface Ctx {
  cwd: string;
  sessionId: string;
  sidechain: boolean;
  ts: number;
  context: number;
}

function write(file: string, lines: string[], tail = ''): number {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = `${lines.join('\n')}\n${tail}`;
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

export function generateCorpus(options: CorpusOptions): CorpusStats {
  const w = new LineWriter(options.seed ?? 20261125);
  const r = w.r;
  const projectsDir = path.join(options.dir, 'projects');
  const projects = Array.from({ length: 25 }, (_, i) => `/home/dev/work/project-${i.toString().padStart(2, '0')}`);
  const history = new Map<string, string[][]>();
  let bytes = 0;
  let files = 0;
  let sampleFile = '';
  while (bytes < options.targetBytes) {
    const cwd = projects[Math.floor(r() * projects.length)]!;
    const enc = cwd.replace(/[^a-zA-Z0-9]/g, '-');
    const sessionId = uuid(r);
    const ctx: Ctx = { cwd, sessionId, sidechain: false, ts: START + Math.floor(r() * 30 * DAY), context: 15_000 };
    const model = MODELS[Math.floor(r() * MODELS.length)]!;
    const lines: string[] = [];
    // A resumed session starts with copies of an earlier session's lines from the same project.
    const earlier = history.get(enc);
    if (earlier && earlier.length > 0 && r() < 0.12) {
      const old = earlier[Math.floor(r() * earlier.length)]!;
      lines.push(...old.slice(0, Math.floor(old.length * (0.3 + r() * 0.7))));
    }
    const turns = 3 + Math.floor(r() * ((options.maxTurns ?? 18) - 2));
    for (let t = 0; t < turns; t++) lines.push(...w.turn(ctx, model));
    const file = path.join(projectsDir, enc, `${sessionId}.jsonl`);
    // One in twenty sessions is still being written: a half line at the end.
    const tail = r() < 0.05 ? '{"parentUuid":"x","isSidechain":false,"type":"assistant","message":{"id":"msg_half' : '';
    bytes += write(file, lines, tail);
    files++;
    if (!sampleFile && !tail) sampleFile = file;
    const list = history.get(enc) ?? [];
    if (list.length < 5) list.push(lines);
    history.set(enc, list);
    if (r() < 0.25) {
      const sub: Ctx = { cwd, sessionId, sidechain: true, ts: ctx.ts - 3_600_000, context: 8000 };
      const subLines: string[] = [];
      for (let t = 0; t < 2 + Math.floor(r() * 6); t++) subLines.push(...w.turn(sub, 'claude-haiku-4-5-20251001'));
      bytes += write(path.join(projectsDir, enc, sessionId, 'subagents', `agent-${uuid(r).slice(0, 8)}.jsonl`), subLines);
      files++;
    }
  }
  return { files, bytes, responses: w.responses, assistantLines: w.assistantLines, sampleFile, truth: w.truth };
}
