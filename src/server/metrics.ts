/**
 * The snapshot in Prometheus text exposition format (version 0.0.4), named by Prometheus's conventions: counters end
 * in `_total`, units are in the name (`_usd`, `_seconds`, `_ratio`), and every label has few values (no dates).
 *
 * Tokens and costs are counters over the whole history: sums over the persisted usage index, which keeps the records
 * of transcripts Claude Code deleted. A restarted TCE so starts from the same totals and `increase()` sees no reset.
 * Costs carry a `pricing` label, the fingerprint of the price table: a price change re-prices the whole history, and
 * under a new label that is a new series, whose `increase()` starts from its first sample instead of counting the
 * re-pricing as spend. The README's Prometheus section says the same for the people who write the queries.
 */
import type { ClaudeProcess, Health, Snapshot, TokenTotals } from '../shared/api.js';
import { TCE_VERSION } from '../core/version.js';

type Labels = Record<string, string>;
type Sample = [Labels, number];

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Labels): string {
  const inner = Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',');
  return inner ? `{${inner}}` : '';
}

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: Sample[]): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.lines.push(`${name}${labels(l)} ${Number.isFinite(v) ? String(v) : 'NaN'}`);
  }

  gauge(name: string, help: string, value: number): void {
    this.family(name, 'gauge', help, [[{}, value]]);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const HEALTHS: readonly Health[] = ['healthy', 'stale', 'zombie', 'hog', 'pinned'];
const ACTIVITIES = ['busy', 'idle', 'waiting', 'unknown'] as const;
const TOKEN_KINDS = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_creation', 'cacheCreationTokens'],
  ['cache_read', 'cacheReadTokens'],
] as const;

const seconds = (iso: string): number => Date.parse(iso) / 1000;

