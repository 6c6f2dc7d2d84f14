/**
 * A remote machine's answers, checked field by field before anything of them is shown or summed: another server is
 * input like any file. Numbers that cannot be true (negative tokens, a PID past 2^31, a cost of 1e300) and strings
 * or lists past sane sizes refuse the whole answer with the field named, so a broken or hostile server cannot put
 * nonsense into the combined totals. Browser-safe.
 */
import { LIMITS, START_ID_PATTERN, isSaneTime } from '../settings/schema.js';
import type { ActionOutcome, ActionResult, Activity, ClaudeProcess, Health, InstallForm, ProcessSnapshot } from '../process/types.js';
import type { PlanUsage, PlanWindow } from '../statusline/types.js';
import type { ClaudeCodeCost, ModelUsage, ProjectUsage, TokenTotals, UsageBlock } from '../usage/types.js';
import type { MachineSummary } from './types.js';

/** An answer that does not fit; the message names the field. */
export class SummaryError extends Error {
  override name = 'SummaryError';
}

/** Tokens a whole history can sum to (each response is at most 10^12). */
const MAX_TOKENS = 1e15;
/** USD a whole history can cost. */
const MAX_USD = 1e9;
const MAX_TEXT = 4096;
const MAX_PROCESSES = 10_000;
const MAX_MODELS = 1000;
const MAX_PROJECTS = 1000;
const MAX_WARNINGS = 100;
const MAX_ARGS = 1000;

const HEALTHS: readonly Health[] = ['healthy', 'stale', 'zombie', 'hog', 'pinned'];
const ACTIVITIES: readonly Activity[] = ['busy', 'idle', 'waiting'];
const INSTALL_FORMS: readonly InstallForm[] = ['native-installer', 'npm-native', 'npm-cli-js', 'desktop-embedded', 'argv0'];
const OUTCOMES: readonly ActionOutcome[] = ['killed', 'signalled', 'still-running', 'pinned', 'unpinned', 'refused', 'not-found', 'would-kill'];

type Json = Record<string, unknown>;

/** Reads one JSON object, naming every field it refuses by its path (`processes.processes[3].pid`). */
class Fields {
  constructor(
    private readonly value: Json,
    private readonly at: string,
  ) {}

  static of(value: unknown, at: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SummaryError(`${at} is not an object`);
    return new Fields(value as Json, at);
  }

  private fail(key: string, what: string): never {
    throw new SummaryError(`${this.at}.${key} must be ${what}, got ${String(JSON.stringify(this.value[key])).slice(0, 80)}`);
  }

