import type { Command } from '../command.js';
import { dataDir } from '../../core/paths.js';
import { isRunning } from '../../core/system/probe.js';
import { checkDashboardProcess } from '../../server/dashboard-process.js';
import { readState, removeState, stateFile } from '../../server/state-file.js';

const EXIT_WAIT_MS = 10_000;

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isRunning(pid);
}

export const dashboardStopCommand: Command = {
  name: 'dashboard-stop',
  usage: [
    'Usage: tce dashboard-stop',
    '',
    `Finds the running dashboard from its state file (dashboard.json in TCE's data folder), checks that the process is`,
    'still `tce dashboard`, asks it to stop (SIGTERM) and waits until it has.',
  ].join('\n'),
  options: {},
  async run({ io }) {
    const data = dataDir(io.env);
    const file = stateFile(data);
    const read = readState(data);
    if (read.kind === 'missing') {
      io.stdout.write('No dashboard is running (no state file).\n');
      return 0;
    }
    if (read.kind === 'damaged') {
      removeState(data);
      io.stderr.write(
        `tce dashboard-stop: the state file ${file} is damaged (${read.reason}); removed it. ` +
          'If a dashboard is still running, stop it with Ctrl+C in its terminal.\n',
      );
      return 1;
    }
    const { state } = read;
    const check = checkDashboardProcess(state);
    if (check.kind === 'gone') {
      removeState(data);
      io.stdout.write(`No dashboard is running (process ${state.pid} is gone); removed the stale state file.\n`);
      return 0;
    }
    if (check.kind === 'other') {
      removeState(data);
      io.stdout.write(
        `No dashboard is running: process ${state.pid} is now something else (${check.command.slice(0, 120)}); left it alone and removed the stale state file.\n`,
      );
      return 0;
    }
    try {
      process.kill(state.pid, 'SIGTERM');
    } catch (error) {
      io.stderr.write(`tce dashboard-stop: could not signal process ${state.pid}: ${(error as Error).message}\n`);
      return 1;
    }
    if (!(await waitForExit(state.pid, EXIT_WAIT_MS))) {
      io.stderr.write(`tce dashboard-stop: the dashboard (pid ${state.pid}) did not stop within ${EXIT_WAIT_MS / 1000} s.\n`);
      return 1;
    }
    // The dashboard removes its state file on the way out; this catches one that could not.
    const after = readState(data);
    if (after.kind === 'found' && after.state.pid === state.pid) removeState(data);
    io.stdout.write(`Stopped the dashboard at ${state.url} (pid ${state.pid}).\n`);
    return 0;
  },
};
