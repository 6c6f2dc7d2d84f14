/**
 * The settings form: what the user may edit, as text fields, checked and turned into a patch of only what changed.
 * The server (or the tray's main process) checks again; this is for clear messages next to the field.
 */
import type { Settings } from '../../shared/api.js';

export interface NumberField {
  key: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  integer: boolean;
  get(s: Settings): number;
  patch(value: number): Partial<Settings>;
}

export const NUMBER_FIELDS: NumberField[] = [
  { key: 'poll', label: 'Poll every', unit: 's', min: 1, max: 3600, integer: true, get: (s) => s.pollIntervalSeconds, patch: (v) => ({ pollIntervalSeconds: v }) },
  {
    key: 'staleInteractive',
    label: 'Interactive session stale after idle',
    unit: 'h',
    min: 0.1,
    max: 24 * 30,
    integer: false,
    get: (s) => s.health.staleInteractiveHours,
    patch: (v) => ({ health: { staleInteractiveHours: v } as Settings['health'] }),
  },
  {
    key: 'staleBackground',
    label: 'Background session stale after idle',
    unit: 'h',
    min: 0.1,
    max: 24 * 30,
    integer: false,
    get: (s) => s.health.staleBackgroundHours,
    patch: (v) => ({ health: { staleBackgroundHours: v } as Settings['health'] }),
  },
  {
    key: 'idleCpu',
    label: 'Idle under CPU',
    unit: '%',
    min: 0,
    max: 100,
    integer: false,
    get: (s) => s.health.idleCpuPercent,
    patch: (v) => ({ health: { idleCpuPercent: v } as Settings['health'] }),
  },
  {
    key: 'hogCpu',
    label: 'Hog over CPU for a minute (of one core)',
    unit: '%',
    min: 1,
    max: 6400,
    integer: false,
    get: (s) => s.health.hogCpuPercent,
    patch: (v) => ({ health: { hogCpuPercent: v } as Settings['health'] }),
  },
  {
    key: 'hogMemory',
    label: 'Hog over memory',
    unit: 'MiB',
    min: 16,
    max: 1024 * 1024,
    integer: true,
    get: (s) => s.health.hogMemoryMiB,
    patch: (v) => ({ health: { hogMemoryMiB: v } as Settings['health'] }),
  },
  {
    key: 'cooldown',
    label: 'Notify again about a process after',
    unit: 'min',
    min: 0,
    max: 24 * 60,
    integer: true,
    get: (s) => s.notifications.cooldownMinutes,
    patch: (v) => ({ notifications: { cooldownMinutes: v } as Settings['notifications'] }),
  },
  { key: 'port', label: 'Dashboard port', unit: '', min: 1, max: 65535, integer: true, get: (s) => s.dashboardPort, patch: (v) => ({ dashboardPort: v }) },
];

export interface Switch {
  key: string;
  label: string;
  get(s: Settings): boolean;
  patch(value: boolean): Partial<Settings>;
}

export const SWITCHES: Switch[] = [
  { key: 'notifyStale', label: 'Notify when a session turns stale', get: (s) => s.notifications.stale, patch: (v) => ({ notifications: { stale: v } as Settings['notifications'] }) },
  { key: 'notifyZombie', label: 'Notify about zombie processes', get: (s) => s.notifications.zombie, patch: (v) => ({ notifications: { zombie: v } as Settings['notifications'] }) },
  { key: 'notifyHog', label: 'Notify about hogs', get: (s) => s.notifications.hog, patch: (v) => ({ notifications: { hog: v } as Settings['notifications'] }) },
  {
    key: 'notifyWaiting',
    label: 'Notify when a session needs you (a permission prompt, a question)',
    get: (s) => s.notifications.waiting,
    patch: (v) => ({ notifications: { waiting: v } as Settings['notifications'] }),
  },
  {
    key: 'notifyPlan',
    label: 'Notify when plan use crosses a threshold (once per window)',
    get: (s) => s.notifications.planThresholds,
    patch: (v) => ({ notifications: { planThresholds: v } as Settings['notifications'] }),
  },
  { key: 'startHidden', label: 'Start the tray app hidden', get: (s) => s.startHidden, patch: (v) => ({ startHidden: v }) },
];

/** The plan-use percents that notify, typed as a list: "80, 95". */
export const PLAN_PERCENTS = {
  key: 'planPercents',
  label: 'Notify at plan use',
  unit: '%',
  /** What the settings allow (core/settings/validate.ts): up to five percents from 1 to 100. */
  max: 5,
  get: (s: Settings): string => s.notifications.planThresholdPercents.join(', '),
  patch: (v: number[]): Partial<Settings> => ({ notifications: { planThresholdPercents: v } as Settings['notifications'] }),
};

/** The percents in `text` (ascending, each once), or why they are not a valid list. */
export function parsePercents(text: string): { value: number[] } | { error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const help = `Enter one to ${PLAN_PERCENTS.max} percentages from 1 to 100, such as 80, 95.`;
  if (parts.length === 0 || parts.length > PLAN_PERCENTS.max) return { error: help };
  const value = parts.map(Number);
  if (value.some((p) => !Number.isFinite(p) || p < 1 || p > 100)) return { error: help };
  return { value: [...new Set(value)].sort((a, b) => a - b) };
}

export type FormValues = Record<string, string | boolean>;

export function formFrom(settings: Settings): FormValues {
  const values: FormValues = {};
  for (const f of NUMBER_FIELDS) values[f.key] = String(f.get(settings));
  for (const s of SWITCHES) values[s.key] = s.get(settings);
  values[PLAN_PERCENTS.key] = PLAN_PERCENTS.get(settings);
  return values;
}

/** Merges patches, nested objects field by field. */
function merge(into: Partial<Settings>, patch: Partial<Settings>): Partial<Settings> {
  const out: Partial<Settings> = { ...into, ...patch };
  if (into.health || patch.health) out.health = { ...into.health, ...patch.health } as Settings['health'];
  if (into.notifications || patch.notifications) out.notifications = { ...into.notifications, ...patch.notifications } as Settings['notifications'];
  return out;
}

/** The changes against `saved` as a patch, or the problem of each field that is not a valid value. */
export function patchFrom(values: FormValues, saved: Settings): { patch: Partial<Settings>; errors: Record<string, string> } {
  let patch: Partial<Settings> = {};
  const errors: Record<string, string> = {};
  for (const f of NUMBER_FIELDS) {
    const text = String(values[f.key] ?? '').trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      errors[f.key] = 'Enter a number.';
    } else if (f.integer && !Number.isInteger(value)) {
      errors[f.key] = 'Enter a whole number.';
    } else if (value < f.min || value > f.max) {
      errors[f.key] = `Enter a value from ${f.min} to ${f.max}.`;
    } else if (value !== f.get(saved)) {
      patch = merge(patch, f.patch(value));
    }
  }
  for (const s of SWITCHES) {
    const value = values[s.key] === true;
    if (value !== s.get(saved)) patch = merge(patch, s.patch(value));
  }
  const percents = parsePercents(String(values[PLAN_PERCENTS.key] ?? ''));
  if ('error' in percents) errors[PLAN_PERCENTS.key] = percents.error;
  else if (percents.value.join() !== saved.notifications.planThresholdPercents.join()) patch = merge(patch, PLAN_PERCENTS.patch(percents.value));
  return { patch, errors };
}
