import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { DailyUsage, ModelUsage, TokenTotals, UsageBlock, UsageReport } from '../../shared/api.js';
import { reportInRange } from '../../shared/usage-range.js';
import type { Column } from '../model/columns.js';
import { formatDay, formatDayLong, formatClock, formatDuration, formatSignedCost, formatTokens, formatWhen, projectLabel, shortModel } from '../model/format.js';
import { useNow } from '../hooks.js';
import { useActions, useDashboard } from '../state/context.js';
import type { RangePreset, RangeReport } from '../state/store.js';
import { chartData, claudeCodeOfDays, machineCostRows, periodCards, rangeBounds, unpricedModels, type ClaudeCodeSpend, type MachineModelUsage, type MachineProjectUsage, type PeriodCard } from '../model/usage-view.js';
import { ALL_MACHINES, THIS_MACHINE } from '../model/view-state.js';
import { MachineFilter, MachinesPanel } from './Machines.js';
import type { DashboardApi } from '../api/dashboard-api.js';
import { ClaudeCodeCost } from './ClaudeCodeCost.js';
import { claudeCodeColumns, costColumn, machineColumn, searchesColumn, tokenBreakdown, totalTokensColumn } from './columns.js';
import { Cost, costOf } from './Cost.js';
import { PlanPanel } from './PlanPanel.js';
import { DailyChart } from './DailyChart.js';
import { DataTable, type DetailEntry } from './DataTable.js';

type ProjectUsage = UsageReport['projects'][number];

const PRESETS: Array<{ id: RangePreset; label: string }> = [
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: '90d', label: '90 days' },
  { id: 'all', label: 'All' },
  { id: 'custom', label: 'Custom' },
];

function Card({ card }: { card: PeriodCard }) {
  const all = card.id === 'all';
  return (
    <div className="card" data-testid={`usage-card-${card.id}`}>
      <div className="card-label">{card.label}</div>
      <div className="card-value" data-testid={all ? 'usage-total-cost' : undefined} data-value={card.totals.costUSD}>
        <Cost {...costOf(card.totals, card.unpriced)} />
      </div>
      <div className="card-sub" data-testid={all ? 'usage-total-tokens' : undefined} data-value={card.totals.totalTokens}>
        {formatTokens(card.totals.totalTokens)} tokens
      </div>
      <div className="card-note" data-testid={`usage-card-${card.id}-claude-code`} data-value={card.claudeCode?.costUSD}>
        Claude Code <ClaudeCodeCost cc={card.claudeCode} />
      </div>
    </div>
  );
}

function breakdownDetails(t: TokenTotals): DetailEntry[] {
  return [
    { label: 'Input', value: formatTokens(t.inputTokens) },
    { label: 'Output', value: formatTokens(t.outputTokens) },
    { label: 'Cache write', value: formatTokens(t.cacheCreationTokens) },
    { label: 'Cache read', value: formatTokens(t.cacheReadTokens) },
  ];
}

const MODEL_COLUMNS: Array<Column<ModelUsage>> = [
  { key: 'model', header: 'Model', priority: 1, minWidth: 120, grow: 1, toggle: true, abbreviated: true, render: (m) => shortModel(m.model), title: (m) => m.model, detail: (m) => m.model },
  totalTokensColumn<ModelUsage>(),
  costColumn<ModelUsage>((m) => costOf(m, m.unpriced ? [m.model] : undefined)),
  searchesColumn<ModelUsage>(2),
];

const PROJECT_COLUMNS: Array<Column<ProjectUsage>> = [
  { key: 'project', header: 'Project', priority: 1, minWidth: 120, grow: 1, toggle: true, render: (p) => projectLabel(p.project, p.path), title: (p) => p.path ?? p.project },
  totalTokensColumn<ProjectUsage>(),
  costColumn<ProjectUsage>((p) => costOf(p)),
  ...claudeCodeColumns<ProjectUsage>((p) => p.claudeCode, 2, 3),
  searchesColumn<ProjectUsage>(4),
];

const projectDetails = (p: ProjectUsage): DetailEntry[] => [{ label: 'Path', value: p.path ?? p.project, mono: true }, ...breakdownDetails(p)];
const modelKey = (m: ModelUsage) => m.model;
const projectKey = (p: ProjectUsage) => p.project;

