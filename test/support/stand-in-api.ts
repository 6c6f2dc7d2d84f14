// A local stand-in for Anthropic's Messages API, good enough for the real Claude Code to run offline against it.
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
}

export interface RecordedRequest {
  method: string;
  path: string;
  model: string | null;
  stream: boolean;
  messageId: string | null;
  requestId: string;
}

export interface StandInApi {
  url: string;
  port: number;
  /** Number of /v1/messages requests answered or in flight. */
  readonly requests: number;
  /** Every request seen, in order. */
  readonly log: RecordedRequest[];
  /** Number of /v1/messages requests currently held back. */
  readonly inFlight: number;
  setDelay(ms: number): void;
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

export async function startStandInApi(opts: StandInOptions = {}): Promise<StandInApi> {
  let delayMs = opts.delayMs ?? 0;
  let requests = 0;
  let inFlight = 0;
  const log: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const outputTokens = opts.outputTokens ?? 12;
  const text = opts.text ?? 'Hello from the stand-in API.';

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
    let parsed: { model?: string; stream?: boolean } = {};
    try {
      parsed = body ? (JSON.parse(body) as typeof parsed) : {};
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
            timers.add(timer);
          });
        }
        const model = opts.model ?? entry.model ?? 'claude-sonnet-4-5';
        const id = `msg_standin_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
        entry.messageId = id;
        const usage = {
          input_tokens: INPUT_TOKENS,
          cache_creation_input_tokens: CACHE_WRITE_TOKENS,
          cache_read_input_tokens: CACHE_READ_TOKENS,
          output_tokens: outputTokens,
          service_tier: 'standard',
        };
        if (!entry.stream) {
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
          res.end(
            JSON.stringify({
              id,
              type: 'message',
              role: 'assistant',
              model,
              content: [{ type: 'text', text }],
              stop_reason: 'end_turn',
              stop_sequence: null,
              usage,
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': requestId });
        sse(res, 'message_start', {
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...usage, output_tokens: 1 },
          },
        });
        sse(res, 'content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
        sse(res, 'content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
        sse(res, 'content_block_stop', { index: 0 });
        sse(res, 'message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } });
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
    setDelay(ms: number) {
      delayMs = ms;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
