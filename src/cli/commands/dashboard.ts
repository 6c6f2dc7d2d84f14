import fs from 'node:fs';
import type { Command, CommandInput } from '../command.js';
import { settingsFile } from '../../core/paths.js';
import { openCore } from '../core.js';
import { readTokenFile, TokenFileError } from '../../core/fleet/token-file.js';
import { LIMITS, storedPort } from '../../core/settings/schema.js';
import { ListenError, MIN_TOKEN_LENGTH, startDashboardServer, type DashboardServer, type RequestLogEntry } from '../../server/index.js';
import { LOGIN_LINK_TTL_MS } from '../../server/login-links.js';
import { isLoopbackHost } from '../../server/security.js';
import { openBrowser } from '../../server/open-browser.js';
import { startTicksOf } from '../../core/system/probe.js';
import { checkDashboardProcess } from '../../server/dashboard-process.js';
import { readState, removeStateIfOurs, writeState, type DashboardState } from '../../server/state-file.js';

export const DEFAULT_DASHBOARD_PORT = 5111;

class UsageError extends Error {}

function parsePort(text: string, from: string): number {
  const max = LIMITS.port[1];
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > max) throw new UsageError(`${from} must be a port number from 0 to ${max}, got '${text}'.`);
  return Number(text);
}

/** The dashboard port the user set in TCE's settings file, if they set one (the defaults do not count). */
function settingsPort(env: NodeJS.ProcessEnv): number | null {
  try {
    return storedPort(JSON.parse(fs.readFileSync(settingsFile(env), 'utf8')));
  } catch {
    // Missing or damaged settings: the monitor reports a damaged file; the port falls through to the next source.
    return null;
  }
}

/** --port, else the settings' dashboardPort, else $CLAUDE_MONITOR_PORT, else 5111. */
export function choosePort(values: CommandInput['values'], env: NodeJS.ProcessEnv): number {
  if (typeof values.port === 'string') return parsePort(values.port, '--port');
  const fromSettings = settingsPort(env);
  if (fromSettings !== null) return fromSettings;
  if (env.CLAUDE_MONITOR_PORT) return parsePort(env.CLAUDE_MONITOR_PORT, 'CLAUDE_MONITOR_PORT');
  return DEFAULT_DASHBOARD_PORT;
}

/** Where the secret of a server beyond loopback comes from, so it never has to be on the command line. */
export const TOKEN_ENV = 'TCE_DASHBOARD_TOKEN';

/** The secret of the server: --token-file, else $TCE_DASHBOARD_TOKEN, else --token (with a warning), else random. */
function chooseToken(values: CommandInput['values'], env: NodeJS.ProcessEnv, warn: (message: string) => void): string | undefined {
  const sources = [typeof values['token-file'] === 'string', typeof values.token === 'string'].filter(Boolean).length;
  if (sources > 1) throw new UsageError('give the token one way: --token-file or --token.');
  if (typeof values['token-file'] === 'string') {
    try {
      return readTokenFile(values['token-file'], `--token-file ${values['token-file']}`);
    } catch (error) {
      if (error instanceof TokenFileError) throw new UsageError(`${error.message}.`);
      throw error;
    }
  }
  if (typeof values.token === 'string') {
    warn(`warning: --token is visible to every user of this machine (in \`ps\`); use --token-file FILE (mode 600) or ${TOKEN_ENV} instead.`);
    return values.token;
  }
  const fromEnv = env[TOKEN_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

/** Asks a running dashboard for a one-time login link, with the secret from its state file. */
async function loginLinkFrom(state: DashboardState): Promise<string> {
  if (!state.secret) throw new Error('its state file holds no secret (it was started by an older TCE)');
  const base = new URL(state.url);
  const response = await fetch(new URL('api/login-link', base), {
    method: 'POST',
    headers: { 'X-TCE-Token': state.secret, Origin: base.origin },
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => null)) as { url?: unknown; error?: unknown } | null;
  if (!response.ok || typeof body?.url !== 'string') throw new Error(typeof body?.error === 'string' ? body.error : `it answered ${response.status}`);
  return body.url;
}

/** The dashboard the state file names, if that process still runs as one. */
function runningDashboard(data: string): DashboardState | null {
  const read = readState(data);
  if (read.kind !== 'found' || read.state.pid === process.pid) return null;
  return checkDashboardProcess(read.state).kind === 'dashboard' ? read.state : null;
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, onSignal);
      resolve(signal);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}

/**
 * Serves the dashboard until SIGINT/SIGTERM; returns the exit code. `note` is printed under the URL (`tce run` says
 * why it fell back to the browser dashboard).
 */
export async function serveDashboard(input: CommandInput, note?: string): Promise<number> {
  const { stdout, stderr, env } = input.io;
  const fail = (message: string, code: number) => {
    stderr.write(`tce dashboard: ${message}\n`);
    return code;
  };
  let port: number;
  try {
    port = choosePort(input.values, env);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, 2);
    throw error;
  }
  const host = typeof input.values.host === 'string' && input.values.host !== '' ? input.values.host : '127.0.0.1';
  let token: string | undefined;
  try {
    token = chooseToken(input.values, env, (message) => stderr.write(`tce dashboard: ${message}\n`));
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, 2);
    throw error;
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) return fail(`the token must be at least ${MIN_TOKEN_LENGTH} characters.`, 2);
  const exposed = !isLoopbackHost(host);
  if (exposed && token === undefined) {
    return fail(
      `refusing to listen on ${host} without a token: anyone who can reach it could see your sessions. ` +
        `Give a long secret with --token-file FILE (mode 600) or ${TOKEN_ENV}, or leave --host at 127.0.0.1.`,
      2,
    );
  }

  const core = openCore(input);
  const data = core.dataDir;
  const monitor = core.monitor;
  let server: DashboardServer;
  try {
    const log = env.TCE_DEBUG
      ? (e: RequestLogEntry) => stderr.write(`${new Date().toISOString()} ${e.method} ${e.url} ${e.status} origin=${e.origin ?? '-'} host=${e.host ?? '-'}\n`)
      : undefined;
    server = await startDashboardServer({ monitor, host, port, token, log });
  } catch (error) {
    await monitor.stop();
    if (error instanceof ListenError && error.code === 'EADDRINUSE') {
      const running = runningDashboard(data);
      if (running && running.port === port) return alreadyRunning(input, running);
      return fail(`port ${port} on ${host} is already in use by another program; choose another with --port.`, 1);
    }
    return fail((error as Error).message, 1);
  }
  monitor.start();
  const stopped = waitForStopSignal();
  const earlier = runningDashboard(data);
  if (earlier) {
    stderr.write(
      `tce dashboard: note: another dashboard runs at ${earlier.url} (pid ${earlier.pid}); \`tce dashboard-stop\` will now stop this one.\n`,
    );
  }

  let stateWritten = false;
  const procStart = startTicksOf(process.pid);
  try {
    writeState(data, {
      pid: process.pid,
      url: server.url,
      port: server.port,
      host: server.host,
      startedAt: new Date().toISOString(),
      ...(procStart !== null ? { procStart } : {}),
      secret: server.token,
    });
    stateWritten = true;
  } catch (error) {
    stderr.write(`tce dashboard: warning: could not write the state file in ${data} (${(error as Error).message}); \`tce dashboard-stop\` will not find this server.\n`);
  }

  stdout.write(`TCE dashboard: ${server.url}\n`);
  if (note) stdout.write(`${note}\n`);
  // Printed to the owner's terminal only: the link works once, for a few minutes (and on Linux only for this user).
  stdout.write(`Log in (this link works once, for ${LOGIN_LINK_TTL_MS / 60_000} minutes): ${server.loginUrl()}\n`);
  if (exposed) {
    stdout.write(`From another machine, open it once as ${server.url}?token=<your token>; the browser then keeps it in a cookie.\n`);
    stderr.write(
      `tce dashboard: warning: listening on ${host}, beyond this machine. Every request needs the token you gave; ` +
        'traffic is plain HTTP, so anyone who can watch the network can read it.\n',
    );
  }
  stdout.write('Press Ctrl+C to stop.\n');
  if (input.values.open) {
    void openBrowser(server.loginUrl(), env).then((problem) => {
      if (problem) stderr.write(`tce dashboard: warning: could not open a browser (${problem}); open the login link above yourself.\n`);
    });
  }

  const signal = await stopped;
  stdout.write(`Stopping the dashboard (${signal})...\n`);
  await server.close();
  await monitor.stop();
  if (stateWritten) removeStateIfOurs(data, process.pid);
  stdout.write('Dashboard stopped.\n');
  return 0;
}

