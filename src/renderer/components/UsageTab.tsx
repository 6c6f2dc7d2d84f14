import { memo, useDeferredValue, useEffect, useMemo } from 'react';
import type { DailyUsage, TokenTotals, UsageBlock, UsageReport } from '../../shared/api.js';
import { reportInRange } from '../../shared/usage-range.js';
import { formatCost, formatDateTime, formatDuration, formatTokens, projectLabel, shortModel } from '../model/format.js';
import { useNow } from '../hooks.js';
import { useActions, useDashboard } from '../state/context.js';
import type { RangePreset } from '../state/store.js';
import { chartData, periodCards, rangeBounds, type PeriodCard } from '../model/usage-view.js';
import type { DashboardApi } from '../api/dashboard-api.js';
import { DailyChart } from './DailyChart.js';

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
        {formatCost(card.totals.costUSD)}
      </div>
      <div className="card-sub" data-testid={all ? 'usage-total-tokens' : undefined} data-value={card.totals.totalTokens}>
        {formatTokens(card.totals.totalTokens)} tokens
      </div>
    </div>
  );
}

function TokenCells({ t }: { t: TokenTotals }) {
  return (
    <>
      <td className="num" data-value={t.inputTokens}>{formatTokens(t.inputTokens)}</td>
      <td className="num" data-value={t.outputTokens}>{formatTokens(t.outputTokens)}</td>
      <td className="num" data-value={t.cacheCreationTokens}>{formatTokens(t.cacheCreationTokens)}</td>
      <td className="num" data-value={t.cacheReadTokens}>{formatTokens(t.cacheReadTokens)}</td>
      <td className="num" data-value={t.totalTokens}>{formatTokens(t.totalTokens)}</td>
      <td className="num" data-value={t.costUSD}>{formatCost(t.costUSD)}</td>
    </>
  );
}

/** Memoised: a poll usually changes today only, so the other days' rows skip their render. */
const DailyRow = memo(function DailyRow({ day }: { day: DailyUsage }) {
  return (
    <tr>
      <td>{day.date}</td>
      <td>{day.models.map((m) => shortModel(m.model)).join(', ')}</td>
      <TokenCells t={day} />
    </tr>
  );
});

const TOKEN_HEADERS = (
  <>
    <th scope="col" className="num">Input</th>
    <th scope="col" className="num">Output</th>
    <th scope="col" className="num">Cache write</th>
    <th scope="col" className="num">Cache read</th>
    <th scope="col" className="num">Total</th>
    <th scope="col" className="num">Cost</th>
  </>
);

interface CostRow {
  key: string;
  label: string;
  title: string;
  t: TokenTotals;
  /** A cost that is not known (model not in the price table), shown as such rather than as $0. */
  unpriced?: boolean;
  testId?: string;
}

/** Tokens and cost per model or per project. */
function CostTable({ testId, heading, rows }: { testId: string; heading: string; rows: CostRow[] }) {
  return (
    <table className="table compact" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col" className="num">Tokens</th>
          <th scope="col" className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={r.testId}>
            <td title={r.title}>{r.label}</td>
            <td className="num" data-value={r.t.totalTokens}>{formatTokens(r.t.totalTokens)}</td>
            <td className="num" data-value={r.t.costUSD}>{r.unpriced ? 'unknown' : formatCost(r.t.costUSD)}</td>
          </tr>
        ))}
      </tbody>
    </table>
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
            {formatDateTime(block.start)} – {formatDateTime(block.end)}
          </dd>
        </div>
        <div>
          <dt>Used</dt>
          <dd data-value={block.totalTokens}>
            {formatTokens(block.totalTokens)} tokens, {formatCost(block.costUSD)}
          </dd>
        </div>
        <div>
          <dt>Burn rate</dt>
          <dd>{block.burnRate ? `${formatTokens(block.burnRate.tokensPerMinute)} tokens/min, ${formatCost(block.burnRate.costPerHour)}/h` : '—'}</dd>
        </div>
        <div>
          <dt>Projection</dt>
          <dd>{block.projection ? `${formatTokens(block.projection.totalTokens)} tokens, ${formatCost(block.projection.costUSD)} by the end` : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{left > 0 ? formatDuration(left) : 'ended'}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Fetches the server's report for the range (it also splits projects by range); the snapshot's days serve until then. */
function useRangeReport(api: DashboardApi | null, since: string, until: string, timezone: string, usageVersion: string): void {
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
  }, [api, since, until, timezone, usageVersion, setRangeReport]);
}

