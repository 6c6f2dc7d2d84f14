import { DEFAULT_SETTINGS } from './defaults.js';
import type { ModelPrice, Pin, Settings, TokenRates } from './types.js';

type Problems = string[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Sane bounds: values past them cannot be meant (a 1e308 price turns every total into Infinity, a window 1e308 wide
 * cannot be drawn) and are refused like a wrong type.
 */
export const LIMITS = {
  pollIntervalSeconds: [1, 3600],
  /** Hours before idle counts as stale: up to about a century. */
  staleHours: [0, 1_000_000],
  /** Percent of one core: a process can use many cores. */
  cpuPercent: [0, 10_000],
  /** 16 TiB. */
  memoryMiB: [0, 16 * 1024 * 1024],
  /** A year. */
  cooldownMinutes: [0, 525_600],
  /** USD per million tokens: the dearest model lists 75. */
  pricePerMillion: [0, 1000],
  /** USD per request (web search lists 0.01). */
  pricePerRequest: [0, 100],
  /** Prompt tokens above which a long-prompt tier applies: no model reads more than a few million. */
  promptTokens: [1, 1_000_000_000],
  port: [1, 65535],
  /** Linux caps PIDs at 2^22; other systems stay well below 2^31. */
  pid: [1, 2 ** 31 - 1],
  windowSize: [1, 100_000],
  windowPosition: [-100_000, 100_000],
} as const satisfies Record<string, readonly [number, number]>;

/** ISO times TCE takes (pins, pauses): from 1970 to before 2200. */
const LAST_TIME_MS = Date.UTC(2200, 0, 1);

export function isSaneTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const ms = Date.parse(value);
  return ms >= 0 && ms < LAST_TIME_MS;
}

/** A process start identity as ClaudeProcess.startId carries it: Linux start ticks, or `ms:` and a start time elsewhere. */
export const START_ID_PATTERN = /^(?:\d{1,20}|ms:\d{1,16})$/;

/** Keys every JavaScript object already has: never a setting or a model id (`__proto__` would change the object). */
export function isReservedKey(key: string): boolean {
  return key in Object.prototype || key === 'prototype';
}

/** What a model id in priceOverrides may look like: `claude-sonnet-4-5`, `us.anthropic.claude-...-v1:0`, `[1m]` suffixes. */
const MODEL_ID = /^[a-z0-9][a-z0-9._:@/[\]-]{0,127}$/i;

