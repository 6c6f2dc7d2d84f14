/**
 * The notifications of issue 14's attention and plan decisions (made in core: decideWaits, decidePlanAlerts), as
 * texts: "proj-x needs you" once per wait, and a plan window crossing one of the user's thresholds.
 */
import type { ClaudeProcess } from '../shared/api.js';
import { attentionLabel } from '../core/process/attention.js';
import type { PlanAlert } from '../core/statusline/plan.js';
import { dayClock, formatDuration } from './format.js';

export interface AttentionNotice {
  title: string;
  body: string;
  /** The process a click opens the dashboard on; null: the dashboard as it is. */
  focusPid: number | null;
}

/**
 * At most this many waits get a notification of their own in one poll; the rest share one (the tray starting while
 * many sessions wait must not bury the screen in notifications).
 */
export const MAX_WAIT_NOTICES = 3;

function waitNotice(p: ClaudeProcess): AttentionNotice {
  return {
    title: `${attentionLabel(p)} needs you`,
    body: `Claude Code is waiting for ${p.waitingFor ?? 'your answer'} (pid ${p.pid}${p.project && p.sessionName ? `, ${p.project}` : ''}).`,
    focusPid: p.pid,
  };
}

/** One notice per wait that started (longest first, as decideWaits orders them), the surplus grouped into one. */
export function waitNotices(started: readonly ClaudeProcess[]): AttentionNotice[] {
  if (started.length <= MAX_WAIT_NOTICES) return started.map(waitNotice);
  const own = started.slice(0, MAX_WAIT_NOTICES - 1);
  const rest = started.slice(MAX_WAIT_NOTICES - 1);
  return [
    ...own.map(waitNotice),
    {
      title: `${rest.length} more Claude Code sessions need you`,
      body: `${rest.map((p) => `${attentionLabel(p)} (${p.waitingFor ?? 'input'})`).join(', ')}.`,
      focusPid: rest[0]!.pid,
    },
  ];
}

export function planNotice(alert: PlanAlert, now: Date): AttentionNotice {
  const left = (Date.parse(alert.resetsAt) - now.getTime()) / 1000;
  return {
    title: `Plan use: ${alert.label} window at ${Math.round(alert.usedPercentage)}%`,
    body: `Past your ${alert.threshold}% threshold. It resets ${dayClock(alert.resetsAt, now)}${left > 0 ? ` (in ${formatDuration(left)})` : ''}.`,
    focusPid: null,
  };
}
