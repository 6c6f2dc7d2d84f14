/**
 * Plan use (the 5-hour and weekly windows of Pro and Max plans) as Claude Code last reported it to the statusline,
 * and the decision behind the threshold notifications. No network, no credentials: only what Claude Code passed on.
 */
import type { StatuslineRecord } from './records.js';
import type { PlanUsage, PlanWindow } from './types.js';

export type { PlanUsage, PlanWindow } from './types.js';

/** The plan windows Claude Code names, in the order they are shown; others follow by name. */
const ORDER = ['five_hour', 'seven_day'];
const LABELS: Record<string, string> = { five_hour: '5-hour', seven_day: 'weekly', spend_limit: 'spend limit' };

/** The newest reading of each window across sessions (the windows are the account's, whichever session saw them). */
export function planUsage(records: readonly StatuslineRecord[], now: number): PlanUsage | null {
  if (records.length === 0) return null;
  const latest = new Map<string, PlanWindow>();
  let updatedAt = 0;
  for (const r of records) {
    updatedAt = Math.max(updatedAt, r.observedAt);
    for (const [window, w] of Object.entries(r.rateLimits)) {
      const seen = latest.get(window);
      if (seen && Date.parse(seen.observedAt) >= r.observedAt) continue;
      latest.set(window, {
        window,
        label: LABELS[window] ?? window.replace(/_/g, ' '),
        usedPercentage: w.usedPercentage,
        resetsAt: new Date(w.resetsAt).toISOString(),
        observedAt: new Date(r.observedAt).toISOString(),
        hasReset: w.resetsAt <= now,
        sessionId: r.sessionId,
      });
    }
  }
  const rank = (w: string) => (ORDER.includes(w) ? ORDER.indexOf(w) : ORDER.length);
  const windows = [...latest.values()].sort((a, b) => rank(a.window) - rank(b.window) || a.window.localeCompare(b.window));
  return { windows, updatedAt: new Date(updatedAt).toISOString() };
}

export interface PlanAlert {
  window: string;
  label: string;
  /** The highest threshold crossed (percent). */
  threshold: number;
  usedPercentage: number;
  resetsAt: string;
}

export interface PlanAlertDecision {
  /** At most one per window: its highest threshold newly crossed. */
  alerts: PlanAlert[];
  /** Thresholds already decided on, per window instance: pass it to the next decision. */
  seen: Set<string>;
}

/**
 * Which plan windows crossed a threshold since the last decision: once per window instance (a window and its reset
 * time) and threshold, so a window that resets notifies again when it fills up again. Jumping past two thresholds at
 * once notifies the higher one only.
 * @param thresholds percents, e.g. the `notifications.planThresholdPercents` setting
 * @param enabled the `notifications.planThresholds` setting: off, nothing notifies but crossings are remembered
 */
/** One window instance: its name and reset time (to the quarter hour: a reading may move it by a second or so). */
function instance(w: PlanWindow): string {
  return `${w.window}@${Math.round(Date.parse(w.resetsAt) / 900_000)}`;
}

export function decidePlanAlerts(plan: PlanUsage | null, thresholds: readonly number[], seen: ReadonlySet<string>, enabled: boolean): PlanAlertDecision {
  const next = new Set<string>();
  const alerts: PlanAlert[] = [];
  for (const w of plan?.windows ?? []) {
    if (w.hasReset) continue;
    let highest: number | null = null;
    for (const t of thresholds) {
      if (w.usedPercentage < t) continue;
      const key = `${instance(w)}@${t}`;
      next.add(key);
      if (!seen.has(key) && (highest === null || t > highest)) highest = t;
    }
    if (enabled && highest !== null) alerts.push({ window: w.window, label: w.label, threshold: highest, usedPercentage: w.usedPercentage, resetsAt: w.resetsAt });
  }
  // Crossings of windows still current stay remembered (a reading that dips below keeps them: no repeat on the way up).
  for (const key of seen) if ((plan?.windows ?? []).some((w) => !w.hasReset && key.startsWith(`${instance(w)}@`))) next.add(key);
  return { alerts, seen: next };
}