/** `tce dashboard` where one already runs on that port: a fresh login link to it (opened with --open). */
async function alreadyRunning(input: CommandInput, running: DashboardState): Promise<number> {
  const { stdout, stderr, env } = input.io;
  let link: string;
  try {
    link = await loginLinkFrom(running);
  } catch (error) {
    stderr.write(
      `tce dashboard: a TCE dashboard is already running at ${running.url} (pid ${running.pid}), but it gave no login link ` +
        `(${(error as Error).message}); stop it with \`tce dashboard-stop\` and start it again.\n`,
    );
    return 1;
  }
  if (input.values.open) {
    const problem = await openBrowser(link, env);
    if (!problem) {
      stdout.write(`A TCE dashboard is already running at ${running.url} (pid ${running.pid}); opened it in your browser.\n`);
      return 0;
    }
    stderr.write(`tce dashboard: warning: could not open a browser (${problem}).\n`);
  }
  stderr.write(
    `tce dashboard: a TCE dashboard is already running at ${running.url} (pid ${running.pid}); log in with ${link} ` +
      '(works once, for a few minutes), or stop it with `tce dashboard-stop`.\n',
  );
  return 1;
}

export const dashboardCommand: Command = {
  name: 'dashboard',
  usage: [
    'Usage: tce dashboard [--port N] [--host H] [--token-file FILE] [--open]',
    '',
    'Serves the dashboard and its JSON API (/api/...), live updates (/api/events) and Prometheus metrics (/metrics)',
    'until Ctrl+C or `tce dashboard-stop`. Only you can use it: every request carries its secret, which your browser',
    'gets from the one-time login link printed here (or opened by --open). Where one already runs, prints (or opens) a',
    'new login link to it.',
    '',
    `  --port N          port (default: settings' dashboardPort, else $CLAUDE_MONITOR_PORT, else ${DEFAULT_DASHBOARD_PORT}; 0 = any free port)`,
    '  --host H          address to listen on (default 127.0.0.1); anything beyond loopback needs a token',
    `  --token-file FILE the secret (at least ${MIN_TOKEN_LENGTH} characters) in a file of mode 600, else $${TOKEN_ENV};`,
    '                    default random per run. Beyond loopback, open the page once as /?token=<it> from elsewhere',
    '  --token T         the same on the command line, where every user of this machine can read it (warns)',
    '  --open            open the dashboard (a one-time login link) in the browser',
  ].join('\n'),
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    token: { type: 'string' },
    'token-file': { type: 'string' },
    open: { type: 'boolean' },
  },
  run: (input) => serveDashboard(input),
};
