import path from 'node:path';
import type { SettingsStore } from '../settings/store.js';
import type { Settings } from '../settings/types.js';
import { detect, isPrintEntrypoint, isPrintRun, mightBeClaude, type Detection } from './detect.js';
import { CPU_HOG_SUSTAIN_MS, healthOf, idleSince } from './health.js';
import { hasStartId, refOf, startIdOf, type StartFacts } from './identity.js';
import { findPin, livePins, pinHolds } from './pins.js';
import { readRegistry, registryMatches, type RegistryEntry } from './registry.js';
import type { ProcessSource, RawProcess } from './source.js';
import { defaultProcessSource } from './sources/index.js';
import { CpuSampler, identityKey } from './cpu.js';
import { Killer, type Refusal } from './kill.js';
import type { ActionResult, ClaudeProcess, ProcessRef, ProcessSnapshot, ProcessSummary } from './types.js';

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
  /** The settings as the caller already read them for this poll; default read from the store. */
  settings?: Settings;
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
    const settings = options.settings ?? this.settings.load().settings;
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
    const alive: Array<{ pid: number } & StartFacts> = [];
    const known = new Map<string, Detection & { claude: true }>();
    for (const raw of candidates) {
      const found = this.classify(raw, registry);
      if (!found) continue;
      alive.push(raw);
      known.set(identityKey(raw), found.detection);
      const cpuPercent = cpu.get(identityKey(raw)) ?? raw.cpuPercent ?? 0;
      processes.push(this.describe(raw, found.detection, found.entry, cpuPercent, children.get(raw.pid) ?? 0, settings, now));
    }
    this.known = known;
    this.sampler.forgetExcept(new Set(candidates.map(identityKey)));
    await this.prunePins(settings, alive);
    processes.sort((a, b) => a.pid - b.pid);
    return { processes, summary: summarise(processes), scannedAt: new Date(now).toISOString() };
  }

  /**
   * Which session runs in which live Claude Code process (session id to PID), by the registry entries that belong to
   * the very processes running now: for a caller that needs no full scan (`tce sessions`). A poll takes the same from
   * its scan's processes.
   */
  async livePids(): Promise<Map<string, number>> {
    const registry = readRegistry(this.claudeDirs);
    const out = new Map<string, number>();
    if (registry.size === 0) return out;
    for (const raw of await this.list(registry)) {
      const sessionId = this.classify(raw, registry)?.entry?.sessionId;
      if (sessionId) out.set(sessionId, raw.pid);
    }
    return out;
  }

  /** The process a PID names right now, as a reference to act on; null when none runs. */
  async identify(pid: number): Promise<ProcessRef | null> {
    const raw = Number.isInteger(pid) && pid > 0 ? await this.source.get(pid) : null;
    return raw ? refOf(raw) : null;
  }

  /** Signals `target` only if its PID still names that very process (same start) and it is a Claude Code session of ours. */
  async kill(target: ProcessRef, force: boolean): Promise<ActionResult> {
    return this.killer.kill(target.pid, force, (raw) => this.verify(raw, target));
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
        results.push(await this.kill({ pid: p.pid, startId: p.startId }, false));
      }
    }
    return results;
  }

  async pin(target: ProcessRef): Promise<ActionResult> {
    const { pid } = target;
    const raw = Number.isInteger(pid) && pid > 0 ? await this.source.get(pid) : null;
    if (!raw) return { ok: false, pid, outcome: 'not-found', message: `No process with PID ${pid} is running; nothing was pinned.` };
    const refusal = this.verify(raw, target);
    if (refusal) return { ok: false, pid, outcome: refusal.outcome, message: `${refusal.reason} Nothing was pinned.` };
    const startedAt = new Date(raw.startTime).toISOString();
    let already = false;
    this.settings.update((s) => {
      already = findPin(s.pins, raw) !== undefined;
      // A pin of an earlier process with this PID is dead: replace it.
      s.pins = s.pins.filter((p) => p.pid !== pid || pinHolds(p, raw));
      if (!already) s.pins.push({ pid, startedAt, startId: startIdOf(raw) });
    });
    return {
      ok: true,
      pid,
      outcome: 'pinned',
      message: already ? `PID ${pid} was already pinned.` : `Pinned PID ${pid}: it will never be marked stale (until it exits).`,
    };
  }

  /** Removes the pin of `target`; a pin of an earlier process with the same PID is dead and goes too. */
  async unpin(target: ProcessRef): Promise<ActionResult> {
    const { pid } = target;
    const raw = Number.isInteger(pid) && pid > 0 ? await this.source.get(pid) : null;
    if (raw && !hasStartId(raw, target.startId)) {
      return { ok: false, pid, outcome: 'not-found', message: `${goneReason(raw)} Nothing changed.` };
    }
    let removed = 0;
    this.settings.update((s) => {
      const before = s.pins.length;
      // The process runs as `target` named it, or no process has this PID: either way every pin of the PID is its own
      // or dead.
      s.pins = s.pins.filter((p) => p.pid !== pid);
      removed = before - s.pins.length;
    });
    if (removed === 0) return { ok: false, pid, outcome: 'not-found', message: `PID ${pid} is not pinned; nothing changed.` };
    return { ok: true, pid, outcome: 'unpinned', message: `Unpinned PID ${pid}: it can be marked stale again.` };
  }

  /**
   * Why not to act on this process, or null when it is the very process `target` names (same start) and a Claude Code
   * session of this user.
   */
  private verify(raw: RawProcess, target: ProcessRef): Refusal | null {
    if (!hasStartId(raw, target.startId)) return { outcome: 'not-found', reason: goneReason(raw) };
    const refused = (reason: string): Refusal => ({ outcome: 'refused', reason });
    const d = detect(raw);
    if (!d.claude) {
      if (d.reason === 'self') return refused(`PID ${raw.pid} is this monitor itself.`);
      if (d.reason === 'helper') return refused(`PID ${raw.pid} (${raw.comm}) is a Claude Code helper process, not a session.`);
      return refused(`PID ${raw.pid} (${raw.comm}) is not a Claude Code process.`);
    }
    const myUid = typeof process.getuid === 'function' ? process.getuid() : null;
    if (myUid !== null && raw.uid === null) return refused(`The owner of PID ${raw.pid} cannot be verified.`);
    if (myUid !== null && raw.uid !== myUid) return refused(`PID ${raw.pid} belongs to another user (uid ${raw.uid}).`);
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
    // A -p run is background work whatever the registry's kind says (2.1.332 writes `interactive` with entrypoint
    // `sdk-cli`); otherwise the registry knows, else a session reading a terminal on stdin is interactive.
    const print = isPrintRun(raw.argv) || isPrintEntrypoint(entry?.entrypoint ?? null);
    const interactive = !print && (entry?.kind ? entry.kind === 'interactive' : (raw.stdinTty ?? raw.tty !== null));
    const startedAt = new Date(raw.startTime).toISOString();
    const pinned = findPin(settings.pins, raw) !== undefined;
    const since = idleSince({
      // A session waiting for its user does nothing meanwhile: idle since it started waiting (so one forgotten at a
      // prompt for hours turns stale like any idle one).
      activity: entry?.activity === 'waiting' ? 'idle' : (entry?.activity ?? null),
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
      waitingFor: entry?.waitingFor ?? null,
      idleSince: since !== null ? new Date(since).toISOString() : null,
      sessionId: entry?.sessionId ?? null,
      kind: entry?.kind ?? null,
      entrypoint: entry?.entrypoint ?? null,
      print,
      sessionName: entry?.name ?? null,
      interactive,
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      rssBytes: raw.rssBytes,
      startedAt,
      startId: startIdOf(raw),
      uptimeSeconds: Math.max(0, Math.round((now - raw.startTime) / 1000)),
      tty: raw.tty,
      pinned,
      version: entry?.version ?? d.version,
      childrenCount,
    };
  }

  /** Drops pins whose process is gone (or whose PID now belongs to another process). */
  private async prunePins(settings: Settings, alive: Array<{ pid: number } & StartFacts>): Promise<void> {
    if (settings.pins.length === 0) return;
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

/** The words every surface shows when a PID no longer names the process the user saw. */
function goneReason(now: RawProcess): string {
  return `PID ${now.pid}: that process is gone; the PID now names another process (started ${new Date(now.startTime).toISOString()}).`;
}

function describeIdle(p: ClaudeProcess): string {
  const since = p.idleSince ? Date.parse(p.idleSince) : Date.parse(p.startedAt);
  const hours = (Date.parse(p.startedAt) + p.uptimeSeconds * 1000 - since) / 3_600_000;
  return hours >= 1 ? `${hours.toFixed(1)} h` : `${Math.round(hours * 60)} min`;
}
