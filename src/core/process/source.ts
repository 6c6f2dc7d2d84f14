/** What one pass over the process table tells about one process, before deciding whether it is Claude Code. */
export interface RawProcess {
  pid: number;
  ppid: number;
  /** Kernel process name (Linux `comm`, at most 15 characters) or the executable's basename. */
  comm: string;
  argv: string[];
  /** One-letter kernel state: R, S, D, Z, T, ... */
  state: string;
  /** Start time, ms since the epoch. */
  startTime: number;
  /** Linux only: field 22 of /proc/<pid>/stat, as Claude Code writes it in `procStart`. */
  startTicks: string | null;
  /** Cumulative user + system CPU time in ms, when the source knows it. */
  cpuTimeMs: number | null;
  /** CPU % of one core computed by the source itself, when it has no cumulative time. */
  cpuPercent: number | null;
  rssBytes: number;
  tty: string | null;
  /** Fields below are filled only for processes the caller asked details for (see ListOptions.detail). */
  detailed: boolean;
  exe: string | null;
  cwd: string | null;
  uid: number | null;
  user: string | null;
  /** Whether standard input is a terminal (what makes a session interactive), or null when unknown. Detailed only. */
  stdinTty: boolean | null;
}

/** The cheap facts a caller sees to decide whether it wants the expensive ones (exe, cwd, owner). */
export interface BasicFacts {
  pid: number;
  comm: string;
  argv: string[];
}

export interface ListOptions {
  /** Return true for processes whose exe, cwd and owner should be read; default all. */
  detail?: (facts: BasicFacts) => boolean;
  /**
   * PIDs wanted in detail whatever their facts say (a registry entry names them, an earlier scan knew them as Claude).
   * Given this, `detail` must depend on the facts alone, and a source that remembers processes asks it once per
   * process (a process's facts do not change while it runs the same program).
   */
  alsoDetail?: (pid: number) => boolean;
}

export interface ProcessSource {
  readonly name: string;
  /** Shortest useful gap between two lists for a CPU sample (the source may cache below it). */
  readonly minSampleMs: number;
  /** Every process on the machine, in one pass. */
  list(options?: ListOptions): Promise<RawProcess[]>;
  /** One process with every detail, read now; null when it does not exist. */
  get(pid: number): Promise<RawProcess | null>;
}
