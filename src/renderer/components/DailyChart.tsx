import { memo, useCallback } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTokens, shortModel } from '../model/format.js';
import type { ChartData } from '../model/usage-view.js';

const PALETTE = ['#d97757', '#4f7cff', '#2fa37a', '#b565d8', '#e0a100', '#3fb0c9', '#e05a7a', '#7a8a99', '#9aa86b'];
const TOTAL_KEY = '__total';

type Row = ChartData['rows'][number];

function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}

interface ShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: Row;
}

interface TooltipProps {
  active?: boolean;
  label?: string | number;
  payload?: ReadonlyArray<{ payload?: Row }>;
}

/**
 * Tokens per day (or week), stacked by model. One recharts series of day totals, each bar drawn as its models'
 * segments by a custom shape: a recharts <Bar> per model costs a component tree per rectangle, and a year of data
 * for 8 models made every poll drop frames. Memoised: it re-renders only when its rows change.
 */
export const DailyChart = memo(function DailyChart({ data }: { data: ChartData }) {
  const { models } = data;
  const shape = useCallback(
    (props: ShapeProps) => {
      const { x = 0, y = 0, width = 0, height = 0, payload } = props;
      const total = payload ? Number(payload[TOTAL_KEY]) : 0;
      if (!payload || !total || height <= 0) return <g />;
      let top = y + height;
      return (
        <g className="stack">
          {models.map((model, i) => {
            const value = Number(payload[model] ?? 0);
            if (!value) return null;
            const h = (height * value) / total;
            top -= h;
            return <rect key={model} x={x} y={top} width={width} height={h} fill={colorOf(i)} />;
          })}
        </g>
      );
    },
    [models],
  );
  const tooltip = useCallback(
    ({ active, label, payload }: TooltipProps) => {
      const row = payload?.[0]?.payload;
      if (!active || !row) return null;
      return (
        <div className="chart-tooltip">
          <div className="chart-tooltip-title">{label}</div>
          {models.map((model, i) =>
            Number(row[model] ?? 0) > 0 ? (
              <div key={model}>
                <span className="swatch" style={{ background: colorOf(i) }} /> {shortModel(model)}: {formatTokens(Number(row[model]))}
              </div>
            ) : null,
          )}
          <div className="chart-tooltip-total">Total: {formatTokens(Number(row[TOTAL_KEY]))}</div>
        </div>
      );
    },
    [models],
  );

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
        <BarChart data={data.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: 'var(--muted)' }} minTickGap={24} />
          <YAxis tickFormatter={(v: number) => formatTokens(v)} tick={{ fontSize: 11, fill: 'var(--muted)' }} width={52} />
          <Tooltip content={tooltip} cursor={{ fill: 'var(--hover)' }} />
          <Bar dataKey={TOTAL_KEY} name="Tokens" shape={shape} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <ul className="legend" data-testid="chart-legend" aria-label="Models">
        {models.map((model, i) => (
          <li key={model} title={model}>
            <span className="swatch" style={{ background: colorOf(i) }} />
            {shortModel(model)}
          </li>
        ))}
      </ul>
      <figcaption className="muted">Tokens per {data.granularity} (input, output and cache), stacked by model.</figcaption>
    </figure>
  );
});