const DAILY_COLUMNS: Array<Column<DailyUsage>> = [
  { key: 'date', header: 'Date', priority: 1, minWidth: 128, toggle: true, render: (d) => formatDay(d.date), title: (d) => formatDayLong(d.date), value: (d) => d.date },
  {
    key: 'models',
    header: 'Models',
    priority: 4,
    minWidth: 150,
    grow: 1,
    abbreviated: true,
    render: (d) => d.models.map((m) => shortModel(m.model)).join(', '),
    title: (d) => d.models.map((m) => m.model).join('\n'),
    detail: (d) => d.models.map((m) => m.model).join(', '),
  },
  ...tokenBreakdown<DailyUsage>(5),
  totalTokensColumn<DailyUsage>(1, 'Total'),
  costColumn<DailyUsage>((d) => costOf(d, unpricedModels(d.models))),
  ...claudeCodeColumns<DailyUsage>((d) => d.claudeCode, 2, 3),
  searchesColumn<DailyUsage>(7),
];
const dayKey = (d: DailyUsage) => d.date;

/** Per-project rows shown before "show all". */
const TOP_PROJECTS = 12;

/** With every machine's rows, which machine each is from. */
const MACHINE_MODEL_COLUMNS: Array<Column<MachineModelUsage>> = [machineColumn<MachineModelUsage>(), ...MODEL_COLUMNS];
const MACHINE_PROJECT_COLUMNS: Array<Column<MachineProjectUsage>> = [machineColumn<MachineProjectUsage>(), ...PROJECT_COLUMNS];
const machineModelKey = (m: MachineModelUsage) => (m.machine === undefined ? m.model : `${m.machine}:${m.model}`);
const machineProjectKey = (p: MachineProjectUsage) => (p.machine === undefined ? p.project : `${p.machine}:${p.project}`);

function ProjectsTable({ projects, withMachine = false }: { projects: MachineProjectUsage[]; withMachine?: boolean }) {
  const [all, setAll] = useState(false);
  const ranked = useMemo(() => [...projects].sort((a, b) => b.costUSD - a.costUSD || b.totalTokens - a.totalTokens), [projects]);
  const rows = useMemo(() => (all ? ranked : ranked.slice(0, TOP_PROJECTS)), [ranked, all]);
  return (
    <>
      <DataTable
        name="project"
        label="Cost per project"
        testId="projects-table"
        compact
        columns={withMachine ? MACHINE_PROJECT_COLUMNS : PROJECT_COLUMNS}
        rows={rows}
        rowKey={withMachine ? machineProjectKey : projectKey}
        details={projectDetails}
      />
      {ranked.length > TOP_PROJECTS ? (
        <p className="table-note">
          {all ? `All ${ranked.length} projects.` : `The ${TOP_PROJECTS} costliest of ${ranked.length} projects.`}{' '}
          <button type="button" className="link-button" onClick={() => setAll(!all)}>
            {all ? 'Show fewer' : 'Show all'}
          </button>
        </p>
      ) : null}
    </>
  );
}