/** Every health and activity pair, zeros included: an absent series would read as "no data", not as none. */
function processStates(processes: readonly ClaudeProcess[]): Sample[] {
  const counts = new Map<string, number>();
  for (const p of processes) {
    const key = `${p.health}/${p.activity ?? 'unknown'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return HEALTHS.flatMap((health) => ACTIVITIES.map((activity): Sample => [{ health, activity }, counts.get(`${health}/${activity}`) ?? 0]));
}

function tokenSamples(rows: ReadonlyArray<TokenTotals & { key: string }>, labelName: string): Sample[] {
  return rows.flatMap((r) => TOKEN_KINDS.map(([type, field]): Sample => [{ [labelName]: r.key, type }, r[field]]));
}

export function renderMetrics(snapshot: Snapshot | null): string {
  const out = new Exposition();
  out.family('tce_build_info', 'gauge', "TCE's version and the Node.js it runs on; always 1.", [[{ version: TCE_VERSION, node: process.version }, 1]]);
  out.gauge('tce_up', 'Whether TCE has a snapshot (1) or is still polling for the first time (0).', snapshot ? 1 : 0);
  if (!snapshot) return out.text();
  out.gauge('tce_last_poll_timestamp_seconds', 'Unix time of the last poll of processes and usage.', seconds(snapshot.generatedAt));
  out.gauge('tce_poll_interval_seconds', 'How often TCE polls.', snapshot.pollIntervalSeconds);

  const processes = snapshot.processes.processes;
  out.family(
    'tce_processes',
    'gauge',
    "Claude Code processes by health (healthy, stale, zombie, hog, pinned) and activity from Claude Code's registry (busy, idle, waiting: needs its user; unknown: no registry status).",
    processStates(processes),
  );
  const scannedAt = Date.parse(snapshot.processes.scannedAt);
  const waits = processes.filter((p) => p.activity === 'waiting' && p.activitySince !== null).map((p) => Math.max(0, (scannedAt - Date.parse(p.activitySince!)) / 1000));
  out.gauge('tce_waiting_longest_seconds', 'How long the longest-waiting session has waited for its user (0 when none waits).', waits.length > 0 ? Math.max(...waits) : 0);

  const report = snapshot.usage;
  if (report) {
    const pricing = report.costFigures.prices;
    const models = report.models.map((m) => ({ ...m, key: m.model }));
    const projects = report.projects.map((p) => ({ ...p, key: p.project }));
    out.family('tce_tokens_total', 'counter', 'Tokens used, by model and token type (input, output, cache_creation, cache_read), over the whole history.', tokenSamples(models, 'model'));
    out.family('tce_web_search_requests_total', 'counter', 'Web search requests by model over the whole history (priced per request in tce_cost_usd_total).', models.map((m): Sample => [{ model: m.key }, m.webSearchRequests]));
    out.family(
      'tce_cost_usd_total',
      'counter',
      'Cost in USD by model over the whole history, at the prices named by `pricing` (models without a price have no sample: their cost is unknown, not 0).',
      models.filter((m) => !m.unpriced).map((m): Sample => [{ model: m.key, pricing }, m.costUSD]),
    );
    out.family('tce_unpriced_tokens_total', 'counter', 'Tokens of models without a price over the whole history: tce_cost_usd_total leaves them out.', [[{ pricing }, report.totals.unpricedTokens]]);
    out.family('tce_project_tokens_total', 'counter', 'Tokens used, by project (Claude Code\'s project folder) and token type, over the whole history.', tokenSamples(projects, 'project'));
    out.family(
      'tce_project_cost_usd_total',
      'counter',
      'Cost in USD by project over the whole history, at the prices named by `pricing` (priced models only).',
      projects.map((p): Sample => [{ project: p.key, pricing }, p.costUSD]),
    );
    const cc = report.claudeCode;
    if (cc) {
      out.family('tce_claude_code_cost_usd_total', 'counter', "Claude Code's own cost (its cost-state tallies, 2.1.332 and later) over the whole history.", [[{}, cc.costUSD]]);
      out.family('tce_claude_code_not_in_transcripts_usd', 'gauge', "Claude Code's own cost beyond what its sessions' transcripts show (session titles, /compact), at the prices named by `pricing`.", [
        [{ pricing }, cc.notInTranscriptsUSD],
      ]);
    }
  }
  const today = snapshot.today;
  if (today) {
    out.family('tce_today_cost_usd', 'gauge', "Cost in USD of today (the calendar day in TCE's time zone, named by `timezone`); for budgets across machines use increase(tce_cost_usd_total[1d]).", [
      [{ timezone: today.timezone }, today.costUSD],
    ]);
    out.family('tce_today_tokens', 'gauge', "Tokens of today (the calendar day in TCE's time zone).", [[{ timezone: today.timezone }, today.totalTokens]]);
  }

  const block = snapshot.activeBlock?.active ? snapshot.activeBlock : null;
  out.gauge('tce_active_block', 'Whether a 5-hour block is active (1) or not (0).', block ? 1 : 0);
  if (block) {
    out.gauge('tce_active_block_start_timestamp_seconds', 'Unix time the active 5-hour block started.', seconds(block.start));
    out.gauge('tce_active_block_end_timestamp_seconds', 'Unix time the active 5-hour block ends.', seconds(block.end));
  }
  out.gauge('tce_active_block_tokens', 'Tokens used in the active 5-hour block (0 without one).', block?.totalTokens ?? 0);
  out.gauge('tce_active_block_cost_usd', 'Cost in USD of the active 5-hour block (priced models only; 0 without one).', block?.costUSD ?? 0);
  out.gauge('tce_active_block_unpriced_tokens', 'Tokens of models without a price in the active 5-hour block.', block?.unpricedTokens ?? 0);
  out.gauge('tce_active_block_burn_rate_tokens_per_second', 'Tokens per second the active 5-hour block burns.', (block?.burnRate?.tokensPerMinute ?? 0) / 60);
  out.gauge('tce_active_block_burn_rate_usd_per_second', 'USD per second the active 5-hour block burns (priced models only).', (block?.burnRate?.costPerHour ?? 0) / 3600);
  if (block?.projection) {
    out.gauge('tce_active_block_projected_tokens', 'Tokens the active 5-hour block will have used by its end at the current burn rate.', block.projection.totalTokens);
    out.gauge('tce_active_block_projected_cost_usd', 'Cost in USD the active 5-hour block will have reached by its end at the current burn rate.', block.projection.costUSD);
  }

  // Plan windows as Claude Code last passed them to `tce statusline` (none without it, or for API-key users).
  const windows = snapshot.plan?.windows ?? [];
  out.family('tce_plan_used_ratio', 'gauge', 'Plan use by window (five_hour, seven_day) from 0 to 1, as Claude Code last reported it.', windows.map((w): Sample => [{ window: w.window }, w.usedPercentage / 100]));
  out.family('tce_plan_resets_timestamp_seconds', 'gauge', 'Unix time each plan window resets.', windows.map((w): Sample => [{ window: w.window }, seconds(w.resetsAt)]));
  out.family('tce_plan_observed_timestamp_seconds', 'gauge', 'Unix time Claude Code last reported each plan window.', windows.map((w): Sample => [{ window: w.window }, seconds(w.observedAt)]));
  return out.text();
}
