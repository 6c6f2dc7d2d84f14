import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTokens, shortModel } from '../format.js';
import type { ChartData } from '../usage-view.js';

const PALETTE = ['#d97757', '#4f7cff', '#2fa37a', '#b565d8', '#e0a100', '#3fb0c9', '#e05a7a', '#7a8a99', '#9aa86b'];

/** Tokens per day (or week), stacked by model. Memoised: it re-renders only when its rows change. */
export const DailyChart = memo(function DailyChart({ data }: { data: ChartData }) {
  if (data.rows.length === 0) {
    return (
      <div className="empty small" data-testid="chart-empty">
        No token usage in this range.
      </div>
    );
  }
  return (
    <figure className="chart" data-testid="usage-chart" aria-label={`Tokens per ${data.granularity}, stacked by model`}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: 'var(--muted)' }} minTickGap={24} />
          <YAxis tickFormatter={(v: number) => formatTokens(v)} tick={{ fontSize: 11, fill: 'var(--muted)' }} width={52} />
          <Tooltip
            formatter={(value) => formatTokens(Number(value))}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }}
            cursor={{ fill: 'var(--hover)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {data.models.map((model, i) => (
            <Bar
              key={model}
              dataKey={(row: Record<string, number>) => row[model] ?? 0}
              name={shortModel(model)}
              stackId="tokens"
              fill={PALETTE[i % PALETTE.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        Tokens per {data.granularity} (input, output and cache), stacked by model.
      </figcaption>
    </figure>
  );
});
