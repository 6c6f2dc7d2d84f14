// Builders for dashboard snapshots with known content: small hand-made ones for the UI tests, large generated
// ones (hundreds of processes, a year of usage) for the renderer benchmark.
import { addTotals } from '../../src/core/usage/totals.js';
import type { ClaudeCodeCost, ClaudeProcess, DailyUsage, MachineState, ModelUsage, PlanUsage, SessionUsage, Snapshot, TokenTotals, UsageBlock, UsageReport } from '../../src/shared/api.js';
import { usageToday } from '../../src/core/usage/today.js';

export function totals(input: number, output: number, cacheCreation = 0, cacheRead = 0, costUSD = 0): TokenTotals {
  return {
    inputTokens: input,
    outputTokens: output,
    cacheCreationTokens: cacheCreation,
    cacheReadTokens: cacheRead,
    totalTokens: input + output + cacheCreation + cacheRead,
    webSearchRequests: 0,
    costUSD,
    unpricedTokens: 0,
  };
}

export function makeProcess(pid: number, over: Partial<ClaudeProcess> = {}): ClaudeProcess {
  const startedAt = new Date(Date.now() - 3600_000).toISOString();
  return {
    pid,
    ppid: 1,
    name: 'claude',
    exe: '/home/user/.local/share/claude/versions/2.1.112',
    command: ['claude', '--continue'],
    installForm: 'native-installer',
    cwd: `/home/user/work/project-${pid}`,
    project: `project-${pid}`,
    state: 'S',
    health: 'healthy',
    activity: 'idle',
    activitySince: startedAt,
    waitingFor: null,
    entrypoint: 'cli',
    print: false,
    idleSince: null,
    sessionId: `00000000-0000-4000-8000-${String(pid).padStart(12, '0')}`,
    kind: 'interactive',
    sessionName: null,
    interactive: true,
    cpuPercent: 0.5,
    rssBytes: 200 * 1024 * 1024,
    startedAt,
    startId: String(1_000_000 + pid),
    uptimeSeconds: 3600,
    tty: 'pts/1',
    pinned: false,
    version: '2.1.112',
    childrenCount: 0,
    ...over,
  };
}

export function summaryOf(processes: ClaudeProcess[]): Snapshot['processes']['summary'] {
  const count = (h: ClaudeProcess['health']) => processes.filter((p) => p.health === h).length;
  return { total: processes.length, healthy: count('healthy'), stale: count('stale'), zombie: count('zombie'), hog: count('hog'), pinned: count('pinned') };
}

/** A report whose totals are the exact sums of `days` (as the engine's are). */
export function makeReport(days: Array<{ date: string; models: ModelUsage[] }>, timezone = 'UTC'): UsageReport {
  const all = totals(0, 0);
  const byModel = new Map<string, ModelUsage>();
  const daily: DailyUsage[] = days.map((d) => {
    const day: DailyUsage = { ...totals(0, 0), date: d.date, models: d.models, source: 'transcripts', claudeCode: null };
    for (const m of d.models) {
      addTotals(day, m);
      let row = byModel.get(m.model);
      if (!row) byModel.set(m.model, (row = { ...totals(0, 0), model: m.model, unpriced: false }));
      addTotals(row, m);
    }
    addTotals(all, day);
    return day;
  });
  return {
    totals: all,
    claudeCode: null,
    costFigures: { costUSD: 'transcripts', claudeCode: 'cost-state', prices: '0badf00d' },
    models: [...byModel.values()].sort((a, b) => b.costUSD - a.costUSD),
    daily,
    projects: [],
    hourOfDay: [],
    weekly: [],
    diagnostics: { files: 1, linesRead: 1, malformedLines: 0, duplicateLines: 0, unpricedModels: [] },
    timezone,
    generatedAt: new Date().toISOString(),
  };
}

export function modelUsage(model: string, t: TokenTotals): ModelUsage {
  return { ...t, model, unpriced: false };
}

export function makeSession(sessionId: string, over: Partial<SessionUsage> = {}): SessionUsage {
  const startedAt = new Date(Date.now() - 1800_000).toISOString();
  return {
    ...totals(1000, 500, 0, 0, 0.25),
    sessionId,
    project: 'alpha',
    path: '/home/user/work/alpha',
    startedAt,
    endedAt: new Date().toISOString(),
    durationSeconds: 1800,
    models: ['claude-sonnet-4-5-20250929'],
    messages: 4,
    firstPrompt: 'fix the build',
    summary: null,
    livePid: null,
    linesAdded: 12,
    linesRemoved: 3,
    filesModified: 2,
    toolCounts: null,
    today: totals(1000, 500, 0, 0, 0.25),
    claudeCode: null,
    ...over,
  };
}

const revisions = new WeakMap<UsageReport, number>();
let lastRevision = 0;

