import type { ClaudeProcess, IndexingProgress, MachineState, PlanUsage, Snapshot, TokenTotals } from '../shared/api.js';
import { attentionLabel, attentionOrder } from '../core/process/attention.js';
import { fleetProcessSnapshot, fleetTotals, machineUsage } from '../core/fleet/combined.js';
import type { TrayState } from './icon-drawing.js';
import { clock, dayClock, formatBytes, formatCost, formatDuration, formatTokens, truncate } from './format.js';

export interface ProcessEntry {
  pid: number;
  /** ClaudeProcess.startId: the menu's actions name the process by PID and start. */
  startId: string;
  label: string;
  pinned: boolean;
  cwd: string | null;
  /** Waits for its user: listed first, marked. */
  waiting: boolean;
  /** The remote machine it runs on (its actions go there); absent on this machine. */
  machine?: string;
}

/** A remote machine in the menu: its processes under it, or why it does not answer. */
export interface MachineEntry {
  name: string;
  /** `devbox — 3 processes · today $1.20`, or `⚠ ci — not answering since 14:02: connection refused`. */
  label: string;
  reachable: boolean;
  processes: ProcessEntry[];
}

/** Everything the tray shows, as plain data: two equal views draw the same tray. */
export interface TrayView {
  state: TrayState;
  count: number;
  /** First menu line, also the tooltip's first line. */
  summary: string;
  costLine: string;
  blockLine: string;
  /** Plan use (5-hour and weekly windows) as last reported, or null when none is known. */
  planLine: string | null;
  /** How to get plan use when no statusline record exists (menu only), else null. */
  planHint: string | null;
  /** Sessions waiting for their user. */
  waitingCount: number;
  warnings: string[];
  /** This machine's processes. */
  processes: ProcessEntry[];
  /** The settings' remote machines, each with its processes; empty without remotes. */
  machines: MachineEntry[];
  /** `All machines: 5 processes · today $3.40 · $120.00 in all` with remote machines, else null. */
  fleetLine: string | null;
  /** This machine's stale processes (Kill all stale acts here). */
  staleCount: number;
  /** Local HH:MM until which notifications are paused, or null. */
  pausedUntil: string | null;
  startAtLogin: boolean;
  /** Why notifications cannot be shown here (no service, or the system refused one), or null. */
  notificationsProblem: string | null;
}

export interface TrayExtras {
  /** Warnings of the tray itself (e.g. settings recovered), shown with the snapshot's. */
  warnings: string[];
  pausedUntil: string | null;
  startAtLogin: boolean;
  notificationsProblem?: string | null;
  now: Date;
}

/**
 * Violet while any session waits for its user (the one state that needs the user now, so it wins over the others),
 * red for any zombie, yellow for any stale or hog, green when every process is fine, grey when none runs.
 */
