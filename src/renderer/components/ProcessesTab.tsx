import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ClaudeProcess, Health, SessionUsage } from '../../shared/api.js';
import type { Column } from '../model/columns.js';
import { formatBytes, formatDateTime, formatDuration, formatPercent, formatSpan, formatSpanShort, formatTokens } from '../model/format.js';
import { useNow } from '../hooks.js';
import { visibleProcesses } from '../model/process-view.js';
import { useActions, useDashboard } from '../state/context.js';
import type { ProcessSortKey } from '../state/store.js';
import { ClaudeCodeCost } from './ClaudeCodeCost.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { Cost, costOf } from './Cost.js';
import { DataTable, type DetailEntry, type RowKey } from './DataTable.js';
import { fleetProcesses, processKey } from '../../core/fleet/combined.js';
import { ALL_MACHINES } from '../model/view-state.js';
import { machineColumn } from './columns.js';
import { MachineFilter, UnreachableMachines } from './Machines.js';

type Confirm = { kind: 'kill'; process: ClaudeProcess; force: boolean } | { kind: 'kill-stale'; targets: ClaudeProcess[] };

const HEALTH_LABEL: Record<Health, string> = {
  healthy: 'Healthy',
  stale: 'Stale (idle too long)',
  zombie: 'Zombie',
  hog: 'Hog (CPU or memory over the limit)',
  pinned: 'Pinned (never counted stale)',
};

/** Pin, kill, force kill: each row follows only its own actions in flight. */
function ProcessActions({ process: p, onAsk }: { process: ClaudeProcess; onAsk: (confirm: Confirm) => void }) {
  const key = processKey(p);
  const killing = useDashboard((s) => Boolean(s.pending[`kill:${key}`]));
  const pinning = useDashboard((s) => Boolean(s.pending[`pin:${key}`] || s.pending[`unpin:${key}`]));
  const on = p.machine ? ` on ${p.machine}` : '';
  const actions = useActions();
  return (
    <div className="actions">
      <button type="button" onClick={() => void (p.pinned ? actions.unpin(p) : actions.pin(p))} disabled={pinning} aria-label={`${p.pinned ? 'Unpin' : 'Pin'} process ${p.pid}${on}`}>
        {p.pinned ? 'Unpin' : 'Pin'}
      </button>
      <button type="button" className="danger" onClick={() => onAsk({ kind: 'kill', process: p, force: false })} disabled={killing} aria-label={`Kill process ${p.pid}${on}`}>
        Kill
      </button>
      <button type="button" className="danger subtle" onClick={() => onAsk({ kind: 'kill', process: p, force: true })} disabled={killing} aria-label={`Force kill process ${p.pid}${on}`}>
        Force
      </button>
    </div>
  );
}

function projectOf(p: ClaudeProcess): string {
  return p.project ?? p.cwd ?? p.name;
}

const PRINT_NOTE = 'A -p (print) or SDK run: background work, judged by the background stale limit.';

/** The project, with a `print` tag for -p and SDK runs. (Plain functions, not components: a row per process.) */
function projectCell(p: ClaudeProcess): ReactNode {
  if (!p.print) return projectOf(p);
  return (
    <>
      <span className="tag" title={PRINT_NOTE} data-testid={`print-${p.pid}`}>
        print
      </span>
      {projectOf(p)}
    </>
  );
}

/** Seconds since an ISO time, refreshed every few seconds while shown; null when the time is unknown. */
function useSecondsSince(iso: string | null): number | null {
  const now = useNow(5000);
  const since = iso === null ? NaN : Date.parse(iso);
  return Number.isFinite(since) ? Math.max(0, (now - since) / 1000) : null;
}

/** A waiting session's badge: how long it has waited, and for what on hover. */
function Waiting({ process: p }: { process: ClaudeProcess }) {
  const waited = useSecondsSince(p.activitySince);
  const what = p.waitingFor ?? 'its user';
  return (
    <span
      className="activity activity-waiting"
      data-testid={`waiting-${p.pid}`}
      title={`Waiting for ${what}${p.activitySince ? ` since ${formatDateTime(p.activitySince)}` : ''}${waited === null ? '' : ` (${formatSpan(waited)})`}`}
    >
      waiting{waited === null ? '' : ` ${formatSpanShort(waited)}`}
    </span>
  );
}

