/** `tce usage --machines`: each machine's today and all time, and the fleet's sums (loaded only to print it). */
import { LOCAL_MACHINE, type FleetTotals, type MachineUsage } from '../../core/fleet/combined.js';
import type { MachineState } from '../../core/fleet/types.js';
import { machineStatus } from './machines.js';
import { table } from './table.js';
import { costCell, tokens, UNPRICED_NOTE } from './usage-table.js';

/** `N machines` counted and how: what the totals stand for. */
function countedNote(total: FleetTotals): string[] {
  const notes: string[] = [];
  if (total.lastKnown > 0) notes.push(`${total.lastKnown} machine${total.lastKnown === 1 ? '' : 's'} not answering: counted as of when last seen.`);
  if (total.unknown > 0) notes.push(`${total.unknown} machine${total.unknown === 1 ? '' : 's'} never heard from: not in the totals.`);
  return notes;
}

/** The per-machine usage table with the fleet's totals under it. */
export function machineUsageTable(rows: readonly MachineUsage[], total: FleetTotals, states: readonly MachineState[], now: number, width = Infinity): string {
  const status = (row: MachineUsage): string => {
    if (row.machine === null) return '';
    const state = states.find((s) => s.name === row.machine);
    return state ? machineStatus(state, now) : '';
  };
  const cells = rows.map((r) => [
    r.machine ?? LOCAL_MACHINE,
    r.today ? costCell(r.today) : '-',
    r.today ? tokens(r.today.totalTokens) : '-',
    r.totals ? costCell(r.totals) : '-',
    r.totals ? tokens(r.totals.totalTokens) : '-',
    r.processes === null ? '-' : String(r.processes),
    status(r),
  ]);
  const columns = [
    { title: 'Machine' },
    { title: 'Today', align: 'right' as const },
    { title: 'Today tokens', align: 'right' as const },
    { title: 'Cost (all time)', align: 'right' as const },
    { title: 'Tokens (all time)', align: 'right' as const },
    { title: 'Processes', align: 'right' as const },
    { title: 'Status' },
  ];
  const footer = ['All machines', costCell(total.today), tokens(total.today.totalTokens), costCell(total.totals), tokens(total.totals.totalTokens), String(rows.reduce((n, r) => n + (r.processes ?? 0), 0)), ''];
  const out = [
    'Claude Code usage on every machine (today in each machine\'s own time zone)',
    '',
    table(columns, cells, { footer, width }).trimEnd(),
    '',
    ...countedNote(total),
  ];
  if (total.unpricedModels.length > 0) out.push(`No price known for ${total.unpricedModels.join(', ')}. ${UNPRICED_NOTE}`);
  return `${out.join('\n')}\n`;
}
