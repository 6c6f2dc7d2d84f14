/**
 * Which sessions need their user: the decision behind the "proj-x needs you" notification, made here so the tray only
 * shows what it is given. One notification per wait: a wait is one process waiting since one moment (the registry's
 * statusUpdatedAt), so a session that waits again later notifies again, and one that keeps waiting never repeats.
 */
import type { ClaudeProcess } from './types.js';

/** Names one wait: the process (PID and start, so a reused PID is another process) and since when it waits. */
export function waitKey(p: Pick<ClaudeProcess, 'pid' | 'startedAt' | 'activitySince'>): string {
  return `${p.pid}@${p.startedAt}@${p.activitySince ?? ''}`;
}

export interface WaitDecision {
  /** Processes that started waiting since the last decision (the longest wait first): one notification each. */
  notify: ClaudeProcess[];
  /** The waits decided on so far, that still go on: pass it to the next decision. */
  seen: Set<string>;
}

/**
 * @param seen what the previous decision returned (an empty set at start: sessions already waiting then notify once)
 * @param enabled the `notifications.waiting` setting: when off nothing notifies, yet the waits are remembered, so
 *   turning it on does not announce waits that began while it was off
 */
export function decideWaits(processes: readonly ClaudeProcess[], seen: ReadonlySet<string>, enabled: boolean): WaitDecision {
  const now = new Set<string>();
  const notify: ClaudeProcess[] = [];
  for (const p of processes) {
    if (p.activity !== 'waiting') continue;
    const key = waitKey(p);
    now.add(key);
    if (enabled && !seen.has(key)) notify.push(p);
  }
  notify.sort((a, b) => (a.activitySince ?? '').localeCompare(b.activitySince ?? '') || a.pid - b.pid);
  return { notify, seen: now };
}

/** The project a waiting session is known by in a notification: its registry name, else its folder. */
export function attentionLabel(p: Pick<ClaudeProcess, 'sessionName' | 'project' | 'pid'>): string {
  return p.sessionName ?? p.project ?? `PID ${p.pid}`;
}

/**
 * The order every surface lists processes in for attention: waiting sessions before the others, the longest wait
 * first. 0 between two processes that do not wait (or wait equally long): the caller's own order decides those.
 */
export function attentionOrder(a: Pick<ClaudeProcess, 'activity' | 'activitySince'>, b: Pick<ClaudeProcess, 'activity' | 'activitySince'>): number {
  const wa = a.activity === 'waiting';
  const wb = b.activity === 'waiting';
  if (wa !== wb) return wa ? -1 : 1;
  if (!wa || a.activitySince === b.activitySince) return 0;
  return (a.activitySince ?? '') < (b.activitySince ?? '') ? -1 : 1;
}
