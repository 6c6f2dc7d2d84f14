/**
 * This machine and the remote ones as one view: which processes are listed (a machine that does not answer lists
 * none: they are not known now), each machine's usage, and the totals across them. The tray, the dashboard and the
 * CLI all read the fleet through these. Browser-safe.
 */
import type { ClaudeProcess, ProcessRef, ProcessSnapshot, ProcessSummary } from '../process/types.js';
import type { TokenTotals, UsageToday } from '../usage/types.js';
import { addTotals, emptyTotals } from '../usage/totals.js';
import type { MachineState } from './types.js';

/** How this machine is named beside the remote ones. */
export const LOCAL_MACHINE = 'this machine';

/** A key unique across machines: a local process's PID, `<machine>:<pid>` for a remote one. */
export function processKey(p: Pick<ProcessRef, 'pid' | 'machine'>): number | string {
  return p.machine ? `${p.machine}:${p.pid}` : p.pid;
}

/** The machine a process runs on, as every surface names it. */
export function machineOf(p: Pick<ClaudeProcess, 'machine'>): string {
  return p.machine ?? LOCAL_MACHINE;
}

/** Local processes first, then each answering machine's, in the settings' order. */
export function fleetProcesses(local: readonly ClaudeProcess[], machines: readonly MachineState[]): ClaudeProcess[] {
  const out = [...local];
  for (const m of machines) if (m.reachable && m.summary) out.push(...m.summary.processes.processes);
  return out;
}

/** Every answering machine's processes as one list, with the summary of all of them. */
export function fleetProcessSnapshot(local: ProcessSnapshot, machines: readonly MachineState[]): ProcessSnapshot {
  const summary: ProcessSummary = { ...local.summary };
  for (const m of machines) {
    if (!m.reachable || !m.summary) continue;
    for (const key of Object.keys(summary) as Array<keyof ProcessSummary>) summary[key] += m.summary.processes.summary[key];
  }
  return { processes: fleetProcesses(local.processes, machines), summary, scannedAt: local.scannedAt };
}

/** One machine's usage, as the fleet knows it. */
export interface MachineUsage {
  /** The remote machine's name; null for this machine. */
  machine: string | null;
  reachable: boolean;
  /** ISO time of its last answer (now for this machine); null when it never answered. */
  lastSeen: string | null;
  error: string | null;
  /** Today in that machine's own time zone; for an unreachable machine as of `lastSeen`; null when not known. */
  today: TokenTotals | null;
  /** All time; for an unreachable machine as of `lastSeen`; null when not known. */
  totals: TokenTotals | null;
  /** Models used there without a price (today's and all time's): its costs leave them out. */
  unpricedModels: string[];
  /** Processes running there now; null when not known (it does not answer). */
  processes: number | null;
}

export interface LocalUsage {
  today: UsageToday | null;
  totals: TokenTotals | null;
  unpricedModels: string[];
  /** Null where the processes were not scanned (`tce usage --machines`). */
  processes: number | null;
  generatedAt: string;
}

export function machineUsage(local: LocalUsage, machines: readonly MachineState[]): MachineUsage[] {
  const rows: MachineUsage[] = [
    { machine: null, reachable: true, lastSeen: local.generatedAt, error: null, today: local.today, totals: local.totals, unpricedModels: local.unpricedModels, processes: local.processes },
  ];
  for (const m of machines) {
    const s = m.summary;
    const unpriced = new Set([...(s?.today?.unpricedModels ?? []), ...(s?.usage?.models.filter((x) => x.unpriced).map((x) => x.model) ?? [])]);
    rows.push({
      machine: m.name,
      reachable: m.reachable,
      lastSeen: m.lastSeen,
      error: m.error,
      today: s?.today ?? null,
      totals: s?.usage?.totals ?? null,
      unpricedModels: [...unpriced],
      processes: m.reachable && s ? s.processes.processes.length : null,
    });
  }
  return rows;
}

export interface FleetTotals {
  /** Today on every machine whose figures are known (each in its own time zone). */
  today: TokenTotals;
  totals: TokenTotals;
  unpricedModels: string[];
  /** Machines whose figures are in the totals, and of those, how many are as of their last answer (not answering now). */
  counted: number;
  lastKnown: number;
  /** Machines never heard from: not in the totals. */
  unknown: number;
}

export function fleetTotals(rows: readonly MachineUsage[]): FleetTotals {
  const today = emptyTotals();
  const totals = emptyTotals();
  const unpriced = new Set<string>();
  let counted = 0;
  let lastKnown = 0;
  let unknown = 0;
  for (const row of rows) {
    if (!row.totals) {
      unknown++;
      continue;
    }
    counted++;
    if (!row.reachable) lastKnown++;
    addTotals(totals, row.totals);
    if (row.today) addTotals(today, row.today);
    for (const m of row.unpricedModels) unpriced.add(m);
  }
  // Float sums drift (0.1 + 0.2): to a millionth of a dollar, as reports are.
  today.costUSD = Math.round(today.costUSD * 1e6) / 1e6;
  totals.costUSD = Math.round(totals.costUSD * 1e6) / 1e6;
  return { today, totals, unpricedModels: [...unpriced], counted, lastKnown, unknown };
}
