import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, XAxis, YAxis, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import { formatDay, formatDayShort, formatTokens, shortModel } from '../model/format.js';
import type { ChartData } from '../model/usage-view.js';

const PALETTE = ['#d97757', '#4f7cff', '#2fa37a', '#b565d8', '#e0a100', '#3fb0c9', '#e05a7a', '#7a8a99', '#9aa86b'];
const TOTAL_KEY = '__total';
/** Share of each slot the bar fills. */
const BAR_FILL = 0.8;

type Row = ChartData['rows'][number];

const formatTick = (label: string | number) => formatDayShort(String(label));

function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}

function describe(row: Row, models: string[], granularity: ChartData['granularity']): string {
  const parts = models.filter((m) => Number(row[m] ?? 0) > 0).map((m) => `${shortModel(m)} ${formatTokens(Number(row[m]))}`);
  const when = `${granularity === 'week' ? 'Week of ' : ''}${formatDay(String(row.label))}`;
  return `${when}: ${formatTokens(Number(row[TOTAL_KEY]))} tokens${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * The stacked bars, drawn inside recharts' plot area with its y scale: plain rects, one group per slot. (A recharts
 * <Bar> per model builds a component tree per rectangle; with a year of weeks for 8 models that dropped frames on
 * every poll.)
 */
function StackedBars({ rows, models, granularity }: { rows: Row[]; models: string[]; granularity: ChartData['granularity'] }) {
  const area = usePlotArea();
  const xScale = useXAxisScale();
  const y = useYAxisScale();
  if (!area || !xScale || !y || rows.length === 0) return null;
  // The x axis is a band scale: each label owns an equal slot starting at xScale(label).
  const step = area.width / rows.length;
  const width = Math.max(1, step * BAR_FILL);
  return (
    <g className="stacks">
      {rows.map((row, i) => {
        const x = (xScale(row.label) ?? area.x + i * step) + (step - width) / 2;
        let below = 0;
        return (
          <g key={String(row.label)} className="stack">
            <title>{describe(row, models, granularity)}</title>
            {models.map((model, m) => {
              const value = Number(row[model] ?? 0);
              if (!value) return null;
              const bottom = y(below) ?? 0;
              below += value;
              const top = y(below) ?? 0;
              return <rect key={model} x={x} y={top} width={width} height={Math.max(0, bottom - top)} fill={colorOf(m)} />;
            })}
          </g>
        );
      })}
    </g>
  );
}

/** Tokens per day (or week), stacked by model. Memoised: it re-renders only when its rows change. */
export const DailyChart = memo(function DailyChart({ data }: { data: ChartData }) {
  // Same models, same array: the legend and bars keep their keys and update in place.
  const modelsKey = data.models.join('\u0000');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const models = useMemo(() => data.models, [modelsKey]);

  if (data.rows.length === 0) {
    return (
      <div className="empty small" data-testid="chart-empty">
        No token usage in this range.
      </div>
    );
  }
  return (
    <figure className="chart" data-testid="usage-chart" data-total={data.totalTokens} aria-label={`Tokens per ${data.granularity}, stacked by model`}>
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart data={data.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="label" scale="band" tick={{ fontSize: 11, fill: 'var(--muted)' }} tickFormatter={formatTick} minTickGap={24} />
          <YAxis tickFormatter={(v: number) => formatTokens(v)} tick={{ fontSize: 11, fill: 'var(--muted)' }} width={52} />
          {/* An invisible line of the totals: one path that gives the y axis its domain (bars are drawn below). */}
          <Line dataKey={TOTAL_KEY} stroke="none" dot={false} activeDot={false} isAnimationActive={false} legendType="none" />
          <StackedBars rows={data.rows} models={models} granularity={data.granularity} />
        </ComposedChart>
      </ResponsiveContainer>
      <ul className="legend" data-testid="chart-legend" aria-label="Models">
        {models.map((model, i) => (
          <li key={model} title={model}>
            <span className="swatch" style={{ background: colorOf(i) }} />
            {shortModel(model)}
          </li>
        ))}
      </ul>
      <figcaption className="muted">Tokens per {data.granularity} (input, output and cache), stacked by model. Hover a bar for its numbers.</figcaption>
    </figure>
  );
});
