/** The snapshot in Prometheus text exposition format (version 0.0.4). */
import type { Snapshot } from '../shared/api.js';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const inner = Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',');
  return inner ? `{${inner}}` : '';
}

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Record<string, string>, number]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.lines.push(`${name}${labels(l)} ${Number.isFinite(v) ? String(v) : 'NaN'}`);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const HEALTHS = ['healthy', 'stale', 'zombie', 'hog', 'pinned'] as const;
const TOKEN_KINDS = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_creation', 'cacheCreationTokens'],
  ['cache_read', 'cacheReadTokens'],
] as const;

export function renderMetrics(snapshot: Snapshot | null): string {
  const out = new Exposition();
  out.family('tce_up', 'gauge', 'Whether TCE has a snapshot (1) or is still polling for the first time (0).', [[{}, snapshot ? 1 : 0]]);
  if (!snapshot) return out.text();
  out.family('tce_snapshot_timestamp_seconds', 'gauge', 'Unix time the snapshot was made.', [[{}, Date.parse(snapshot.generatedAt) / 1000]]);
  const summary = snapshot.processes.summary;
  out.family(
    'tce_processes',
    'gauge',
    'Claude Code processes by health.',
    HEALTHS.map((h) => [{ health: h }, summary[h]]),
  );
  const daily = (snapshot.usage?.daily ?? []).filter((d) => d.source !== 'stats-cache');
  const tokens: Array<[Record<string, string>, number]> = [];
  const cost: Array<[Record<string, string>, number]> = [];
  for (const day of daily) {
    for (const m of day.models) {
      for (const [kind, field] of TOKEN_KINDS) tokens.push([{ model: m.model, date: day.date, type: kind }, m[field]]);
      if (!m.unpriced) cost.push([{ model: m.model, date: day.date }, m.costUSD]);
    }
  }
  out.family('tce_tokens', 'gauge', 'Tokens used by model, day (in the report time zone) and token type.', tokens);
  out.family('tce_cost_usd', 'gauge', 'Cost in USD by model and day (priced models only).', cost);
  const block = snapshot.activeBlock;
  out.family('tce_active_block_tokens', 'gauge', 'Tokens used in the active 5-hour block.', [[{}, block?.totalTokens ?? 0]]);
  out.family('tce_active_block_burn_rate_tokens_per_minute', 'gauge', 'Burn rate of the active 5-hour block.', [
    [{}, block?.burnRate?.tokensPerMinute ?? 0],
  ]);
  out.family('tce_active_block_burn_rate_cost_per_hour', 'gauge', 'Cost per hour of the active 5-hour block in USD.', [
    [{}, block?.burnRate?.costPerHour ?? 0],
  ]);
  return out.text();
}