export function trayState(snapshot: Snapshot | null): TrayState {
  // Every answering machine's processes: the dot and the count are the fleet's.
  const all = snapshot ? fleetProcessSnapshot(snapshot.processes, snapshot.machines) : null;
  const s = all?.summary;
  if (!s || s.total === 0) return 'grey';
  if (all?.processes.some((p) => p.activity === 'waiting')) return 'violet';
  if (s.zombie > 0) return 'red';
  if (s.stale > 0 || s.hog > 0) return 'yellow';
  return 'green';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 'es'}`;
}

function summaryLine(snapshot: Snapshot | null, waiting: number): string {
  if (!snapshot) return 'Looking for Claude Code processes…';
  const s = snapshot.processes.summary;
  if (s.total === 0) return snapshot.machines.length > 0 ? 'No Claude Code process running here' : 'No Claude Code process running';
  const problems = [
    waiting > 0 ? `${waiting} waiting for you` : '',
    s.zombie > 0 ? `${s.zombie} zombie` : '',
    s.stale > 0 ? `${s.stale} stale` : '',
    s.hog > 0 ? `${s.hog} hog` : '',
  ].filter(Boolean);
  const here = snapshot.machines.length > 0 ? ' here' : '';
  return `${plural(s.total, 'Claude Code process')}${here}${problems.length > 0 ? ` (${problems.join(', ')})` : ''}`;
}

/** Today's figures as the core computed them for this snapshot (its day in the report's zone). */
function costLine(snapshot: Snapshot | null): string {
  const today = snapshot?.today;
  if (!today && snapshot?.indexing) return indexingLine(snapshot.indexing);
  if (!today) return 'Today: no usage data yet';
  if (today.totalTokens === 0) return 'Today: $0.00';
  return `Today: ${costText(today)} · ${formatTokens(today.totalTokens)} tokens`;
}

/** A first index over a big history, in place of today's cost until it is known: files, share of bytes, time left. */
function indexingLine(p: IndexingProgress): string {
  const percent = p.bytesTotal > 0 ? Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100)) : 0;
  const left = p.etaSeconds === null ? '' : `, about ${formatDuration(p.etaSeconds)} left`;
  return `Counting usage: ${p.filesDone.toLocaleString('en-US')} of ${p.filesTotal.toLocaleString('en-US')} files (${percent}%${left})`;
}

/** A cost that never reads $0 for tokens without a price: `+ unpriced` for a share, `unpriced` when none is priced. */
function costText(t: Pick<TokenTotals, 'costUSD' | 'unpricedTokens'>): string {
  if (t.unpricedTokens <= 0) return formatCost(t.costUSD);
  return t.costUSD === 0 ? 'cost unknown (unpriced model)' : `${formatCost(t.costUSD)} + unpriced`;
}

function blockLine(snapshot: Snapshot | null): string {
  const block = snapshot?.activeBlock;
  if (!block || !block.active) return 'No active 5-hour block';
  const unpriced = block.unpricedTokens > 0 ? ' + unpriced' : '';
  const burn = block.burnRate ? ` · ${formatTokens(block.burnRate.tokensPerMinute)} tok/min · ${formatCost(block.burnRate.costPerHour)}${unpriced}/h` : '';
  return `Block ${clock(block.start)}–${clock(block.end)}: ${costText(block)}${burn}`;
}

export const PLAN_MENU_HINT = 'Plan use unknown: run tce statusline --install to see it';

/** Readings older than this say how old they are: the statusline reports only while Claude Code answers. */
const PLAN_FRESH_MS = 15 * 60_000;

/** `Plan: 5-hour 42% (resets 14:00) · weekly 71% (resets Fri 09:00)`, with the reading's age once it is old. */
export function planLine(plan: PlanUsage | null, now: Date): string | null {
  if (!plan || plan.windows.length === 0) return null;
  const parts = plan.windows.map((w) =>
    w.hasReset ? `${w.label} reset ${dayClock(w.resetsAt, now)}` : `${w.label} ${Math.round(w.usedPercentage)}% (resets ${dayClock(w.resetsAt, now)})`,
  );
  const observed = Math.min(...plan.windows.map((w) => Date.parse(w.observedAt)));
  const age = now.getTime() - observed;
  return `Plan: ${parts.join(' · ')}${age > PLAN_FRESH_MS ? ` · as of ${formatDuration(age / 1000)} ago` : ''}`;
}

function processLabel(p: ClaudeProcess, now: Date): string {
  const name = truncate(attentionLabel(p), 28);
  if (p.activity === 'waiting') {
    const since = p.activitySince === null ? NaN : Date.parse(p.activitySince);
    const waited = Number.isFinite(since) ? ` ${formatDuration((now.getTime() - since) / 1000)}` : '';
    return `⏳ ${name} · ${p.pid} · waiting${waited}: ${truncate(p.waitingFor ?? 'input', 30)}`;
  }
  const activity = p.activity ? ` · ${p.activity}` : '';
  const print = p.print ? ' · print' : '';
  return `${name} · ${p.pid} · ${p.health} · ${formatBytes(p.rssBytes)} · ${formatDuration(p.uptimeSeconds)}${activity}${print}`;
}

function processEntry(p: ClaudeProcess, now: Date): ProcessEntry {
  return {
    pid: p.pid,
    startId: p.startId,
    label: processLabel(p, now),
    pinned: p.pinned,
    cwd: p.cwd,
    waiting: p.activity === 'waiting',
    ...(p.machine !== undefined ? { machine: p.machine } : {}),
  };
}

function machineEntry(m: MachineState, now: Date): MachineEntry {
  const s = m.summary;
  if (!m.reachable || !s) {
    const seen = m.lastSeen ? `last seen ${dayClock(m.lastSeen, now)}` : m.checkedAt ? 'never answered' : 'asking…';
    return { name: m.name, reachable: false, processes: [], label: `⚠ ${m.name} — not answering, ${seen}${m.error ? `: ${truncate(m.error, 60)}` : ''}` };
  }
  const list = [...s.processes.processes].sort((a, b) => attentionOrder(a, b) || a.pid - b.pid);
  const today = s.today ? ` · today ${costText(s.today)}` : '';
  return { name: m.name, reachable: true, processes: list.map((p) => processEntry(p, now)), label: `${m.name} — ${plural(list.length, 'process')}${today}` };
}

/** Every machine at once: processes, today's and all-time cost (remote ones as last known). */
function fleetLine(snapshot: Snapshot): string {
  const rows = machineUsage(
    { today: snapshot.today, totals: snapshot.usage?.totals ?? null, unpricedModels: [], processes: snapshot.processes.processes.length, generatedAt: snapshot.generatedAt },
    snapshot.machines,
  );
  const total = fleetTotals(rows);
  const processes = rows.reduce((n, r) => n + (r.processes ?? 0), 0);
  const machines = 1 + snapshot.machines.filter((m) => m.reachable).length;
  return `All machines: ${plural(processes, 'process')} on ${machines} · today ${costText(total.today)} · ${costText(total.totals)} in all`;
}

export function trayView(snapshot: Snapshot | null, extras: TrayExtras): TrayView {
  // Sessions waiting for their user first (the longest wait first), then by PID.
  const processes = [...(snapshot?.processes.processes ?? [])].sort((a, b) => attentionOrder(a, b) || a.pid - b.pid);
  const waitingCount = processes.filter((p) => p.activity === 'waiting').length;
  const paused = extras.pausedUntil && Date.parse(extras.pausedUntil) > extras.now.getTime() ? clock(extras.pausedUntil) : null;
  return {
    state: trayState(snapshot),
    count: snapshot ? fleetProcessSnapshot(snapshot.processes, snapshot.machines).summary.total : 0,
    summary: summaryLine(snapshot, waitingCount),
    costLine: costLine(snapshot),
    blockLine: blockLine(snapshot),
    planLine: planLine(snapshot?.plan ?? null, extras.now),
    // No statusline record at all (API-key users have records without windows: nothing to set up for them).
    planHint: snapshot && !snapshot.plan ? PLAN_MENU_HINT : null,
    waitingCount,
    warnings: [...new Set([...extras.warnings, ...(snapshot?.warnings ?? [])])],
    processes: processes.map((p) => processEntry(p, extras.now)),
    machines: (snapshot?.machines ?? []).map((m) => machineEntry(m, extras.now)),
    fleetLine: snapshot && snapshot.machines.length > 0 ? fleetLine(snapshot) : null,
    staleCount: processes.filter((p) => p.health === 'stale').length,
    pausedUntil: paused,
    startAtLogin: extras.startAtLogin,
    notificationsProblem: extras.notificationsProblem ?? null,
  };
}

/**
 * Tooltip: the whole summary (processes, today's cost, the 5-hour block) and what needs attention. Windows cuts a
 * tray tooltip at 127 characters, so there it is shortened line by line.
 */
export function tooltip(view: TrayView, platform: NodeJS.Platform = process.platform): string {
  const lines = [
    `TCE — ${view.summary}`,
    view.costLine,
    view.fleetLine ?? '',
    view.planLine ?? '',
    view.blockLine,
    view.warnings.length > 0 ? `⚠ ${view.warnings.length} warning${view.warnings.length === 1 ? '' : 's'}` : '',
    view.notificationsProblem ? '⚠ Notifications unavailable' : '',
  ].filter(Boolean);
  if (platform !== 'win32') return lines.join('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const room = WINDOWS_TOOLTIP_MAX - kept.join('\n').length - (kept.length > 0 ? 1 : 0);
    if (room < 8) break;
    kept.push(truncate(line, room));
  }
  return kept.join('\n');
}

/** NOTIFYICONDATA's szTip holds 128 characters with its terminating zero. */
export const WINDOWS_TOOLTIP_MAX = 127;
