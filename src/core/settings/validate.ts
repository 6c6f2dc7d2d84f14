import { DEFAULT_SETTINGS } from './defaults.js';
import type { ModelPrice, Pin, Settings } from './types.js';

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

function price(v: unknown, name: string, problems: Problems): ModelPrice | null {
  if (!isObject(v)) {
    problems.push(`${name} must be an object of prices`);
    return null;
  }
  const fields = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
  const out = {} as ModelPrice;
  for (const f of fields) {
    const value = v[f];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${name}.${f} must be a non-negative number`);
      return null;
    }
    out[f] = value;
  }
  return out;
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
    },
    priceOverrides: overrides,
    dashboardPort: num(raw.dashboardPort, d.dashboardPort, 'dashboardPort', problems, 1, 65535),
    pins: pins(raw.pins, problems),
    startHidden: bool(raw.startHidden, d.startHidden, 'startHidden', problems),
    windowBounds,
  };
  return { settings, problems };
}
