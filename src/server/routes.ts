/** The JSON API and /metrics: which path and method does what, answered from the monitor. */
import os from 'node:os';
import type { Monitor } from '../core/monitor.js';
import { machineSummary } from '../core/fleet/summary.js';
import type { ActionResult, Snapshot } from '../shared/api.js';
import { InvalidInputError, InvalidSettingsError } from '../core/errors.js';
import { HttpError } from './http-util.js';
import { renderMetrics } from './metrics.js';
import { snapshotJson } from './snapshot-json.js';
import { parseDate, parseFlag, parseLimit, parseSettingsPatch, parseTarget, parseTimeZone } from './request-input.js';

/** What a handler answers: JSON (`json`) or text (`text` with `type`). */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  type?: string;
}

export interface RouteInput {
  params: URLSearchParams;
  /** Path segments captured by the route's pattern. */
  captures: string[];
  /** The request body (POST routes only). */
  body: () => Promise<string>;
}

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle(input: RouteInput): Promise<Reply>;
}

export const SETTINGS_BODY_LIMIT = 64 * 1024;

const json = (value: unknown, status = 200): Reply => ({ status, json: value });

/** 200 when the action was done, 409 when the core refused it or the process is gone. */
const actionReply = (result: ActionResult): Reply => json(result, result.ok ? 200 : 409);

async function snapshotOf(monitor: Monitor): Promise<Snapshot> {
  return monitor.current() ?? monitor.getSnapshot();
}

async function usage(monitor: Monitor, params: URLSearchParams): Promise<Reply> {
  const since = parseDate(params, 'since');
  const until = parseDate(params, 'until');
  const timezone = parseTimeZone(params);
  if (since && until && since > until) throw new HttpError(400, `?since (${since}) is after ?until (${until}).`);
  // The engine holds nothing before the first poll: wait for it rather than answer with an empty report.
  await snapshotOf(monitor);
  try {
    return json(monitor.usageReport({ since, until, timezone }));
  } catch (error) {
    if (error instanceof InvalidInputError) throw new HttpError(400, error.message);
    throw error;
  }
}

export function apiRoutes(monitor: Monitor): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/api\/snapshot$/,
      handle: async () => ({ status: 200, type: 'application/json; charset=utf-8', text: snapshotJson(await snapshotOf(monitor)) }),
    },
    {
      // What another TCE that lists this machine among its remotes polls: processes, today, all-time usage, plan.
      method: 'GET',
      pattern: /^\/api\/machine$/,
      handle: async () => json(machineSummary(await snapshotOf(monitor), os.hostname())),
    },
    { method: 'GET', pattern: /^\/api\/processes$/, handle: async () => json((await snapshotOf(monitor)).processes) },
    { method: 'GET', pattern: /^\/api\/usage$/, handle: ({ params }) => usage(monitor, params) },
    {
      method: 'GET',
      pattern: /^\/api\/sessions$/,
      handle: async ({ params }) => {
        const limit = parseLimit(params, 20);
        return json((await snapshotOf(monitor)).sessions.slice(0, limit));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/blocks$/,
      handle: async ({ params }) => {
        const snapshot = await snapshotOf(monitor);
        if (parseFlag(params, 'active', false)) return json(snapshot.activeBlock);
        return json(monitor.blocks());
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/kill\/([^/]+)$/,
      handle: async ({ captures, params }) => {
        const target = parseTarget(captures[0] ?? '', params);
        return actionReply(await monitor.kill(target, parseFlag(params, 'force', false)));
      },
    },
    { method: 'POST', pattern: /^\/api\/kill-stale$/, handle: async () => json(await monitor.killStale()) },
    {
      method: 'POST',
      pattern: /^\/api\/pin\/([^/]+)$/,
      handle: async ({ captures, params }) => actionReply(await monitor.pin(parseTarget(captures[0] ?? '', params))),
    },
    {
      method: 'POST',
      pattern: /^\/api\/unpin\/([^/]+)$/,
      handle: async ({ captures, params }) => actionReply(await monitor.unpin(parseTarget(captures[0] ?? '', params))),
    },
    { method: 'GET', pattern: /^\/api\/settings$/, handle: async () => json(await monitor.getSettings()) },
    {
      method: 'POST',
      pattern: /^\/api\/settings$/,
      handle: async ({ body }) => {
        const patch = parseSettingsPatch(await body());
        try {
          return json(await monitor.updateSettings(patch));
        } catch (error) {
          // The settings store names every invalid value; nothing was written.
          if (error instanceof InvalidSettingsError) throw new HttpError(400, error.message);
          throw error;
        }
      },
    },
    {
      method: 'GET',
      pattern: /^\/metrics$/,
      handle: async () => {
        // Before the first poll /metrics says tce_up 0 instead of waiting for it.
        return { status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', text: renderMetrics(monitor.current()) };
      },
    },
  ];
}
