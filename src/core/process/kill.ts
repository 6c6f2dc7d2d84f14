import { sameProcess } from './identity.js';
import type { ProcessSource, RawProcess } from './source.js';
import type { ActionResult } from './types.js';

/** Why a process is not signalled: it is not the one asked for (`not-found`), or may not be acted on (`refused`). */
export interface Refusal {
  outcome: 'refused' | 'not-found';
  reason: string;
}

const POLL_MS = 50;
/** How long to wait for the parent to reap a process that has just ended as a zombie. */
const ZOMBIE_REAP_GRACE_MS = 500;

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** Sends SIGTERM (or SIGKILL) to a process only after re-reading it and having `verify` accept it. */
export class Killer {
  constructor(
    private readonly source: ProcessSource,
    private readonly waitMs: number,
  ) {}

  async kill(pid: number, force: boolean, verify: (raw: RawProcess) => Refusal | null): Promise<ActionResult> {
    if (!Number.isInteger(pid) || pid <= 0) {
      return { ok: false, pid, outcome: 'refused', message: `'${pid}' is not a process ID; nothing was signalled.` };
    }
    const raw = await this.source.get(pid);
    if (!raw) return { ok: false, pid, outcome: 'not-found', message: `No process with PID ${pid} is running; nothing was signalled.` };
    const refusal = verify(raw);
    if (refusal) return { ok: false, pid, outcome: refusal.outcome, message: `${refusal.reason} Nothing was signalled.` };
    if (raw.state === 'Z') {
      return {
        ok: false,
        pid,
        outcome: 'refused',
        message: `PID ${pid} has already exited (zombie); only its parent, PID ${raw.ppid}, can clear it. Nothing was signalled.`,
      };
    }
    const signal = force ? 'SIGKILL' : 'SIGTERM';
    try {
      process.kill(pid, signal);
      // A stopped process only acts on SIGTERM once it runs again.
      if (!force && (raw.state === 'T' || raw.state === 't')) process.kill(pid, 'SIGCONT');
    } catch (error) {
      if (errno(error) === 'ESRCH') {
        return { ok: false, pid, outcome: 'not-found', message: `PID ${pid} exited before it could be signalled; nothing was signalled.` };
      }
      return { ok: false, pid, outcome: 'refused', message: `Cannot signal PID ${pid}: ${(error as Error).message}.` };
    }
    if (await this.waitForExit(raw)) {
      return { ok: true, pid, outcome: 'killed', message: `Claude Code PID ${pid} exited after ${signal}.` };
    }
    const seconds = Math.round(this.waitMs / 100) / 10;
    return {
      ok: false,
      pid,
      outcome: 'still-running',
      message: force
        ? `Sent SIGKILL to PID ${pid}, but it is still there after ${seconds} s (it may be stuck in the kernel).`
        : `Sent SIGTERM to PID ${pid}, but it is still running after ${seconds} s; run \`tce kill ${pid} --force\` to send SIGKILL.`,
    };
  }

  /**
   * True once the process is gone, a zombie, or its PID belongs to a newer process. A zombie gets a short grace to be
   * reaped by its parent, so that the next scan does not show a process that was just ended as a zombie.
   */
  private async waitForExit(before: RawProcess): Promise<boolean> {
    const deadline = Date.now() + this.waitMs;
    let reapDeadline: number | null = null;
    for (;;) {
      const now = await this.source.get(before.pid);
      if (!now || !sameProcess(now, before)) return true;
      if (now.state === 'Z') {
        reapDeadline ??= Date.now() + ZOMBIE_REAP_GRACE_MS;
        if (Date.now() >= reapDeadline) return true;
      } else if (Date.now() >= deadline) {
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