function num(v: unknown, fallback: number, name: string, problems: Problems, [min, max]: readonly [number, number], integer = false): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number' && v >= min && v <= max && (!integer || Number.isInteger(v))) return v;
  problems.push(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v) ?? String(v)}`);
  return fallback;
}

function bool(v: unknown, fallback: boolean, name: string, problems: Problems): boolean {
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  problems.push(`${name} must be true or false, got ${JSON.stringify(v)}`);
  return fallback;
}

function rates(v: unknown, name: string, problems: Problems): TokenRates | null {
  if (!isObject(v)) {
    problems.push(`${name} must be an object of prices`);
    return null;
  }
  const fields = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
  const out = {} as TokenRates;
  const [min, max] = LIMITS.pricePerMillion;
  for (const f of fields) {
    const value = v[f];
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      problems.push(`${name}.${f} must be a price from ${min} to ${max} USD per million tokens, got ${JSON.stringify(value) ?? String(value)}`);
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
    const [min, max] = LIMITS.pricePerRequest;
    if (typeof v.webSearch !== 'number' || !(v.webSearch >= min && v.webSearch <= max)) {
      problems.push(`${name}.webSearch must be a price from ${min} to ${max} USD per request, got ${JSON.stringify(v.webSearch) ?? String(v.webSearch)}`);
      return null;
    }
    out.webSearch = v.webSearch;
  }
  if (v.longPrompt !== undefined) {
    const long = rates(v.longPrompt, `${name}.longPrompt`, problems);
    if (!long || !isObject(v.longPrompt)) return null;
    const above = v.longPrompt.abovePromptTokens;
    const [min, max] = LIMITS.promptTokens;
    if (typeof above !== 'number' || !Number.isInteger(above) || above < min || above > max) {
      problems.push(`${name}.longPrompt.abovePromptTokens must be a whole number of tokens from ${min} to ${max}`);
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
  const [minPid, maxPid] = LIMITS.pid;
  for (const p of v) {
    const ok =
      isObject(p) &&
      Number.isInteger(p.pid) &&
      (p.pid as number) >= minPid &&
      (p.pid as number) <= maxPid &&
      isSaneTime(p.startedAt) &&
      (p.startId === undefined || (typeof p.startId === 'string' && START_ID_PATTERN.test(p.startId)));
    if (ok) out.push({ pid: p.pid as number, startedAt: p.startedAt as string, ...(typeof p.startId === 'string' ? { startId: p.startId } : {}) });
    else problems.push(`a pin must name a process ID from ${minPid} to ${maxPid} and its start time, got ${JSON.stringify(p)}`);
  }
  return out;
}

function windowBounds(wb: unknown, problems: Problems): Settings['windowBounds'] {
  if (wb === undefined || wb === null) return null;
  if (!isObject(wb)) {
    problems.push('windowBounds must hold width and height');
    return null;
  }
  const before = problems.length;
  const size = (key: 'width' | 'height') => num(wb[key] ?? null, 0, `windowBounds.${key}`, problems, LIMITS.windowSize);
  const at = (key: 'x' | 'y') => (wb[key] === undefined ? undefined : num(wb[key], 0, `windowBounds.${key}`, problems, LIMITS.windowPosition));
  const out: NonNullable<Settings['windowBounds']> = { width: size('width'), height: size('height') };
  const x = at('x');
  const y = at('y');
  if (x !== undefined) out.x = x;
  if (y !== undefined) out.y = y;
  return problems.length === before ? out : null;
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
      if (isReservedKey(model) || !MODEL_ID.test(model)) {
        problems.push(`priceOverrides: ${JSON.stringify(model)} is not a model id`);
        continue;
      }
      const parsed = price(p, `priceOverrides.${model}`, problems);
      if (parsed) overrides[model] = parsed;
    }
  } else if (raw.priceOverrides !== undefined) {
    problems.push('priceOverrides must be an object');
  }
  let pausedUntil: string | null = null;
  if (isSaneTime(n.pausedUntil)) pausedUntil = n.pausedUntil;
  else if (n.pausedUntil !== undefined && n.pausedUntil !== null) problems.push('notifications.pausedUntil must be an ISO time before 2200, or null');
  const settings: Settings = {
    pollIntervalSeconds: num(raw.pollIntervalSeconds, d.pollIntervalSeconds, 'pollIntervalSeconds', problems, LIMITS.pollIntervalSeconds),
    health: {
      staleInteractiveHours: num(h.staleInteractiveHours, d.health.staleInteractiveHours, 'health.staleInteractiveHours', problems, LIMITS.staleHours),
      staleBackgroundHours: num(h.staleBackgroundHours, d.health.staleBackgroundHours, 'health.staleBackgroundHours', problems, LIMITS.staleHours),
      idleCpuPercent: num(h.idleCpuPercent, d.health.idleCpuPercent, 'health.idleCpuPercent', problems, LIMITS.cpuPercent),
      hogCpuPercent: num(h.hogCpuPercent, d.health.hogCpuPercent, 'health.hogCpuPercent', problems, LIMITS.cpuPercent),
      hogMemoryMiB: num(h.hogMemoryMiB, d.health.hogMemoryMiB, 'health.hogMemoryMiB', problems, LIMITS.memoryMiB),
    },
    notifications: {
      stale: bool(n.stale, d.notifications.stale, 'notifications.stale', problems),
      zombie: bool(n.zombie, d.notifications.zombie, 'notifications.zombie', problems),
      hog: bool(n.hog, d.notifications.hog, 'notifications.hog', problems),
      cooldownMinutes: num(n.cooldownMinutes, d.notifications.cooldownMinutes, 'notifications.cooldownMinutes', problems, LIMITS.cooldownMinutes),
      pausedUntil,
      waiting: bool(n.waiting, d.notifications.waiting, 'notifications.waiting', problems),
      planThresholds: bool(n.planThresholds, d.notifications.planThresholds, 'notifications.planThresholds', problems),
      planThresholdPercents: percents(n.planThresholdPercents, d.notifications.planThresholdPercents, 'notifications.planThresholdPercents', problems),
    },
    priceOverrides: overrides,
    dashboardPort: num(raw.dashboardPort, d.dashboardPort, 'dashboardPort', problems, LIMITS.port, true),
    pins: pins(raw.pins, problems),
    startHidden: bool(raw.startHidden, d.startHidden, 'startHidden', problems),
    windowBounds: windowBounds(raw.windowBounds, problems),
  };
  return { settings, problems };
}

/**
 * Settings a patch from the dashboard (HTTP or IPC) may change. Pins change only through pin/unpin, which check the
 * process; the window's bounds are the tray app's own.
 */
export const PATCHABLE_SETTINGS = ['pollIntervalSeconds', 'health', 'notifications', 'priceOverrides', 'dashboardPort', 'startHidden'] as const;

/**
 * Why a settings patch is refused, every reason at once, or an empty list: known keys only (own keys, so `__proto__`
 * and `constructor` are unknown), nested groups as objects, and every value within its bounds.
 */
export function settingsPatchProblems(v: unknown): string[] {
  if (!isObject(v) || Object.getPrototypeOf(v) !== Object.prototype) return ['the settings patch must be a JSON object'];
  const problems: string[] = [];
  for (const key of Object.keys(v)) {
    if (key === 'pins' || key === 'windowBounds') problems.push(`'${key}' cannot be changed by a settings patch${key === 'pins' ? ' (pin and unpin a process instead)' : ''}`);
    else if (!(PATCHABLE_SETTINGS as readonly string[]).includes(key)) problems.push(`unknown setting '${key}'`);
  }
  for (const group of ['health', 'notifications'] as const) {
    const part = v[group];
    if (part === undefined) continue;
    if (!isObject(part)) {
      problems.push(`setting '${group}' must be an object`);
      continue;
    }
    for (const inner of Object.keys(part)) if (!Object.hasOwn(DEFAULT_SETTINGS[group], inner)) problems.push(`unknown setting '${group}.${inner}'`);
  }
  if (problems.length > 0) return problems;
  // Checked as the store checks a whole file: the patch laid over the defaults must come through unchanged.
  const merged = {
    ...DEFAULT_SETTINGS,
    ...v,
    health: { ...DEFAULT_SETTINGS.health, ...(v.health as object | undefined) },
    notifications: { ...DEFAULT_SETTINGS.notifications, ...(v.notifications as object | undefined) },
  };
  return normaliseSettings(merged).problems;
}
