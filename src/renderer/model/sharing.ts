/**
 * Structural sharing between consecutive snapshots: parts that did not change keep their previous object, so
 * memoised components (the usage chart, unchanged process rows) skip their render on a poll that changed nothing.
 */
import type { ClaudeProcess, DailyUsage, MachineState, SessionUsage, Snapshot, UsageBlock, UsageReport, UsageToday } from '../../shared/api.js';

function sameProcess(a: ClaudeProcess, b: ClaudeProcess): boolean {
  for (const key of Object.keys(b) as Array<keyof ClaudeProcess>) {
    if (key === 'command') continue;
    if (a[key] !== b[key]) return false;
  }
  return a.command.length === b.command.length && a.command.every((arg, i) => arg === b.command[i]);
}

function sameDay(a: DailyUsage, b: DailyUsage): boolean {
  if (
    a.date !== b.date ||
    a.source !== b.source ||
    a.totalTokens !== b.totalTokens ||
    a.inputTokens !== b.inputTokens ||
    a.outputTokens !== b.outputTokens ||
    a.cacheCreationTokens !== b.cacheCreationTokens ||
    a.cacheReadTokens !== b.cacheReadTokens ||
    a.costUSD !== b.costUSD ||
    a.webSearchRequests !== b.webSearchRequests ||
    a.unpricedTokens !== b.unpricedTokens ||
    a.claudeCode?.costUSD !== b.claudeCode?.costUSD ||
    a.claudeCode?.sessions !== b.claudeCode?.sessions ||
    a.models.length !== b.models.length
  ) {
    return false;
  }
  return a.models.every((m, i) => {
    const o = b.models[i];
    return !!o && m.model === o.model && m.totalTokens === o.totalTokens && m.costUSD === o.costUSD && m.unpriced === o.unpriced;
  });
}

/**
 * The same usage revision is the same report (the engine says so): the previous one is kept whole. A changed report
 * keeps the day objects that did not change (usually all but today), so their table rows skip.
 */
function shareUsage(prev: Snapshot, next: Snapshot): UsageReport | null {
  if (!prev.usage || !next.usage) return next.usage;
  if (prev.usageRevision === next.usageRevision && prev.usage.timezone === next.usage.timezone) return prev.usage;
  const prevDaily = prev.usage.daily;
  const byDate = new Map(prevDaily.map((d) => [d.date, d]));
  const daily = next.usage.daily.map((d) => {
    const old = byDate.get(d.date);
    return old && sameDay(old, d) ? old : d;
  });
  return { ...next.usage, daily };
}

function sameSession(a: SessionUsage, b: SessionUsage): boolean {
  return (
    a.sessionId === b.sessionId &&
    a.totalTokens === b.totalTokens &&
    a.costUSD === b.costUSD &&
    a.unpricedTokens === b.unpricedTokens &&
    a.webSearchRequests === b.webSearchRequests &&
    a.claudeCode?.costUSD === b.claudeCode?.costUSD &&
    a.endedAt === b.endedAt &&
    a.livePid === b.livePid &&
    a.summary === b.summary &&
    a.linesAdded === b.linesAdded &&
    a.linesRemoved === b.linesRemoved &&
    a.models.join() === b.models.join()
  );
}

function shareSessions(prev: SessionUsage[], next: SessionUsage[]): SessionUsage[] {
  if (prev.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) {
    if (!sameSession(prev[i] as SessionUsage, next[i] as SessionUsage)) return next;
  }
  return prev;
}

function sameBlock(a: UsageBlock | null, b: UsageBlock | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.start === b.start && a.totalTokens === b.totalTokens && a.costUSD === b.costUSD && a.unpricedTokens === b.unpricedTokens && a.lastActivity === b.lastActivity && a.active === b.active &&
    a.burnRate?.tokensPerMinute === b.burnRate?.tokensPerMinute && a.projection?.costUSD === b.projection?.costUSD;
}

function samePlan(a: Snapshot['plan'], b: Snapshot['plan']): boolean {
  if (a === b) return true;
  if (!a || !b || a.updatedAt !== b.updatedAt || a.windows.length !== b.windows.length) return false;
  return a.windows.every((w, i) => {
    const o = b.windows[i];
    return !!o && w.window === o.window && w.usedPercentage === o.usedPercentage && w.resetsAt === o.resetsAt && w.observedAt === o.observedAt && w.hasReset === o.hasReset;
  });
}

function sameToday(a: UsageToday | null, b: UsageToday | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.date === b.date &&
    a.timezone === b.timezone &&
    a.totalTokens === b.totalTokens &&
    a.costUSD === b.costUSD &&
    a.unpricedTokens === b.unpricedTokens &&
    a.webSearchRequests === b.webSearchRequests &&
    // Claude Code's tally grows with calls no transcript shows (session titles): tokens alone miss them.
    a.claudeCode?.costUSD === b.claudeCode?.costUSD &&
    a.unpricedModels.join() === b.unpricedModels.join()
  );
}

function sameStrings(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** A remote machine's processes that did not change keep their objects, so their rows skip too. */
function shareMachines(prev: MachineState[], next: MachineState[]): MachineState[] {
  return next.map((m) => {
    const old = prev.find((x) => x.name === m.name)?.summary?.processes.processes;
    if (!old || !m.summary) return m;
    const byPid = new Map(old.map((p) => [p.pid, p]));
    const processes = m.summary.processes.processes.map((p) => {
      const was = byPid.get(p.pid);
      return was && was.startedAt === p.startedAt && sameProcess(was, p) ? was : p;
    });
    return { ...m, summary: { ...m.summary, processes: { ...m.summary.processes, processes } } };
  });
}

export function shareSnapshot(prev: Snapshot | null, next: Snapshot): Snapshot {
  if (!prev) return next;
  const byPid = new Map(prev.processes.processes.map((p) => [p.pid, p]));
  let processesChanged = prev.processes.processes.length !== next.processes.processes.length;
  const processes = next.processes.processes.map((p, i) => {
    const old = byPid.get(p.pid);
    const kept = old && old.startedAt === p.startedAt && sameProcess(old, p) ? old : p;
    if (kept !== prev.processes.processes[i]) processesChanged = true;
    return kept;
  });
  return {
    ...next,
    processes: processesChanged || prev.processes.scannedAt !== next.processes.scannedAt ? { ...next.processes, processes: processesChanged ? processes : prev.processes.processes } : prev.processes,
    usage: shareUsage(prev, next),
    today: sameToday(prev.today, next.today) ? prev.today : next.today,
    sessions: shareSessions(prev.sessions, next.sessions),
    activeBlock: sameBlock(prev.activeBlock, next.activeBlock) ? prev.activeBlock : next.activeBlock,
    plan: samePlan(prev.plan, next.plan) ? prev.plan : next.plan,
    warnings: sameStrings(prev.warnings, next.warnings) ? prev.warnings : next.warnings,
    machines: shareMachines(prev.machines ?? [], next.machines ?? []),
  };
}
