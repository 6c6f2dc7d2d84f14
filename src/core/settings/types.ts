/** Prices in USD per million tokens. */
export interface TokenRates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** A model's prices, in the shape of Claude Code's own price table. */
export interface ModelPrice extends TokenRates {
  /** USD per web search request (`usage.server_tool_use.web_search_requests`); $0.01 when absent. */
  webSearch?: number;
  /** Rates for every token of a request whose prompt (input + cache writes + cache reads) is above `abovePromptTokens`. */
  longPrompt?: TokenRates & { abovePromptTokens: number };
  /** Rates of fast-mode requests (`usage.speed: "fast"`); without them fast requests pay the standard rates. */
  fast?: TokenRates;
}

export interface HealthThresholds {
  /** Idle hours before an interactive session counts as stale. */
  staleInteractiveHours: number;
  /** Idle hours before a background (-p, no tty, bg kind) session counts as stale. */
  staleBackgroundHours: number;
  /** CPU % (of one core) under which a process counts as idle. */
  idleCpuPercent: number;
  /** CPU % (of one core) over which a process is a hog. */
  hogCpuPercent: number;
  /** Resident memory in MiB over which a process is a hog. */
  hogMemoryMiB: number;
}

export interface NotificationSettings {
  stale: boolean;
  zombie: boolean;
  hog: boolean;
  /** Minutes before the same process may notify again. */
  cooldownMinutes: number;
  /** ISO time until which notifications are paused, or null. */
  pausedUntil: string | null;
  /** "proj-x needs you": once per wait when a session starts waiting for its user (a permission prompt, a question). */
  waiting: boolean;
  /** Once per plan window (5-hour, weekly) when its use crosses one of `planThresholdPercents`. */
  planThresholds: boolean;
  /** Plan use (percent) that notifies, ascending; default 80 and 95. */
  planThresholdPercents: number[];
}

export interface Pin {
  pid: number;
  /** ISO start time of the pinned process: a reused PID never inherits a pin. */
  startedAt: string;
  /** The process's exact start identity (ClaudeProcess.startId); pins written by older versions have none. */
  startId?: string;
}

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/**
 * Another machine's TCE server (`tce dashboard` there), whose processes and usage this TCE shows beside its own.
 * Changed with `tce remote add|remove` only (never by a settings patch from a page: its token file is read here).
 */
export interface RemoteMachine {
  /** Shown in the Machine column: 1-32 letters, digits, `.`, `_` or `-`, unique. */
  name: string;
  /**
   * Its dashboard's URL: https (certificates verified), or http on a loopback address (an SSH tunnel's forwarded
   * port), or http elsewhere only with `trustedLink`.
   */
  url: string;
  /** Absolute path of a file (mode 600, yours) holding that server's token; read at each poll, sent only to `url`. */
  tokenFile: string;
  /** The link to it is already private (a VPN, a tunnel TCE cannot see): plain http beyond loopback is accepted. */
  trustedLink: boolean;
}

export interface Settings {
  pollIntervalSeconds: number;
  health: HealthThresholds;
  notifications: NotificationSettings;
  /** Per-model overrides of the built-in price table, keyed by normalised model id. */
  priceOverrides: Record<string, ModelPrice>;
  dashboardPort: number;
  pins: Pin[];
  startHidden: boolean;
  windowBounds: WindowBounds | null;
  /** Other machines' TCE servers, at most MAX_REMOTES. */
  remotes: RemoteMachine[];
}
