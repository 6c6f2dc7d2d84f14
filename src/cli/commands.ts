import type { Command } from './command.js';
import { blocksCommand } from './commands/blocks.js';
import { dashboardCommand } from './commands/dashboard.js';
import { dashboardStopCommand } from './commands/dashboard-stop.js';
import { runCommand } from './commands/run.js';
import { sessionsCommand } from './commands/sessions.js';
import { usageCommand } from './commands/usage.js';

/** Every `tce` command, in the order `tce --help` lists them. Each lives in its own file under ./commands/. */
export const COMMANDS: Command[] = [
  usageCommand,
  sessionsCommand,
  blocksCommand,
  dashboardCommand,
  dashboardStopCommand,
  runCommand,
];
