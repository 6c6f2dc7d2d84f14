export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  /** Cost of the priced part only; see `unpriced`. */
  costUSD: number;
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
}

export interface ProjectUsage extends TokenTotals {
  project: string;
  /** Working directory as written in the transcript lines. */
  path: string | null;
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
  models: ModelUsage[];
  daily: DailyUsage[];
  projects: ProjectUsage[];
  hourOfDay: Array<{ hour: number } & TokenTotals>;
  weekly: Array<{ weekStart: string } & TokenTotals>;
  diagnostics: UsageDiagnostics;
  timezone: string;
  generatedAt: string;
}
