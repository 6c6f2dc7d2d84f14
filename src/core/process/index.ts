import path from 'node:path';
import type { SettingsStore } from '../settings/store.js';
import type { Settings } from '../settings/types.js';
import { detect, mightBeClaude, type Detection } from './detect.js';
import { CPU_HOG_SUSTAIN_MS, healthOf, idleSince } from './health.js';
import { findPin, livePins, sameStart } from './pins.js';
import { readRegistry, registryMatches, type RegistryEntry } from './registry.js';
import type { ProcessSource, RawProcess } from './source.js';
import { defaultProcessSource } from './sources/index.js';
import { CpuSampler, identityKey } from './cpu.js';
import { Killer } from './kill.js';
import type { ActionResult, ClaudeProcess, ProcessSnapshot, ProcessSummary } from './types.js';

export type { ProcessSource, RawProcess } from './source.js';
export type * from './types.js';

export interface ProcessMonitorOptions {
  claudeDirs: string[];
  settings: SettingsStore;
  source?: ProcessSource;
  /** Clock for uptime and health (ms since the epoch); tests move it forward. */
  now?: () => number;
  /** How long to wait for a signalled process to exit before reporting it still runs; default 3000 ms. */
  killWaitMs?: number;
  /** How long CPU use must stay over the hog line; default CPU_HOG_SUSTAIN_MS (tests shorten it). */
  hogSustainMs?: number;
}

export interface ScanOptions {
  /** On the first scan, how long to sample CPU before answering; default the source's shortest useful gap. */
  sampleMs?: number;
}

const BACKGROUND_KINDS = new Set(['bg', 'daemon', 'daemon-worker']);

function summarise(processes: ClaudeProcess[]): ProcessSummary {
  const s: ProcessSummary = { total: processes.length, healthy: 0, stale: 0, zombie: 0, hog: 0, pinned: 0 };
  for (const p of processes) s[p.health] += 1;
  return s;
}

/**
 * Finds the Claude Code processes on this machine, judges their health, and acts on them safely.
 * One instance keeps CPU samples and identities between scans.
 */
export class ProcessMonitor {
  readonly source: ProcessSource;
  private readonly claudeDirs: string[];
  private readonly settings: SettingsStore;
  private readonly now: () => number;
  private readonly sampler = new CpuSampler();
  private readonly killer: Killer;
  /** Identities recognised as Claude in earlier scans: a process keeps being Claude after it turns into a zombie. */
  private known = new Map<string, Detection & { claude: true }>();
  /** pid -> start time (ms) as of the latest scan: an action on a PID reused since then is refused. */
  private lastSeen = new Map<number, number>();
  private scanned = false;
  private readonly hogSustainMs: number;

  constructor(options: ProcessMonitorOptions) {
    this.claudeDirs = options.claudeDirs;
    this.settings = options.settings;
    this.source = options.source ?? defaultProcessSource();
    this.now = options.now ?? Date.now;
    this.killer = new Killer(this.source, options.killWaitMs ?? 3000);
    this.hogSustainMs = options.hogSustainMs ?? CPU_HOG_SUSTAIN_MS;
  }

  async scan(options: ScanOptions = {}): Promise<ProcessSnapshot> {
    const settings = this.settings.load().settings;
    const registry = readRegistry(this.claudeDirs);
    let raws = await this.list(registry);
    // Only processes read in detail can be Claude Code sessions: the thousands of others need no CPU samples or
    // identities kept (an idle poll allocated ~1 MB a scan for them).
    let candidates = raws.filter((r) => r.detailed);
    if (!this.scanned && candidates.some((r) => this.classify(r, registry) !== null)) {
      // A first scan has no earlier CPU reading: take a short second one.
      this.sampler.record(candidates, performance.now(), this.now(), settings.health.idleCpuPercent, settings.health.hogCpuPercent);
      await new Promise((resolve) => setTimeout(resolve, options.sampleMs ?? this.source.minSampleMs));
      raws = await this.list(registry);
      candidates = raws.filter((r) => r.detailed);
    }
    this.scanned = true;
    const now = this.now();
    const cpu = this.sampler.record(candidates, performance.now(), now, settings.health.idleCpuPercent, settings.health.hogCpuPercent);
    const children = new Map<number, number>();
    for (const r of candidates) children.set(r.pid, 0);
    // Indexed: this loop runs once a poll over every process, and for...of makes an object a step until optimised.
    for (let i = 0; i < raws.length; i++) {
      const n = children.get(raws[i]!.ppid);
      if (n !== undefined) children.set(raws[i]!.ppid, n + 1);
    }

    const processes: ClaudeProcess[] = [];
    const known = new Map<string, Detection & { claude: true }>();
    for (const raw of candidates) {
      const found = this.classify(raw, registry);
      if (!found) continue;
      known.set(identityKey(raw), found.detection);
      const cpuPercent = cpu.get(identityKey(raw)) ?? raw.cpuPercent ?? 0;
      processes.push(this.describe(raw, found.detection, found.entry, cpuPercent, children.get(raw.pid) ?? 0, settings, now));
    }
    this.known = known;
    this.lastSeen = new Map(candidates.map((r) => [r.pid, r.startTime]));
    this.sampler.forgetExcept(new Set(candidates.map(identityKey)));
    await this.prunePins(settings, processes);
    processes.sort((a, b) => a.pid - b.pid);
    return { processes, summary: summarise(processes), scannedAt: new Date(now).toISOString() };
  }

