/** Plan use as the snapshot carries it (see plan.ts); no Node imports, the renderer compiles against these. */

export interface PlanWindow {
  /** Claude Code's name: `five_hour`, `seven_day`, or another (`spend_limit` behind a gateway). */
  window: string;
  /** How it reads: `5-hour`, `weekly`, ... */
  label: string;
  /** 0 to 100 (more when over). */
  usedPercentage: number;
  /** ISO time the window resets. */
  resetsAt: string;
  /** ISO time Claude Code reported it (when a statusline last ran with it). */
  observedAt: string;
  /** The window has reset since it was reported: its use now is not known (likely lower). */
  hasReset: boolean;
  /** The session whose statusline reported it. */
  sessionId: string;
}

/** What the snapshot carries (`Snapshot.plan`); null there when no statusline has run (`tce statusline --install`). */
export interface PlanUsage {
  /** The latest reading of each window; empty when Claude Code sent none (API-key users get no plan windows). */
  windows: PlanWindow[];
  /** ISO time of the newest statusline record. */
  updatedAt: string;
}
