/** What the process commands share: the PID argument, `--start`, the target they act on and how they report. */
import type { ActionResult, ProcessMonitor, ProcessRef } from '../core/process/index.js';
import { START_ID_PATTERN } from '../core/settings/schema.js';
import type { CommandInput } from './command.js';

/** The single PID argument and `--start`, or a message for a bad one (the command exits 2). */
export function pidArgument(input: CommandInput, usage: string): { pid: number; start: string | null } | { error: string } {
  const { positionals } = input;
  if (positionals.length === 0) return { error: `a PID is required.\n\n${usage}` };
  if (positionals.length > 1) return { error: `one PID at a time, got ${positionals.length}: ${positionals.join(' ')}` };
  const text = positionals[0] ?? '';
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) return { error: `'${text}' is not a process ID (a whole number above 0).` };
  const start = input.values.start;
  if (typeof start === 'string' && !START_ID_PATTERN.test(start)) return { error: `--start must be a process's startId as \`tce status --json\` lists it, got '${start}'.` };
  return { pid: Number(text), start: typeof start === 'string' ? start : null };
}

/** How the process commands explain `--start`: what "the process the user saw" is on the command line. */
export const START_OPTION_HELP = [
  '  --start ID  act only if PID is still the process with this startId (from `tce status --json`); without it,',
  '              the process PID names when tce reads it, checked again right before it acts',
];

/**
 * The process a command acts on: the one `--start` names, else the one the PID names now. Null when no process has
 * the PID (then nothing is acted on).
 */
export async function targetOf(monitor: ProcessMonitor, arg: { pid: number; start: string | null }): Promise<ProcessRef | null> {
  if (arg.start !== null) return { pid: arg.pid, startId: arg.start };
  return monitor.identify(arg.pid);
}

/** Prints the result where it belongs and turns it into the exit code: 0 done, 1 refused or failed. */
export function report(input: CommandInput, result: ActionResult): number {
  (result.ok ? input.io.stdout : input.io.stderr).write(`${result.message}\n`);
  return result.ok ? 0 : 1;
}
