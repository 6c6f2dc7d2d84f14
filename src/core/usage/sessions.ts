/**
 * Per-session usage, enriched with Claude Code's own tally (cost-state), `/insights` session-meta and the process
 * each live session runs in (from the process scan).
 */
import type { SessionMeta } from './claude-extras.js';
import { sessionClaudeCode } from './claude-code-cost.js';
import type { SessionCostState } from './cost-state.js';
import type { RecordRows } from './record-rows.js';
import { ZonedCalendar } from './time-zone.js';
import { emptyTotals, roundCost } from './totals.js';
import type { SessionUsage } from './types.js';
import type { SessionPrompt } from './usage-index.js';

export interface SessionsInput {
  rows: RecordRows;
  prompts: ReadonlyMap<string, SessionPrompt>;
  projectPaths: ReadonlyMap<string, string>;
  sessionMeta: ReadonlyMap<string, SessionMeta>;
  /** sessionId -> pid of the live process running it, as the process scan found it. */
  livePids: ReadonlyMap<string, number>;
  costStates: ReadonlyMap<string, SessionCostState>;
  /**
   * Sessions with a tally but no counted response at all (every call they made failed, or only helper calls such as
   * session titles were made) get a row too, from these; each names its project by the file its tally came from.
   */
  tallyOnly: Array<{ sessionId: string; state: SessionCostState; project: string }>;
  /** Zone and time that say which calendar day is today. */
  timeZone: string;
  now: number;
}

/** A session's row before its responses are added: what the side files and Claude Code's tally say of it. */
function sessionRow(input: SessionsInput, sessionId: string, project: string, state: SessionCostState | undefined): SessionUsage {
  const meta = input.sessionMeta.get(sessionId);
  return {
    sessionId,
    project,
    path: input.projectPaths.get(project) ?? null,
    startedAt: '',
    endedAt: '',
    durationSeconds: 0,
    models: [],
    messages: 0,
    firstPrompt: meta?.firstPrompt ?? input.prompts.get(sessionId)?.prompt ?? null,
    summary: meta?.summary ?? null,
    livePid: input.livePids.get(sessionId) ?? null,
    linesAdded: state?.linesAdded ?? meta?.linesAdded ?? null,
    linesRemoved: state?.linesRemoved ?? meta?.linesRemoved ?? null,
    filesModified: meta?.filesModified ?? null,
    toolCounts: meta?.toolCounts ?? null,
    today: emptyTotals(),
    claudeCode: null,
    ...emptyTotals(),
  };
}

export function buildSessions(input: SessionsInput): SessionUsage[] {
  const calendar = ZonedCalendar.of(input.timeZone);
  const today = calendar.at(input.now).date;
  type Acc = { s: SessionUsage; first: number; last: number; models: Set<string>; unpriced: Set<string> };
  const acc = new Map<string, Acc>();
  const bySessionId: Array<Acc | undefined> = [];
  const rows = input.rows;
  for (let k = 0; k < rows.count; k++) {
    rows.at(k);
    let e = bySessionId[rows.sessionId];
    if (!e) {
      const sessionId = rows.strings[rows.sessionId]!;
      e = acc.get(sessionId);
    }
    if (!e) {
      const sessionId = rows.strings[rows.sessionId]!;
      const project = rows.strings[rows.projectId]!;
      e = { first: rows.ts, last: rows.ts, models: new Set(), unpriced: new Set(), s: sessionRow(input, sessionId, project, input.costStates.get(sessionId)) };
      acc.set(sessionId, e);
    }
    bySessionId[rows.sessionId] = e;
    const cost = rows.cost();
    if (cost === null) e.unpriced.add(rows.model);
    rows.addTo(e.s, cost);
    if (calendar.at(rows.ts).date === today) rows.addTo(e.s.today, cost);
    e.s.messages++;
    e.models.add(rows.model);
    if (rows.ts < e.first) e.first = rows.ts;
    if (rows.ts > e.last) e.last = rows.ts;
  }
  for (const { sessionId, state, project } of input.tallyOnly) {
    if (acc.has(sessionId)) continue;
    const first = state.startTime ?? state.points[0]!;
    acc.set(sessionId, {
      first,
      last: Math.max(first, state.points[state.points.length - 2]!),
      models: new Set(),
      unpriced: new Set(),
      s: sessionRow(input, sessionId, project, state),
    });
  }
  const out: SessionUsage[] = [];
  for (const { s, first, last, models, unpriced } of acc.values()) {
    const promptTs = input.prompts.get(s.sessionId)?.ts;
    const start = promptTs !== undefined && Number.isFinite(promptTs) && promptTs < first ? promptTs : first;
    s.startedAt = new Date(start).toISOString();
    s.endedAt = new Date(last).toISOString();
    s.durationSeconds = Math.round((last - start) / 1000);
    s.models = [...models].sort();
    s.unpricedModels = [...unpriced].sort();
    roundCost(s.today);
    roundCost(s);
    const state = input.costStates.get(s.sessionId);
    if (state) s.claudeCode = sessionClaudeCode(state, s.costUSD);
    out.push(s);
  }
  return out.sort((a, b) => (a.endedAt < b.endedAt ? 1 : a.endedAt > b.endedAt ? -1 : 0));
}
