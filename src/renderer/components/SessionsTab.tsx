import { useMemo } from 'react';
import type { SessionUsage } from '../../shared/api.js';
import { formatCost, formatDateTime, formatDuration, formatTokens, projectLabel, shortModel } from '../model/format.js';
import { useActions, useDashboard } from '../state/context.js';

function linesChanged(s: SessionUsage): string {
  if (s.linesAdded === null && s.linesRemoved === null) return '—';
  return `+${s.linesAdded ?? 0} −${s.linesRemoved ?? 0}`;
}

export function SessionsTab() {
  const sessions = useDashboard((s) => s.snapshot?.sessions);
  const project = useDashboard((s) => s.sessionProject);
  const livePids = useDashboard((s) => s.snapshot?.processes.processes);
  const actions = useActions();
  const running = useMemo(() => new Set((livePids ?? []).map((p) => p.pid)), [livePids]);
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
        <span className="muted">{shown.length} sessions</span>
      </div>
      <div className="table-wrap">
        <table className="table sessions">
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">Duration</th>
              <th scope="col">Models</th>
              <th scope="col" className="num">Tokens</th>
              <th scope="col" className="num">Cost</th>
              <th scope="col" className="num">Lines</th>
              <th scope="col">Summary</th>
              <th scope="col">Process</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.sessionId} data-testid={`session-row-${s.sessionId}`}>
                <td title={s.path ?? s.project}>{projectLabel(s.project, s.path)}</td>
                <td>{formatDateTime(s.startedAt)}</td>
                <td className="num">{formatDuration(s.durationSeconds)}</td>
                <td>{s.models.map(shortModel).join(', ')}</td>
                <td className="num" data-value={s.totalTokens}>{formatTokens(s.totalTokens)}</td>
                <td className="num" data-value={s.costUSD}>{formatCost(s.costUSD)}</td>
                <td className="num">{linesChanged(s)}</td>
                <td className="summary" title={s.summary ?? s.firstPrompt ?? undefined}>
                  {s.summary ?? s.firstPrompt ?? <span className="muted">—</span>}
                </td>
                <td>
                  {s.livePid !== null && running.has(s.livePid) ? (
                    <button type="button" className="link-button" onClick={() => actions.focusProcess(s.livePid as number)} aria-label={`Show running process ${s.livePid}`}>
                      PID {s.livePid}
                    </button>
                  ) : (
                    <span className="muted">ended</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
