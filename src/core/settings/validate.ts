import { DEFAULT_SETTINGS } from './defaults.js';
import type { ModelPrice, Pin, Settings, TokenRates } from './types.js';

type Problems = string[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown, fallback: number, name: string, problems: Problems, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return v;
  problems.push(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return fallback;
}

function bool(v: unknown, fallback: boolean, name: string, problems: Problems): boolean {
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  problems.push(`${name} must be true or false, got ${JSON.stringify(v)}`);
  return fallback;
}

const nonNegative = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function rates(v: unknown, name: string, problems: Problems): TokenRates | null {
  if (!isObject(v)) {
    problems.push(`${name} must be an object of prices`);
    return null;
  }
  const fields = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
  const out = {} as TokenRates;
  for (const f of fields) {
    const value = v[f];
    if (!nonNegative(value)) {
      problems.push(`${name}.${f} must be a non-negative number`);
      return null;
    }
    out[f] = value;
  }
  return out;
}

/** A price override: the five token rates, and optionally a web search price, a long-prompt tier and fast-mode rates. */
function price(v: unknown, name: string, problems: Problems): ModelPrice | null {
  const out: ModelPrice | null = rates(v, name, problems);
  if (!out || !isObject(v)) return null;
  if (v.webSearch !== undefined) {
    if (!nonNegative(v.webSearch)) {
      problems.push(`${name}.webSearch must be a non-negative number (USD per request)`);
      return null;
    }
    out.webSearch = v.webSearch;
  }
  if (v.longPrompt !== undefined) {
    const long = rates(v.longPrompt, `${name}.longPrompt`, problems);
    if (!long || !isObject(v.longPrompt)) return null;
    const above = v.longPrompt.abovePromptTokens;
    if (typeof above !== 'number' || !Number.isInteger(above) || above < 1) {
      problems.push(`${name}.longPrompt.abovePromptTokens must be a whole number of tokens above 0`);
      return null;
    }
    out.longPrompt = { ...long, abovePromptTokens: above };
  }
  if (v.fast !== undefined) {
    const fast = rates(v.fast, `${name}.fast`, problems);
    if (!fast) return null;
    out.fast = fast;
  }
  return out;
}

/** Percents of a plan window that notify: 1 to 100, at most 5, kept ascending and without repeats. */
function percents(v: unknown, fallback: number[], name: string, problems: Problems): number[] {
  if (v === undefined) return [...fallback];
  if (Array.isArray(v) && v.length <= 5 && v.every((p) => typeof p === 'number' && Number.isFinite(p) && p >= 1 && p <= 100)) {
    return [...new Set(v as number[])].sort((a, b) => a - b);
  }
  problems.push(`${name} must be a list of at most 5 percentages from 1 to 100, got ${JSON.stringify(v)}`);
  return [...fallback];
}

function pins(v: unknown, problems: Problems): Pin[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.push('pins must be a list');
    return [];
  }
  const out: Pin[] = [];
  for (const p of v) {
    if (isObject(p) && Number.isInteger(p.pid) && typeof p.startedAt === 'string' && !Number.isNaN(Date.parse(p.startedAt))) {
      out.push({ pid: p.pid as number, startedAt: p.startedAt });
    } else {
      problems.push(`a pin is malformed: ${JSON.stringify(p)}`);
    }
  }
  return out;
}

/** Merges what was stored onto the defaults, field by field; every field that fails its check falls back and is reported. */
export function normaliseSettings(raw: unknown): { settings: Settings; problems: Problems } {
  const problems: Problems = [];
  const d = DEFAULT_SETTINGS;
  if (!isObject(raw)) {
    return { settings: structuredClone(d), problems: ['the file does not hold a JSON object'] };
  }
  const h = isObject(raw.health) ? raw.health : {};
  const n = isObject(raw.notifications) ? raw.notifications : {};
  const overrides: Record<string, ModelPrice> = {};
  if (isObject(raw.priceOverrides)) {
    for (const [model, p] of Object.entries(raw.priceOverrides)) {
      const parsed = price(p, `priceOverrides.${model}`, problems);
      if (parsed) overrides[model] = parsed;
    }
  } else if (raw.priceOverrides !== undefined) {
    problems.push('priceOverrides must be an object');
  }
  let pausedUntil: string | null = null;
  if (typeof n.pausedUntil === 'string' && !Number.isNaN(Date.parse(n.pausedUntil))) pausedUntil = n.pausedUntil;
  else if (n.pausedUntil !== undefined && n.pausedUntil !== null) problems.push('notifications.pausedUntil must be an ISO time or null');
  let windowBounds: Settings['windowBounds'] = null;
  const wb = raw.windowBounds;
  if (isObject(wb) && typeof wb.width === 'number' && typeof wb.height === 'number') {
    windowBounds = { width: wb.width, height: wb.height };
    if (typeof wb.x === 'number') windowBounds.x = wb.x;
    if (typeof wb.y === 'number') windowBounds.y = wb.y;
  } else if (wb !== undefined && wb !== null) {
    problems.push('windowBounds must hold width and height');
  }
  const settings: Settings = {
    pollIntervalSeconds: num(raw.pollIntervalSeconds, d.pollIntervalSeconds, 'pollIntervalSeconds', problems, 1, 3600),
    health: {
      staleInteractiveHours: num(h.staleInteractiveHours, d.health.staleInteractiveHours, 'health.staleInteractiveHours', problems),
      staleBackgroundHours: num(h.staleBackgroundHours, d.health.staleBackgroundHours, 'health.staleBackgroundHours', problems),
      idleCpuPercent: num(h.idleCpuPercent, d.health.idleCpuPercent, 'health.idleCpuPercent', problems),
      hogCpuPercent: num(h.hogCpuPercent, d.health.hogCpuPercent, 'health.hogCpuPercent', problems),
      hogMemoryMiB: num(h.hogMemoryMiB, d.health.hogMemoryMiB, 'health.hogMemoryMiB', problems),
    },
    notifications: {
      stale: bool(n.stale, d.notifications.stale, 'notifications.stale', problems),
      zombie: bool(n.zombie, d.notifications.zombie, 'notifications.zombie', problems),
      hog: bool(n.hog, d.notifications.hog, 'notifications.hog', problems),
      cooldownMinutes: num(n.cooldownMinutes, d.notifications.cooldownMinutes, 'notifications.cooldownMinutes', problems),
      pausedUntil,
      waiting: bool(n.waiting, d.notifications.waiting, 'notifications.waiting', problems),
      planThresholds: bool(n.planThresholds, d.notifications.planThresholds, 'notifications.planThresholds', problems),
      planThresholdPercents: percents(n.planThresholdPercents, d.notifications.planThresholdPercents, 'notifications.planThresholdPercents', problems),
    },
    priceOverrides: overrides,
    dashboardPort: num(raw.dashboardPort, d.dashboardPort, 'dashboardPort', problems, 1, 65535),
    pins: pins(raw.pins, problems),
    startHidden: bool(raw.startHidden, d.startHidden, 'startHidden', problems),
    windowBounds,
  };
  return { settings, problems };
}
