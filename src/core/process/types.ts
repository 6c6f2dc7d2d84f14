/** How a Claude Code process was recognised. */
export type InstallForm =
  | 'native-installer' // ~/.local/share/claude/versions/<ver>
  | 'npm-native' // .../@anthropic-ai/claude-code/bin/claude.exe or the platform package's `claude`
  | 'npm-cli-js' // node .../@anthropic-ai/claude-code/cli.js
  | 'desktop-embedded' // .../Claude/claude-code/<ver>/...
  | 'argv0'; // named `claude` (argv[0], or the executable's file name) in no known layout

/** `pinned` wins over `healthy` and `stale`; `zombie` and `hog` win over `pinned`. */
export type Health = 'healthy' | 'stale' | 'zombie' | 'hog' | 'pinned';

/** From Claude Code's registry: `waiting` is a session that needs its user (a permission prompt, a question, a dialog). */
export type Activity = 'busy' | 'idle' | 'waiting';

export interface ClaudeProcess {
  pid: number;
  ppid: number;
  name: string;
  exe: string | null;
  command: string[];
  installForm: InstallForm;
  cwd: string | null;
  project: string | null;
  /** One-letter kernel state: R, S, D, Z, T, ... */
  state: string;
  health: Health;
  activity: Activity | null;
  /** ISO time since when `activity` holds, from the session registry (for `waiting`: since when it waits). */
  activitySince: string | null;
  /** What a `waiting` session waits for, as Claude Code says it (`permission prompt`, `input needed`, `dialog open`, ...). */
  waitingFor: string | null;
  /** ISO time since when the process has been idle (registry, or CPU under the idle line), or null. */
  idleSince: string | null;
  sessionId: string | null;
  /** Registry kind: interactive, bg, daemon, daemon-worker (a `-p` run says interactive too: see `print`). */
  kind: string | null;
  /** Registry entrypoint: `cli` for the interactive CLI, `sdk-cli` for `-p`, `sdk-ts`/`sdk-py` for the SDKs, ... */
  entrypoint: string | null;
  /** A print/SDK run (`-p`/`--print` in argv, or an `sdk-*` entrypoint): background work, never interactive. */
  print: boolean;
  /** The session's name from the registry (Claude Code derives one from the project, or the user sets it). */
  sessionName: string | null;
  interactive: boolean;
  /** Percent of one core, sampled between two polls. */
  cpuPercent: number;
  rssBytes: number;
  /** ISO time. */
  startedAt: string;
  /**
   * Exact start identity: on Linux the kernel start ticks (field 22 of /proc/<pid>/stat), elsewhere `ms:` and the
   * start time. Kill and pin requests carry it with the PID, so a PID reused since it was listed is never signalled.
   */
  startId: string;
  uptimeSeconds: number;
  tty: string | null;
  pinned: boolean;
  version: string | null;
  childrenCount: number;
  /** The remote machine (its name in the settings' remotes) this process runs on; absent on this machine's own. */
  machine?: string;
}

/** One process as the user saw it listed: every kill and pin names its target so. */
export interface ProcessRef {
  pid: number;
  /** ClaudeProcess.startId of the listed process. */
  startId: string;
  /** ClaudeProcess.machine of the listed process: the action goes to that machine's TCE server. Absent: this machine. */
  machine?: string;
}

export interface ProcessSummary {
  total: number;
  healthy: number;
  stale: number;
  zombie: number;
  hog: number;
  pinned: number;
}

export interface ProcessSnapshot {
  processes: ClaudeProcess[];
  summary: ProcessSummary;
  /** ISO time of the scan. */
  scannedAt: string;
}

export type ActionOutcome =
  | 'killed'
  | 'signalled'
  | 'still-running'
  | 'pinned'
  | 'unpinned'
  | 'refused'
  | 'not-found'
  /** `kill-stale --dry-run`: would have been signalled. */
  | 'would-kill';

export interface ActionResult {
  ok: boolean;
  pid: number;
  outcome: ActionOutcome;
  /** Human-readable, shown as is by the CLI, the tray and the dashboard. */
  message: string;
}
