import type { Command } from './command.js';
import { blocksCommand } from './commands/blocks.js';
import { dashboardCommand } from './commands/dashboard.js';
import { dashboardStopCommand } from './commands/dashboard-stop.js';
import { killCommand } from './commands/kill.js';
import { killStaleCommand } from './commands/kill-stale.js';
import { pinCommand } from './commands/pin.js';
import { runCommand } from './commands/run.js';
import { sessionsCommand } from './commands/sessions.js';
import { statusCommand } from './commands/status.js';
import { unpinCommand } from './commands/unpin.js';
import { usageCommand } from './commands/usage.js';

/** Every `tce` command, in the order `tce --help` lists them. Each lives in its own file under ./commands/. */
export const COMMANDS: Command[] = [
  statusCommand,
  killCommand,
  killStaleCommand,
  pinCommand,
  unpinCommand,
  usageCommand,
  sessionsCommand,
  blocksCommand,
  dashboardCommand,
  dashboardStopCommand,
  runCommand,
];
