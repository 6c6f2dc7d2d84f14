/** The `tce status` table and the units it shows (memory, uptime, CPU). */
import type { ClaudeProcess, Health, ProcessSnapshot } from '../../core/process/index.js';
import { machineOf } from '../../core/fleet/combined.js';
import { attentionOrder } from '../../core/process/attention.js';
import type { Painter } from './colour.js';
import type { Fit } from './table.js';
import { uptime } from './uptime.js';

import { formatBytes as bytes } from '../../shared/format.js';

export { bytes };

function healthCell(h: Health, paint: Painter): string {
  switch (h) {
    case 'healthy':
      return paint.green(h);
    case 'stale':
      return paint.yellow(h);
    case 'zombie':
      return paint.red(h);
    case 'hog':
      return paint.magenta(h);
    case 'pinned':
      return paint.cyan(h);
  }
}

interface Column {
  title: string;
  right?: boolean;
  /** How the column gives way in a narrow terminal (table.ts); only plain, uncoloured columns do. */
  fit?: Fit;
  /** Narrowest it gets when it gives way (table.ts). */
  minWidth?: number;
  cell(p: ClaudeProcess, paint: Painter, scannedAt: number): string;
}

/** How long the process has been idle (registry or CPU samples), as of the scan. */
function idleFor(p: ClaudeProcess, scannedAt: number): string {
  if (p.idleSince === null) return '-';
  return uptime((scannedAt - Date.parse(p.idleSince)) / 1000);
}

/** Seconds a waiting session has waited for its user as of the scan, or null when it is not waiting. */
export function waitingSeconds(p: ClaudeProcess, scannedAt: number): number | null {
  if (p.activity !== 'waiting') return null;
  const since = p.activitySince === null ? NaN : Date.parse(p.activitySince);
  return Number.isFinite(since) ? Math.max(0, Math.round((scannedAt - since) / 1000)) : null;
}

/** `waiting 3m: permission prompt` (what a waiting session needs, for how long), `busy`, `idle`, or `-`. */
function activityCell(p: ClaudeProcess, paint: Painter, scannedAt: number): string {
  if (p.activity === 'waiting') {
    const seconds = waitingSeconds(p, scannedAt);
    return paint.bold(paint.yellow(`waiting${seconds === null ? '' : ` ${uptime(seconds)}`}: ${p.waitingFor ?? 'input'}`));
  }
  if (p.activity === 'busy') return paint.bold('busy');
  return p.activity ?? paint.dim('-');
}

/** What runs: `print` for a -p or SDK run, else the registry's kind, else what the terminal says. */
function kindCell(p: ClaudeProcess): string {
  if (p.print) return 'print';
  return p.kind ?? (p.interactive ? 'interactive' : 'background');
}

/** Waiting sessions first, the longest wait first; then by PID. */
function byAttention(a: ClaudeProcess, b: ClaudeProcess): number {
  return attentionOrder(a, b) || a.pid - b.pid;
}

const COLUMNS: Column[] = [
  { title: 'PID', right: true, cell: (p) => String(p.pid) },
  { title: 'HEALTH', cell: (p, paint) => healthCell(p.health, paint) },
  { title: 'ACTIVITY', cell: (p, paint, scannedAt) => activityCell(p, paint, scannedAt) },
  { title: 'IDLE', right: true, cell: (p, _paint, scannedAt) => idleFor(p, scannedAt) },
  { title: 'CPU%', right: true, cell: (p) => p.cpuPercent.toFixed(1) },
  { title: 'MEM', right: true, cell: (p) => bytes(p.rssBytes) },
  { title: 'UPTIME', right: true, cell: (p) => uptime(p.uptimeSeconds) },
  { title: 'TTY', cell: (p) => p.tty ?? '-' },
  { title: 'KIND', cell: kindCell },
  { title: 'VERSION', cell: (p) => p.version ?? '-' },
  { title: 'SESSION', cell: (p) => (p.sessionId ? p.sessionId.slice(0, 8) : '-') },
  { title: 'NAME', fit: 'truncate-end', cell: (p) => p.sessionName ?? '-' },
  // The end of a path names the project: a dozen columns of it still tell projects apart.
  { title: 'PROJECT', fit: 'truncate-start', minWidth: 12, cell: (p) => p.cwd ?? p.project ?? '?' },
];