  async kill(pid: number, force: boolean): Promise<ActionResult> {
    return this.killer.kill(pid, force, (raw) => this.verify(raw));
  }

  async killStale(options: { dryRun: boolean }): Promise<ActionResult[]> {
    const snapshot = await this.scan();
    const stale = snapshot.processes.filter((p) => p.health === 'stale');
    const results: ActionResult[] = [];
    for (const p of stale) {
      const what = `PID ${p.pid} (${p.project ?? p.name}, idle ${describeIdle(p)})`;
      if (options.dryRun) {
        results.push({ ok: true, pid: p.pid, outcome: 'would-kill', message: `Would end ${what}.` });
      } else {
        results.push(await this.kill(p.pid, false));
      }
    }
    return results;
  }

  async pin(pid: number): Promise<ActionResult> {
    const raw = await this.source.get(pid);
    if (!raw) return { ok: false, pid, outcome: 'not-found', message: `No process with PID ${pid} is running; nothing was pinned.` };
    const refusal = this.verify(raw);
    if (refusal) return { ok: false, pid, outcome: 'refused', message: `${refusal} Nothing was pinned.` };
    const startedAt = new Date(raw.startTime).toISOString();
    let already = false;
    this.settings.update((s) => {
      already = findPin(s.pins, pid, raw.startTime) !== undefined;
      // A pin of an earlier process with this PID is dead: replace it.
      s.pins = s.pins.filter((p) => p.pid !== pid || sameStart(p.startedAt, raw.startTime));
      if (!already) s.pins.push({ pid, startedAt });
    });
    return {
      ok: true,
      pid,
      outcome: 'pinned',
      message: already ? `PID ${pid} was already pinned.` : `Pinned PID ${pid}: it will never be marked stale (until it exits).`,
    };
  }

  async unpin(pid: number): Promise<ActionResult> {
    let removed = 0;
    this.settings.update((s) => {
      const before = s.pins.length;
      s.pins = s.pins.filter((p) => p.pid !== pid);
      removed = before - s.pins.length;
    });
    if (removed === 0) return { ok: false, pid, outcome: 'not-found', message: `PID ${pid} is not pinned; nothing changed.` };
    return { ok: true, pid, outcome: 'unpinned', message: `Unpinned PID ${pid}: it can be marked stale again.` };
  }

  /** A reason to refuse acting on this process, or null when it is a Claude Code session we may act on. */
  private verify(raw: RawProcess): string | null {
    const d = detect(raw);
    if (!d.claude) {
      if (d.reason === 'self') return `PID ${raw.pid} is this monitor itself.`;
      if (d.reason === 'helper') return `PID ${raw.pid} (${raw.comm}) is a Claude Code helper process, not a session.`;
      return `PID ${raw.pid} (${raw.comm}) is not a Claude Code process.`;
    }
    const seen = this.lastSeen.get(raw.pid);
    if (seen !== undefined && !sameStart(seen, raw.startTime)) {
      return `PID ${raw.pid} now belongs to a different process than the one listed (it started at ${new Date(raw.startTime).toISOString()}).`;
    }
    const myUid = typeof process.getuid === 'function' ? process.getuid() : null;
    if (myUid !== null && raw.uid === null) return `The owner of PID ${raw.pid} cannot be verified.`;
    if (myUid !== null && raw.uid !== myUid) return `PID ${raw.pid} belongs to another user (uid ${raw.uid}).`;
    return null;
  }

  private async list(registry: Map<number, RegistryEntry>): Promise<RawProcess[]> {
    const knownPids = new Set([...this.known.keys()].map((k) => Number(k.split(':')[0])));
    const also = (pid: number) => registry.has(pid) || knownPids.has(pid);
    return this.source.list({ detail: (f) => mightBeClaude(f) || also(f.pid), alsoDetail: also });
  }

