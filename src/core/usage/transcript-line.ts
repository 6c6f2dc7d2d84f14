/**
 * Classifies one raw transcript line. Only `assistant` lines carry usage, and real transcripts are mostly huge
 * `user` lines (tool results), so lines are checked as bytes first and only assistant lines (and, until a session's
 * first prompt is known, small user lines) are decoded and parsed.
 */
import { type CostStateLine, costStateOf } from './cost-state.js';
import { FAST_REQUEST, US_INFERENCE, normaliseModel } from './prices.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
// Inside JSON strings quotes are escaped, so these byte sequences can only be real keys and values.
const ASSISTANT_TYPE = Buffer.from('"type":"assistant"');
const USER_TYPE = Buffer.from('"type":"user"');
const MESSAGE_KEY = Buffer.from('"message":');
const COST_STATE_TYPE = Buffer.from('"type":"cost-state"');
const TIMESTAMP_KEY = Buffer.from('"timestamp":"');
/** A cost-state line holds a few figures per model: far below this. */
const MAX_COST_LINE_BYTES = 64 * 1024;
/** Lines looked at for a timestamp to date the next cost-state line by (bookkeeping lines; not huge tool results). */
const MAX_TIMED_LINE_BYTES = 16 * 1024;
/** `"type":"user"` sits before the message in user lines, so a short prefix tells them apart cheaply. */
const USER_PREFIX_BYTES = 600;
const MAX_PROMPT_LINE_BYTES = 256 * 1024;
const PROMPT_CHARS = 300;

export interface UsageLine {
  /** `message.id`, the key one API response is counted once by. */
  id: string;
  ts: number;
  model: string;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** `usage.server_tool_use.web_search_requests`. */
  webSearch: number;
  /** How the response was served (prices.ts FAST_REQUEST, US_INFERENCE). */
  flags: number;
  sessionId: string;
  cwd: string | null;
}

export interface PromptLine {
  sessionId: string;
  prompt: string;
  ts: number;
  cwd: string | null;
}

export type LineKind =
  | { kind: 'usage'; usage: UsageLine }
  | { kind: 'prompt'; prompt: PromptLine }
  | { kind: 'cost'; cost: CostStateLine }
  | { kind: 'malformed' }
  | { kind: 'skip' };

/**
 * Timestamps outside these years are damage, not usage: reports work in calendar days and ISO strings, which years
 * before 1000 or after 9999 (and Date.UTC's two-digit years) would garble.
 */
const FIRST_TS = Date.UTC(2000, 0, 1);
const LAST_TS = Date.UTC(2200, 0, 1);

export function isUsageTime(ms: number): boolean {
  return ms >= FIRST_TS && ms < LAST_TS;
}

/** Milliseconds of an ISO timestamp, or NaN when it is missing, unreadable or outside the years above. */
export function timestampOf(value: unknown): number {
  const ts = typeof value === 'string' ? Date.parse(value) : NaN;
  return isUsageTime(ts) ? ts : NaN;
}

const SKIP: LineKind = { kind: 'skip' };
const MALFORMED: LineKind = { kind: 'malformed' };

/**
 * No API response comes near a trillion tokens of one kind: a count outside 0..10^12 (or not a number) is damage, and
 * counted as such, never summed (one 1e308 would turn every total into Infinity).
 */
export const MAX_TOKENS_PER_RESPONSE = 1e12;

export function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_TOKENS_PER_RESPONSE;
}

/** A token count as written: absent (or null) is 0, a possible count is itself, anything else is null (malformed). */
function count(value: unknown): number | null {
  if (value === undefined || value === null) return 0;
  return isTokenCount(value) ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Whether a line starting with these bytes is a `user` line (looked for in its first few hundred bytes only). Claude
 * Code writes a user line's `type` before its `message`, and an assistant line's `message` (tool inputs are objects,
 * whose keys are not escaped) before its `type`: a `"type":"user"` after the message opened belongs to the message.
 */
export function isUserLine(buf: Buffer, start: number, end: number): boolean {
  const prefix = buf.subarray(start, Math.min(end, start + USER_PREFIX_BYTES));
  const user = prefix.indexOf(USER_TYPE);
  if (user === -1) return false;
  const message = prefix.indexOf(MESSAGE_KEY);
  return message === -1 || message > user;
}

/**
 * @param wantPrompt whether the caller still looks for this file's first human prompt
 * @param fallbackId used when a line has no message id (old or foreign writers), stable across re-reads
 */
export function classifyLine(buf: Buffer, start: number, end: number, wantPrompt: boolean, fallbackId: () => string): LineKind {
  if (end <= start) return SKIP;
  if (buf[start] !== OPEN_BRACE || buf[end - 1] !== CLOSE_BRACE) {
    // Blank-ish lines are not malformed; anything else not shaped like an object is.
    for (let i = start; i < end; i++) if (buf[i] !== 0x20 && buf[i] !== 0x09) return MALFORMED;
    return SKIP;
  }
  const line = buf.subarray(start, end);
  if (isUserLine(buf, start, end)) {
    return wantPrompt && line.length <= MAX_PROMPT_LINE_BYTES ? parsePrompt(line) : SKIP;
  }
  if (line.indexOf(ASSISTANT_TYPE) === -1) {
    return line.length <= MAX_COST_LINE_BYTES && line.indexOf(COST_STATE_TYPE) !== -1 ? parseCostState(line) : SKIP;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString('utf8'));
  } catch {
    return MALFORMED;
  }
  return usageOf(parsed, fallbackId);
}