  number(key: string, min: number, max: number, integer = false): number {
    const v = this.value[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      this.fail(key, `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
    return v;
  }

  text(key: string, max = MAX_TEXT): string {
    const v = this.value[key];
    if (typeof v !== 'string' || v.length > max) this.fail(key, `text of at most ${max} characters`);
    return v;
  }

  textOrNull(key: string, max = MAX_TEXT): string | null {
    return this.value[key] === null || this.value[key] === undefined ? null : this.text(key, max);
  }

  time(key: string): string {
    const v = this.value[key];
    if (!isSaneTime(v)) this.fail(key, 'an ISO time');
    return v;
  }

  timeOrNull(key: string): string | null {
    return this.value[key] === null || this.value[key] === undefined ? null : this.time(key);
  }

  flag(key: string): boolean {
    const v = this.value[key];
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.value[key];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) this.fail(key, `one of ${allowed.join(', ')}`);
    return v as T;
  }

  oneOfOrNull<T extends string>(key: string, allowed: readonly T[]): T | null {
    return this.value[key] === null || this.value[key] === undefined ? null : this.oneOf(key, allowed);
  }

  list<T>(key: string, max: number, item: (value: unknown, at: string) => T): T[] {
    const v = this.value[key];
    if (!Array.isArray(v) || v.length > max) this.fail(key, `a list of at most ${max}`);
    return v.map((x, i) => item(x, `${this.at}.${key}[${i}]`));
  }

  textList(key: string, max: number): string[] {
    return this.list(key, max, (x, at) => {
      if (typeof x !== 'string' || x.length > MAX_TEXT) throw new SummaryError(`${at} must be text`);
      return x;
    });
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  object(key: string): Fields {
    return Fields.of(this.value[key], `${this.at}.${key}`);
  }

  objectOrNull(key: string): Fields | null {
    return this.value[key] === null || this.value[key] === undefined ? null : this.object(key);
  }
}

function totals(f: Fields): TokenTotals {
  const tokens = (key: string) => f.number(key, 0, MAX_TOKENS, true);
  return {
    inputTokens: tokens('inputTokens'),
    outputTokens: tokens('outputTokens'),
    cacheCreationTokens: tokens('cacheCreationTokens'),
    cacheReadTokens: tokens('cacheReadTokens'),
    totalTokens: tokens('totalTokens'),
    webSearchRequests: tokens('webSearchRequests'),
    costUSD: f.number('costUSD', 0, MAX_USD),
    unpricedTokens: tokens('unpricedTokens'),
  };
}

function claudeProcess(value: unknown, at: string, machine: string): ClaudeProcess {
  const f = Fields.of(value, at);
  const startId = f.text('startId', 40);
  if (!START_ID_PATTERN.test(startId)) throw new SummaryError(`${at}.startId is not a process start identity`);
  return {
    pid: f.number('pid', LIMITS.pid[0], LIMITS.pid[1], true),
    ppid: f.number('ppid', 0, LIMITS.pid[1], true),
    name: f.text('name', 256),
    exe: f.textOrNull('exe'),
    command: f.textList('command', MAX_ARGS),
    installForm: f.oneOf('installForm', INSTALL_FORMS),
    cwd: f.textOrNull('cwd'),
    project: f.textOrNull('project'),
    state: f.text('state', 4),
    health: f.oneOf('health', HEALTHS),
    activity: f.oneOfOrNull('activity', ACTIVITIES),
    activitySince: f.timeOrNull('activitySince'),
    waitingFor: f.textOrNull('waitingFor', 256),
    idleSince: f.timeOrNull('idleSince'),
    sessionId: f.textOrNull('sessionId', 128),
    kind: f.textOrNull('kind', 64),
    entrypoint: f.textOrNull('entrypoint', 64),
    print: f.flag('print'),
    sessionName: f.textOrNull('sessionName', 256),
    interactive: f.flag('interactive'),
    cpuPercent: f.number('cpuPercent', 0, LIMITS.cpuPercent[1]),
    rssBytes: f.number('rssBytes', 0, LIMITS.memoryMiB[1] * 1024 * 1024, true),
    startedAt: f.time('startedAt'),
    startId,
    uptimeSeconds: f.number('uptimeSeconds', 0, 1e10),
    tty: f.textOrNull('tty', 64),
    pinned: f.flag('pinned'),
    version: f.textOrNull('version', 64),
    childrenCount: f.number('childrenCount', 0, 1e6, true),
    // Whatever the remote says, its processes are on the machine this TCE named so.
    machine,
  };
}

function processes(f: Fields, machine: string): ProcessSnapshot {
  const list = f.list('processes', MAX_PROCESSES, (v, at) => claudeProcess(v, at, machine));
  const s = f.object('summary');
  const count = (key: string) => s.number(key, 0, MAX_PROCESSES, true);
  return {
    processes: list,
    summary: { total: count('total'), healthy: count('healthy'), stale: count('stale'), zombie: count('zombie'), hog: count('hog'), pinned: count('pinned') },
    scannedAt: f.time('scannedAt'),
  };
}

function model(value: unknown, at: string): ModelUsage {
  const f = Fields.of(value, at);
  return { model: f.text('model', 256), unpriced: f.flag('unpriced'), ...totals(f) };
}

/** Claude Code's own figure of a row; the difference may be negative (its tally below the transcripts'). */
function claudeCode(f: Fields): ClaudeCodeCost {
  const usd = (key: string, min = 0) => f.number(key, min, MAX_USD);
  return {
    costUSD: usd('costUSD'),
    transcriptCostUSD: usd('transcriptCostUSD'),
    notInTranscriptsUSD: usd('notInTranscriptsUSD', -MAX_USD),
    combinedCostUSD: usd('combinedCostUSD'),
    sessions: f.number('sessions', 0, 1e9, true),
    sessionsWithout: f.number('sessionsWithout', 0, 1e9, true),
    unknownModelCost: f.flag('unknownModelCost'),
  };
}

function project(value: unknown, at: string): ProjectUsage {
  const f = Fields.of(value, at);
  const cc = f.objectOrNull('claudeCode');
  return { project: f.text('project', 1024), path: f.textOrNull('path'), ...totals(f), claudeCode: cc ? claudeCode(cc) : null };
}

function block(f: Fields): UsageBlock {
  const burn = f.objectOrNull('burnRate');
  const projection = f.objectOrNull('projection');
  return {
    ...totals(f),
    start: f.time('start'),
    end: f.time('end'),
    lastActivity: f.time('lastActivity'),
    active: f.flag('active'),
    models: f.textList('models', MAX_MODELS),
    burnRate: burn ? { tokensPerMinute: burn.number('tokensPerMinute', 0, MAX_TOKENS), costPerHour: burn.number('costPerHour', 0, MAX_USD) } : null,
    projection: projection ? { totalTokens: projection.number('totalTokens', 0, MAX_TOKENS), costUSD: projection.number('costUSD', 0, MAX_USD) } : null,
    ...(f.has('unpricedModels') ? { unpricedModels: f.textList('unpricedModels', MAX_MODELS) } : {}),
  };
}

function planWindow(value: unknown, at: string): PlanWindow {
  const f = Fields.of(value, at);
  return {
    window: f.text('window', 64),
    label: f.text('label', 64),
    usedPercentage: f.number('usedPercentage', 0, 1000),
    resetsAt: f.time('resetsAt'),
    observedAt: f.time('observedAt'),
    hasReset: f.flag('hasReset'),
    sessionId: f.text('sessionId', 128),
  };
}

function plan(f: Fields): PlanUsage {
  return { windows: f.list('windows', 16, planWindow), updatedAt: f.time('updatedAt') };
}

/** A remote's `GET /api/machine` answer, its processes marked as running on `machine`. Throws SummaryError. */
export function parseMachineSummary(value: unknown, machine: string): MachineSummary {
  const f = Fields.of(value, 'answer');
  const today = f.objectOrNull('today');
  const usage = f.objectOrNull('usage');
  const activeBlock = f.objectOrNull('activeBlock');
  const planFields = f.objectOrNull('plan');
  return {
    hostname: f.text('hostname', 256),
    version: f.text('version', 64),
    generatedAt: f.time('generatedAt'),
    pollIntervalSeconds: f.number('pollIntervalSeconds', LIMITS.pollIntervalSeconds[0], LIMITS.pollIntervalSeconds[1]),
    processes: processes(f.object('processes'), machine),
    today: today ? { date: today.text('date', 10), timezone: today.text('timezone', 64), unpricedModels: today.textList('unpricedModels', MAX_MODELS), ...totals(today) } : null,
    usage: usage
      ? {
          totals: totals(usage.object('totals')),
          models: usage.list('models', MAX_MODELS, model),
          projects: usage.list('projects', MAX_PROJECTS, project),
          timezone: usage.text('timezone', 64),
        }
      : null,
    activeBlock: activeBlock ? block(activeBlock) : null,
    plan: planFields ? plan(planFields) : null,
    warnings: f.textList('warnings', MAX_WARNINGS),
  };
}

/** A remote's answer to kill, pin or unpin (200 or 409): an ActionResult. Throws SummaryError. */
export function parseActionResult(value: unknown): ActionResult {
  const f = Fields.of(value, 'answer');
  return { ok: f.flag('ok'), pid: f.number('pid', 0, LIMITS.pid[1], true), outcome: f.oneOf('outcome', OUTCOMES), message: f.text('message', 1000) };
}
