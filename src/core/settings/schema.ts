/**
 * The one settings schema: what each setting may hold, and the words for a value that does not fit. From it come the
 * settings file's validation (the store, used by the tray app, the server and the CLI), the patch that IPC and HTTP
 * accept, the dashboard's settings form (its limits and messages) and the CLI's dashboard port.
 *
 * Hand-written rather than a schema library: zod 4 adds about 85 ms (zod/mini about 60 ms) to every start of a `tce`
 * command, which itself starts in about 25 ms and must stay well under 100 ms for the statusline; the rules here are
 * a table of numbers and switches plus four structured settings. Browser-safe (no Node imports): the renderer reads it.
 */
import { isLoopbackHost } from '../loopback.js';
import { DEFAULT_SETTINGS } from './defaults.js';
import type { ModelPrice, Pin, RemoteMachine, Settings, TokenRates } from './types.js';

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
  /** Plan use that notifies, in percent of a window. */
  planPercent: [1, 100],
} as const satisfies Record<string, readonly [number, number]>;

/** At most this many plan thresholds. */
export const MAX_PLAN_THRESHOLDS = 5;

/** A numeric setting's rule. */
export interface NumberRule {
  min: number;
  max: number;
  /** Only whole numbers. */
  integer: boolean;
}

type Groups = 'health' | 'notifications';
type PathsOf<K extends string, T, V> = { [J in keyof T & string]: T[J] extends V ? `${K}.${J}` : never }[keyof T & string];
type SettingPaths<V> = { [K in Exclude<keyof Settings, Groups>]: Settings[K] extends V ? K : never }[Exclude<keyof Settings, Groups>] | { [G in Groups]: PathsOf<G, Settings[G], V> }[Groups];

/** Every setting that holds a number, as `key` or `group.key`. */
export type NumberSetting = SettingPaths<number>;
/** Every setting that holds true or false. */
export type SwitchSetting = SettingPaths<boolean>;

const rule = ([min, max]: readonly [number, number], integer = false): NumberRule => ({ min, max, integer });

/** The rule of every numeric setting (the compiler checks that none is missing). */
export const NUMBER_RULES: { readonly [P in NumberSetting]: NumberRule } = {
  pollIntervalSeconds: rule(LIMITS.pollIntervalSeconds),
  'health.staleInteractiveHours': rule(LIMITS.staleHours),
  'health.staleBackgroundHours': rule(LIMITS.staleHours),
  'health.idleCpuPercent': rule(LIMITS.cpuPercent),
  'health.hogCpuPercent': rule(LIMITS.cpuPercent),
  'health.hogMemoryMiB': rule(LIMITS.memoryMiB),
  'notifications.cooldownMinutes': rule(LIMITS.cooldownMinutes),
  dashboardPort: rule(LIMITS.port, true),
};

/** Every switch, in the order they are checked. */
export const SWITCHES: readonly SwitchSetting[] = [
  'notifications.stale',
  'notifications.zombie',
  'notifications.hog',
  'notifications.waiting',
  'notifications.planThresholds',
  'startHidden',
];

/** "a number from 1 to 3600": what a value of this rule must be, for every message about it. */
export function describeNumber(r: NumberRule): string {
  return `${r.integer ? 'a whole number' : 'a number'} from ${r.min} to ${r.max}`;
}

export function fitsNumber(r: NumberRule, v: unknown): v is number {
  return typeof v === 'number' && v >= r.min && v <= r.max && (!r.integer || Number.isInteger(v));
}

/** The value of a setting by its path. */
export function settingValue<P extends NumberSetting | SwitchSetting>(settings: Settings, path: P): P extends NumberSetting ? number : boolean {
  const [a, b] = path.split('.') as [string, string | undefined];
  const top = (settings as unknown as Record<string, unknown>)[a];
  return (b === undefined ? top : (top as Record<string, unknown>)[b]) as P extends NumberSetting ? number : boolean;
}

