/**
 * Tokens and cost of a set of API responses, as the transcripts show them. Every row of every report carries the
 * same marks: `costUSD` covers the priced responses only, and `unpricedTokens` says how many tokens it leaves out
 * (responses of models without a price), so a cost is a lower bound whenever `unpricedTokens > 0`, never a silent $0.
 */
export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  /** Web search requests (`usage.server_tool_use.web_search_requests`); priced per request in `costUSD`. */
  webSearchRequests: number;
  /** Cost of the priced responses only (tokens and web searches); see `unpricedTokens`. */
  costUSD: number;
  /** Tokens of responses whose model has no price: their cost is unknown and not in `costUSD`. */
  unpricedTokens: number;
}

/**
 * Claude Code's own figure beside the transcript-based one, from its `cost-state` lines (2.1.332 and later): its
 * running tally per session, which also counts calls no transcript shows (session titles, `/compact` summaries).
 * Null on a row none of whose sessions wrote one (older Claude Code versions).
 */
export interface ClaudeCodeCost {
  /** Claude Code's cost of the sessions of this row that wrote a tally (for a day: what their tallies grew by that day). */
  costUSD: number;
  /** TCE's transcript-based cost of those same sessions (same days), so the two compare. */
  transcriptCostUSD: number;
  /** costUSD - transcriptCostUSD: spend no transcript shows (session titles, /compact summaries). */
  notInTranscriptsUSD: number;
  /** The fullest estimate: Claude Code's figure for its sessions plus the transcript-based cost of the others. */
  combinedCostUSD: number;
  /** Sessions of this row with Claude Code's figure, and without one (written by Claude Code before 2.1.332). */
  sessions: number;
  sessionsWithout: number;
  /** Claude Code priced a model it did not know at a default rate: its figure is a guess. */
  unknownModelCost: boolean;
}

/** A session's Claude Code figure: the last `cost-state` line of the session, which is its running tally. */
export interface SessionClaudeCodeCost extends ClaudeCodeCost {
  /** Claude Code's cost and tokens per model, including calls no transcript shows. */
  models: Array<{ model: string; costUSD: number; totalTokens: number; webSearchRequests: number }>;
}

/** What each cost in a report is based on. */
export interface CostFigures {
  /** `costUSD` on every row: TCE's prices applied to the responses in the transcripts. */
  costUSD: 'transcripts';
  /** `claudeCode` on sessions, days, projects and totals: Claude Code's own tally from its `cost-state` lines. */
  claudeCode: 'cost-state';
  /** The price table `costUSD` was computed with, as its fingerprint (PriceTable.fingerprint): it changes with any price. */
  prices: string;
}

export interface ModelUsage extends TokenTotals {
  model: string;
  /** True when the model is not in the price table: its cost is unknown, not zero. */
  unpriced: boolean;
}

export interface DailyUsage extends TokenTotals {
  /** YYYY-MM-DD in the report's time zone. */
  date: string;
  models: ModelUsage[];
  /**
   * 'stats-cache' for a day no transcript or index holds, filled from Claude Code's stats-cache.json: only
   * totalTokens (input + output) is known there, its cost is unknown (models flagged unpriced), and it is not in totals.
   */
  source?: 'transcripts' | 'stats-cache';
  claudeCode: ClaudeCodeCost | null;
}

export interface ProjectUsage extends TokenTotals {
  project: string;
  /** Working directory as written in the transcript lines. */
  path: string | null;
  claudeCode: ClaudeCodeCost | null;
}

/** A long index build under way (the first one, or a large batch of new transcripts): what is done and what is left. */
export interface IndexingProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Seconds left at the rate so far; null until that rate is known. */
  etaSeconds: number | null;
}

export interface SessionUsage extends TokenTotals {
  sessionId: string;
  project: string;
  path: string | null;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  models: string[];
  messages: number;
  firstPrompt: string | null;
  summary: string | null;
  /** PID of the live process running this session, if any. */
  livePid: number | null;
  linesAdded: number | null;
  linesRemoved: number | null;
  filesModified: number | null;
  toolCounts: Record<string, number> | null;
  /** Models of this session without a price: costUSD covers only the priced part. */
  unpricedModels?: string[];
  /** This session's share of today (the calendar day of `now` in the report's time zone). */
  today: TokenTotals;
  /** Claude Code's own figure for the session, or null when it wrote none (versions before 2.1.332). */
  claudeCode: SessionClaudeCodeCost | null;
}

export interface UsageBlock extends TokenTotals {
  /** ISO start, on the hour. */
  start: string;
  /** ISO end, start + 5 h. */
  end: string;
  /** ISO time of the last message in the block. */
  lastActivity: string;
  active: boolean;
  models: string[];
  burnRate: { tokensPerMinute: number; costPerHour: number } | null;
  projection: { totalTokens: number; costUSD: number } | null;
  /** Models of this block without a price: costUSD covers only the priced part. */
  unpricedModels?: string[];
}

export interface UsageDiagnostics {
  files: number;
  linesRead: number;
  malformedLines: number;
  duplicateLines: number;
  unpricedModels: string[];
  /** Transcripts whose records the index keeps after Claude Code deleted the file. */
  deletedFiles?: number;
  /** Days filled from stats-cache.json. */
  statsCacheDays?: number;
  /** Malformed or unreadable optional files and index problems, one message each. */
  problems?: string[];
}

export interface UsageReport {
  totals: TokenTotals;
  /** Claude Code's own figure for the whole range, or null when no session in it wrote one. */
  claudeCode: ClaudeCodeCost | null;
  costFigures: CostFigures;
  models: ModelUsage[];
  daily: DailyUsage[];
  projects: ProjectUsage[];
  hourOfDay: Array<{ hour: number } & TokenTotals>;
  weekly: Array<{ weekStart: string } & TokenTotals>;
  diagnostics: UsageDiagnostics;
  timezone: string;
  generatedAt: string;
}

/**
 * Today's usage: the calendar day of "now" in the report's time zone, taken from the report's daily row once, in core,
 * for the tray, the dashboard's Today card and the statusline's summary.
 */
export interface UsageToday extends TokenTotals {
  /** YYYY-MM-DD in `timezone`. */
  date: string;
  timezone: string;
  /** Models used today without a price: `costUSD` leaves their share out. */
  unpricedModels: string[];
  /** Claude Code's own figure for today, or null when no session of today wrote one. */
  claudeCode: ClaudeCodeCost | null;
}
