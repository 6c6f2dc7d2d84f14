/**
 * The one home of TCE's questions to the operating system about a single process: what /proc/<pid>/stat says (its
 * state, parent, CPU time and, in field 22, the start time in clock ticks that Claude Code writes as `procStart`),
 * whether a PID runs at all, and whether it still names the process that was seen (a PID is reused once freed).
 * The bulk /proc scan (process/sources/linux-proc.ts) reads the files its own way for speed but parses them here.
 */
import fs from 'node:fs';

/** USER_HZ: fixed at 100 by the Linux ABI for everything /proc reports in clock ticks. */
export const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat that TCE uses (proc(5) numbers them from 1: comm is 2, state 3, starttime 22). */
export interface StatFields {
  comm: string;
  /** R, S, D, T, t, Z, ... */
  state: string;
  ppid: number;
  ttyNr: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Field 22: clock ticks after boot at which the process started; with the PID, it names one process for good. */
  startTicks: string;
  rssPages: number;
}

/**
 * Parses the text of /proc/<pid>/stat. The name (comm) sits in parentheses and may itself hold spaces and
 * parentheses, so the fields after it are counted from the last ')'.
 */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 of proc(5), so field n is f[n - 3].
  if (f.length < 22) return null;
  return {
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: Number(f[1]),
    ttyNr: Number(f[4]),
    cpuTicks: Number(f[11]) + Number(f[12]),
    startTicks: f[19] ?? '0',
    rssPages: Number(f[21]),
  };
}

/** /proc/<pid>/stat of a running (or zombie) process; null off Linux, for a PID that is not running, or garbage. */
export function readStat(pid: number): StatFields | null {
  if (process.platform !== 'linux' || !Number.isInteger(pid) || pid <= 0) return null;
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (Claude Code's `procStart`), or null off Linux or when no such process runs. */
export function startTicksOf(pid: number): string | null {
  return readStat(pid)?.startTicks ?? null;
}

/** Boot time in ms since the epoch (`btime` of /proc/stat): process start times are ticks after it. Linux only. */
export function bootTimeMs(): number {
  let stat = '';
  try {
    stat = fs.readFileSync('/proc/stat', 'latin1');
  } catch {
    // reported below
  }
  const match = /^btime (\d+)$/m.exec(stat);
  if (!match) throw new Error('/proc/stat has no btime');
  return Number(match[1]) * 1000;
}

/** A process's start in ms since the epoch, from its start ticks (field 22 of stat) and the boot time. */
export function startTimeFromTicks(bootMs: number, startTicks: string): number {
  return bootMs + (Number(startTicks) * 1000) / TICKS_PER_SECOND;
}

/**
 * Whether a process with this PID exists, zombies included: signal 0 reaches it, or is refused with EPERM (it runs
 * as another user). Every other error (ESRCH) means no such process.
 */
export function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the PID names a running process: it exists and, where /proc tells, is not a zombie (an exited process its
 * parent has not reaped yet still answers signal 0, but runs nothing). With `startTicks` (Linux, field 22 as it was
 * seen or recorded), also that the PID still names that process and not a newer one that was given the same PID.
 */
export function isRunning(pid: number, startTicks: string | null = null): boolean {
  if (!pidExists(pid)) return false;
  if (process.platform !== 'linux') return true;
  const stat = readStat(pid);
  // Gone between the signal and the read.
  if (!stat) return false;
  if (stat.state === 'Z') return false;
  return startTicks === null || stat.startTicks === startTicks;
}
