// A local stand-in for Anthropic's Messages API, good enough for the real Claude Code to run offline against it. It
// logs every response it sends (model, message id, the session it was for, its usage): the ledger the real-Claude
// tests hold TCE's numbers and Claude Code's own tally against.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface StandInOptions {
  /** Hold every /v1/messages answer back this long (keeps the session `busy`). */
  delayMs?: number;
  /** Model reported in answers; default: the model the request asked for. */
  model?: string;
  outputTokens?: number;
  /** Text of every answer. */
  text?: string;
  /**
   * Usage that differs from response to response (cache writes of both kinds, web searches, fast mode, US-only
   * inference, Haiku prompts above its long-prompt threshold), so every price rule is exercised; and replies that
   * act on markers in the last user message when the request offers the tool: RUN_BASH (a Bash call, which asks
   * for permission), SPAWN_AGENT (a sub-agent), WEB_SEARCH (an answer that searched the web once).
   */
  varied?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  model: string | null;
  stream: boolean;
  messageId: string | null;
  requestId: string;
}

export interface ResponseUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  server_tool_use: { web_search_requests: number; web_fetch_requests: number };
  service_tier: string;
  speed: string;
  inference_geo: string;
}

/** One answer the stand-in sent, as the API would bill it. */
export interface LedgerEntry {
  /** Claude Code's session (its X-Claude-Code-Session-Id header), if it said. */
  sessionId: string | null;
  model: string;
  messageId: string;
  usage: ResponseUsage;
  reply: 'text' | 'bash' | 'agent' | 'web-search';
}

export interface StandInApi {
  url: string;
  port: number;
  /** Number of /v1/messages requests answered or in flight. */
  readonly requests: number;
  /** Every request seen, in order. */
  readonly log: RecordedRequest[];
  /** Every /v1/messages answer sent, in order. */
  readonly ledger: LedgerEntry[];
  /** Number of /v1/messages requests currently held back. */
  readonly inFlight: number;
  setDelay(ms: number): void;
  /** Answers every held request now. */
  release(): void;
  close(): Promise<void>;
}

const INPUT_TOKENS = 120;
const CACHE_READ_TOKENS = 2000;
const CACHE_WRITE_TOKENS = 500;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sse(res: http.ServerResponse, event: string, data: object): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
}

interface MessagesRequest {
  model?: string;
  stream?: boolean;
  tools?: Array<{ name?: string }>;
  messages?: Array<{ role?: string; content?: unknown }>;
}

/** The text of the last user message, and whether it is a tool result (the answer to a tool call). */
function lastUser(body: MessagesRequest): { text: string; toolResult: boolean } {
  const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
  const content = last?.content;
  if (typeof content === 'string') return { text: content, toolResult: false };
  if (!Array.isArray(content)) return { text: '', toolResult: false };
  const parts = content as Array<{ type?: string; text?: string }>;
  return { text: parts.map((p) => (p.type === 'text' ? (p.text ?? '') : '')).join('\n'), toolResult: parts.some((p) => p.type === 'tool_result') };
}

type Reply = { kind: 'text'; text: string } | { kind: 'tool'; name: string; input: object; as: 'bash' | 'agent' };

function replyFor(body: MessagesRequest, text: string, varied: boolean): { reply: Reply; webSearch: boolean } {
  const plain = { reply: { kind: 'text', text } as Reply, webSearch: false };
  if (!varied) return plain;
  const offers = (name: string) => (body.tools ?? []).some((t) => t.name === name);
  const user = lastUser(body);
  if (user.toolResult) return plain;
  if (user.text.includes('RUN_BASH') && offers('Bash')) return { reply: { kind: 'tool', name: 'Bash', input: { command: 'touch tce-was-here.txt', description: 'Create a file' }, as: 'bash' }, webSearch: false };
  if (user.text.includes('SPAWN_AGENT') && offers('Agent')) {
    return { reply: { kind: 'tool', name: 'Agent', input: { description: 'Sub job', prompt: 'SUBTASK: say hello and report back.', subagent_type: 'general-purpose' }, as: 'agent' }, webSearch: false };
  }
  if (user.text.includes('WEB_SEARCH') && (body.tools ?? []).length > 0) return { reply: { kind: 'text', text: 'I searched the web for that.' }, webSearch: true };
  return plain;
}

/**
 * Usage of the n-th answer. Varied: every number differs; Haiku answers (session titles) have prompts above Haiku
 * 5.5's long-prompt threshold; every 5th main answer is fast mode, every 7th US-only inference.
 */