  /** Claude Code session or not; the registry entry only when it belongs to this very process. */
  private classify(raw: RawProcess, registry: Map<number, RegistryEntry>): { detection: Detection & { claude: true }; entry: RegistryEntry | null } | null {
    if (!raw.detailed) return null;
    const candidate = registry.get(raw.pid);
    const entry = candidate && registryMatches(candidate, raw.startTicks, raw.startTime) ? candidate : null;
    const d = detect(raw);
    if (d.claude) return { detection: d, entry };
    if (d.reason !== 'not-claude') return null;
    // A zombie keeps no argv or exe: it is still Claude if we knew it as such, or its registry entry matches.
    if (raw.argv.length > 0) return null;
    const known = this.known.get(identityKey(raw));
    if (known) return { detection: known, entry };
    if (entry) return { detection: { claude: true, form: 'argv0', version: entry.version }, entry };
    return null;
  }

  private describe(
    raw: RawProcess,
    d: Detection & { claude: true },
    entry: RegistryEntry | null,
    cpuPercent: number,
    childrenCount: number,
    settings: Settings,
    now: number,
  ): ClaudeProcess {
    const cwd = raw.cwd ?? entry?.cwd ?? null;
    const hasPrintFlag = raw.argv.includes('-p') || raw.argv.includes('--print');
    // The registry knows; else a session reading a terminal on stdin that was not started with -p is interactive.
    const interactive = entry?.kind ? entry.kind === 'interactive' : (raw.stdinTty ?? raw.tty !== null) && !hasPrintFlag;
    const startedAt = new Date(raw.startTime).toISOString();
    const pinned = findPin(settings.pins, raw.pid, raw.startTime) !== undefined;
    const since = idleSince({
      activity: entry?.activity ?? null,
      activitySince: entry?.activitySince ?? null,
      startTime: raw.startTime,
      now,
      cpuTimeMs: raw.cpuTimeMs,
      watched: this.sampler.watch(identityKey(raw), now),
      idleCpuPercent: settings.health.idleCpuPercent,
    });
    const health = healthOf(
      {
        state: raw.state,
        cpuPercent,
        rssBytes: raw.rssBytes,
        interactive: interactive && !BACKGROUND_KINDS.has(entry?.kind ?? ''),
        pinned,
        idleSince: since,
        cpuOverSince: this.sampler.overSince(identityKey(raw)),
      },
      settings.health,
      now,
      this.hogSustainMs,
    );
    return {
      pid: raw.pid,
      ppid: raw.ppid,
      // The kernel name varies (a version number, `MainThread` for node); argv[0]'s basename is what the user typed.
      name: raw.argv[0] ? path.basename(raw.argv[0].replace(/\\/g, '/')) : raw.comm,
      exe: raw.exe,
      command: raw.argv,
      installForm: d.form,
      cwd,
      project: cwd ? path.basename(cwd) : null,
      state: raw.state,
      health,
      activity: entry?.activity ?? null,
      activitySince: entry?.activitySince ? new Date(entry.activitySince).toISOString() : null,
      idleSince: since !== null ? new Date(since).toISOString() : null,
      sessionId: entry?.sessionId ?? null,
      kind: entry?.kind ?? null,
      sessionName: entry?.name ?? null,
      interactive,
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      rssBytes: raw.rssBytes,
      startedAt,
      uptimeSeconds: Math.max(0, Math.round((now - raw.startTime) / 1000)),
      tty: raw.tty,
      pinned,
      version: entry?.version ?? d.version,
      childrenCount,
    };
  }

  /** Drops pins whose process is gone (or whose PID now belongs to another process). */
  private async prunePins(settings: Settings, processes: ClaudeProcess[]): Promise<void> {
    if (settings.pins.length === 0) return;
    const alive = processes.map((p) => ({ pid: p.pid, startedAt: p.startedAt }));
    if (livePins(settings.pins, alive).length === settings.pins.length) return;
    try {
      this.settings.update((s) => {
        s.pins = livePins(s.pins, alive);
      });
    } catch {
      // Pruning is housekeeping: a failed write is retried on the next scan.
    }
  }
}

function describeIdle(p: ClaudeProcess): string {
  const since = p.idleSince ? Date.parse(p.idleSince) : Date.parse(p.startedAt);
  const hours = (Date.parse(p.startedAt) + p.uptimeSeconds * 1000 - since) / 3_600_000;
  return hours >= 1 ? `${hours.toFixed(1)} h` : `${Math.round(hours * 60)} min`;
}
