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
const ACTIVITIES = ['busy', 'idle', 'waiting'] as const;
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
  const processes = snapshot.processes.processes;
  out.family(
    'tce_processes_by_activity',
    'gauge',
    "Claude Code processes by activity from Claude Code's registry (waiting: needs its user; unknown: no registry status).",
    [...ACTIVITIES.map((a): [Record<string, string>, number] => [{ activity: a }, processes.filter((p) => p.activity === a).length]), [{ activity: 'unknown' }, processes.filter((p) => p.activity === null).length]],
  );
  const scannedAt = Date.parse(snapshot.processes.scannedAt);
  const waits = processes.filter((p) => p.activity === 'waiting' && p.activitySince !== null).map((p) => Math.max(0, (scannedAt - Date.parse(p.activitySince!)) / 1000));
  out.family('tce_waiting_longest_seconds', 'gauge', 'How long the longest-waiting session has waited for its user (0 when none waits).', [[{}, waits.length > 0 ? Math.max(...waits) : 0]]);
  const daily = (snapshot.usage?.daily ?? []).filter((d) => d.source !== 'stats-cache');
  const tokens: Array<[Record<string, string>, number]> = [];
  const cost: Array<[Record<string, string>, number]> = [];
  const searches: Array<[Record<string, string>, number]> = [];
  const unpriced: Array<[Record<string, string>, number]> = [];
  const claudeCode: Array<[Record<string, string>, number]> = [];
  const notInTranscripts: Array<[Record<string, string>, number]> = [];
  for (const day of daily) {
    for (const m of day.models) {
      for (const [kind, field] of TOKEN_KINDS) tokens.push([{ model: m.model, date: day.date, type: kind }, m[field]]);
      if (!m.unpriced) cost.push([{ model: m.model, date: day.date }, m.costUSD]);
      searches.push([{ model: m.model, date: day.date }, m.webSearchRequests]);
    }
    unpriced.push([{ date: day.date }, day.unpricedTokens]);
    if (day.claudeCode) {
      claudeCode.push([{ date: day.date }, day.claudeCode.costUSD]);
      notInTranscripts.push([{ date: day.date }, day.claudeCode.notInTranscriptsUSD]);
    }
  }
  out.family('tce_tokens', 'gauge', 'Tokens used by model, day (in the report time zone) and token type.', tokens);
  out.family('tce_cost_usd', 'gauge', 'Cost in USD by model and day (priced models only).', cost);
  out.family('tce_unpriced_tokens', 'gauge', 'Tokens of models without a price by day: the day\'s cost leaves them out.', unpriced);
  out.family('tce_web_search_requests', 'gauge', 'Web search requests by model and day (priced per request in tce_cost_usd).', searches);
  out.family('tce_claude_code_cost_usd', 'gauge', "Claude Code's own cost (its cost-state tally) by day, for days with sessions that wrote one.", claudeCode);
  out.family('tce_not_in_transcripts_usd', 'gauge', "Claude Code's cost beyond what the transcripts show (session titles, /compact) by day.", notInTranscripts);
  const block = snapshot.activeBlock;
  out.family('tce_active_block_tokens', 'gauge', 'Tokens used in the active 5-hour block.', [[{}, block?.totalTokens ?? 0]]);
  out.family('tce_active_block_burn_rate_tokens_per_minute', 'gauge', 'Burn rate of the active 5-hour block.', [
    [{}, block?.burnRate?.tokensPerMinute ?? 0],
  ]);
  out.family('tce_active_block_burn_rate_cost_per_hour', 'gauge', 'Cost per hour of the active 5-hour block in USD.', [
    [{}, block?.burnRate?.costPerHour ?? 0],
  ]);
  out.family('tce_active_block_cost_usd', 'gauge', 'Cost in USD of the active 5-hour block (priced models only).', [[{}, block?.costUSD ?? 0]]);
  out.family('tce_active_block_unpriced_tokens', 'gauge', 'Tokens of models without a price in the active 5-hour block.', [[{}, block?.unpricedTokens ?? 0]]);
  // Plan windows as Claude Code last passed them to `tce statusline` (none without it, or for API-key users).
  const windows = snapshot.plan?.windows ?? [];
  out.family('tce_plan_used_percent', 'gauge', 'Plan use in percent by window (five_hour, seven_day), as Claude Code last reported it.', windows.map((w) => [{ window: w.window }, w.usedPercentage]));
  out.family('tce_plan_resets_at_seconds', 'gauge', 'Unix time each plan window resets.', windows.map((w) => [{ window: w.window }, Date.parse(w.resetsAt) / 1000]));
  out.family('tce_plan_observed_at_seconds', 'gauge', 'Unix time Claude Code last reported each plan window.', windows.map((w) => [{ window: w.window }, Date.parse(w.observedAt) / 1000]));
  return out.text();
}
