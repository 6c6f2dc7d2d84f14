/** Sums of Claude Code's own figure beside the transcript-based one, for a row of a report (a day, a project, the total). */
import type { SessionCostState } from './cost-state.js';
import type { ClaudeCodeCost, SessionClaudeCodeCost } from './types.js';

const round = (n: number): number => Math.round(n * 1e6) / 1e6;

export class ClaudeCodeSum {
  costUSD = 0;
  transcriptCostUSD = 0;
  sessions = 0;
  sessionsWithout = 0;
  unknownModelCost = false;

  /** Counts a session of this row once: with a tally (and whether it guessed a price) or without. */
  countSession(state: SessionCostState | undefined): void {
    if (state) {
      this.sessions++;
      if (state.unknownModelCost) this.unknownModelCost = true;
    } else this.sessionsWithout++;
  }

  /** @param rowCostUSD the row's transcript-based cost, all sessions */
  result(rowCostUSD: number): ClaudeCodeCost | null {
    if (this.sessions === 0) return null;
    const notInTranscripts = this.costUSD - this.transcriptCostUSD;
    return {
      costUSD: round(this.costUSD),
      transcriptCostUSD: round(this.transcriptCostUSD),
      notInTranscriptsUSD: round(notInTranscripts),
      combinedCostUSD: round(rowCostUSD + notInTranscripts),
      sessions: this.sessions,
      sessionsWithout: this.sessionsWithout,
      unknownModelCost: this.unknownModelCost,
    };
  }
}

/** A session's figure: its last tally, beside what its transcript lines cost. */
export function sessionClaudeCode(state: SessionCostState, transcriptCostUSD: number): SessionClaudeCodeCost {
  const notInTranscripts = state.costUSD - transcriptCostUSD;
  return {
    costUSD: round(state.costUSD),
    transcriptCostUSD: round(transcriptCostUSD),
    notInTranscriptsUSD: round(notInTranscripts),
    combinedCostUSD: round(state.costUSD),
    sessions: 1,
    sessionsWithout: 0,
    unknownModelCost: state.unknownModelCost,
    models: Object.entries(state.models)
      .map(([model, m]) => ({ model, costUSD: round(m.costUSD), totalTokens: m.tokens, webSearchRequests: m.webSearch }))
      .sort((a, b) => b.costUSD - a.costUSD || (a.model < b.model ? -1 : 1)),
  };
}

/** Calls `each(ts, delta)` for every step of a tally, oldest first: what it grew by at that time. */
export function forEachDelta(state: SessionCostState, each: (ts: number, delta: number) => void): void {
  let previous = 0;
  const p = state.points;
  for (let i = 0; i < p.length; i += 2) {
    each(p[i]!, p[i + 1]! - previous);
    previous = p[i + 1]!;
  }
}