/** As the engine's revision: the same report, the same revision; another report, another one. */
export function revisionOf(report: UsageReport | null): number {
  if (!report) return 0;
  let revision = revisions.get(report);
  if (revision === undefined) revisions.set(report, (revision = ++lastRevision));
  return revision;
}

/** A snapshot as the monitor makes it: today's figures and the usage revision follow from the report, as in core. */
export function makeSnapshot(over: Partial<Snapshot> & { processList?: ClaudeProcess[] } = {}): Snapshot {
  const { processList, ...rest } = over;
  const processes = processList ?? [];
  const generatedAt = rest.generatedAt ?? new Date().toISOString();
  const usage = rest.usage ?? null;
  return {
    processes: { processes, summary: summaryOf(processes), scannedAt: new Date().toISOString() },
    usage,
    usageRevision: revisionOf(usage),
    today: usage ? usageToday(usage, Date.parse(generatedAt)) : null,
    sessions: [],
    activeBlock: null,
    plan: null,
    machines: [],
    warnings: [],
    generatedAt,
    pollIntervalSeconds: 10,
    ...rest,
  };
}

/** YYYY-MM-DD of `days` before today (UTC). */
export function utcDay(daysAgo = 0): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return d.toISOString().slice(0, 10);
}

export const BENCH_MODELS = [
  'claude-opus-4-5-20251101',
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-1-20250805',
  'claude-sonnet-4-20250514',
  'claude-3-7-sonnet-20250219',
  'claude-3-5-haiku-20241022',
  'claude-opus-4-20250514',
];

/** A deterministic pseudo-random sequence, so every benchmark run sees the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** `processCount` processes, `days` days of usage over `models`, 100 sessions and an active block. */
export function largeSnapshot(processCount: number, days: number, models = BENCH_MODELS): Snapshot {
  const next = random(42);
  const healths: ClaudeProcess['health'][] = ['healthy', 'healthy', 'healthy', 'stale', 'pinned', 'hog'];
  const processList = Array.from({ length: processCount }, (_, i) =>
    makeProcess(10_000 + i, {
      health: healths[i % healths.length] as ClaudeProcess['health'],
      activity: i % 3 === 0 ? 'busy' : 'idle',
      cpuPercent: Math.round(next() * 1000) / 10,
      rssBytes: Math.round((100 + next() * 900) * 1024 * 1024),
      uptimeSeconds: Math.round(next() * 86400 * 3),
      project: `project-${i % 37}`,
      pinned: i % healths.length === 4,
    }),
  );
  const usageDays = Array.from({ length: days }, (_, i) => ({
    date: utcDay(days - 1 - i),
    models: models.map((model, m) => {
      const scale = 1 + m * 0.3;
      return modelUsage(model, totals(Math.round(next() * 50_000 * scale), Math.round(next() * 20_000), Math.round(next() * 100_000), Math.round(next() * 900_000), Math.round(next() * 4000) / 100));
    }),
  }));
  const sessions = Array.from({ length: 100 }, (_, i) => makeSession(`session-${i}`, { project: `project-${i % 37}`, livePid: i < processCount ? 10_000 + i : null }));
  const now = Date.now();
  const block: UsageBlock = {
    ...totals(120_000, 40_000, 10_000, 900_000, 12.5),
    start: new Date(now - 2 * 3600_000).toISOString(),
    end: new Date(now + 3 * 3600_000).toISOString(),
    lastActivity: new Date(now - 60_000).toISOString(),
    active: true,
    models: models.slice(0, 2),
    burnRate: { tokensPerMinute: 8000, costPerHour: 6.2 },
    projection: { totalTokens: 2_500_000, costUSD: 31 },
  };
  return makeSnapshot({ processList, usage: makeReport(usageDays), sessions, activeBlock: block });
}

/** Claude Code's own figure for a row whose transcripts cost `transcriptCostUSD`: `extra` more (titles, compaction). */
export function claudeCodeFigure(transcriptCostUSD: number, extra: number, over: Partial<ClaudeCodeCost> = {}): ClaudeCodeCost {
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  return {
    costUSD: round(transcriptCostUSD + extra),
    transcriptCostUSD: round(transcriptCostUSD),
    notInTranscriptsUSD: round(extra),
    combinedCostUSD: round(transcriptCostUSD + extra),
    sessions: 1,
    sessionsWithout: 0,
    unknownModelCost: false,
    ...over,
  };
}