/** A patch that sets one setting (a group's other fields are left to the merge). */
export function patchOf(path: NumberSetting | SwitchSetting, value: number | boolean): SettingsPatch {
  const [a, b] = path.split('.') as [string, string | undefined];
  return (b === undefined ? { [a]: value } : { [a]: { [b]: value } }) as SettingsPatch;
}

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

const shown = (v: unknown): string => JSON.stringify(v) ?? String(v);

function num(v: unknown, fallback: number, name: string, problems: Problems, r: NumberRule): number {
  if (v === undefined) return fallback;
  if (fitsNumber(r, v)) return v;
  problems.push(`${name} must be ${describeNumber(r)}, got ${shown(v)}`);
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
      problems.push(`${name}.${f} must be a price from ${min} to ${max} USD per million tokens, got ${shown(value)}`);
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
      problems.push(`${name}.webSearch must be a price from ${min} to ${max} USD per request, got ${shown(v.webSearch)}`);
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

function priceOverrides(v: unknown, problems: Problems): Record<string, ModelPrice> {
  const overrides: Record<string, ModelPrice> = {};
  if (v === undefined) return overrides;
  if (!isObject(v)) {
    problems.push('priceOverrides must be an object');
    return overrides;
  }
  for (const [model, p] of Object.entries(v)) {
    if (isReservedKey(model) || !MODEL_ID.test(model)) {
      problems.push(`priceOverrides: ${JSON.stringify(model)} is not a model id`);
      continue;
    }
    const parsed = price(p, `priceOverrides.${model}`, problems);
    if (parsed) overrides[model] = parsed;
  }
  return overrides;
}

/** Percents of a plan window that notify: 1 to 100, at most 5, kept ascending and without repeats. */
function percents(v: unknown, fallback: number[], name: string, problems: Problems): number[] {
  if (v === undefined) return [...fallback];
  const [min, max] = LIMITS.planPercent;
  if (Array.isArray(v) && v.length <= MAX_PLAN_THRESHOLDS && v.every((p) => typeof p === 'number' && Number.isFinite(p) && p >= min && p <= max)) {
    return [...new Set(v as number[])].sort((a, b) => a - b);
  }
  problems.push(`${name} must be a list of at most ${MAX_PLAN_THRESHOLDS} percentages from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return [...fallback];
}

function pausedUntil(v: unknown, problems: Problems): string | null {
  if (isSaneTime(v)) return v;
  if (v !== undefined && v !== null) problems.push('notifications.pausedUntil must be an ISO time before 2200, or null');
  return null;
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
  const size = (key: 'width' | 'height') => num(wb[key] ?? null, 0, `windowBounds.${key}`, problems, rule(LIMITS.windowSize));
  const at = (key: 'x' | 'y') => (wb[key] === undefined ? undefined : num(wb[key], 0, `windowBounds.${key}`, problems, rule(LIMITS.windowPosition)));
  const out: NonNullable<Settings['windowBounds']> = { width: size('width'), height: size('height') };
  const x = at('x');
  const y = at('y');
  if (x !== undefined) out.x = x;
  if (y !== undefined) out.y = y;
  return problems.length === before ? out : null;
}

/** At most this many remote machines: each is polled on every poll. */
export const MAX_REMOTES = 16;

/** A remote machine's name: short, and safe as a table cell, an element id and a Prometheus label value. */
export const MACHINE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

const MAX_URL_LENGTH = 2048;
const MAX_PATH_LENGTH = 4096;

const isAbsolutePath = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/**
 * A remote machine's URL as TCE uses it (`https://devbox.example:5111/`, always ending in `/`), or why it is refused:
 * plain http only where it cannot be overheard (a loopback address, i.e. an SSH tunnel's forwarded port) or over a
 * link the user says is private (`trustedLink`), since every request carries the server's token.
 */
export function remoteUrl(text: string, trustedLink: boolean): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `${JSON.stringify(text)} is not a URL (write it as http://127.0.0.1:15111 or https://devbox.example:5111)` };
  }
  if (text.length > MAX_URL_LENGTH) return { problem: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `${url.protocol}//${url.host}/ must be an http or https URL` };
  if (url.username || url.password) return { problem: `${url.host}: put no user or password in the URL; the token comes from tokenFile` };
  // Named without what follows: a query may hold a secret, and a problem is shown in warnings.
  if (url.search || url.hash) return { problem: `${url.origin}${url.pathname}: give the server's address without ?query or #fragment` };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !trustedLink) {
    return {
      problem:
        `${url.origin} is plain http beyond this machine: its token and everything TCE reads would cross the network in clear. ` +
        'Use https, or an SSH tunnel (ssh -N -L 15111:127.0.0.1:5111 <host>, then http://127.0.0.1:15111), ' +
        'or say the link is private (a VPN, a tunnel) with trustedLink: true (tce remote add --trusted-link)',
    };
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return { url: url.href };
}

/** One remote machine as stored, or null with its problems told. */
function remote(v: unknown, at: string, problems: Problems): RemoteMachine | null {
  if (!isObject(v)) {
    problems.push(`${at} must be an object with name, url and tokenFile`);
    return null;
  }
  const name = typeof v.name === 'string' ? v.name : '';
  const label = typeof v.name === 'string' && v.name !== '' ? `remotes: ${JSON.stringify(v.name)}` : at;
  const before = problems.length;
  if (!MACHINE_NAME_PATTERN.test(name)) {
    problems.push(`${label}: a name must be 1 to 32 letters, digits, '.', '_' or '-' (starting with a letter or digit)`);
  }
  const trustedLink = v.trustedLink === undefined ? false : v.trustedLink;
  if (typeof trustedLink !== 'boolean') problems.push(`${label}: trustedLink must be true or false`);
  let url = '';
  if (typeof v.url !== 'string') problems.push(`${label}: url must be the server's URL`);
  else {
    const checked = remoteUrl(v.url, trustedLink === true);
    if ('problem' in checked) problems.push(`${label}: ${checked.problem}`);
    else url = checked.url;
  }
  const tokenFile = v.tokenFile;
  if (typeof tokenFile !== 'string' || !isAbsolutePath(tokenFile) || tokenFile.length > MAX_PATH_LENGTH) {
    problems.push(`${label}: tokenFile must be the absolute path of the file that holds that server's token`);
  }
  if (problems.length > before) return null;
  return { name, url, tokenFile: tokenFile as string, trustedLink: trustedLink as boolean };
}

/** The remote machines: each one checked alone (a bad one is left out and told), names unique, at most MAX_REMOTES. */
function remotes(v: unknown, problems: Problems): RemoteMachine[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.push('remotes must be a list of remote machines');
    return [];
  }
  if (v.length > MAX_REMOTES) problems.push(`remotes: at most ${MAX_REMOTES} remote machines; the first ${MAX_REMOTES} are used`);
  const out: RemoteMachine[] = [];
  const names = new Set<string>();
  v.slice(0, MAX_REMOTES).forEach((entry, i) => {
    const parsed = remote(entry, `remotes[${i}]`, problems);
    if (!parsed) return;
    if (names.has(parsed.name.toLowerCase())) {
      problems.push(`remotes: the name ${JSON.stringify(parsed.name)} is given twice; the second is left out`);
      return;
    }
    names.add(parsed.name.toLowerCase());
    out.push(parsed);
  });
  return out;
}