export function UsageTab({ api }: { api: DashboardApi | null }) {
  const report = useDashboard((s) => s.snapshot?.usage ?? null);
  const block = useDashboard((s) => s.snapshot?.activeBlock ?? null);
  const range = useDashboard((s) => s.range);
  const rangeReport = useDashboard((s) => s.rangeReport);
  const actions = useActions();
  const now = useNow(30_000);
  const today = new Date(now).toDateString();
  const timezone = report?.timezone ?? 'UTC';
  // Recomputed when the day changes (not on every clock tick).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const bounds = useMemo(() => rangeBounds(range.preset, range, timezone, new Date()), [range, timezone, today]);
  const usageVersion = report ? `${report.totals.totalTokens}/${report.totals.costUSD}` : '';
  useRangeReport(api, bounds.since, bounds.until, timezone, usageVersion);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const cards = useMemo(() => (report ? periodCards(report, new Date()) : []), [report, today]);
  const inRange = useMemo(() => (report ? reportInRange(report, bounds.since || undefined, bounds.until || undefined) : null), [report, bounds]);
  // The chart is by far the slowest part to render: it (and its data) follow in a background render, so a poll's
  // new numbers (cards, tables) show at once and the chart never holds up a frame.
  const deferredReport = useDeferredValue(report);
  const deferredChart = useMemo(() => chartData(deferredReport?.daily ?? [], bounds.since, bounds.until), [deferredReport, bounds]);

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
  return (
    <section aria-label="Token usage and cost" className="usage">
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
          {bounds.since || bounds.until ? `${bounds.since || '…'} to ${bounds.until || '…'}: ` : 'All time: '}
          {formatTokens(inRange?.totals.totalTokens ?? 0)} tokens, {formatCost(inRange?.totals.costUSD ?? 0)}
        </span>
      </div>
      <DailyChart data={deferredChart} />
      <div className="two-columns">
        <section className="panel" aria-label="Cost per model">
          <h3>Per model</h3>
          {inRange && inRange.models.length > 0 ? (
            <CostTable
              testId="models-table"
              heading="Model"
              rows={inRange.models.map((m) => ({ key: m.model, label: shortModel(m.model), title: m.model, t: m, unpriced: m.unpriced, testId: `model-row-${m.model}` }))}
            />
          ) : (
            <p className="muted">No usage in this range.</p>
          )}
        </section>
        <section className="panel" aria-label="Cost per project">
          <h3>Per project</h3>
          {projects.length > 0 ? (
            <CostTable
              testId="projects-table"
              heading="Project"
              rows={projects.slice(0, 12).map((p) => ({ key: p.project, label: projectLabel(p.project, p.path), title: p.path ?? p.project, t: p }))}
            />
          ) : (
            <p className="muted">{rangeReport?.error ? `Per-project numbers unavailable: ${rangeReport.error}` : 'No per-project numbers for this range.'}</p>
          )}
        </section>
      </div>
      <section className="panel" aria-label="Daily usage">
        <h3>Daily</h3>
        {daysDesc.length > 0 ? (
          <div className="table-wrap">
            <table className="table compact" data-testid="daily-table">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Models</th>
                  {TOKEN_HEADERS}
                </tr>
              </thead>
              <tbody>
                {daysDesc.map((d) => (
                  <DailyRow key={d.date} day={d} />
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No usage in this range.</p>
        )}
      </section>
    </section>
  );
}
