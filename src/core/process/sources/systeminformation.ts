import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type si from 'systeminformation';
import type { ListOptions, ProcessSource, RawProcess } from '../source.js';
import { bootTimeMs, startTicksOf, startTimeFromTicks } from '../../system/probe.js';
import { isTerminalLink } from './linux-proc.js';

const STATES: Record<string, string> = {
  running: 'R',
  sleeping: 'S',
  blocked: 'D',
  stopped: 'T',
  zombie: 'Z',
  dead: 'X',
  paging: 'W',
};

type SiProcess = Awaited<ReturnType<typeof si.processes>>['list'][number];

/** systeminformation answers a call made within 500 ms of its previous one with that call's (stale) list. */
const SI_CACHE_MS = 500;
let lastCallAt = 0;

/** A list read now: waits out systeminformation's cache, so a just-exited process is never reported alive. */
async function freshProcesses(): Promise<Awaited<ReturnType<typeof si.processes>>> {
  const wait = lastCallAt + SI_CACHE_MS + 20 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  try {
    // Loaded on first use: the module costs ~25 ms to load, and Linux (every CLI start there) never needs it.
    const { default: systeminformation } = await import('systeminformation');
    return await systeminformation.processes();
  } finally {
    lastCallAt = Date.now();
  }
}

/** `started` is local time "YYYY-MM-DD HH:MM:SS" (one-second precision). */
function parseStarted(started: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(started);
  if (!m) return Number.NaN;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])).getTime();
}

function lsofCwd(pid: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('lsof', ['-a', '-p', String(pid), '-d', 'cwd', '-Fn'], { timeout: 2000 }, (error, stdout) => {
      if (error) return resolve(null);
      const line = stdout.split('\n').find((l) => l.startsWith('n'));
      resolve(line ? line.slice(1) : null);
    });
  });
}

function readLink(file: string): string | null {
  try {
    return fs.readlinkSync(file);
  } catch {
    return null;
  }
}

/**
 * The portable source (macOS, Windows): systeminformation's process list. It splits the command line on spaces,
 * so paths with spaces are approximate; exe and cwd are completed for the few processes the caller details.
 */
export class SystemInformationSource implements ProcessSource {
  readonly name = 'systeminformation';
  /** systeminformation computes CPU % between two of its calls; closer calls wait (see freshProcesses). */
  readonly minSampleMs = 600;
  private readonly cores = Math.max(1, os.cpus().length);
  private readonly me = os.userInfo().username;
  private readonly bootMs = process.platform === 'linux' ? bootTimeMs() : null;

  async list(options: ListOptions = {}): Promise<RawProcess[]> {
    const data = await freshProcesses();
    const out: RawProcess[] = [];
    for (const sp of data.list) {
      const p = this.convert(sp);
      if (options.detail && !options.detail({ pid: p.pid, comm: p.comm, argv: p.argv })) {
        out.push(p);
        continue;
      }
      out.push(await this.complete(p, sp));
    }
    return out;
  }

  async get(pid: number): Promise<RawProcess | null> {
    if (!Number.isInteger(pid) || pid <= 0) return null;
    const list = await this.list({ detail: (f) => f.pid === pid });
    return list.find((p) => p.pid === pid) ?? null;
  }

  private convert(sp: SiProcess): RawProcess {
    const full = [sp.path && !sp.command.startsWith('/') ? path.join(sp.path, sp.command) : sp.command, sp.params]
      .filter(Boolean)
      .join(' ');
    const argv = full.split(/\s+/).filter(Boolean);
    return {
      pid: sp.pid,
      ppid: sp.parentPid,
      comm: sp.name,
      argv,
      state: STATES[sp.state] ?? '?',
      startTime: parseStarted(sp.started),
      startTicks: null,
      cpuTimeMs: null,
      cpuPercent: (sp.cpu ?? 0) * this.cores,
      rssBytes: (sp.memRss ?? 0) * 1024,
      tty: sp.tty || null,
      detailed: false,
      exe: null,
      cwd: null,
      uid: null,
      user: sp.user || null,
      stdinTty: null,
    };
  }

  private async complete(p: RawProcess, sp: SiProcess): Promise<RawProcess> {
    p.detailed = true;
    if (sp.user === this.me && typeof process.getuid === 'function') p.uid = process.getuid();
    if (process.platform === 'linux') {
      // systeminformation gives neither exe nor cwd; /proc has them for the few detailed processes.
      p.exe = readLink(`/proc/${p.pid}/exe`)?.replace(/ \(deleted\)$/, '') ?? null;
      p.cwd = readLink(`/proc/${p.pid}/cwd`);
      p.stdinTty = isTerminalLink(readLink(`/proc/${p.pid}/fd/0`));
      try {
        p.startTicks = startTicksOf(p.pid);
        // `started` is cut to the second; the kernel's ticks give the same start time the /proc source reports.
        if (p.startTicks !== null && this.bootMs !== null) p.startTime = startTimeFromTicks(this.bootMs, p.startTicks);
        p.uid = fs.statSync(`/proc/${p.pid}`).uid;
      } catch {
        // vanished meanwhile
      }
    } else {
      p.exe = sp.path ? path.join(sp.path, sp.command) : null;
      if (process.platform === 'darwin') p.cwd = await lsofCwd(p.pid);
    }
    return p;
  }
}
