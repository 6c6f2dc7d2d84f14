/** `tce status --machines` and `tce usage --machines`: this machine and the remote ones, and what is not known. */
import type { MachineState } from '../../core/fleet/types.js';
import type { Painter } from './colour.js';
import { uptime } from './uptime.js';

/** `answering`, or `not answering (why); last seen 5m ago` / `never answered (why)`. */
export function machineStatus(m: Pick<MachineState, 'reachable' | 'lastSeen' | 'error' | 'checkedAt'>, now: number): string {
  if (m.reachable) return 'answering';
  if (m.checkedAt === null) return 'not asked yet';
  const seen = m.lastSeen ? `last seen ${uptime((now - Date.parse(m.lastSeen)) / 1000)} ago` : 'never answered';
  return `not answering: ${m.error ?? 'unknown'}; ${seen}`;
}

/** One line per remote machine that does not answer (their processes are not in the table: not known now). */
export function unreachableLines(machines: readonly MachineState[], now: number, paint: Painter): string[] {
  return machines.filter((m) => !m.reachable).map((m) => paint.yellow(`${m.name} (${m.url}): ${machineStatus(m, now)}`));
}
