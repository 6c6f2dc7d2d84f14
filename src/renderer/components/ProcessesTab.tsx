import { Fragment, memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ClaudeProcess, Health, SessionUsage } from '../../shared/api.js';
import { formatBytes, formatCost, formatDateTime, formatDuration, formatPercent, formatTokens } from '../model/format.js';
import { visibleProcesses } from '../model/process-view.js';
import { nearestScroller, useRowWindow } from '../row-window.js';
import { useActions, useDashboard } from '../state/context.js';
import type { ProcessSortKey } from '../state/store.js';
import { ConfirmDialog } from './ConfirmDialog.js';

type Confirm = { kind: 'kill'; process: ClaudeProcess; force: boolean } | { kind: 'kill-stale'; targets: ClaudeProcess[] };

/** Fixed widths (the project column takes the rest): a fixed table layout does not re-measure every cell per poll. */
const COLUMNS: Array<{ key: ProcessSortKey; label: string; numeric?: boolean; width?: number }> = [
  { key: 'health', label: 'Health', width: 88 },
  { key: 'project', label: 'Project' },
  { key: 'pid', label: 'PID', numeric: true, width: 72 },
  { key: 'activity', label: 'State', width: 64 },
  { key: 'cpu', label: 'CPU', numeric: true, width: 64 },
  { key: 'memory', label: 'Memory', numeric: true, width: 84 },
  { key: 'uptime', label: 'Uptime', numeric: true, width: 80 },
  { key: 'session', label: 'Session', width: 96 },
];
const ACTIONS_WIDTH = 188;

const HEALTH_LABEL: Record<Health, string> = {
  healthy: 'Healthy',
  stale: 'Stale (idle too long)',
  zombie: 'Zombie',
  hog: 'Hog (CPU or memory over the limit)',
  pinned: 'Pinned (never counted stale)',
};

