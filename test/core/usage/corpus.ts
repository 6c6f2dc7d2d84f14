// Builders for transcript lines shaped like Claude Code's, for corpora whose right answer a test knows.
import fs from 'node:fs';
import { makeTempDir } from '../../support/tmp.js';
import path from 'node:path';

export interface Usage {
  input?: number;
  output?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
}

export interface AssistantOptions extends Usage {
  id: string;
  model?: string;
  ts: string;
  sessionId: string;
  cwd?: string;
  requestId?: string;
  sidechain?: boolean;
  text?: string;
  /** Leave out the cache_creation split, as older builds did. */
  noSplit?: boolean;
  /** `usage.server_tool_use.web_search_requests`. */
  webSearch?: number;
  /** `usage.speed` and `usage.inference_geo`, as 2.1.332 writes them. */
  speed?: string;
  geo?: string;
}

export function assistantLine(o: AssistantOptions): string {
  const cw5 = o.cacheWrite5m ?? 0;
  const cw1 = o.cacheWrite1h ?? 0;
  return JSON.stringify({
    parentUuid: null,
    isSidechain: o.sidechain ?? false,
    message: {
      id: o.id,
      type: 'message',
      role: 'assistant',
      model: o.model ?? 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: o.text ?? 'ok' }],
      usage: {
        input_tokens: o.input ?? 0,
        cache_creation_input_tokens: cw5 + cw1,
        cache_read_input_tokens: o.cacheRead ?? 0,
        output_tokens: o.output ?? 0,
        ...(o.noSplit ? {} : { cache_creation: { ephemeral_5m_input_tokens: cw5, ephemeral_1h_input_tokens: cw1 } }),
        ...(o.webSearch !== undefined ? { server_tool_use: { web_search_requests: o.webSearch, web_fetch_requests: 0 } } : {}),
        ...(o.speed !== undefined ? { speed: o.speed } : {}),
        ...(o.geo !== undefined ? { inference_geo: o.geo } : {}),
      },
    },
    requestId: o.requestId ?? `req_${o.id}`,
    type: 'assistant',
    uuid: `${o.id}-${Math.random().toString(16).slice(2)}`,
    timestamp: o.ts,
    cwd: o.cwd ?? '/home/u/proj',
    sessionId: o.sessionId,
    version: '2.1.197',
  });
}

export function userLine(o: { sessionId: string; ts: string; text?: string; toolResultBytes?: number; cwd?: string; sidechain?: boolean }): string {
  const content = o.toolResultBytes
    ? [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x'.repeat(o.toolResultBytes) }]
    : (o.text ?? 'hello');
  return JSON.stringify({
    parentUuid: null,
    isSidechain: o.sidechain ?? false,
    type: 'user',
    message: { role: 'user', content },
    uuid: Math.random().toString(16).slice(2),
    timestamp: o.ts,
    cwd: o.cwd ?? '/home/u/proj',
    sessionId: o.sessionId,
  });
}

/** A `system` bookkeeping line with a timestamp, as Claude Code ends a turn with (`turn_duration`). */
export function systemLine(o: { sessionId: string; ts: string }): string {
  return JSON.stringify({ parentUuid: null, isSidechain: false, type: 'system', subtype: 'turn_duration', durationMs: 1200, timestamp: o.ts, uuid: Math.random().toString(16).slice(2), sessionId: o.sessionId });
}

/** A `cost-state` line (2.1.332): Claude Code's running tally of a session; it carries no timestamp. */
export function costStateLine(o: { sessionId: string; costUSD: number; models?: Record<string, { cost: number; tokens?: number; webSearch?: number }>; linesAdded?: number; linesRemoved?: number; startTime?: number; unknown?: boolean }): string {
  const modelUsage = Object.fromEntries(
    Object.entries(o.models ?? { 'claude-opus-5-5': { cost: o.costUSD } }).map(([model, m]) => [
      model,
      { inputTokens: m.tokens ?? 0, outputTokens: 0, thinkingTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, cacheCreationEphemeral5mInputTokens: 0, cacheCreationEphemeral1hInputTokens: 0, webSearchRequests: m.webSearch ?? 0, costUSD: m.cost },
    ]),
  );
  return JSON.stringify({
    type: 'cost-state',
    sessionId: o.sessionId,
    totalCostUSD: o.costUSD,
    totalAPIDuration: 1000,
    totalToolDuration: 10,
    totalLinesAdded: o.linesAdded ?? 0,
    totalLinesRemoved: o.linesRemoved ?? 0,
    totalDuration: 5000,
    startTime: o.startTime ?? Date.UTC(2026, 2, 1, 8),
    modelUsage,
    hasUnknownModelCost: o.unknown ?? false,
  });
}

/** Writes lines (each followed by `eol`) to `<claudeDir>/projects/<project>/<name>`. */
export function writeTranscript(claudeDir: string, project: string, name: string, lines: string[], eol = '\n'): string {
  const file = path.join(claudeDir, 'projects', project, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.map((l) => l + eol).join(''));
  return file;
}

/** Cost in USD of tokens at per-million prices. */
export function usd(tokens: number, perMillion: number): number {
  return (tokens * perMillion) / 1_000_000;
}

/**
 * A temporary folder for usage tests, removed only after every engine handed to `track` is closed: engines save
 * their index after a refresh resolves, so removing the folder first would race with that save.
 */
export function usageTemp(t: { after(fn: () => unknown): void }): { root: string; track<T extends { close(): Promise<void> }>(engine: T): T } {
  const { dir, remove } = makeTempDir('tce-usage-test-');
  const engines: Array<{ close(): Promise<void> }> = [];
  t.after(async () => {
    for (const e of engines) await e.close();
    remove();
  });
  return {
    root: dir,
    track(engine) {
      engines.push(engine);
      return engine;
    },
  };
}
