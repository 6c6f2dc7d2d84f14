/**
 * The one line `tce statusline` prints: project, model, session cost, today, the active block, context use and plan
 * use, e.g. `proj-x · Opus 5.5 · $1.23 · today $4.56 · block $3.21 1h20m left · ctx 45% · 5h 23% 2h10m · 7d 41% 3d 4h`.
 */
import path from 'node:path';
import type { PlanWindowReading, StatuslineInput } from '../../core/statusline/input.js';
import type { Painter } from './colour.js';
import { uptime } from './uptime.js';
import { usd } from './usage-table.js';

const SHORT: Record<string, string> = { five_hour: '5h', seven_day: '7d' };

export interface LineFacts {
  input: StatuslineInput;
  /** Today's spend (see statusline.ts), or null when not known. */
  todayUSD: number | null;
  /** The active 5-hour block as the engine last saw it, or null. */
  block: { costUSD: number; endMs: number; unpriced: boolean } | null;
  /** Plan windows to show: this session's, else the latest any session reported. */
  plan: Record<string, PlanWindowReading>;
  /** Percent at which a figure turns yellow, and red (the plan notification thresholds). */
  warnAt: number;
  alarmAt: number;
  now: number;
}

/** `2h10m`, `3d 4h`, `45s` until a time. */
function until(ms: number, now: number): string {
  return uptime(Math.max(0, (ms - now) / 1000)).replace(/ (\d+m)$/, '$1');
}

export function statusLine(f: LineFacts, paint: Painter): string {
  const level = (pct: number, text: string) => (pct >= f.alarmAt ? paint.red(text) : pct >= f.warnAt ? paint.yellow(text) : text);
  const parts: string[] = [];
  const folder = f.input.projectDir ?? f.input.cwd;
  if (folder) parts.push(paint.bold(path.basename(folder)));
  const model = f.input.modelName ?? f.input.modelId;
  if (model) parts.push(paint.cyan(model));
  if (f.input.costUSD !== null) parts.push(usd(f.input.costUSD));
  if (f.todayUSD !== null) parts.push(`today ${usd(f.todayUSD)}`);
  if (f.block && f.block.endMs > f.now) parts.push(`block ${usd(f.block.costUSD)}${f.block.unpriced ? '+?' : ''} ${until(f.block.endMs, f.now)} left`);
  if (f.input.contextUsedPercentage !== null) parts.push(level(f.input.contextUsedPercentage, `ctx ${Math.round(f.input.contextUsedPercentage)}%`));
  const names = Object.keys(f.plan).sort((a, b) => (SHORT[a] ? 0 : 1) - (SHORT[b] ? 0 : 1) || a.localeCompare(b));
  for (const name of names) {
    const w = f.plan[name]!;
    // A window that has reset since it was reported: its use now is not known.
    if (w.resetsAt <= f.now) continue;
    parts.push(level(w.usedPercentage, `${SHORT[name] ?? name.replace(/_/g, ' ')} ${Math.round(w.usedPercentage)}% ${until(w.resetsAt, f.now)}`));
  }
  return parts.join(paint.dim(' · '));
}
