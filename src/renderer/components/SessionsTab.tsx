import { useMemo } from 'react';
import type { SessionUsage } from '../../shared/api.js';
import type { Column } from '../model/columns.js';
import { formatCount, formatDateTime, formatDuration, formatLines, formatWhen, projectLabel, shortModel } from '../model/format.js';
import { useActions, useDashboard } from '../state/context.js';
import { costColumn, totalTokensColumn } from './columns.js';
import type { CostProps } from './Cost.js';
import { DataTable, type DetailEntry } from './DataTable.js';

/** A link to the session's process while it runs (the core gave each running session its process). */
function SessionProcess({ pid }: { pid: number | null }) {
  const { focusProcess } = useActions();
  if (pid === null) return <span className="muted">ended</span>;
  return (
    <button type="button" className="link-button" onClick={() => focusProcess(pid)} aria-label={`Show running process ${pid}`}>
      PID {pid}
    </button>
  );
}

function summaryOf(s: SessionUsage): string | null {
  return s.summary ?? s.firstPrompt;
}

/** The session's cost: unknown when none of its models has a price, a lower bound when some have none. */
function sessionCost(s: SessionUsage): CostProps {
  const unpriced = s.unpricedModels ?? [];
  return { usd: s.costUSD, unpriced, unknown: unpriced.length > 0 && s.models.every((m) => unpriced.includes(m)) };
}

/** Project, start, tokens and cost always show; the rest as width allows, else in the row's detail view. */
const COLUMNS: Array<Column<SessionUsage>> = [
  { key: 'project', header: 'Project', priority: 1, minWidth: 180, grow: 2, toggle: true, render: (s) => projectLabel(s.project, s.path), title: (s) => s.path ?? s.project },
  { key: 'started', header: 'Started', priority: 1, minWidth: 140, render: (s) => formatWhen(s.startedAt), title: (s) => formatDateTime(s.startedAt), value: (s) => s.startedAt },
  { key: 'duration', header: 'Duration', priority: 5, minWidth: 84, align: 'end', render: (s) => formatDuration(s.durationSeconds), value: (s) => s.durationSeconds },
  {
    key: 'models',
    header: 'Models',
    priority: 6,
    minWidth: 140,
    grow: 1,
    abbreviated: true,
    render: (s) => s.models.map(shortModel).join(', '),
    title: (s) => s.models.join('\n'),
    detail: (s) => s.models.join(', ') || '—',
  },
  totalTokensColumn<SessionUsage>(),
  costColumn<SessionUsage>(sessionCost),
  { key: 'lines', header: 'Lines', priority: 7, minWidth: 120, align: 'end', render: (s) => formatLines(s.linesAdded, s.linesRemoved), title: (s) => formatLines(s.linesAdded, s.linesRemoved) },
  {
    key: 'summary',
    header: 'Summary',
    priority: 2,
    minWidth: 220,
    grow: 3,
    abbreviated: true,
    render: (s) => summaryOf(s) ?? <span className="muted">—</span>,
    title: (s) => summaryOf(s) ?? undefined,
  },
  { key: 'process', header: 'Process', priority: 3, minWidth: 96, render: (s) => <SessionProcess pid={s.livePid} /> },
];

function sessionDetails(s: SessionUsage): DetailEntry[] {
  const entries: DetailEntry[] = [
    { label: 'Path', value: s.path ?? s.project, mono: true },
    { label: 'Session id', value: s.sessionId, mono: true },
    { label: 'Ended', value: formatDateTime(s.endedAt) },
    { label: 'Messages', value: formatCount(s.messages) },
  ];
  if (s.summary && s.firstPrompt) entries.push({ label: 'First prompt', value: s.firstPrompt });
  if (s.filesModified !== null) entries.push({ label: 'Files modified', value: formatCount(s.filesModified) });
  if (s.unpricedModels?.length) entries.push({ label: 'No known price', value: `${s.unpricedModels.join(', ')} (not in the cost)` });
  return entries;
}

const sessionKey = (s: SessionUsage) => s.sessionId;

export function SessionsTab() {
  const sessions = useDashboard((s) => s.snapshot?.sessions);
  const project = useDashboard((s) => s.sessionProject);
  const actions = useActions();
  const projects = useMemo(() => {
    const labels = new Map<string, string>();
    for (const s of sessions ?? []) if (!labels.has(s.project) || s.path) labels.set(s.project, projectLabel(s.project, s.path));
    return [...labels].sort((a, b) => a[1].localeCompare(b[1]));
  }, [sessions]);
  const shown = useMemo(() => (sessions ?? []).filter((s) => !project || s.project === project), [sessions, project]);

  if (!sessions || sessions.length === 0) {
    return (
      <div className="empty" data-testid="empty-sessions">
        <h2>No sessions yet</h2>
        <p>Sessions appear once Claude Code has written a transcript.</p>
      </div>
    );
  }
  return (
    <section aria-label="Recent sessions">
      <div className="toolbar">
        <label className="field">
          <span>Project</span>
          <select aria-label="Project" value={project} onChange={(e) => actions.setSessionProject(e.target.value)}>
            <option value="">All projects</option>
            {projects.map(([p, label]) => (
              <option key={p} value={p}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <span className="muted">{formatCount(shown.length)} sessions</span>
      </div>
      <DataTable name="session" label="Sessions" testId="sessions-table" columns={COLUMNS} rows={shown} rowKey={sessionKey} details={sessionDetails} />
    </section>
  );
}