/** Only a waiting session's badge is a component: it keeps its own clock for how long it has waited. */
function activityCell(p: ClaudeProcess): ReactNode {
  if (p.state === 'Z') return <span className="activity activity-unknown">zombie</span>;
  if (p.activity === 'waiting') return <Waiting process={p} />;
  return <span className={`activity activity-${p.activity ?? 'unknown'}`}>{p.activity ?? '—'}</span>;
}

/**
 * The processes table, most important first: health, project, activity, CPU, memory and the actions always show;
 * session, uptime and PID follow as width allows, else in the row's detail view.
 */
function processColumns(onAsk: (confirm: Confirm) => void, machines: boolean): Array<Column<ClaudeProcess>> {
  return [
    // With remote machines, which one a process runs on.
    ...(machines ? [{ ...machineColumn<ClaudeProcess>(), sortable: true }] : []),
    {
      key: 'health',
      header: 'Health',
      priority: 1,
      minWidth: 86,
      sortable: true,
      render: (p) => (
        <>
          <span className={`health-dot health-${p.health}`} role="img" aria-label={HEALTH_LABEL[p.health]} title={HEALTH_LABEL[p.health]} />
          <span className="health-text">{p.health}</span>
        </>
      ),
    },
    {
      key: 'project',
      header: 'Project',
      priority: 1,
      minWidth: 164,
      grow: 1,
      sortable: true,
      toggle: true,
      render: projectCell,
      title: (p) => p.cwd ?? undefined,
    },
    {
      key: 'session',
      header: 'Session',
      priority: 2,
      minWidth: 150,
      grow: 1,
      sortable: true,
      abbreviated: true,
      // Unnamed: the start of its id, set apart from names.
      render: (p) => p.sessionName ?? <span className="muted mono-inline">{p.sessionId ? p.sessionId.slice(0, 8) : '—'}</span>,
      title: (p) => [p.sessionName, p.sessionId].filter(Boolean).join('\n') || undefined,
      detail: (p) => p.sessionName ?? p.sessionId ?? '—',
    },
    {
      key: 'activity',
      header: 'State',
      priority: 1,
      minWidth: 114,
      sortable: true,
      render: activityCell,
      title: (p) => (p.activity === 'waiting' ? `Waiting for ${p.waitingFor ?? 'its user'}` : undefined),
    },
    { key: 'cpu', header: 'CPU', priority: 1, minWidth: 68, align: 'end', sortable: true, render: (p) => formatPercent(p.cpuPercent), value: (p) => p.cpuPercent },
    { key: 'memory', header: 'Memory', priority: 1, minWidth: 88, align: 'end', sortable: true, render: (p) => formatBytes(p.rssBytes), value: (p) => p.rssBytes },
    { key: 'uptime', header: 'Uptime', priority: 3, minWidth: 84, align: 'end', sortable: true, render: (p) => formatDuration(p.uptimeSeconds), value: (p) => p.uptimeSeconds },
    { key: 'pid', header: 'PID', priority: 4, minWidth: 76, align: 'end', sortable: true, render: (p) => p.pid, value: (p) => p.pid },
    { key: 'actions', header: 'Actions', priority: 1, minWidth: 172, render: (p) => <ProcessActions process={p} onAsk={onAsk} /> },
  ];
}

function sessionToday(session: SessionUsage | undefined): ReactNode {
  if (!session) return 'No usage recorded for this session yet.';
  return (
    <>
      {formatTokens(session.today.totalTokens)} tokens, <Cost {...costOf(session.today, session.unpricedModels)} /> today ({formatTokens(session.totalTokens)} tokens,{' '}
      <Cost {...costOf(session, session.unpricedModels)} /> since {formatDateTime(session.startedAt)}; Claude Code’s own figure <ClaudeCodeCost cc={session.claudeCode} />)
    </>
  );
}

