// Shared set-up for the process core tests: a monitor on temporary settings and Claude dirs, and real PID reuse.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcessMonitor, type ProcessSource } from '../../../src/core/process/index.js';
import { SettingsStore } from '../../../src/core/settings/store.js';
import type { Settings } from '../../../src/core/settings/types.js';
import { type FakeProcess, pidExists, ticksPastStart } from '../../support/fake-claude.js';

export interface MonitorSetup {
  root: string;
  claudeDir: string;
  settings: SettingsStore;
  monitor: ProcessMonitor;
}

/**
 * How long a test's kill waits for the process to exit. A kill returns as soon as the process has gone, so this only
 * matters when something is wrong, and on a loaded machine (CPU spinners, the real Claude Code, other test files) a
 * process can take seconds to be scheduled and exit: the product's 3 s was seen to run out here.
 */
export const TEST_KILL_WAIT_MS = 30_000;

/** A ProcessMonitor whose settings file and (unless given) Claude dir live under `root`. */
export function monitorIn(
  root: string,
  options: { source?: ProcessSource; killWaitMs?: number; hogSustainMs?: number; now?: () => number; settings?: (s: Settings) => void; claudeDir?: string } = {},
): MonitorSetup {
  const claudeDir = options.claudeDir ?? path.join(root, 'claude');
  fs.mkdirSync(claudeDir, { recursive: true });
  const settings = new SettingsStore(path.join(root, 'tce-data', 'config.json'));
  if (options.settings) settings.update((s) => options.settings?.(s));
  const monitor = new ProcessMonitor({ claudeDirs: [claudeDir], settings, source: options.source, killWaitMs: options.killWaitMs ?? TEST_KILL_WAIT_MS, hogSustainMs: options.hogSustainMs, now: options.now });
  return { root, claudeDir, settings, monitor };
}

const NS_LAST_PID = '/proc/sys/kernel/ns_last_pid';

/** Test files run in parallel processes: only one at a time may steer the next PID. */
const PID_LOCK = path.join(os.tmpdir(), 'tce-test-ns-last-pid.lock');

async function withPidLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.writeFileSync(PID_LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = Number.NaN;
      try {
        holder = Number.parseInt(fs.readFileSync(PID_LOCK, 'utf8'), 10);
      } catch {
        // released meanwhile
      }
      // Left behind by a test process that died holding it.
      if (Number.isInteger(holder) && !pidExists(holder)) fs.rmSync(PID_LOCK, { force: true });
      if (Date.now() > deadline) throw new Error(`${PID_LOCK} stayed locked for a minute`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(PID_LOCK, { force: true });
  }
}

/**
 * Ends `old` and spawns a process (with `spawnIt`) that gets exactly its PID: a real PID reuse. Needs the right to
 * write ns_last_pid (root in this PID namespace); returns null without it, or when another process took the PID
 * first. Other processes may fork in between, so it tries a few times.
 */
export function replaceAtSamePid(old: FakeProcess, spawnIt: () => Promise<FakeProcess>, attempts = 30): Promise<FakeProcess | null> {
  const pid = old.pid;
  return withPidLock(async () => {
    await old.kill();
    for (let i = 0; i < attempts; i++) {
      // A thread or process that grabbed the PID in between: wait a little for it to end.
      const freeBy = Date.now() + 3000;
      while (fs.existsSync(`/proc/${pid}`) && Date.now() < freeBy) await new Promise((resolve) => setTimeout(resolve, 50));
      if (fs.existsSync(`/proc/${pid}`)) return null;
      try {
        fs.writeFileSync(NS_LAST_PID, String(pid - 1));
      } catch {
        return null;
      }
      const fake = await spawnIt();
      if (fake.pid === pid) return fake;
      await fake.kill();
    }
    return null;
  });
}

export interface PidReuse<T> {
  /** Ended: its PID now names `newcomer`. */
  first: FakeProcess;
  /** What `see` made of the first process while it ran. */
  seen: T;
  newcomer: FakeProcess;
}

/**
 * A real PID reuse: `spawnFirst` starts a process, `see` looks at it as a user would (lists it, pins it), then it ends
 * and `spawnNewcomer` starts a process at exactly its PID. Any process on the machine may fork in the moment the freed
 * PID is offered, and one that lives on keeps it; the scenario needs some PID reused, not a given one, so it then
 * starts over with a new first process, at most `rounds` times. Needs canReusePids().
 */
export async function reusePid<T>(
  spawnFirst: () => Promise<FakeProcess>,
  see: (first: FakeProcess) => Promise<T>,
  spawnNewcomer: () => Promise<FakeProcess>,
  rounds = 10,
): Promise<PidReuse<T>> {
  const lost: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const first = await spawnFirst();
    try {
      const seen = await see(first);
      // Start ticks count hundredths of a second: the newcomer must start in a later tick than the first did.
      await ticksPastStart(first.pid);
      const newcomer = await replaceAtSamePid(first, spawnNewcomer);
      if (newcomer) return { first, seen, newcomer };
      lost.push(first.pid);
    } finally {
      await first.kill();
    }
  }
  throw new Error(`other processes took each freed PID first (${lost.join(', ')}); no PID was reused in ${rounds} rounds`);
}

/** Whether replaceAtSamePid can work here (root, writable ns_last_pid). */
export function canReusePids(): boolean {
  try {
    fs.accessSync(NS_LAST_PID, fs.constants.W_OK);
    return typeof process.getuid === 'function' && process.getuid() === 0;
  } catch {
    return false;
  }
}

/** The state letter of a process from /proc (R, S, T, Z ...), or null when it is gone. */
export function stateOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return null;
  }
}
