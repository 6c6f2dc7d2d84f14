import { useMemo } from 'react';
import { fleetProcesses } from '../../core/fleet/combined.js';
import type { DashboardApi } from '../api/dashboard-api.js';
import { useIsStale } from '../hooks.js';
import { useActions, useDashboard } from '../state/context.js';
import { ProcessesTab } from './ProcessesTab.js';
import { SessionsTab } from './SessionsTab.js';
import { SettingsTab } from './SettingsTab.js';
import { StatusBar } from './StatusBar.js';
import { panelId, tabId, Tabs } from './Tabs.js';
import { Toasts } from './Toasts.js';
import { UsageTab } from './UsageTab.js';

function Warnings() {
  const warnings = useDashboard((s) => s.snapshot?.warnings);
  // Gaps in the usage totals (unreadable folders and files, FIFOs, damaged index): shown, never silent.
  const usageProblems = useDashboard((s) => s.snapshot?.usage?.diagnostics.problems);
  const all = [...(warnings ?? []), ...(usageProblems ?? []).map((p) => `Usage: ${p}`)];
  if (all.length === 0) return null;
  return (
    <ul className="warnings" role="alert" data-testid="warnings">
      {all.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

function NoClaude() {
  return (
    <div className="empty" data-testid="empty-no-claude">
      <h2>No Claude Code found</h2>
      <p>
        There is no Claude Code config folder and no Claude Code process on this machine. Install Claude Code, or point TCE at its folder with
        CLAUDE_CONFIG_DIR or <code>--claude-dir</code>.
      </p>
    </div>
  );
}

export function App({ api }: { api: DashboardApi | null }) {
  const tab = useDashboard((s) => s.tab);
  const hasSnapshot = useDashboard((s) => s.snapshot !== null);
  const loadError = useDashboard((s) => s.loadError);
  // Every answering machine's processes, as the Processes tab lists them.
  const processCount = useDashboard((s) => (s.snapshot ? fleetProcesses(s.snapshot.processes.processes, s.snapshot.machines).length : undefined));
  const sessionCount = useDashboard((s) => s.snapshot?.sessions.length);
  const waiting = useDashboard((s) => (s.snapshot ? fleetProcesses(s.snapshot.processes.processes, s.snapshot.machines).reduce((n, p) => (p.activity === 'waiting' ? n + 1 : n), 0) : 0));
  const noClaude = useDashboard(
    (s) => !!s.snapshot && s.snapshot.processes.processes.length === 0 && s.snapshot.sessions.length === 0 && s.snapshot.warnings.some((w) => w.startsWith('No Claude Code config dir')),
  );
  const snapshot = useDashboard((s) => s.snapshot);
  const stale = useIsStale(snapshot);
  const { setTab } = useActions();
  const counts = useMemo(() => ({ processes: processCount, sessions: sessionCount }), [processCount, sessionCount]);

  let body;
  if (loadError) {
    body = (
      <div className="empty error" role="alert" data-testid="load-error">
        <h2>Cannot load the dashboard data</h2>
        <p>{loadError}</p>
      </div>
    );
  } else if (!hasSnapshot) {
    body = (
      <div className="empty" data-testid="loading" aria-busy="true">
        Loading…
      </div>
    );
  } else if (noClaude && tab !== 'settings') {
    body = <NoClaude />;
  } else {
    body = (
      <div role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)} className={stale ? 'panel-body stale-data' : 'panel-body'} data-testid={`panel-${tab}`}>
        {tab === 'processes' ? <ProcessesTab /> : tab === 'usage' ? <UsageTab api={api} /> : tab === 'sessions' ? <SessionsTab /> : <SettingsTab api={api} />}
      </div>
    );
  }
  return (
    <div className="app">
      <header className="header">
        <h1 className="brand">TCE</h1>
        <Tabs selected={tab} onSelect={setTab} counts={counts} waiting={waiting} />
        <StatusBar />
      </header>
      <main className="main">
        <Warnings />
        {body}
      </main>
      <Toasts />
    </div>
  );
}
