import { useMemo } from 'react';
import type { SessionUsage } from '../../shared/api.js';
import type { Column } from '../model/columns.js';
import { formatCost, formatCount, formatDateTime, formatDuration, formatLines, formatTokens, formatWhen, projectLabel, shortModel } from '../model/format.js';
import { useActions, useDashboard } from '../state/context.js';
import { claudeCodeColumns, costColumn, searchesColumn, totalTokensColumn } from './columns.js';
import { costOf } from './Cost.js';
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

/** The session's cost: a lower bound when some of its tokens have no price, unknown when none has. */
const sessionCost = (s: SessionUsage) => costOf(s, s.unpricedModels);

const LINES_NOTE = 'Lines added and removed, from Claude Code’s own tally';
const NO_LINES_NOTE = 'Claude Code recorded no lines added and removed for this session (versions before 2.1.332 write no tally).';

/**
 * Project, start, tokens and cost always show; Claude Code's own figure beside the cost next; the rest as width
 * allows, else in the row's detail view.
 */
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
  ...claudeCodeColumns<SessionUsage>((s) => s.claudeCode, 2, 4),
  searchesColumn<SessionUsage>(8),
  {
    key: 'lines',
    header: 'Lines',
    priority: 7,
    minWidth: 120,
    align: 'end',
    render: (s) => formatLines(s.linesAdded, s.linesRemoved),
    title: (s) => (s.linesAdded === null && s.linesRemoved === null ? NO_LINES_NOTE : `${LINES_NOTE}: ${formatLines(s.linesAdded, s.linesRemoved)}`),
  },
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
  if (s.claudeCode && s.claudeCode.models.length > 0) {
    const byModel = s.claudeCode.models.map((m) => {
      const searches = m.webSearchRequests > 0 ? `, ${formatCount(m.webSearchRequests)} searches` : '';
      return `${shortModel(m.model)} ${formatCost(m.costUSD)} (${formatTokens(m.totalTokens)} tokens${searches})`;
    });
    entries.push({ label: 'Claude Code by model', value: byModel.join(' · '), testId: `session-cc-models-${s.sessionId}` });
  }
  if (s.claudeCode?.unknownModelCost) entries.push({ label: 'Note', value: 'Claude Code priced a model it did not know at a default rate: its figure is partly a guess.' });
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