/** Plan windows as `tce statusline` records them: the 5-hour and the weekly, reported `ageMinutes` ago. */
export function planWindows(fiveHour: number, weekly: number, ageMinutes = 3, now = Date.now()): PlanUsage {
  const observedAt = new Date(now - ageMinutes * 60_000).toISOString();
  return {
    windows: [
      { window: 'five_hour', label: '5-hour', usedPercentage: fiveHour, resetsAt: new Date(now + 2 * 3600_000 + 10 * 60_000).toISOString(), observedAt, hasReset: false, sessionId: 'plan-session' },
      { window: 'seven_day', label: 'weekly', usedPercentage: weekly, resetsAt: new Date(now + 4 * 86_400_000).toISOString(), observedAt, hasReset: false, sessionId: 'plan-session' },
    ],
    updatedAt: observedAt,
  };
}

/** A model no price table knows: its tokens count, its cost cannot. */
export const UNPRICED_MODEL = 'claude-experimental-preview-model-20260301';

const LONG_PATH = '/home/someone-with-a-long-name/work/clients/acme-corporation-international/platform-monorepo/services';

/**
 * The dashboard as a heavy user sees it after a year: 200 processes, 365 days over nine models (one without a
 * price), 1,200 sessions and 60 projects, with long paths, long session names and summaries, and long model lists.
 * Deterministic, like `largeSnapshot` which it extends.
 */
export function yearOfHistory(): Snapshot {
  const snapshot = largeSnapshot(200, 365, [...BENCH_MODELS, UNPRICED_MODEL]);
  const next = random(7);
  const usage = snapshot.usage as UsageReport;
  for (const day of usage.daily) {
    for (const m of day.models) {
      if (m.model !== UNPRICED_MODEL) continue;
      m.costUSD = 0;
      m.unpriced = true;
      m.unpricedTokens = m.totalTokens;
    }
  }
  const all = makeReport(usage.daily.map((d) => ({ date: d.date, models: d.models })));
  for (const m of all.models) m.unpriced = m.model === UNPRICED_MODEL;
  all.diagnostics.unpricedModels = [UNPRICED_MODEL];
  // Claude Code 2.1.332 and later write their own tally: the last half year of days has Claude Code's figure, a
  // share more than the transcripts (titles, compaction), and some web searches.
  usage.daily.forEach((d, i) => {
    if (i < usage.daily.length / 2) return;
    d.claudeCode = claudeCodeFigure(d.costUSD, Math.round(d.costUSD * 25) / 100, { sessions: 3 + (i % 4), sessionsWithout: i % 5 === 0 ? 1 : 0 });
    d.webSearchRequests = i % 7;
  });
  all.daily.forEach((d, i) => Object.assign(d, { claudeCode: usage.daily[i]!.claudeCode, webSearchRequests: usage.daily[i]!.webSearchRequests }));
  all.totals.webSearchRequests = usage.daily.reduce((n, d) => n + d.webSearchRequests, 0);
  all.claudeCode = claudeCodeFigure(all.totals.costUSD * 0.5, all.totals.costUSD * 0.12, { sessions: 640, sessionsWithout: 560, combinedCostUSD: all.totals.costUSD * 1.12 });
  all.projects = Array.from({ length: 60 }, (_, i) => {
    const t = totals(Math.round(next() * 9e6), Math.round(next() * 3e6), Math.round(next() * 2e7), Math.round(next() * 4e8), Math.round(next() * 90_000) / 100);
    // Every fifth project used only the model without a price: its cost is unknown, never $0.
    if (i % 5 === 4) Object.assign(t, { costUSD: 0, unpricedTokens: t.totalTokens });
    else if (i % 5 === 3) t.unpricedTokens = Math.round(t.totalTokens / 10);
    t.webSearchRequests = i % 9;
    const claudeCode = i % 2 === 0 ? claudeCodeFigure(t.costUSD, Math.round(t.costUSD * 20) / 100, { sessions: 10 + i, sessionsWithout: i % 3 }) : null;
    return { ...t, project: `-home-someone-work-project-${i}`, path: `${LONG_PATH}/project-number-${i}-with-a-descriptive-folder-name`, claudeCode };
  });
  snapshot.usage = all;
  // The snapshot's facts follow its report, as the monitor's do.
  snapshot.usageRevision = revisionOf(all);
  snapshot.today = usageToday(all, Date.parse(snapshot.generatedAt));
  snapshot.processes.processes.forEach((p, i) => {
    p.cwd = `${LONG_PATH}/project-number-${i % 37}-with-a-descriptive-folder-name`;
    p.project = `project-number-${i % 37}-with-a-descriptive-folder-name`;
    p.sessionName = i % 4 === 0 ? null : `Refactor the authentication middleware to use the new token store (part ${i})`;
    if (i % 50 === 7) Object.assign(p, { health: 'zombie', state: 'Z', activity: null });
    // Sessions waiting for their user (2.1.332's registry): a permission prompt, a dialog; and -p runs.
    if (i % 40 === 11) Object.assign(p, { activity: 'waiting', waitingFor: i % 80 === 11 ? 'permission prompt' : 'dialog open', activitySince: new Date(Date.now() - (i + 1) * 61_000).toISOString() });
    if (i % 9 === 2) Object.assign(p, { print: true, entrypoint: 'sdk-cli', tty: null });
  });
  snapshot.plan = planWindows(42.5, 87);
  const now = Date.now();
  snapshot.sessions = Array.from({ length: 1200 }, (_, i) => {
    const startedAt = new Date(now - i * 7 * 3600_000 - Math.round(next() * 3600_000)).toISOString();
    const models = i % 5 === 0 ? [...BENCH_MODELS.slice(0, 4), UNPRICED_MODEL] : BENCH_MODELS.slice(i % 3, (i % 3) + 2);
    const cost = Math.round(next() * 200_000) / 100;
    const session = makeSession(`session-${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`, {
      ...totals(Math.round(next() * 2e6), Math.round(next() * 5e5), Math.round(next() * 3e6), Math.round(next() * 8e7), cost),
      project: `-home-someone-work-project-${i % 60}`,
      path: `${LONG_PATH}/project-number-${i % 60}-with-a-descriptive-folder-name`,
      startedAt,
      endedAt: new Date(Date.parse(startedAt) + 2 * 3600_000).toISOString(),
      durationSeconds: 7200 + (i % 13) * 611,
      models,
      messages: 20 + (i % 300),
      summary: i % 3 === 0 ? null : `Investigate why the nightly build of the payments service fails on the integration tests after the dependency upgrade (${i})`,
      firstPrompt: 'the nightly build fails since the upgrade, find out why and fix it without changing the public API',
      livePid: i < 200 ? 10_000 + i : null,
      linesAdded: i * 37,
      linesRemoved: i * 11,
      unpricedModels: models.includes(UNPRICED_MODEL) ? [UNPRICED_MODEL] : [],
      today: i < 5 ? totals(1000, 500, 0, 0, 0.25) : totals(0, 0),
      // The newest half were written by Claude Code 2.1.332: its own figure, titles and compaction beyond the transcripts.
      claudeCode:
        i < 600
          ? {
              ...claudeCodeFigure(cost, Math.round(cost * 30) / 100, { unknownModelCost: i % 50 === 0 }),
              models: [
                { model: 'claude-opus-5-5', costUSD: Math.round(cost * 100) / 100, totalTokens: 1_200_000 + i, webSearchRequests: i % 4 },
                { model: 'claude-haiku-5-5', costUSD: Math.round(cost * 30) / 100, totalTokens: 40_000 + i, webSearchRequests: 0 },
              ],
            }
          : null,
    });
    if (models.includes(UNPRICED_MODEL)) session.unpricedTokens = Math.round(session.totalTokens / 5);
    session.webSearchRequests = i % 4;
    return session;
  });
  if (snapshot.activeBlock) {
    snapshot.activeBlock.models = [...BENCH_MODELS.slice(0, 2), UNPRICED_MODEL];
    snapshot.activeBlock.unpricedModels = [UNPRICED_MODEL];
    snapshot.activeBlock.unpricedTokens = 12_000;
  }
  return snapshot;
}

