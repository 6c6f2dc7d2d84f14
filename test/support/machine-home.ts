// A Claude Code home with a generated history whose totals the test knows: what one machine of a fleet has read.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { assistantLine, writeTranscript } from '../core/usage/corpus.js';

/** USD per million tokens: input, output, 5-minute cache write, cache read (Claude Code's own table). */
const PRICES: Record<string, [number, number, number, number]> = {
  'claude-sonnet-4-5': [3, 15, 3.75, 0.3],
  'claude-opus-4-5': [5, 25, 6.25, 0.5],
  'claude-haiku-4-5': [1, 5, 1.25, 0.1],
};

export interface Response {
  model: keyof typeof PRICES;
  input: number;
  output: number;
  cacheWrite?: number;
  cacheRead?: number;
  webSearch?: number;
  /** Days before now. */
  daysAgo: number;
}

export interface MachineHome {
  claudeDir: string;
  totalTokens: number;
  costUSD: number;
  byModel: Map<string, { tokens: number; costUSD: number }>;
  byProject: Map<string, { tokens: number; costUSD: number }>;
}

/** Writes `projects` (folder name to responses) into `claudeDir` and returns what they add up to. */
export function writeMachineHome(claudeDir: string, projects: Record<string, Response[]>): MachineHome {
  const home: MachineHome = { claudeDir, totalTokens: 0, costUSD: 0, byModel: new Map(), byProject: new Map() };
  let n = 0;
  for (const [project, responses] of Object.entries(projects)) {
    const sessionId = randomUUID();
    const lines = responses.map((r) => {
      n++;
      const [pIn, pOut, pWrite, pRead] = PRICES[r.model]!;
      const tokens = r.input + r.output + (r.cacheWrite ?? 0) + (r.cacheRead ?? 0);
      const cost = (r.input * pIn + r.output * pOut + (r.cacheWrite ?? 0) * pWrite + (r.cacheRead ?? 0) * pRead) / 1e6 + (r.webSearch ?? 0) * 0.01;
      home.totalTokens += tokens;
      home.costUSD += cost;
      for (const [map, key] of [[home.byModel, r.model], [home.byProject, project]] as const) {
        const row = map.get(key) ?? { tokens: 0, costUSD: 0 };
        row.tokens += tokens;
        row.costUSD += cost;
        map.set(key, row);
      }
      return assistantLine({
        id: `msg_${path.basename(claudeDir)}_${n}`,
        model: r.model,
        ts: new Date(Date.now() - r.daysAgo * 86_400_000 - n * 60_000).toISOString(),
        sessionId,
        cwd: `/home/dev/${project}`,
        input: r.input,
        output: r.output,
        cacheWrite5m: r.cacheWrite,
        cacheRead: r.cacheRead,
        webSearch: r.webSearch,
      });
    });
    writeTranscript(claudeDir, project, `${sessionId}.jsonl`, lines);
  }
  return home;
}