/** What runs: a print (-p) or SDK run, or the registry's kind, with the entrypoint Claude Code names. */
function kindOf(p: ClaudeProcess): string {
  const kind = p.print ? 'print (-p or SDK: background)' : (p.kind ?? (p.interactive ? 'interactive' : 'background'));
  return p.entrypoint ? `${kind}, entrypoint ${p.entrypoint}` : kind;
}

function processDetails(p: ClaudeProcess, session: SessionUsage | undefined): DetailEntry[] {
  const attention: DetailEntry[] =
    p.activity === 'waiting'
      ? [{ label: 'Waiting for', value: `${p.waitingFor ?? 'its user'}${p.activitySince ? ` since ${formatDateTime(p.activitySince)}` : ''}`, testId: `process-waiting-${p.pid}` }]
      : [];
  return [
    ...attention,
    { label: 'Kind', value: kindOf(p) },
    { label: 'Working directory', value: p.cwd ?? 'unknown', mono: true },
    { label: 'Command', value: p.command.join(' ') || p.name, mono: true },
    { label: 'Executable', value: p.exe ?? 'unknown', mono: true },
    { label: 'Install form', value: `${p.installForm}${p.version ? ` ${p.version}` : ''}` },
    { label: 'Session id', value: p.sessionId ?? 'unknown', mono: true },
    { label: 'Session usage', value: sessionToday(session), testId: `process-session-usage-${p.pid}` },
    {
      label: 'Started',
      value: `${formatDateTime(p.startedAt)} ${p.tty ? `on ${p.tty}` : '(no terminal)'}${p.idleSince ? `, idle since ${formatDateTime(p.idleSince)}` : ''}`,
    },
  ];
}

const healthData = (p: ClaudeProcess) => ({ 'data-health': p.health, ...(p.machine !== undefined ? { 'data-machine': p.machine } : {}) }) as Record<`data-${string}`, string>;
const keyOf = (p: ClaudeProcess) => processKey(p);

const HEALTH_FILTERS: Array<Health | 'all'> = ['all', 'healthy', 'stale', 'zombie', 'hog', 'pinned'];

