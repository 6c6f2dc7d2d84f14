import type { ClaudeProcess, Snapshot } from '../shared/api.js';
import type { TrayState } from './icon-drawing.js';
import { clock, formatBytes, formatCost, formatDuration, formatTokens, truncate } from './format.js';

export interface ProcessEntry {
  pid: number;
  /** ClaudeProcess.startId: the menu's actions name the process by PID and start. */
  startId: string;
  label: string;
  pinned: boolean;
  cwd: string | null;
}

/** Everything the tray shows, as plain data: two equal views draw the same tray. */
export interface TrayView {
  state: TrayState;
  count: number;
  /** First menu line, also the tooltip's first line. */
  summary: string;
  costLine: string;
  blockLine: string;
  warnings: string[];
  processes: ProcessEntry[];
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

/** Red for any zombie, yellow for any stale or hog, green when every process is fine, grey when none runs. */
export function trayState(snapshot: Snapshot | null): TrayState {
  const s = snapshot?.processes.summary;
  if (!s || s.total === 0) return 'grey';
  if (s.zombie > 0) return 'red';
  if (s.stale > 0 || s.hog > 0) return 'yellow';
  return 'green';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 'es'}`;
}

function summaryLine(snapshot: Snapshot | null): string {
  if (!snapshot) return 'Looking for Claude Code processes…';
  const s = snapshot.processes.summary;
  if (s.total === 0) return 'No Claude Code process running';
  const problems = [
    s.zombie > 0 ? `${s.zombie} zombie` : '',
    s.stale > 0 ? `${s.stale} stale` : '',
    s.hog > 0 ? `${s.hog} hog` : '',
  ].filter(Boolean);
  return `${plural(s.total, 'Claude Code process')}${problems.length > 0 ? ` (${problems.join(', ')})` : ''}`;
}

/** Today's figures as the core computed them for this snapshot (its day in the report's zone). */
function costLine(snapshot: Snapshot | null): string {
  const today = snapshot?.today;
  if (!today) return 'Today: no usage data yet';
  if (today.totalTokens === 0) return 'Today: $0.00';
  const unpriced = today.unpricedModels.length > 0 ? ' + unpriced' : '';
  return `Today: ${formatCost(today.costUSD)}${unpriced} · ${formatTokens(today.totalTokens)} tokens`;
}

function blockLine(snapshot: Snapshot | null): string {
  const block = snapshot?.activeBlock;
  if (!block || !block.active) return 'No active 5-hour block';
  const burn = block.burnRate ? ` · ${formatTokens(block.burnRate.tokensPerMinute)} tok/min · ${formatCost(block.burnRate.costPerHour)}/h` : '';
  return `Block ${clock(block.start)}–${clock(block.end)}: ${formatCost(block.costUSD)}${burn}`;
}

function processLabel(p: ClaudeProcess): string {
  const project = truncate(p.project ?? p.sessionName ?? p.name, 28);
  const activity = p.activity ? ` · ${p.activity}` : '';
  return `${project} · ${p.pid} · ${p.health} · ${formatBytes(p.rssBytes)} · ${formatDuration(p.uptimeSeconds)}${activity}`;
}

export function trayView(snapshot: Snapshot | null, extras: TrayExtras): TrayView {
  const processes = [...(snapshot?.processes.processes ?? [])].sort((a, b) => a.pid - b.pid);
  const paused = extras.pausedUntil && Date.parse(extras.pausedUntil) > extras.now.getTime() ? clock(extras.pausedUntil) : null;
  return {
    state: trayState(snapshot),
    count: snapshot?.processes.summary.total ?? 0,
    summary: summaryLine(snapshot),
    costLine: costLine(snapshot),
    blockLine: blockLine(snapshot),
    warnings: [...new Set([...extras.warnings, ...(snapshot?.warnings ?? [])])],
    processes: processes.map((p) => ({ pid: p.pid, startId: p.startId, label: processLabel(p), pinned: p.pinned, cwd: p.cwd })),
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