function usageOf(parsed: unknown, fallbackId: () => string): LineKind {
  if (typeof parsed !== 'object' || parsed === null) return MALFORMED;
  const o = parsed as Record<string, unknown>;
  if (o.type !== 'assistant') return SKIP;
  const message = o.message as Record<string, unknown> | undefined;
  if (typeof message !== 'object' || message === null) return SKIP;
  const usage = message.usage as Record<string, unknown> | undefined;
  if (typeof usage !== 'object' || usage === null) return SKIP;
  const rawModel = text(message.model) ?? 'unknown';
  if (rawModel === '<synthetic>') return SKIP;
  const ts = timestampOf(o.timestamp);
  if (!Number.isFinite(ts)) return MALFORMED;
  const cacheCreation = count(usage.cache_creation_input_tokens);
  const split = usage.cache_creation as Record<string, unknown> | undefined;
  const splitObject = split && typeof split === 'object' ? split : null;
  const split1h = splitObject ? count(splitObject.ephemeral_1h_input_tokens) : 0;
  // Not used for pricing (the total and the 1-hour share decide), but an impossible value still marks the line damaged.
  const split5m = splitObject ? count(splitObject.ephemeral_5m_input_tokens) : 0;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const serverTools = usage.server_tool_use as Record<string, unknown> | undefined;
  const webSearch = serverTools && typeof serverTools === 'object' ? count(serverTools.web_search_requests) : 0;
  if (cacheCreation === null || split1h === null || split5m === null || input === null || output === null || cacheRead === null || webSearch === null) {
    return MALFORMED;
  }
  // As Claude Code prices it: the total is what was written, the 1-hour share of it from the split, the rest 5-minute
  // (all of it without the split, as older builds wrote).
  const cacheWrite1h = Math.min(cacheCreation, split1h);
  const cacheWrite5m = cacheCreation - cacheWrite1h;
  // Claude Code prices any speed but `standard` as fast.
  const fast = typeof usage.speed === 'string' && usage.speed !== '' && usage.speed !== 'standard';
  const flags = (fast ? FAST_REQUEST : 0) | (usage.inference_geo === 'us' ? US_INFERENCE : 0);
  return {
    kind: 'usage',
    usage: {
      id: text(message.id) ?? text(o.requestId) ?? text(o.uuid) ?? fallbackId(),
      ts,
      model: normaliseModel(rawModel),
      input,
      output,
      cacheWrite5m,
      cacheWrite1h,
      cacheRead,
      webSearch,
      flags,
      sessionId: text(o.sessionId) ?? 'unknown',
      cwd: text(o.cwd),
    },
  };
}

function parseCostState(line: Buffer): LineKind {
  let o: unknown;
  try {
    o = JSON.parse(line.toString('utf8'));
  } catch {
    return MALFORMED;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return MALFORMED;
  if ((o as Record<string, unknown>).type !== 'cost-state') return SKIP;
  const cost = costStateOf(o as Record<string, unknown>);
  return cost ? { kind: 'cost', cost } : MALFORMED;
}

/**
 * The `timestamp` of a small line (NaN when it has none, or is too long to look through): what dates the cost-state
 * lines that follow it, which carry no time of their own.
 */
export function timestampOfLine(buf: Buffer, start: number, end: number): number {
  if (end - start > MAX_TIMED_LINE_BYTES) return NaN;
  const line = buf.subarray(start, end);
  const at = line.indexOf(TIMESTAMP_KEY);
  if (at === -1) return NaN;
  const from = at + TIMESTAMP_KEY.length;
  const close = line.indexOf(0x22, from);
  if (close === -1 || close - from > 40) return NaN;
  return timestampOf(line.toString('latin1', from, close));
}

function parsePrompt(line: Buffer): LineKind {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line.toString('utf8')) as Record<string, unknown>;
  } catch {
    return MALFORMED;
  }
  if (typeof o !== 'object' || o === null || o.type !== 'user' || o.isSidechain === true || o.isMeta === true) return SKIP;
  const message = o.message as Record<string, unknown> | undefined;
  const content = message?.content;
  let prompt: string | null = null;
  if (typeof content === 'string') prompt = content;
  else if (Array.isArray(content)) {
    const first = content[0] as Record<string, unknown> | undefined;
    if (first && first.type === 'text' && typeof first.text === 'string') prompt = first.text;
  }
  const sessionId = text(o.sessionId);
  // Slash commands and tool results are not what the user asked.
  if (!prompt || !sessionId || prompt.startsWith('<')) return SKIP;
  const ts = timestampOf(o.timestamp);
  const clean = prompt.replace(/\s+/g, ' ').trim();
  return { kind: 'prompt', prompt: { sessionId, prompt: clean.length > PROMPT_CHARS ? `${clean.slice(0, PROMPT_CHARS - 1)}…` : clean, ts, cwd: text(o.cwd) } };
}