/** Merges what was stored onto the defaults, field by field; every field that fails its check falls back and is reported. */
export function normaliseSettings(raw: unknown): { settings: Settings; problems: Problems } {
  const problems: Problems = [];
  if (!isObject(raw)) {
    return { settings: structuredClone(DEFAULT_SETTINGS), problems: ['the file does not hold a JSON object'] };
  }
  const n = isObject(raw.notifications) ? raw.notifications : {};
  const settings: Settings = {
    ...structuredClone(DEFAULT_SETTINGS),
    priceOverrides: priceOverrides(raw.priceOverrides, problems),
    pins: pins(raw.pins, problems),
    windowBounds: windowBounds(raw.windowBounds, problems),
    remotes: remotes(raw.remotes, problems),
  };
  settings.notifications.pausedUntil = pausedUntil(n.pausedUntil, problems);
  settings.notifications.planThresholdPercents = percents(n.planThresholdPercents, DEFAULT_SETTINGS.notifications.planThresholdPercents, 'notifications.planThresholdPercents', problems);
  const stored = (path: string): unknown => {
    const [a, b] = path.split('.') as [string, string | undefined];
    if (b === undefined) return raw[a];
    const group = raw[a];
    return isObject(group) ? group[b] : undefined;
  };
  const put = (path: string, value: unknown): void => {
    const [a, b] = path.split('.') as [string, string | undefined];
    const target = settings as unknown as Record<string, Record<string, unknown>>;
    if (b === undefined) (target as unknown as Record<string, unknown>)[a] = value;
    else target[a]![b] = value;
  };
  for (const [path, r] of Object.entries(NUMBER_RULES) as Array<[NumberSetting, NumberRule]>) {
    put(path, num(stored(path), settingValue(DEFAULT_SETTINGS, path), path, problems, r));
  }
  for (const path of SWITCHES) put(path, bool(stored(path), settingValue(DEFAULT_SETTINGS, path), path, problems));
  return { settings, problems };
}