function usageFor(n: number, model: string, outputTokens: number, webSearch: boolean, varied: boolean): ResponseUsage {
  if (!varied) {
    return {
      input_tokens: INPUT_TOKENS,
      output_tokens: outputTokens,
      cache_creation_input_tokens: CACHE_WRITE_TOKENS,
      cache_read_input_tokens: CACHE_READ_TOKENS,
      cache_creation: { ephemeral_5m_input_tokens: CACHE_WRITE_TOKENS, ephemeral_1h_input_tokens: 0 },
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: 'standard',
      speed: 'standard',
      inference_geo: '',
    };
  }
  const haiku = model.includes('haiku');
  const write5m = 300 + 17 * n;
  const write1h = n % 2 === 0 ? 1000 + 31 * n : 0;
  return {
    input_tokens: 100 + 13 * n,
    output_tokens: outputTokens + 7 * n,
    cache_creation_input_tokens: write5m + write1h,
    cache_read_input_tokens: haiku ? 120_000 + n : 2000 + 101 * n,
    cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
    server_tool_use: { web_search_requests: webSearch ? 1 : 0, web_fetch_requests: 0 },
    service_tier: 'standard',
    speed: !haiku && n % 5 === 3 ? 'fast' : 'standard',
    inference_geo: !haiku && n % 7 === 4 ? 'us' : '',
  };
}

export async function startStandInApi(opts: StandInOptions = {}): Promise<StandInApi> {
  let delayMs = opts.delayMs ?? 0;
  let requests = 0;
  let inFlight = 0;
  const log: RecordedRequest[] = [];
  const ledger: LedgerEntry[] = [];
  const timers = new Map<NodeJS.Timeout, () => void>();
  const outputTokens = opts.outputTokens ?? 12;
  const text = opts.text ?? 'Hello from the stand-in API.';
  const varied = opts.varied === true;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const requestId = `req_standin_${randomUUID().replace(/-/g, '')}`;
    let parsed: MessagesRequest;
    try {
      parsed = body ? (JSON.parse(body) as MessagesRequest) : {};
    } catch {
      parsed = {};
    }
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      model: typeof parsed.model === 'string' ? parsed.model : null,
      stream: parsed.stream === true,
      messageId: null,
      requestId,
    };
    log.push(entry);

    if (req.method === 'HEAD' || (req.method === 'GET' && url.pathname === '/')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      res.end(JSON.stringify({ input_tokens: INPUT_TOKENS }));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/messages') {
      requests += 1;
      inFlight += 1;
      try {
        if (delayMs > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, delayMs);
            timers.set(timer, resolve);
          });
        }
        const model = opts.model ?? entry.model ?? 'claude-sonnet-4-5';
        const id = `msg_standin_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
        entry.messageId = id;
        const { reply, webSearch } = replyFor(parsed, text, varied);
        const usage = usageFor(ledger.length, model, outputTokens, webSearch, varied);
        const header = req.headers['x-claude-code-session-id'];
        ledger.push({ sessionId: typeof header === 'string' ? header : null, model, messageId: id, usage, reply: reply.kind === 'tool' ? reply.as : webSearch ? 'web-search' : 'text' });
        const stopReason = reply.kind === 'tool' ? 'tool_use' : 'end_turn';
        const toolId = `toolu_standin_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
        if (!entry.stream) {
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
          const content = reply.kind === 'tool' ? [{ type: 'tool_use', id: toolId, name: reply.name, input: reply.input }] : [{ type: 'text', text: reply.text }];
          res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage }));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': requestId });
        sse(res, 'message_start', {
          message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
        });
        if (reply.kind === 'tool') {
          sse(res, 'content_block_start', { index: 0, content_block: { type: 'tool_use', id: toolId, name: reply.name, input: {} } });
          sse(res, 'content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.input) } });
        } else {
          sse(res, 'content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
          sse(res, 'content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.text } });
        }
        sse(res, 'content_block_stop', { index: 0 });
        sse(res, 'message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens, server_tool_use: usage.server_tool_use } });
        sse(res, 'message_stop', {});
        res.end();
      } finally {
        inFlight -= 1;
      }
      return;
    }
    // Anything else Claude Code may ask for (models list, OAuth-free probes): an empty success.
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
    res.end(url.pathname === '/v1/models' ? JSON.stringify({ data: [], has_more: false }) : '{}');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    get inFlight() {
      return inFlight;
    },
    log,
    ledger,
    setDelay(ms: number) {
      delayMs = ms;
    },
    release() {
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
    },
    close() {
      for (const timer of timers.keys()) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
