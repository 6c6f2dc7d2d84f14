/** Per-session usage, enriched with `/insights` session-meta and the live process registry. */
import type { LiveSession, SessionMeta } from './claude-extras.js';
import type { PriceTable } from './prices.js';
import { recordCost } from './report.js';
import { ZonedCalendar } from './time-zone.js';
import { addRecord, emptyTotals, roundCost } from './totals.js';
import type { SessionUsage } from './types.js';
import type { SessionPrompt, UsageRecord } from './usage-index.js';

export interface SessionsInput {
  records: Iterable<UsageRecord>;
  prices: PriceTable;
  prompts: ReadonlyMap<string, SessionPrompt>;
  projectPaths: ReadonlyMap<string, string>;
  sessionMeta: ReadonlyMap<string, SessionMeta>;
  /** sessionId -> pid of a live process (already checked alive). */
  livePids: ReadonlyMap<string, number>;
  /** Zone and time that say which calendar day is today. */
  timeZone: string;
  now: number;
}

export function buildSessions(input: SessionsInput): SessionUsage[] {
  const calendar = new ZonedCalendar(input.timeZone);
  const today = calendar.at(input.now).date;
  const acc = new Map<string, { s: SessionUsage; first: number; last: number; models: Set<string>; unpriced: Set<string> }>();
  for (const r of input.records) {
    let e = acc.get(r.sessionId);
    if (!e) {
      const meta = input.sessionMeta.get(r.sessionId);
      e = {
        first: r.ts,
        last: r.ts,
        models: new Set(),
        unpriced: new Set(),
        s: {
          sessionId: r.sessionId,
          project: r.project,
          path: input.projectPaths.get(r.project) ?? null,
          startedAt: '',
          endedAt: '',
          durationSeconds: 0,
          models: [],
          messages: 0,
          firstPrompt: meta?.firstPrompt ?? input.prompts.get(r.sessionId)?.prompt ?? null,
          summary: meta?.summary ?? null,
          livePid: input.livePids.get(r.sessionId) ?? null,
          linesAdded: meta?.linesAdded ?? null,
          linesRemoved: meta?.linesRemoved ?? null,
          filesModified: meta?.filesModified ?? null,
          toolCounts: meta?.toolCounts ?? null,
          today: emptyTotals(),
          ...emptyTotals(),
        },
      };
      acc.set(r.sessionId, e);
    }
    const cost = recordCost(r, input.prices);
    if (cost === null) e.unpriced.add(r.model);
    addRecord(e.s, r, cost ?? 0);
    if (calendar.at(r.ts).date === today) addRecord(e.s.today, r, cost ?? 0);
    e.s.messages++;
    e.models.add(r.model);
    if (r.ts < e.first) e.first = r.ts;
    if (r.ts > e.last) e.last = r.ts;
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
    out.push(roundCost(s));
  }
  return out.sort((a, b) => (a.endedAt < b.endedAt ? 1 : a.endedAt > b.endedAt ? -1 : 0));
}

/** Which sessions have a live process right now: registry entries whose pid is alive (see `isLive`). */
export function livePidsOf(sessions: readonly LiveSession[], isLive: (s: LiveSession) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of sessions) if (isLive(s)) out.set(s.sessionId, s.pid);
  return out;
}