/** First, when the table lists other machines' processes too (`tce status --machines`). */
const MACHINE_COLUMN: Column = { title: 'MACHINE', cell: (p) => machineOf(p) };

export function summaryLine(snapshot: ProcessSnapshot, paint: Painter): string {
  const s = snapshot.summary;
  const n = s.total === 1 ? '1 Claude Code process' : `${s.total} Claude Code processes`;
  const waiting = snapshot.processes.filter((p) => p.activity === 'waiting').length;
  const parts = [
    ...(waiting > 0 ? [paint.bold(paint.yellow(`${waiting} waiting for you`))] : []),
    paint.green(`${s.healthy} healthy`),
    (s.stale ? paint.yellow : String)(`${s.stale} stale`),
    (s.zombie ? paint.red : String)(`${s.zombie} zombie`),
    (s.hog ? paint.magenta : String)(`${s.hog} hog`),
    (s.pinned ? paint.cyan : String)(`${s.pinned} pinned`),
  ];
  return `${n}: ${parts.join(', ')}`;
}

/**
 * One row per process, columns padded to their widest cell (by display width, colours not counted) and the name and
 * project cut to fit `width` (table.ts: outputWidth), then the summary.
 */
export async function processTable(snapshot: ProcessSnapshot, paint: Painter, width = Infinity): Promise<string> {
  if (snapshot.processes.length === 0) return 'No Claude Code processes are running.\n';
  // Loaded for the table only: `tce status --json` never loads string-width.
  const { table } = await import('./table.js');
  const scannedAt = Date.parse(snapshot.scannedAt);
  const columns = snapshot.processes.some((p) => p.machine !== undefined) ? [MACHINE_COLUMN, ...COLUMNS] : COLUMNS;
  const rows = [...snapshot.processes].sort(byAttention).map((p) => columns.map((c) => c.cell(p, paint, scannedAt)));
  const text = table(
    columns.map((c) => ({ title: c.title, align: c.right ? ('right' as const) : ('left' as const), fit: c.fit, minWidth: c.minWidth })),
    rows,
    { width, rule: false, header: paint.bold },
  );
  return `${text}\n${summaryLine(snapshot, paint)}\n`;
}

/** `tce status --json`: the documented fields of each process (waiting ones first), and the summary. */
export function processJson(snapshot: ProcessSnapshot): object {
  const scannedAt = Date.parse(snapshot.scannedAt);
  return {
    processes: [...snapshot.processes].sort(byAttention).map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      exe: p.exe,
      cwd: p.cwd,
      project: p.project,
      state: p.state,
      health: p.health,
      activity: p.activity,
      waitingFor: p.waitingFor,
      waitingSeconds: waitingSeconds(p, scannedAt),
      sessionId: p.sessionId,
      kind: p.kind,
      entrypoint: p.entrypoint,
      print: p.print,
      interactive: p.interactive,
      cpuPercent: p.cpuPercent,
      rssBytes: p.rssBytes,
      startedAt: p.startedAt,
      startId: p.startId,
      uptimeSeconds: p.uptimeSeconds,
      tty: p.tty,
      pinned: p.pinned,
      version: p.version,
      installForm: p.installForm,
      sessionName: p.sessionName,
      activitySince: p.activitySince,
      idleSince: p.idleSince,
      ...(p.machine !== undefined ? { machine: p.machine } : {}),
    })),
    summary: snapshot.summary,
    waiting: snapshot.processes.filter((p) => p.activity === 'waiting').length,
  };
}
