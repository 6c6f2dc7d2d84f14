// Builds dashboard snapshots for the tray tests: processes in given health states, usage for today, a block.
import type { ClaudeProcess, Snapshot, TokenTotals, UsageBlock, UsageReport } from '../../src/shared/api.js';
import { makeProcess, makeSnapshot } from '../../e2e/support/snapshots.js';

let nextPid = 41_000;

/** The dashboard tests' process, as the tray tests want it: fixed times, a home under /home/u/projects. */
export function claudeProcess(overrides: Partial<ClaudeProcess> = {}): ClaudeProcess {
  const pid = overrides.pid ?? nextPid++;
  return makeProcess(pid, {
    exe: '/home/u/.local/share/claude/versions/2.1.197',
    command: ['claude'],
    cwd: `/home/u/projects/proj-${pid}`,
    project: `proj-${pid}`,
    activitySince: '2026-11-25T10:00:00.000Z',
    idleSince: '2026-11-25T10:00:00.000Z',
    sessionId: null,
    cpuPercent: 0.2,
    rssBytes: 300 * 1024 * 1024,
    startedAt: '2026-11-25T09:00:00.000Z',
    startId: '4242',
    uptimeSeconds: 3 * 3600 + 5 * 60,
    version: '2.1.197',
    ...overrides,
  });
}

const totals = (costUSD: number, totalTokens: number): TokenTotals => ({
  inputTokens: totalTokens / 2,
  outputTokens: totalTokens / 2,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
  totalTokens,
  webSearchRequests: 0,
  costUSD,
  unpricedTokens: 0,
});

export function usageToday(day: string, costUSD: number, totalTokens: number): UsageReport {
  return {
    totals: totals(costUSD, totalTokens),
    claudeCode: null,
    costFigures: { costUSD: 'transcripts', claudeCode: 'cost-state', prices: '0badf00d' },
    models: [{ model: 'claude-sonnet-4-5', unpriced: false, ...totals(costUSD, totalTokens) }],
    daily: [{ date: day, models: [{ model: 'claude-sonnet-4-5', unpriced: false, ...totals(costUSD, totalTokens) }], ...totals(costUSD, totalTokens), claudeCode: null }],
    projects: [],
    hourOfDay: [],
    weekly: [],
    diagnostics: { files: 1, linesRead: 1, malformedLines: 0, duplicateLines: 0, unpricedModels: [] },
    timezone: 'UTC',
    generatedAt: `${day}T12:00:00.000Z`,
  };
}

export function activeBlock(start: string, costUSD: number, tokensPerMinute: number, costPerHour: number): UsageBlock {
  const end = new Date(Date.parse(start) + 5 * 3600_000).toISOString();
  return {
    ...totals(costUSD, 1000),
    start,
    end,
    lastActivity: start,
    active: true,
    models: ['claude-sonnet-4-5'],
    burnRate: { tokensPerMinute, costPerHour },
    projection: null,
  };
}

/** A snapshot made when its report was (so its "today" is the report's day, as the monitor computes it). */
export function snapshot(processes: ClaudeProcess[], extra: Partial<Snapshot> = {}): Snapshot {
  return makeSnapshot({ processList: processes, ...(extra.usage ? { generatedAt: extra.usage.generatedAt } : {}), ...extra });
}