export function ProcessesTab() {
  const local = useDashboard((s) => s.snapshot?.processes.processes);
  const machines = useDashboard((s) => s.snapshot?.machines);
  const sessions = useDashboard((s) => s.snapshot?.sessions);
  const filter = useDashboard((s) => s.processFilter);
  const sort = useDashboard((s) => s.processSort);
  const expandedProcess = useDashboard((s) => s.expandedProcess);
  const focusPid = useDashboard((s) => s.focusPid);
  const killingStale = useDashboard((s) => Boolean(s.pending['kill-stale']));
  const actions = useActions();
  const [confirm, setConfirm] = useState<Confirm | null>(null);

  // This machine's processes and every answering remote machine's, as one list.
  const processes = useMemo(() => (local ? fleetProcesses(local, machines ?? []) : undefined), [local, machines]);
  const remote = (machines?.length ?? 0) > 0;
  const rows = useMemo(() => visibleProcesses(processes ?? [], filter, sort), [processes, filter, sort]);
  const columns = useMemo(() => processColumns(setConfirm, remote), [remote]);
  // Kill all stale acts on this machine (each remote machine has its own).
  const staleTargets = useMemo(() => (local ?? []).filter((p) => p.health === 'stale'), [local]);
  const sessionById = useMemo(() => new Map((sessions ?? []).map((s) => [s.sessionId, s])), [sessions]);

  useEffect(() => {
    if (focusPid === null) return;
    const timer = setTimeout(() => actions.clearFocus(), 3000);
    return () => clearTimeout(timer);
  }, [focusPid, actions]);

  const details = useMemo(() => (p: ClaudeProcess) => processDetails(p, p.sessionId && p.machine === undefined ? sessionById.get(p.sessionId) : undefined), [sessionById]);
  const onSort = useMemo(() => (key: string) => actions.sortProcessesBy(key as ProcessSortKey), [actions]);
  const onToggle = useMemo(() => (key: RowKey) => actions.toggleExpanded(key), [actions]);

  if (!processes) return null;
  const total = processes.length;
  const answering = 1 + (machines ?? []).filter((m) => m.reachable).length;
  const running = remote ? `${total} running on ${answering} machine${answering === 1 ? '' : 's'}` : `${total} running`;
  return (
    <section aria-label="Claude Code processes">
      <div className="toolbar">
        <label className="field">
          <span>Filter</span>
          <input type="search" aria-label="Filter processes" placeholder="project, pid, session, path" value={filter.text} onChange={(e) => actions.setProcessFilter({ text: e.target.value })} />
        </label>
        <label className="field">
          <span>Health</span>
          <select aria-label="Health" value={filter.health} onChange={(e) => actions.setProcessFilter({ health: e.target.value as Health | 'all' })}>
            {HEALTH_FILTERS.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        {remote ? <MachineFilter label="Machine" value={filter.machine ?? ALL_MACHINES} machines={machines ?? []} onChange={(machine) => actions.setProcessFilter({ machine })} /> : null}
        <span className="spacer" />
        <span className="muted" data-testid="process-count">
          {rows.length === total ? running : `${rows.length} of ${total} shown`}
        </span>
        <button type="button" className="danger" disabled={staleTargets.length === 0 || killingStale} onClick={() => setConfirm({ kind: 'kill-stale', targets: staleTargets })}>
          Kill all stale ({staleTargets.length})
        </button>
      </div>
      {remote ? <UnreachableMachines machines={machines ?? []} /> : null}
      {total === 0 ? (
        <div className="empty" data-testid="empty-processes">
          <h2>Nothing running</h2>
          <p>No Claude Code process is running right now. Start `claude` in a terminal and it shows up here within one poll.</p>
        </div>
      ) : rows.length === 0 ? (
        <div className="empty" data-testid="empty-filter">
          <p>No process matches this filter.</p>
          <button type="button" onClick={() => actions.setProcessFilter({ text: '', health: 'all', machine: ALL_MACHINES })}>
            Clear filter
          </button>
        </div>
      ) : (
        <DataTable
          name="process"
          label="Processes"
          testId="process-table"
          columns={columns}
          rows={rows}
          rowKey={keyOf}
          rowData={healthData}
          details={details}
          sort={sort}
          onSort={onSort}
          expandedKey={expandedProcess}
          onToggle={onToggle}
          focusKey={focusPid}
        />
      )}
      {confirm?.kind === 'kill' ? (
        <ConfirmDialog
          title={`${confirm.force ? 'Force kill' : 'Kill'} process ${confirm.process.pid}${confirm.process.machine ? ` on ${confirm.process.machine}` : ''}?`}
          confirmLabel={confirm.force ? 'Force kill' : 'Kill'}
          danger
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            void actions.kill(confirm.process, confirm.force);
          }}
        >
          <p>
            {confirm.force ? 'SIGKILL ends it at once; unsaved work in that session is lost.' : 'SIGTERM asks Claude Code to exit.'} Project:{' '}
            <strong>{confirm.process.project ?? confirm.process.cwd ?? confirm.process.name}</strong>
          </p>
        </ConfirmDialog>
      ) : null}
      {confirm?.kind === 'kill-stale' ? (
        <ConfirmDialog
          title={`Kill ${confirm.targets.length} stale process${confirm.targets.length === 1 ? '' : 'es'}?`}
          confirmLabel="Kill all stale"
          danger
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            void actions.killStale();
          }}
        >
          <p>Each one is checked again before it is signalled; pinned processes are never touched.</p>
          <ul className="compact-list">
            {confirm.targets.map((p) => (
              <li key={p.pid}>
                {p.pid} — {p.project ?? p.cwd ?? p.name}
              </li>
            ))}
          </ul>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
