/**
 * Which process, exactly: a PID is reused once its process ends, so every signal and pin names the process by PID and
 * start identity (ClaudeProcess.startId), and that identity is compared with the process the PID names right now.
 */
import type { RawProcess } from './source.js';
import type { ProcessRef } from './types.js';

/**
 * Start times of one process read by different sources (or off Linux, rounded to the second) may differ a little; a
 * reused PID starts far later than that. Used only where the kernel's start ticks are not known.
 */
export const SAME_START_MS = 1_500;

/** The start facts every source has for a process. */
export type StartFacts = Pick<RawProcess, 'startTicks' | 'startTime'>;

/**
 * The start identity of a process: on Linux its kernel start ticks (field 22 of /proc/<pid>/stat), which no later
 * process with the same PID can share; elsewhere `ms:` and its start time, compared within SAME_START_MS.
 */
export function startIdOf(p: StartFacts): string {
  return p.startTicks ?? `ms:${Math.round(p.startTime)}`;
}

export function sameStart(a: string | number, b: string | number): boolean {
  const ta = typeof a === 'number' ? a : Date.parse(a);
  const tb = typeof b === 'number' ? b : Date.parse(b);
  return Number.isFinite(ta) && Number.isFinite(tb) && Math.abs(ta - tb) <= SAME_START_MS;
}

/** Whether `startId` names the process described by `p`: exact when both are kernel ticks. */
export function hasStartId(p: StartFacts, startId: string): boolean {
  if (startId.startsWith('ms:')) return p.startTicks === null && sameStart(Number(startId.slice(3)), p.startTime);
  return p.startTicks !== null && p.startTicks === startId;
}

/** Whether two readings of a PID are the same process (one started later under a reused PID is not). */
export function sameProcess(a: StartFacts, b: StartFacts): boolean {
  if (a.startTicks !== null && b.startTicks !== null) return a.startTicks === b.startTicks;
  return sameStart(a.startTime, b.startTime);
}

export function refOf(p: { pid: number } & StartFacts): ProcessRef {
  return { pid: p.pid, startId: startIdOf(p) };
}
