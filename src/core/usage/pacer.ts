/**
 * Long work in small steps. An engine inside a running app (the tray app, the dashboard server) gives the event loop a
 * turn whenever a stretch of work has run for a slice of wall time, so a first index of years of history never
 * freezes the app; the CLI runs the same steps straight through, where a turn would only cost.
 *
 * Work that is not a loop over reads is written as a generator that yields between its steps (`Steps`): run at once
 * with `runSteps`, or paced with `Pacer.run`.
 */

/** A computation that yields between steps and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Wall time, not CPU time: on a machine busy with other work a slice of our work takes longer, and so the turns come
 * sooner, which is what keeps a busy machine's app answering.
 */
export class Pacer {
  private since: number;

  /** @param sliceMs work between turns (Infinity: never a turn) */
  constructor(readonly sliceMs: number) {
    // Not asked for when never pacing: the clock's first use loads Node's perf_hooks (~1 ms of a `tce` run).
    this.since = sliceMs === Infinity ? 0 : performance.now();
  }

  get pacing(): boolean {
    return this.sliceMs !== Infinity;
  }

  /** A turn to wait for, once a slice of work has run since the last one; else null (nothing to wait for). */
  turn(): Promise<void> | null {
    if (performance.now() - this.since < this.sliceMs) return null;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.since = performance.now();
        resolve();
      }),
    );
  }

  /** Runs `steps`, with a turn whenever a slice has run. */
  async run<T>(steps: Steps<T>): Promise<T> {
    if (!this.pacing) return runSteps(steps);
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      const turn = this.turn();
      if (turn) await turn;
    }
  }
}

/** For work that must not be interrupted by turns (the CLI). */
export const UNPACED = new Pacer(Infinity);
