import fs from 'node:fs';
import { TICKS_PER_SECOND, bootTimeMs, parseStat, startTimeFromTicks } from '../../system/probe.js';
import type { BasicFacts, ListOptions, ProcessSource, RawProcess } from '../source.js';

const PAGE_SIZE = 4096;

/** One buffer reused for every /proc read: a scan reads two small files per process, and allocation dominated. */
let scratch = Buffer.allocUnsafe(8192);

/** A /proc file's text (open, read to the end, close: no fstat, no new buffer), or null when it cannot be read. */
function readText(file: string, encoding: BufferEncoding = 'latin1'): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const n = fs.readSync(fd, scratch, length, scratch.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return scratch.toString(encoding, 0, length);
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

function readLink(file: string): string | null {
  try {
    return fs.readlinkSync(file);
  } catch {
    return null;
  }
}

/** Whether a /proc/<pid>/fd/<n> link points at a terminal; null when it cannot be read (another user's process). */
export function isTerminalLink(target: string | null): boolean | null {
  if (target === null) return null;
  return /^\/dev\/(?:pts\/\d+|tty\w*|console)$/.test(target);
}

/** Name of the terminal behind a `tty_nr` device number, as ps prints it (pts/3, tty1), or null for none. */
export function ttyName(ttyNr: number): string | null {
  if (ttyNr === 0) return null;
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  return `tty(${major}:${minor})`;
}

function statusField(status: string, name: string): string | null {
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status);
  return match?.[1] ?? null;
}

/**
 * Reads /proc directly, one pass, no child process: stat and cmdline for every process, and exe, cwd and
 * status only for those the caller wants details of.
 */
export class LinuxProcSource implements ProcessSource {
  readonly name = 'linux-proc';
  readonly minSampleMs = 250;
  private readonly bootMs = bootTimeMs();

  async list(options: ListOptions = {}): Promise<RawProcess[]> {
    const out: RawProcess[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      const first = entry.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const p = this.read(Number(entry), options.detail);
      if (p) out.push(p);
    }
    return out;
  }

  async get(pid: number): Promise<RawProcess | null> {
    if (!Number.isInteger(pid) || pid <= 0) return null;
    return this.read(pid, () => true);
  }

  private read(pid: number, detail: ((facts: BasicFacts) => boolean) | undefined): RawProcess | null {
    const dir = `/proc/${pid}`;
    const statText = readText(`${dir}/stat`);
    if (statText === null) return null; // gone between readdir and now
    const stat = parseStat(statText);
    if (!stat) return null;
    const cmdline = readText(`${dir}/cmdline`, 'utf8') ?? '';
    const argv = cmdline.length === 0 ? [] : cmdline.replace(/\0$/, '').split('\0');
    const p: RawProcess = {
      pid,
      ppid: stat.ppid,
      comm: stat.comm,
      argv,
      state: stat.state,
      startTime: startTimeFromTicks(this.bootMs, stat.startTicks),
      startTicks: stat.startTicks,
      cpuTimeMs: (stat.cpuTicks * 1000) / TICKS_PER_SECOND,
      cpuPercent: null,
      rssBytes: stat.rssPages * PAGE_SIZE,
      tty: ttyName(stat.ttyNr),
      detailed: false,
      exe: null,
      cwd: null,
      uid: null,
      user: null,
      stdinTty: null,
    };
    if (detail && !detail({ pid, comm: p.comm, argv })) return p;
    p.detailed = true;
    p.exe = readLink(`${dir}/exe`)?.replace(/ \(deleted\)$/, '') ?? null;
    p.cwd = readLink(`${dir}/cwd`);
    p.stdinTty = isTerminalLink(readLink(`${dir}/fd/0`));
    const status = readText(`${dir}/status`);
    if (status) {
      const uid = statusField(status, 'Uid')?.split(/\s+/)[0];
      if (uid !== undefined) p.uid = Number(uid);
      const rss = statusField(status, 'VmRSS');
      if (rss) p.rssBytes = Number.parseInt(rss, 10) * 1024;
    }
    return p;
  }
}