function SortHeader({ column }: { column: (typeof COLUMNS)[number] }) {
  const sort = useDashboard((s) => s.processSort);
  const { sortProcessesBy } = useActions();
  const active = sort.key === column.key;
  return (
    <th scope="col" aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} className={column.numeric ? 'num' : undefined}>
      <button type="button" className="sort-button" onClick={() => sortProcessesBy(column.key)}>
        {column.label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}

interface RowProps {
  process: ClaudeProcess;
  expanded: boolean;
  focused: boolean;
  pending: { kill: boolean; pin: boolean };
  onToggle: (pid: number) => void;
  onAsk: (confirm: Confirm) => void;
  onPin: (p: ClaudeProcess) => void;
}

const ProcessRow = memo(function ProcessRow({ process: p, expanded, focused, pending, onToggle, onAsk, onPin }: RowProps) {
  const sessionLabel = p.sessionName ?? (p.sessionId ? p.sessionId.slice(0, 8) : '—');
  return (
    <tr
      data-testid={`process-row-${p.pid}`}
      data-health={p.health}
      className={`process-row${expanded ? ' expanded' : ''}${focused ? ' focused' : ''}`}
      id={`process-${p.pid}`}
    >
      <td>
        <span className={`health-dot health-${p.health}`} role="img" aria-label={HEALTH_LABEL[p.health]} title={HEALTH_LABEL[p.health]} />
        <span className="health-text">{p.health}</span>
      </td>
      <td className="project" title={p.cwd ?? undefined}>
        <button type="button" className="link-button" aria-expanded={expanded} aria-controls={`process-detail-${p.pid}`} onClick={() => onToggle(p.pid)}>
          {p.project ?? p.cwd ?? p.name}
        </button>
      </td>
      <td className="num">{p.pid}</td>
      <td>
        <span className={`activity activity-${p.activity ?? 'unknown'}`}>{p.state === 'Z' ? 'zombie' : (p.activity ?? '—')}</span>
      </td>
      <td className="num" data-value={p.cpuPercent}>
        {formatPercent(p.cpuPercent)}
      </td>
      <td className="num" data-value={p.rssBytes}>
        {formatBytes(p.rssBytes)}
      </td>
      <td className="num" data-value={p.uptimeSeconds}>
        {formatDuration(p.uptimeSeconds)}
      </td>
      <td className="session" title={p.sessionId ?? undefined}>
        {sessionLabel}
      </td>
      <td>
        <div className="actions">
        <button type="button" onClick={() => onPin(p)} disabled={pending.pin} aria-label={`${p.pinned ? 'Unpin' : 'Pin'} process ${p.pid}`}>
          {p.pinned ? 'Unpin' : 'Pin'}
        </button>
        <button type="button" className="danger" onClick={() => onAsk({ kind: 'kill', process: p, force: false })} disabled={pending.kill} aria-label={`Kill process ${p.pid}`}>
          Kill
        </button>
        <button type="button" className="danger subtle" onClick={() => onAsk({ kind: 'kill', process: p, force: true })} disabled={pending.kill} aria-label={`Force kill process ${p.pid}`}>
          Force
        </button>
        </div>
      </td>
    </tr>
  );
});

function sessionToday(session: SessionUsage | undefined): string {
  if (!session) return 'No usage recorded for this session yet.';
  const { totalTokens, costUSD } = session.today;
  const total = `${formatTokens(session.totalTokens)} tokens, ${formatCost(session.costUSD)} since ${formatDateTime(session.startedAt)}`;
  return `${formatTokens(totalTokens)} tokens, ${formatCost(costUSD)} today (${total})`;
}

function ProcessDetail({ process: p, session }: { process: ClaudeProcess; session: SessionUsage | undefined }) {
  return (
    <tr className="detail-row" id={`process-detail-${p.pid}`} data-testid={`process-detail-${p.pid}`}>
      <td colSpan={COLUMNS.length + 1}>
        <dl className="details">
          <dt>Working directory</dt>
          <dd>{p.cwd ?? 'unknown'}</dd>
          <dt>Command</dt>
          <dd className="mono">{p.command.join(' ') || p.name}</dd>
          <dt>Executable</dt>
          <dd className="mono">{p.exe ?? 'unknown'}</dd>
          <dt>Install form</dt>
          <dd>
            {p.installForm}
            {p.version ? ` ${p.version}` : ''}
          </dd>
          <dt>Session</dt>
          <dd className="mono">{p.sessionId ?? 'unknown'}</dd>
          <dt>Session usage</dt>
          <dd data-testid={`process-session-usage-${p.pid}`}>{sessionToday(session)}</dd>
          <dt>Started</dt>
          <dd>
            {formatDateTime(p.startedAt)} {p.tty ? `on ${p.tty}` : '(no terminal)'}
            {p.idleSince ? `, idle since ${formatDateTime(p.idleSince)}` : ''}
          </dd>
        </dl>
      </td>
    </tr>
  );
}

/** Tables longer than this render only the rows in view. */
const WINDOWING_FROM_ROWS = 60;

const HEALTH_FILTERS: Array<Health | 'all'> = ['all', 'healthy', 'stale', 'zombie', 'hog', 'pinned'];

export function ProcessesTab() {
  const processes = useDashboard((s) => s.snapshot?.processes.processes);
  const sessions = useDashboard((s) => s.snapshot?.sessions);
  const filter = useDashboard((s) => s.processFilter);
  const sort = useDashboard((s) => s.processSort);
  const expandedPid = useDashboard((s) => s.expandedPid);
  const focusPid = useDashboard((s) => s.focusPid);
  const pending = useDashboard((s) => s.pending);
  const actions = useActions();
  const [confirm, setConfirm] = useState<Confirm | null>(null);

  const rows = useMemo(() => visibleProcesses(processes ?? [], filter, sort), [processes, filter, sort]);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const win = useRowWindow(bodyRef, rows.length, rows.length > WINDOWING_FROM_ROWS);
  const staleTargets = useMemo(() => (processes ?? []).filter((p) => p.health === 'stale'), [processes]);
  const sessionById = useMemo(() => new Map((sessions ?? []).map((s) => [s.sessionId, s])), [sessions]);

  // A focus request: bring the row into view once (scrolling first when it is outside the rendered window).
  const focusDone = useRef<number | null>(null);
  useEffect(() => {
    if (focusPid === null) {
      focusDone.current = null;
      return;
    }
    if (focusDone.current === focusPid) return;
    const index = rows.findIndex((p) => p.pid === focusPid);
    const body = bodyRef.current;
    if (index >= 0 && body && (index < win.first || index >= win.last)) {
      const scroller = nearestScroller(body);
      const bodyTop = body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      scroller.scrollTo({ top: bodyTop + index * win.rowHeight - scroller.clientHeight / 2 });
      return; // the row renders after the scroll and this effect runs again
    }
    const row = document.getElementById(`process-${focusPid}`);
    if (!row) return;
    focusDone.current = focusPid;
    row.scrollIntoView({ block: 'center' });
    row.querySelector<HTMLButtonElement>('.link-button')?.focus();
  }, [focusPid, rows, win]);
  useEffect(() => {
    if (focusPid === null) return;
    const timer = setTimeout(() => actions.clearFocus(), 3000);
    return () => clearTimeout(timer);
  }, [focusPid, actions]);

  const onPin = useMemo(() => (p: ClaudeProcess) => void (p.pinned ? actions.unpin(p) : actions.pin(p)), [actions]);

  if (!processes) return null;
  const total = processes.length;
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
        <span className="spacer" />
        <span className="muted" data-testid="process-count">
          {rows.length === total ? `${total} running` : `${rows.length} of ${total} shown`}
        </span>
        <button type="button" className="danger" disabled={staleTargets.length === 0 || Boolean(pending['kill-stale'])} onClick={() => setConfirm({ kind: 'kill-stale', targets: staleTargets })}>
          Kill all stale ({staleTargets.length})
        </button>
      </div>
      {total === 0 ? (
        <div className="empty" data-testid="empty-processes">
          <h2>Nothing running</h2>
          <p>No Claude Code process is running right now. Start `claude` in a terminal and it shows up here within one poll.</p>
        </div>
      ) : rows.length === 0 ? (
        <div className="empty" data-testid="empty-filter">
          <p>No process matches this filter.</p>
          <button type="button" onClick={() => actions.setProcessFilter({ text: '', health: 'all' })}>
            Clear filter
          </button>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table processes">
            <colgroup>
              {COLUMNS.map((c) => (
                <col key={c.key} style={c.width ? { width: c.width } : undefined} />
              ))}
              <col style={{ width: ACTIONS_WIDTH }} />
            </colgroup>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <SortHeader key={c.key} column={c} />
                ))}
                <th scope="col">
                  Actions
                </th>
              </tr>
            </thead>
            <tbody ref={bodyRef}>
              {win.first > 0 ? <tr className="spacer-row" aria-hidden="true" style={{ height: win.first * win.rowHeight }} /> : null}
              {rows.slice(win.first, win.last).map((p) => (
                <Fragment key={p.pid}>
                  <ProcessRow
                    process={p}
                    expanded={expandedPid === p.pid}
                    focused={focusPid === p.pid}
                    pending={pendingFor(pending, p.pid)}
                    onToggle={actions.toggleExpanded}
                    onAsk={setConfirm}
                    onPin={onPin}
                  />
                  {expandedPid === p.pid ? <ProcessDetail process={p} session={p.sessionId ? sessionById.get(p.sessionId) : undefined} /> : null}
                </Fragment>
              ))}
              {win.last < rows.length ? <tr className="spacer-row" aria-hidden="true" style={{ height: (rows.length - win.last) * win.rowHeight }} /> : null}
            </tbody>
          </table>
        </div>
      )}
      {confirm?.kind === 'kill' ? (
        <ConfirmDialog
          title={confirm.force ? `Force kill process ${confirm.process.pid}?` : `Kill process ${confirm.process.pid}?`}
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

const NOT_PENDING = { kill: false, pin: false };
const pendingCache = new Map<string, { kill: boolean; pin: boolean }>();

/** One stable object per pending combination, so memoised rows are not re-rendered for nothing. */
function pendingFor(pending: Record<string, true>, pid: number): { kill: boolean; pin: boolean } {
  const kill = Boolean(pending[`kill:${pid}`]);
  const pin = Boolean(pending[`pin:${pid}`] || pending[`unpin:${pid}`]);
  if (!kill && !pin) return NOT_PENDING;
  const key = `${kill}${pin}`;
  let value = pendingCache.get(key);
  if (!value) {
    value = { kill, pin };
    pendingCache.set(key, value);
  }
  return value;
}
