import fs from 'node:fs';
import type { Command, CommandInput } from '../command.js';
import { APP_ENTRY, APP_ROOT, displayProblem, findElectronBinary, launchElectron } from '../electron-launch.js';
import { serveDashboard } from './dashboard.js';

/** How long Electron must stay up to count as started; a failure to start shows well within it. */
const START_GRACE_MS = 3000;

/** Why the tray app cannot run here, or the binary to run it with. */
function trayAppProblems(env: NodeJS.ProcessEnv): { binary: string | null; problems: string[] } {
  const problems: string[] = [];
  const found = findElectronBinary(env);
  if (!found.ok) problems.push(found.problem);
  const display = displayProblem(env);
  if (display) problems.push(display);
  if (!fs.existsSync(APP_ENTRY)) problems.push(`the app is not built (${APP_ENTRY} is missing; run \`npm run build\`).`);
  return { binary: found.ok ? found.binary : null, problems };
}

function forwardSignals(child: { kill(signal: NodeJS.Signals): boolean }): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const s of signals) process.on(s, forward);
  return () => {
    for (const s of signals) process.off(s, forward);
  };
}

async function fallBack(input: CommandInput, problems: string[]): Promise<number> {
  const { stderr } = input.io;
  stderr.write(`tce run: the tray app cannot start here:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  stderr.write('tce run: serving the dashboard in the browser instead.\n');
  return serveDashboard(input, 'This is the browser dashboard: the tray app did not start (why is printed above).');
}

async function run(input: CommandInput): Promise<number> {
  const { env, stderr } = input.io;
  if (input.values.headless) return serveDashboard(input, '(Headless: the tray app was not started, as asked with --headless.)');
  const { binary, problems } = trayAppProblems(env);
  if (!binary || problems.length > 0) return fallBack(input, problems);

  const args = [APP_ROOT];
  if (input.values.hidden) args.push('--hidden');
  const appEnv = { ...env };
  // The tray app reads Claude's dirs as the CLI does: --claude-dir travels as CLAUDE_CONFIG_DIR.
  if (typeof input.values['claude-dir'] === 'string') appEnv.CLAUDE_CONFIG_DIR = input.values['claude-dir'];
  const launch = await launchElectron({ binary, args, env: appEnv, graceMs: START_GRACE_MS, stderr });
  if (!launch.ok) return fallBack(input, [launch.problem]);
  if (launch.endedAtOnce) {
    input.io.stdout.write('TCE is already running in the tray; its dashboard window was opened.\n');
    return 0;
  }
  input.io.stdout.write('TCE is running in the tray. Quit it from the tray menu (or press Ctrl+C here).\n');
  const stopForwarding = forwardSignals(launch.child);
  try {
    return await launch.exited;
  } finally {
    stopForwarding();
  }
}

export const runCommand: Command = {
  name: 'run',
  usage: [
    'Usage: tce run [--hidden] [--headless] [--port N] [--open]',
    '',
    'Starts the TCE tray app. When it cannot start here (Electron binary missing, no display on Linux, or Electron',
    'failing at once), says why and serves the dashboard over HTTP instead, as `tce dashboard` does.',
    '',
    '  --hidden     start in the tray without opening the dashboard window',
    '  --headless   do not try the tray app: serve the browser dashboard',
    '  --port N     port of the browser dashboard when it is served (see `tce dashboard --help`)',
    '  --open       open the browser dashboard when it is served',
  ].join('\n'),
  options: {
    hidden: { type: 'boolean' },
    headless: { type: 'boolean' },
    port: { type: 'string', short: 'p' },
    open: { type: 'boolean' },
  },
  run,
};