/**
 * A remote machine as the snapshot carries it: `processes` (marked as its own), its all-time `models`, and whether it
 * answers now (`down`: not since `lastSeenAgoMs`, for `error`).
 */
export function makeMachine(
  name: string,
  options: { processes?: ClaudeProcess[]; models?: ModelUsage[]; down?: { error: string; lastSeenAgoMs: number | null } } = {},
): MachineState {
  const processes = (options.processes ?? []).map((p) => ({ ...p, machine: name }));
  const report = makeReport([{ date: utcDay(0), models: options.models ?? [] }]);
  report.projects = (options.models ?? []).map((m, i) => ({ ...m, project: `-srv-${name}-project-${i}`, path: `/srv/${name}/project-${i}`, claudeCode: null }));
  const now = Date.now();
  const seen = options.down ? (options.down.lastSeenAgoMs === null ? null : new Date(now - options.down.lastSeenAgoMs).toISOString()) : new Date(now).toISOString();
  const { claudeCode: _claudeCode, ...today } = usageToday(report, now);
  return {
    name,
    url: `http://127.0.0.1:${15_000 + name.length}/`,
    reachable: !options.down,
    lastSeen: seen,
    checkedAt: new Date(now).toISOString(),
    error: options.down?.error ?? null,
    summary:
      seen === null
        ? null
        : {
            hostname: `${name}.example`,
            version: '0.1.0',
            generatedAt: seen,
            pollIntervalSeconds: 10,
            processes: { processes, summary: summaryOf(processes), scannedAt: seen },
            today,
            usage: { totals: report.totals, models: report.models, projects: report.projects, timezone: 'UTC' },
            activeBlock: null,
            plan: null,
            warnings: [],
          },
  };
}
