/** The `tce status` table and the units it shows (memory, uptime, CPU). */
import type { ClaudeProcess, Health, ProcessSnapshot } from '../../core/process/index.js';
import { visibleLength, type Painter } from './colour.js';

export function bytes(n: number): string {
  const mib = n / (1024 * 1024);
  if (mib >= 1024) return `${(mib / 1024).toFixed(1)} GiB`;
  return `${mib >= 10 ? Math.round(mib) : mib.toFixed(1)} MiB`;
}

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

const COLUMNS: Column[] = [
  { title: 'PID', right: true, cell: (p) => String(p.pid) },
  { title: 'HEALTH', cell: (p, paint) => healthCell(p.health, paint) },
  { title: 'ACTIVITY', cell: (p, paint) => (p.activity === 'busy' ? paint.bold('busy') : (p.activity ?? paint.dim('-'))) },
  { title: 'IDLE', right: true, cell: (p, _paint, scannedAt) => idleFor(p, scannedAt) },
  { title: 'CPU%', right: true, cell: (p) => p.cpuPercent.toFixed(1) },
  { title: 'MEM', right: true, cell: (p) => bytes(p.rssBytes) },
  { title: 'UPTIME', right: true, cell: (p) => uptime(p.uptimeSeconds) },
  { title: 'TTY', cell: (p) => p.tty ?? '-' },
  { title: 'KIND', cell: (p) => p.kind ?? (p.interactive ? 'interactive' : 'background') },
  { title: 'VERSION', cell: (p) => p.version ?? '-' },
  { title: 'SESSION', cell: (p) => (p.sessionId ? p.sessionId.slice(0, 8) : '-') },
  { title: 'PROJECT', cell: (p) => p.cwd ?? p.project ?? '?' },
];

function pad(text: string, width: number, right: boolean | undefined): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return right ? fill + text : text + fill;
}

export function summaryLine(snapshot: ProcessSnapshot, paint: Painter): string {
  const s = snapshot.summary;
  const n = s.total === 1 ? '1 Claude Code process' : `${s.total} Claude Code processes`;
  const parts = [
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
  const rows = snapshot.processes.map((p) => COLUMNS.map((c) => c.cell(p, paint, scannedAt)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, COLUMNS[i]?.right))
      .join('  ')
      .trimEnd();
  const header = paint.bold(line(COLUMNS.map((c) => c.title)));
  return `${[header, ...rows.map(line), '', summaryLine(snapshot, paint)].join('\n')}\n`;
}

/** `tce status --json`: the documented fields of each process, and the summary. */
export function processJson(snapshot: ProcessSnapshot): object {
  return {
    processes: snapshot.processes.map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      exe: p.exe,
      cwd: p.cwd,
      project: p.project,
      state: p.state,
      health: p.health,
      activity: p.activity,
      sessionId: p.sessionId,
      kind: p.kind,
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
    })),
    summary: snapshot.summary,
  };
}
