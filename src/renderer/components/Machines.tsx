/**
 * The remote machines on the dashboard: the machine filter, the note for each one that does not answer (with when it
 * last did), and the Usage tab's table of every machine with the totals across them.
 */
import { useMemo } from 'react';
import type { MachineState, Snapshot } from '../../shared/api.js';
import { fleetTotals, LOCAL_MACHINE, machineUsage, type MachineUsage } from '../../core/fleet/combined.js';
import type { Column } from '../model/columns.js';
import { formatAgo, formatDateTime, formatTokens } from '../model/format.js';
import { unpricedModels } from '../model/usage-view.js';
import { ALL_MACHINES, THIS_MACHINE } from '../model/view-state.js';
import { useNow } from '../hooks.js';
import { Cost, costOf } from './Cost.js';
import { DataTable } from './DataTable.js';
import { COST_WIDTH, TOKEN_WIDTH } from './columns.js';

/** `12m ago`, `just now`, `never` */
function seenAgo(iso: string | null, now: number): string {
  return iso ? formatAgo(iso, now) : 'never';
}

/** Whether a machine answers, and if not, since when and why. */
export function machineStatus(m: Pick<MachineState, 'reachable' | 'lastSeen' | 'checkedAt'>, now: number): string {
  if (m.reachable) return 'answering';
  if (m.checkedAt === null) return 'asking…';
  return `not answering, last seen ${seenAgo(m.lastSeen, now)}`;
}

export function MachineFilter({ label, value, machines, onChange, all = true }: { label: string; value: string; machines: readonly MachineState[]; onChange(value: string): void; all?: boolean }) {
  return (
    <label className="field">
      <span>Machine</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {all ? <option value={ALL_MACHINES}>all machines</option> : null}
        <option value={THIS_MACHINE}>{LOCAL_MACHINE}</option>
        {machines.map((m) => (
          <option key={m.name} value={m.name}>
            {m.reachable ? m.name : `${m.name} (not answering)`}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One line per machine that does not answer: its processes are not listed, since they are not known now. */
export function UnreachableMachines({ machines }: { machines: readonly MachineState[] }) {
  const now = useNow(15_000);
  const down = machines.filter((m) => !m.reachable && m.checkedAt !== null);
  if (down.length === 0) return null;
  return (
    <ul className="warnings" role="status" aria-label="Machines not answering">
      {down.map((m) => (
        <li key={m.name} data-testid={`machine-unreachable-${m.name}`} title={m.lastSeen ? `Last answered ${formatDateTime(m.lastSeen)}` : undefined}>
          <strong>{m.name}</strong> does not answer ({m.error ?? 'no reason given'}); last seen {seenAgo(m.lastSeen, now)}. Its processes are not listed.
        </li>
      ))}
    </ul>
  );
}

type Row = MachineUsage & { key: string; state: MachineState | null };

function machineColumns(now: number): Array<Column<Row>> {
  const cost = (t: Row['today'], r: Row) => (t ? <Cost {...costOf(t, r.unpricedModels)} /> : <span className="muted">—</span>);
  return [
    { key: 'machine', header: 'Machine', priority: 1, minWidth: 128, grow: 1, toggle: true, render: (r) => r.machine ?? <span className="muted">{LOCAL_MACHINE}</span>, title: (r) => r.state?.url },
    {
      key: 'status',
      header: 'Status',
      priority: 1,
      minWidth: 150,
      grow: 1,
      abbreviated: true,
      render: (r) => (r.state ? <span className={r.reachable ? undefined : 'machine-down'}>{machineStatus(r.state, now)}</span> : <span className="muted">here</span>),
      title: (r) => r.error ?? undefined,
      detail: (r) => (r.state ? `${machineStatus(r.state, now)}${r.error ? `: ${r.error}` : ''}` : 'here'),
    },
    { key: 'today', header: 'Today', priority: 1, minWidth: COST_WIDTH, align: 'end', render: (r) => cost(r.today, r), value: (r) => r.today?.costUSD },
    { key: 'todayTokens', header: 'Today tokens', priority: 3, minWidth: 124, align: 'end', render: (r) => (r.today ? formatTokens(r.today.totalTokens) : '—'), value: (r) => r.today?.totalTokens },
    { key: 'cost', header: 'All time', priority: 1, minWidth: COST_WIDTH, align: 'end', render: (r) => cost(r.totals, r), value: (r) => r.totals?.costUSD },
    { key: 'tokens', header: 'Tokens', priority: 2, minWidth: TOKEN_WIDTH, align: 'end', render: (r) => (r.totals ? formatTokens(r.totals.totalTokens) : '—'), value: (r) => r.totals?.totalTokens },
    { key: 'processes', header: 'Processes', priority: 3, minWidth: 88, align: 'end', render: (r) => (r.processes === null ? '—' : r.processes), value: (r) => r.processes ?? undefined },
  ];
}

const rowKey = (r: Row) => r.key;

/** The Usage tab's machines: one row each, and what they add up to (today and all time). */
export function MachinesPanel({ snapshot }: { snapshot: Snapshot }) {
  const now = useNow(15_000);
  const report = snapshot.usage;
  const rows = useMemo<Row[]>(() => {
    const usage = machineUsage(
      {
        today: snapshot.today,
        totals: report?.totals ?? null,
        unpricedModels: report ? unpricedModels(report.models) : [],
        processes: snapshot.processes.processes.length,
        generatedAt: snapshot.generatedAt,
      },
      snapshot.machines,
    );
    return usage.map((u) => ({ ...u, key: u.machine ?? THIS_MACHINE, state: snapshot.machines.find((m) => m.name === u.machine) ?? null }));
  }, [snapshot, report]);
  const total = useMemo(() => fleetTotals(rows), [rows]);
  // The column declarations change with the clock of "last seen" (every 15 s), not with every poll.
  const columns = useMemo(() => machineColumns(now), [now]);
  const notes: string[] = [];
  if (total.lastKnown > 0) notes.push(`${total.lastKnown} not answering: counted as when last seen.`);
  if (total.unknown > 0) notes.push(`${total.unknown} never heard from: not counted.`);
  return (
    <section className="panel" aria-label="Machines" data-testid="machines-panel">
      <h3>Machines</h3>
      <p className="fleet-totals" data-testid="fleet-totals" data-today={total.today.costUSD} data-cost={total.totals.costUSD} data-tokens={total.totals.totalTokens}>
        All machines: <Cost {...costOf(total.today, total.unpricedModels)} /> today, <Cost {...costOf(total.totals, total.unpricedModels)} /> and{' '}
        {formatTokens(total.totals.totalTokens)} tokens in all.
        {notes.length > 0 ? <span className="muted"> {notes.join(' ')}</span> : null}
      </p>
      <DataTable name="machine" label="Usage per machine" testId="machines-table" compact columns={columns} rows={rows} rowKey={rowKey} />
    </section>
  );
}
