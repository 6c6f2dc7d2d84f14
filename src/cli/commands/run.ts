import fs from 'node:fs';
import path from 'node:path';
import type { Command, CommandInput } from '../command.js';
import { APP_ENTRY, APP_ROOT, displayProblem, findElectron, installElectron, launchElectron } from '../electron-launch.js';
import { sandboxArgs, sandboxDecision } from '../../main/chromium-sandbox.js';
import { serveDashboard } from './dashboard.js';

/** How long Electron must stay up to count as started; a failure to start shows well within it. */
const START_GRACE_MS = 3000;

function fallBack(input: CommandInput, problems: string[]): Promise<number> {
  const { stderr } = input.io;
  stderr.write(`tce run: the tray app cannot start here:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  stderr.write('tce run: serving the dashboard in the browser instead.\n');
  return serveDashboard(input, 'This is the browser dashboard: the tray app did not start (why is printed above).');
}

/**
 * The Electron binary to run, downloading it first (with Electron's own installer) when that is the only thing
 * missing. When the tray app cannot start, says why and serves the dashboard instead (the exit code to come).
 */
async function electronBinary(input: CommandInput): Promise<{ binary: string } | { served: Promise<number> }> {
  const { env, stderr } = input.io;
  let found = findElectron(env);
  const problems: string[] = [];
  const display = displayProblem(env);
  if (display) problems.push(display);
  if (!fs.existsSync(APP_ENTRY)) problems.push(`the app is not built (${APP_ENTRY} is missing; run \`npm run build\`).`);
  if (found.kind === 'unusable') problems.push(found.problem);
  if (found.kind === 'not-downloaded' && problems.length > 0) {
    problems.push(`the Electron binary is not downloaded yet (\`tce run\` fetches it where the tray app can run, or run \`node ${found.installer}\`).`);
  }
  if (problems.length > 0) return { served: fallBack(input, problems) };
  if (found.kind === 'not-downloaded') {
    const { installer, version } = found;
    stderr.write(`tce run: first launch: downloading Electron ${version} with its installer (${path.relative(process.cwd(), installer) || installer})…\n`);
    const installed = await installElectron({ installer, version, env, stderr });
    found = installed.ok ? findElectron(env) : found;
    if (!installed.ok || found.kind !== 'found') {
      const why = installed.ok ? 'its installer finished but left no binary' : installed.problem;
      stderr.write(`tce run: Electron ${version} could not be downloaded (${why}); serving the dashboard in the browser instead.\n`);
      return { served: serveDashboard(input, 'This is the browser dashboard: the tray app did not start (why is printed above).') };
    }
    stderr.write(`tce run: Electron ${version} is installed.\n`);
  }
  if (found.kind !== 'found') return { served: fallBack(input, [found.kind === 'unusable' ? found.problem : 'the Electron binary is missing.']) };
  return { binary: found.binary };
}

async function run(input: CommandInput): Promise<number> {
  const { env, stderr } = input.io;
  if (input.values.headless) return serveDashboard(input, '(Headless: the tray app was not started, as asked with --headless.)');
  const got = await electronBinary(input);
  if ('served' in got) return got.served;
  const { binary } = got;

  const sandbox = sandboxDecision({ binary });
  if (sandbox.why) stderr.write(`tce run: starting Electron with --no-sandbox: ${sandbox.why}.\n`);
  const args = [APP_ROOT, ...sandboxArgs(sandbox)];
  if (input.values.hidden) args.push('--hidden');
  const appEnv = { ...env };
  // The tray app reads Claude's dirs as the CLI does: --claude-dir travels as CLAUDE_CONFIG_DIR.
  if (typeof input.values['claude-dir'] === 'string') appEnv.CLAUDE_CONFIG_DIR = input.values['claude-dir'];
  const launch = await launchElectron({ binary, args, env: appEnv, graceMs: START_GRACE_MS, stderr, notes: stderr });
  if (!launch.ok) return fallBack(input, [launch.problem]);
  if (launch.stopped) return launch.exited;
  if (launch.endedAtOnce) {
    input.io.stdout.write('TCE is already running in the tray; its dashboard window was opened.\n');
    return 0;
  }
  input.io.stdout.write('TCE is running in the tray. Quit it from the tray menu or its window (or press Ctrl+C here).\n');
  return launch.exited;
}

export const runCommand: Command = {
  name: 'run',
  usage: [
    'Usage: tce run [--hidden] [--headless] [--port N] [--open]',
    '',
    'Starts the TCE tray app. On first use it downloads the Electron binary with Electron\'s own installer. When the',
    'tray app cannot start here (no display on Linux, the download failing, Electron failing at once), says why and',
    'serves the dashboard over HTTP instead, as `tce dashboard` does. Ctrl+C stops the app (twice: at once).',
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
