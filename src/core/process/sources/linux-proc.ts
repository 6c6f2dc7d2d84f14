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

/** What one earlier pass read of a process, and when to look at it again. */
interface Seen {
  raw: RawProcess;
  /** The last `list` that saw this PID: entries of PIDs gone are dropped. */
  pass: number;
  /** performance.now() after which an undetailed process's stat is read again (see `RECHECK_MS`). */
  recheckAt: number;
}

/**
 * How often, on average, a process not wanted in detail gets its stat read again (each at its own moment, between
 * half and one and a half times this, so the reads spread over the polls). Between those reads it is taken to be the
 * process it was (a PID is the same process while its start time is); the read finds a PID reused by a new process
 * (another start time) and a process that exec'd another program (another `comm`: `exec claude` from a shell keeps
 * its PID and start time). A process that registers itself (Claude Code writes `sessions/<pid>.json` at start) is
 * wanted in detail from the next pass on, and so read again at once; only one that does not is found this late.
 * Rechecking 2,000 processes costs ~10 ms (opening /proc files is most of it): every 5 minutes, a tenth of that per
 * 10-second poll.
 */
const RECHECK_MS = 5 * 60_000;

function readArgv(dir: string): string[] {
  const cmdline = readText(`${dir}/cmdline`, 'utf8') ?? '';
  return cmdline.length === 0 ? [] : cmdline.replace(/\0$/, '').split('\0');
}

/**
 * Reads /proc directly, one pass, no child process. A new process gets its stat and cmdline read, and its exe, cwd
 * and status too when the caller wants its details; a process seen before is read again only if wanted in detail
 * (stat, cwd, status every pass; cmdline and exe only when its start time or `comm` changed), else only about once a
 * minute (stat; see `RECHECK_MS`). So an unchanged pass over thousands of processes is one readdir of /proc.
 * What an undetailed process's entry says between rechecks (CPU time, state, memory, parent) may be that old.
 */
export class LinuxProcSource implements ProcessSource {
  readonly name = 'linux-proc';
  readonly minSampleMs = 250;
  private readonly bootMs = bootTimeMs();
  private readonly seen = new Map<number, Seen>();
  private passes = 0;

  async list(options: ListOptions = {}): Promise<RawProcess[]> {
    const out: RawProcess[] = [];
    const now = performance.now();
    const pass = ++this.passes;
    const { alsoDetail, detail: byFacts } = options;
    const detail = byFacts && alsoDetail ? (f: BasicFacts) => alsoDetail(f.pid) || byFacts(f) : byFacts;
    const entries = fs.readdirSync('/proc');
    // Indexed: run once a poll over thousands of entries, for...of makes an object a step until optimised.
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const first = entry.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const pid = Number(entry);
      const before = this.seen.get(pid);
      if (before && !before.raw.detailed && now < before.recheckAt && !this.wanted(before.raw, options)) {
        before.pass = pass;
        out.push(before.raw);
        continue;
      }
      const p = this.read(pid, detail, before?.raw ?? null);
      if (!p) continue; // gone between readdir and now
      out.push(p);
      if (before) {
        before.raw = p;
        before.pass = pass;
        before.recheckAt = now + RECHECK_MS * (0.5 + Math.random());
      } else this.seen.set(pid, { raw: p, pass, recheckAt: now + RECHECK_MS * (0.5 + Math.random()) });
    }
    this.seen.forEach((s, pid) => s.pass !== pass && this.seen.delete(pid));
    return out;
  }

  /** Whether a process passed over last time is wanted in detail now: by its PID only, when the caller says so. */
  private wanted(raw: RawProcess, options: ListOptions): boolean {
    if (!options.detail) return true;
    return options.alsoDetail ? options.alsoDetail(raw.pid) : options.detail(raw);
  }

  async get(pid: number): Promise<RawProcess | null> {
    if (!Number.isInteger(pid) || pid <= 0) return null;
    return this.read(pid, () => true, null);
  }

  /** Reads one process; what `before` (the same PID's last entry) holds is reused where it cannot have changed. */
  private read(pid: number, detail: ((facts: BasicFacts) => boolean) | undefined, before: RawProcess | null): RawProcess | null {
    const dir = `/proc/${pid}`;
    const statText = readText(`${dir}/stat`);
    if (statText === null) return null;
    const stat = parseStat(statText);
    if (!stat) return null;
    // The same process running the same program: its command line and executable are as read before, and its entry
    // is updated in place (a monitor keeps entries for hours: new ones each poll would be garbage for the old space).
    const same = before !== null && before.startTicks === stat.startTicks && before.comm === stat.comm;
    const argv = same ? before.argv : readArgv(dir);
    const wasDetailed = same && before.detailed;
    const p: RawProcess = same ? before : { pid, ppid: 0, comm: stat.comm, argv, state: '', startTime: startTimeFromTicks(this.bootMs, stat.startTicks), startTicks: stat.startTicks, cpuTimeMs: null, cpuPercent: null, rssBytes: 0, tty: null, detailed: false, exe: null, cwd: null, uid: null, user: null, stdinTty: null };
    p.ppid = stat.ppid;
    p.state = stat.state;
    p.cpuTimeMs = (stat.cpuTicks * 1000) / TICKS_PER_SECOND;
    p.rssBytes = stat.rssPages * PAGE_SIZE;
    const tty = ttyName(stat.ttyNr);
    if (tty !== p.tty) p.tty = tty;
    if (detail && !detail({ pid, comm: p.comm, argv })) {
      if (p.detailed) Object.assign(p, { detailed: false, exe: null, cwd: null, uid: null, stdinTty: null });
      return p;
    }
    p.detailed = true;
    if (!wasDetailed) p.exe = readLink(`${dir}/exe`)?.replace(/ \(deleted\)$/, '') ?? null;
    const cwd = readLink(`${dir}/cwd`);
    if (cwd !== p.cwd) p.cwd = cwd;
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
