/** The `tce status` table and the units it shows (memory, uptime, CPU). */
import type { ClaudeProcess, Health, ProcessSnapshot } from '../../core/process/index.js';
import { machineOf } from '../../core/fleet/combined.js';
import { visibleLength, type Painter } from './colour.js';

import { formatBytes as bytes } from '../../shared/format.js';

export { bytes };

/** 45s, 12m, 3h 05m, 2d 4h */
export function uptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

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
export function byAttention(a: ClaudeProcess, b: ClaudeProcess): number {
  const wa = a.activity === 'waiting';
  const wb = b.activity === 'waiting';
  if (wa !== wb) return wa ? -1 : 1;
  if (wa && wb && a.activitySince !== b.activitySince) return (a.activitySince ?? '') < (b.activitySince ?? '') ? -1 : 1;
  return a.pid - b.pid;
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
  { title: 'NAME', cell: (p) => p.sessionName ?? '-' },
  { title: 'PROJECT', cell: (p) => p.cwd ?? p.project ?? '?' },
];

/** First, when the table lists other machines' processes too (`tce status --machines`). */
const MACHINE_COLUMN: Column = { title: 'MACHINE', cell: (p) => machineOf(p) };

function pad(text: string, width: number, right: boolean | undefined): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return right ? fill + text : text + fill;
}

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

/** One row per process, columns padded to their widest cell (colours not counted), then the summary. */
export function processTable(snapshot: ProcessSnapshot, paint: Painter): string {
  if (snapshot.processes.length === 0) return 'No Claude Code processes are running.\n';
  const scannedAt = Date.parse(snapshot.scannedAt);
  const columns = snapshot.processes.some((p) => p.machine !== undefined) ? [MACHINE_COLUMN, ...COLUMNS] : COLUMNS;
  const rows = [...snapshot.processes].sort(byAttention).map((p) => columns.map((c) => c.cell(p, paint, scannedAt)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, columns[i]?.right))
      .join('  ')
      .trimEnd();
  const header = paint.bold(line(columns.map((c) => c.title)));
  return `${[header, ...rows.map(line), '', summaryLine(snapshot, paint)].join('\n')}\n`;
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