function ActiveBlock({ block, now }: { block: UsageBlock | null; now: number }) {
  if (!block) {
    return (
      <section className="panel" aria-label="Current 5-hour block" data-testid="active-block">
        <h3>Current 5-hour block</h3>
        <p className="muted">No activity in the last 5 hours.</p>
      </section>
    );
  }
  const left = (Date.parse(block.end) - now) / 1000;
  return (
    <section className="panel" aria-label="Current 5-hour block" data-testid="active-block">
      <h3>Current 5-hour block</h3>
      <dl className="stats">
        <div>
          <dt>Window</dt>
          <dd>
            {formatWhen(block.start)} – {formatClock(block.end)}
          </dd>
        </div>
        <div>
          <dt>Used</dt>
          <dd data-value={block.totalTokens}>
            {formatTokens(block.totalTokens)} tokens, <Cost {...costOf(block, block.unpricedModels)} />
          </dd>
        </div>
        <div>
          <dt>Burn rate</dt>
          <dd>
            {block.burnRate ? (
              <>
                {formatTokens(block.burnRate.tokensPerMinute)} tokens/min, <Cost usd={block.burnRate.costPerHour} unpricedTokens={block.unpricedTokens} unpricedModels={block.unpricedModels} />
                /h
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Projection</dt>
          <dd>
            {block.projection ? (
              <>
                {formatTokens(block.projection.totalTokens)} tokens, <Cost usd={block.projection.costUSD} unpricedTokens={block.unpricedTokens} unpricedModels={block.unpricedModels} /> by the end
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{left > 0 ? formatDuration(left) : 'ended'}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Claude Code's own figure for the range beside the transcripts' total, with what it adds. */
function RangeClaudeCode({ cc }: { cc: ClaudeCodeSpend | null }) {
  return (
    <span data-testid="range-claude-code" data-value={cc?.costUSD} data-not-in-transcripts={cc?.notInTranscriptsUSD}>
      {' · Claude Code '}
      <ClaudeCodeCost cc={cc} />
      {cc ? ` (${formatSignedCost(cc.notInTranscriptsUSD)} not in transcripts)` : null}
    </span>
  );
}

/** Why the per-project table is empty. */
function projectsMissing(canAsk: boolean, rangeReport: RangeReport | null, rangeKey: string): string {
  if (!canAsk) return 'Here the split by project covers all time only: choose All to see it.';
  if (rangeReport?.key !== rangeKey) return 'Loading the split by project…';
  if (rangeReport.error) return `Per-project numbers unavailable: ${rangeReport.error}`;
  return 'No usage in this range.';
}

/** Fetches the server's report for the range (it also splits projects by range); the snapshot's days serve until then. */
function useRangeReport(api: DashboardApi | null, since: string, until: string, timezone: string, usageRevision: number): void {
  const { setRangeReport } = useActions();
  useEffect(() => {
    if (!api?.usageReport || (!since && !until)) {
      setRangeReport(null);
      return;
    }
    let cancelled = false;
    const key = `${since}..${until}`;
    api.usageReport({ since: since || undefined, until: until || undefined, timezone }).then(
      (report) => !cancelled && setRangeReport({ key, report, loading: false, error: null }),
      (error: Error) => !cancelled && setRangeReport({ key, report: null, loading: false, error: error.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, since, until, timezone, usageRevision, setRangeReport]);
}

export function UsageTab({ api }: { api: DashboardApi | null }) {
  const report = useDashboard((s) => s.snapshot?.usage ?? null);
  const indexing = useDashboard((s) => s.snapshot?.indexing ?? null);
  const today = useDashboard((s) => s.snapshot?.today ?? null);
  const usageRevision = useDashboard((s) => s.snapshot?.usageRevision ?? 0);
  const block = useDashboard((s) => s.snapshot?.activeBlock ?? null);
  const plan = useDashboard((s) => s.snapshot?.plan ?? null);
  const range = useDashboard((s) => s.range);
  const rangeReport = useDashboard((s) => s.rangeReport);
  const snapshot = useDashboard((s) => s.snapshot);
  const machines = useDashboard((s) => s.snapshot?.machines);
  const usageMachine = useDashboard((s) => s.usageMachine);
  const actions = useActions();
  const now = useNow(30_000);
  const timezone = report?.timezone ?? 'UTC';
  // Today is the snapshot's: its day in the report's zone, as the core computed it.
  const todayDate = today?.date ?? '';
  const bounds = useMemo(() => rangeBounds(range.preset, range, todayDate), [range, todayDate]);
  useRangeReport(api, bounds.since, bounds.until, timezone, usageRevision);
  const cards = useMemo(() => (report && today ? periodCards(report, today) : []), [report, today]);
  const inRange = useMemo(() => (report ? reportInRange(report, bounds.since || undefined, bounds.until || undefined) : null), [report, bounds]);
  // The chart is by far the slowest part to render: it (and its data) follow in a background render, so a poll's
  // new numbers (cards, tables) show at once and the chart never holds up a frame.
  const deferredReport = useDeferredValue(report);
  const deferredChart = useMemo(() => chartData(deferredReport?.daily ?? [], bounds.since, bounds.until), [deferredReport, bounds]);
  const remote = (machines?.length ?? 0) > 0;
  // Other machines send all-time figures: with them chosen, the cost tables show all time.
  const scope = remote ? usageMachine : THIS_MACHINE;
  const fleet = useMemo(() => (report && scope !== THIS_MACHINE ? machineCostRows(report, machines ?? [], scope) : null), [report, machines, scope]);

  if (!report && indexing) {
    return (
      <div className="empty" data-testid="indexing-usage">
        <h2>Counting usage…</h2>
        <p>TCE is reading Claude Code's transcripts for the first time; the progress is in the bar above. Later starts read only what changed.</p>
      </div>
    );
  }
  if (!report) {
    return (
      <div className="empty" data-testid="empty-usage">
        <h2>No usage yet</h2>
        <p>No Claude Code transcripts were found, so there is nothing to count.</p>
      </div>
    );
  }
  const rangeKey = `${bounds.since}..${bounds.until}`;
  const projects = range.preset === 'all' ? report.projects : rangeReport?.key === rangeKey ? (rangeReport.report?.projects ?? []) : [];
  const daysDesc = [...(inRange as UsageReport).daily].filter((d) => d.source !== 'stats-cache').reverse();
  // The whole history's figure counts its sessions; a range's is the sum of its days (sessions span days).
  const rangeFigure = range.preset === 'all' ? report.claudeCode : claudeCodeOfDays((inRange as UsageReport).daily);
  return (
    <section aria-label="Token usage and cost" className="usage">
      {remote && snapshot ? <MachinesPanel snapshot={snapshot} /> : null}
      <div className="cards">
        {cards.map((c) => (
          <Card key={c.id} card={c} />
        ))}
      </div>
      {report.diagnostics.unpricedModels.length > 0 ? (
        <p className="warning" role="note">
          No price known for {report.diagnostics.unpricedModels.join(', ')}: their cost is not counted.
        </p>
      ) : null}
      <PlanPanel plan={plan} now={now} />
      <ActiveBlock block={block} now={now} />
      <div className="toolbar" role="group" aria-label="Date range">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" className={`chip${range.preset === p.id ? ' selected' : ''}`} aria-pressed={range.preset === p.id} onClick={() => actions.setRange({ preset: p.id })}>
            {p.label}
          </button>
        ))}
        {range.preset === 'custom' ? (
          <>
            <label className="field">
              <span>From</span>
              <input type="date" aria-label="From" value={range.since} max={range.until || undefined} onChange={(e) => actions.setRange({ since: e.target.value })} />
            </label>
            <label className="field">
              <span>To</span>
              <input type="date" aria-label="To" value={range.until} min={range.since || undefined} onChange={(e) => actions.setRange({ until: e.target.value })} />
            </label>
          </>
        ) : null}
        <span className="spacer" />
        <span className="muted" data-testid="range-totals" data-cost={inRange?.totals.costUSD} data-tokens={inRange?.totals.totalTokens}>
          {bounds.since || bounds.until ? `${bounds.since ? formatDayLong(bounds.since) : '…'} to ${bounds.until ? formatDayLong(bounds.until) : '…'}: ` : 'All time: '}
          {formatTokens(inRange?.totals.totalTokens ?? 0)} tokens, <Cost usd={inRange?.totals.costUSD ?? 0} unpricedTokens={inRange?.totals.unpricedTokens ?? 0} unpricedModels={inRange ? unpricedModels(inRange.models) : undefined} />
          <RangeClaudeCode cc={rangeFigure} />
        </span>
      </div>
      <DailyChart data={deferredChart} />
      {remote ? (
        <div className="toolbar">
          <MachineFilter label="Machine of the cost tables" value={scope} machines={machines ?? []} onChange={actions.setUsageMachine} />
          {fleet ? <span className="muted">All time: other machines send their all-time figures.</span> : null}
        </div>
      ) : null}
      <div className="two-columns" data-testid="cost-tables">
        <section className="panel" aria-label="Cost per model">
          <h3>Per model</h3>
          {fleet ? (
            fleet.models.length > 0 ? (
              <DataTable name="model" label="Cost per model" testId="models-table" compact columns={scope === ALL_MACHINES ? MACHINE_MODEL_COLUMNS : MODEL_COLUMNS} rows={fleet.models} rowKey={machineModelKey} details={breakdownDetails} />
            ) : (
              <p className="muted">No usage known of this machine.</p>
            )
          ) : inRange && inRange.models.length > 0 ? (
            <DataTable name="model" label="Cost per model" testId="models-table" compact columns={MODEL_COLUMNS} rows={inRange.models} rowKey={modelKey} details={breakdownDetails} />
          ) : (
            <p className="muted">No usage in this range.</p>
          )}
        </section>
        <section className="panel" aria-label="Cost per project">
          <h3>Per project</h3>
          {fleet ? (
            fleet.projects.length > 0 ? (
              <ProjectsTable projects={fleet.projects} withMachine={scope === ALL_MACHINES} />
            ) : (
              <p className="muted">No usage known of this machine.</p>
            )
          ) : projects.length > 0 ? (
            <ProjectsTable projects={projects} />
          ) : (
            <p className="muted">{projectsMissing(Boolean(api?.usageReport), rangeReport, rangeKey)}</p>
          )}
        </section>
      </div>
      <section className="panel" aria-label="Daily usage">
        <h3>Daily</h3>
        {daysDesc.length > 0 ? (
          <DataTable name="day" label="Daily usage" testId="daily-table" compact columns={DAILY_COLUMNS} rows={daysDesc} rowKey={dayKey} />
        ) : (
          <p className="muted">No usage in this range.</p>
        )}
      </section>
    </section>
  );
}
