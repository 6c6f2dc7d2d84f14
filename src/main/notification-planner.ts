import type { ClaudeProcess, Health } from '../shared/api.js';
import type { NotificationSettings } from '../core/settings/types.js';
import { sameStart } from '../core/process/pins.js';

export type NoticeKind = 'stale' | 'zombie' | 'hog';

const KINDS: readonly NoticeKind[] = ['zombie', 'hog', 'stale'];

export interface Notice {
  title: string;
  body: string;
  /** The process a click on the notification opens the dashboard on. */
  focusPid: number;
  /** Every process this notice is about. */
  pids: number[];
}

/** One process turning stale, zombie or hog, as a poll saw it. */
export interface NoticeEvent {
  kind: NoticeKind;
  process: ClaudeProcess;
}

const isKind = (h: Health): h is NoticeKind => (KINDS as readonly string[]).includes(h);

/** What the planner remembers of one process, known by its PID and start time (a PID can be reused). */
interface Seen {
  startedAt: string;
  health: Health;
  notifiedAt: number | null;
}

const name = (p: ClaudeProcess): string => `${p.project ?? p.name} (pid ${p.pid})`;

const WHY: Record<NoticeKind, string> = {
  stale: 'has been idle for a long time and looks forgotten',
  zombie: 'is a zombie: it has exited but was never reaped',
  hog: 'uses too much CPU or memory',
};

/**
 * Decides which notifications to show after a poll: one when a process becomes stale, a zombie or a hog,
 * once per transition, not within the cooldown of the last one for that process, none while paused or for
 * a kind switched off, and several at once grouped into one notice.
 */
export class NotificationPlanner {
  private readonly seen = new Map<number, Seen>();

  plan(processes: ClaudeProcess[], settings: NotificationSettings, now: number): Notice | null {
    return noticeFor(this.transitions(processes, settings, now));
  }

  /** The transitions a poll brings that deserve a notification (the planner remembers them as notified). */
  transitions(processes: ClaudeProcess[], settings: NotificationSettings, now: number): NoticeEvent[] {
    const paused = settings.pausedUntil !== null && Date.parse(settings.pausedUntil) > now;
    const cooldownMs = settings.cooldownMinutes * 60_000;
    const events: NoticeEvent[] = [];
    const present = new Set<number>();
    for (const p of processes) {
      present.add(p.pid);
      let known = this.seen.get(p.pid);
      // Start times computed from uptime can wobble by a tick between polls; a reused PID starts much later.
      if (!known || !sameStart(known.startedAt, p.startedAt)) {
        known = { startedAt: p.startedAt, health: 'healthy', notifiedAt: null };
        this.seen.set(p.pid, known);
        if (!isKind(p.health)) {
          known.health = p.health;
          continue;
        }
      } else if (known.health === p.health) {
        continue;
      }
      known.health = p.health;
      if (!isKind(p.health) || paused || !settings[p.health]) continue;
      if (known.notifiedAt !== null && now - known.notifiedAt < cooldownMs) continue;
      known.notifiedAt = now;
      events.push({ kind: p.health, process: p });
    }
    for (const pid of [...this.seen.keys()]) if (!present.has(pid)) this.seen.delete(pid);
    return events;
  }
}

/**
 * One notice for some transitions (null for none); a process seen twice counts once, as it was last seen. With
 * `afterSleep`, the notice says they gathered while the computer slept.
 */
export function noticeFor(transitions: NoticeEvent[], afterSleep = false): Notice | null {
  const latest = new Map<number, NoticeEvent>();
  for (const event of transitions) latest.set(event.process.pid, event);
  const notice = group([...latest.values()]);
  if (!notice || !afterSleep) return notice;
  return { ...notice, title: `${notice.title} (while this computer slept)` };
}

function group(events: NoticeEvent[]): Notice | null {
  if (events.length === 0) return null;
  events.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.process.pid - b.process.pid);
  const first = events[0]!;
  const pids = events.map((e) => e.process.pid);
  if (events.length === 1) {
    return {
      title: `Claude Code process ${first.kind === 'zombie' ? 'is a zombie' : `is ${first.kind === 'hog' ? 'a hog' : 'stale'}`}`,
      body: `${name(first.process)} ${WHY[first.kind]}.`,
      focusPid: first.process.pid,
      pids,
    };
  }
  const counts = KINDS.map((k) => [k, events.filter((e) => e.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  const listed = events.slice(0, 4).map((e) => name(e.process));
  const more = events.length > listed.length ? `, and ${events.length - listed.length} more` : '';
  return {
    title: `${events.length} Claude Code processes need attention`,
    body: `${counts.join(', ')}: ${listed.join(', ')}${more}.`,
    focusPid: first.process.pid,
    pids,
  };
}