/**
 * Settings a patch from the dashboard (HTTP or IPC) may change. Pins change only through pin/unpin, which check the
 * process; the window's bounds are the tray app's own.
 */
export const PATCHABLE_SETTINGS = ['pollIntervalSeconds', 'health', 'notifications', 'priceOverrides', 'dashboardPort', 'startHidden'] as const satisfies ReadonlyArray<keyof Settings>;

/** A settings patch as IPC and HTTP accept it: only patchable settings, groups field by field. */
export type SettingsPatch = Partial<Pick<Settings, Exclude<(typeof PATCHABLE_SETTINGS)[number], Groups>>> & {
  [G in Groups]?: Partial<Settings[G]>;
};

/**
 * Why a settings patch is refused, every reason at once, or an empty list: known keys only (own keys, so `__proto__`
 * and `constructor` are unknown), nested groups as objects, and every value within its bounds.
 */
export function settingsPatchProblems(v: unknown): string[] {
  if (!isObject(v) || Object.getPrototypeOf(v) !== Object.prototype) return ['the settings patch must be a JSON object'];
  const problems: string[] = [];
  for (const key of Object.keys(v)) {
    if (key === 'pins' || key === 'windowBounds') problems.push(`'${key}' cannot be changed by a settings patch${key === 'pins' ? ' (pin and unpin a process instead)' : ''}`);
    else if (key === 'remotes') problems.push("'remotes' cannot be changed by a settings patch: add and remove them with `tce remote` on this machine, where their token files are");
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
  return normaliseSettings(applyPatch(DEFAULT_SETTINGS, v as SettingsPatch)).problems;
}

/** The patch laid over `current`: shallow fields replace, the groups (health, notifications) merge field by field. */
export function applyPatch(current: Settings, patch: SettingsPatch): Settings {
  return {
    ...current,
    ...patch,
    health: { ...current.health, ...(patch.health ?? {}) },
    notifications: { ...current.notifications, ...(patch.notifications ?? {}) },
  };
}

/** The dashboard port a settings file names, if it names a valid one (whatever else is wrong in it). */
export function storedPort(raw: unknown): number | null {
  const port = isObject(raw) ? raw.dashboardPort : undefined;
  return fitsNumber(NUMBER_RULES.dashboardPort, port) ? port : null;
}
