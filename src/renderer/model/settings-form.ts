/**
 * The settings form: what the user may edit, as text fields, checked and turned into a patch of only what changed.
 * Limits and messages come from the one settings schema (src/core/settings/schema.ts), which the main process or the
 * server applies again to the patch; here they give clear messages next to the field.
 */
import { LIMITS, MAX_PLAN_THRESHOLDS, NUMBER_RULES, describeNumber, fitsNumber, patchOf, settingValue, type NumberSetting, type SettingsPatch } from '../../core/settings/schema.js';
import type { Settings } from '../../shared/api.js';

export interface NumberField {
  key: string;
  label: string;
  unit: string;
  /** The setting it edits; its limits are the schema's. */
  setting: NumberSetting;
  min: number;
  max: number;
  integer: boolean;
  get(s: Settings): number;
  patch(value: number): SettingsPatch;
}

function numberField(key: string, label: string, unit: string, setting: NumberSetting): NumberField {
  const { min, max, integer } = NUMBER_RULES[setting];
  return { key, label, unit, setting, min, max, integer, get: (s) => settingValue(s, setting), patch: (v) => patchOf(setting, v) };
}

export const NUMBER_FIELDS: NumberField[] = [
  numberField('poll', 'Poll every', 's', 'pollIntervalSeconds'),
  numberField('staleInteractive', 'Interactive session stale after idle', 'h', 'health.staleInteractiveHours'),
  numberField('staleBackground', 'Background session stale after idle', 'h', 'health.staleBackgroundHours'),
  numberField('idleCpu', 'Idle under CPU', '%', 'health.idleCpuPercent'),
  numberField('hogCpu', 'Hog over CPU for a minute (of one core)', '%', 'health.hogCpuPercent'),
  numberField('hogMemory', 'Hog over memory', 'MiB', 'health.hogMemoryMiB'),
  numberField('cooldown', 'Notify again about a process after', 'min', 'notifications.cooldownMinutes'),
  numberField('port', 'Dashboard port', '', 'dashboardPort'),
];

export interface Switch {
  key: string;
  label: string;
  get(s: Settings): boolean;
  patch(value: boolean): SettingsPatch;
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
  get: (s: Settings): string => s.notifications.planThresholdPercents.join(', '),
  patch: (v: number[]): SettingsPatch => ({ notifications: { planThresholdPercents: v } }),
};

/** The percents in `text` (ascending, each once), or why they are not a list the settings schema takes. */
export function parsePercents(text: string): { value: number[] } | { error: string } {
  const [min, max] = LIMITS.planPercent;
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const help = `Enter one to ${MAX_PLAN_THRESHOLDS} percentages from ${min} to ${max}, such as 80, 95.`;
  if (parts.length === 0 || parts.length > MAX_PLAN_THRESHOLDS) return { error: help };
  const value = parts.map(Number);
  if (value.some((p) => !Number.isFinite(p) || p < min || p > max)) return { error: help };
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

/** Merges patches, nested groups field by field. */
function merge(into: SettingsPatch, patch: SettingsPatch): SettingsPatch {
  const out: SettingsPatch = { ...into, ...patch };
  if (into.health || patch.health) out.health = { ...into.health, ...patch.health };
  if (into.notifications || patch.notifications) out.notifications = { ...into.notifications, ...patch.notifications };
  return out;
}

/** The changes against `saved` as a patch, or the problem of each field that is not a valid value. */
export function patchFrom(values: FormValues, saved: Settings): { patch: SettingsPatch; errors: Record<string, string> } {
  let patch: SettingsPatch = {};
  const errors: Record<string, string> = {};
  for (const f of NUMBER_FIELDS) {
    const text = String(values[f.key] ?? '').trim();
    const value = Number(text);
    const rule = NUMBER_RULES[f.setting];
    if (text === '' || !Number.isFinite(value) || !fitsNumber(rule, value)) {
      errors[f.key] = `Enter ${describeNumber(rule)}.`;
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
