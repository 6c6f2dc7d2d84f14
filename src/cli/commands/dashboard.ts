import fs from 'node:fs';
import type { Command, CommandInput } from '../command.js';
import { createMonitor } from '../../core/create-monitor.js';
import { claudeDirs, dataDir, settingsFile } from '../../core/paths.js';
import { MIN_TOKEN_LENGTH, startDashboardServer, type DashboardServer, type RequestLogEntry } from '../../server/index.js';
import { isLoopbackHost } from '../../server/security.js';
import { openBrowser } from '../../server/open-browser.js';
import { checkDashboardProcess } from '../../server/dashboard-process.js';
import { processStartTicks, readState, removeStateIfOurs, writeState, type DashboardState } from '../../server/state-file.js';

export const DEFAULT_DASHBOARD_PORT = 5111;

class UsageError extends Error {}

function parsePort(text: string, from: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65535) throw new UsageError(`${from} must be a port number from 0 to 65535, got '${text}'.`);
  return Number(text);
}

/** The dashboard port the user set in TCE's settings file, if they set one (the defaults do not count). */
function settingsPort(env: NodeJS.ProcessEnv): number | null {
  try {
    const raw = JSON.parse(fs.readFileSync(settingsFile(env), 'utf8')) as Record<string, unknown>;
    const port = raw?.dashboardPort;
    return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : null;
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
  const token = typeof input.values.token === 'string' ? input.values.token : undefined;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) return fail(`--token must be at least ${MIN_TOKEN_LENGTH} characters.`, 2);
  const exposed = !isLoopbackHost(host);
  if (exposed && token === undefined) {
    return fail(
      `refusing to listen on ${host} without --token: anyone who can reach it could see your sessions. ` +
        'Pass --token with a long secret (the dashboard page carries it), or leave --host at 127.0.0.1.',
      2,
    );
  }

  const data = dataDir(env);
  const monitor = createMonitor({ claudeDirs: claudeDirs(input.values['claude-dir'] as string | undefined, env), dataDir: data });
  let server: DashboardServer;
  try {
    const log = env.TCE_DEBUG
      ? (e: RequestLogEntry) => stderr.write(`${new Date().toISOString()} ${e.method} ${e.url} ${e.status} origin=${e.origin ?? '-'} host=${e.host ?? '-'}\n`)
      : undefined;
    server = await startDashboardServer({ monitor, host, port, token, log });
  } catch (error) {
    await monitor.stop();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      const running = runningDashboard(data);
      if (running && running.port === port) {
        return fail(`a TCE dashboard is already running at ${running.url} (pid ${running.pid}); open that one, or stop it with \`tce dashboard-stop\`.`, 1);
      }
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
  try {
    writeState(data, {
      pid: process.pid,
      url: server.url,
      port: server.port,
      host: server.host,
      startedAt: new Date().toISOString(),
      ...(processStartTicks(process.pid) ? { procStart: processStartTicks(process.pid) as string } : {}),
    });
    stateWritten = true;
  } catch (error) {
    stderr.write(`tce dashboard: warning: could not write the state file in ${data} (${(error as Error).message}); \`tce dashboard-stop\` will not find this server.\n`);
  }

  stdout.write(`TCE dashboard: ${server.url}\n`);
  if (note) stdout.write(`${note}\n`);
  if (exposed) {
    stdout.write(`Open it once as ${server.url}?token=<your token>; the browser then keeps it in a cookie.\n`);
    stderr.write(
      `tce dashboard: warning: listening on ${host}, beyond this machine. Every request needs the token you gave; ` +
        'traffic is plain HTTP, so anyone who can watch the network can read it.\n',
    );
  }
  stdout.write('Press Ctrl+C to stop.\n');
  if (input.values.open) {
    void openBrowser(server.url, env).then((problem) => {
      if (problem) stderr.write(`tce dashboard: warning: could not open a browser (${problem}); open ${server.url} yourself.\n`);
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

export const dashboardCommand: Command = {
  name: 'dashboard',
  usage: [
    'Usage: tce dashboard [--port N] [--host H] [--token T] [--open]',
    '',
    'Serves the dashboard and its JSON API (/api/...), live updates (/api/events) and Prometheus metrics (/metrics)',
    'until Ctrl+C or `tce dashboard-stop`.',
    '',
    `  --port N     port (default: settings' dashboardPort, else $CLAUDE_MONITOR_PORT, else ${DEFAULT_DASHBOARD_PORT}; 0 = any free port)`,
    '  --host H     address to listen on (default 127.0.0.1); anything beyond loopback needs --token',
    `  --token T    secret of at least ${MIN_TOKEN_LENGTH} characters (default: random per run). Every action (kill, pin,`,
    '               settings) carries it; beyond loopback every request does (open the page once as /?token=T)',
    '  --open       open the dashboard in the browser',
  ].join('\n'),
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    token: { type: 'string' },
    open: { type: 'boolean' },
  },
  run: (input) => serveDashboard(input),
};
