import type { Command } from './command.js';

/** Every `tce` command, in the order `tce --help` lists them. Each lives in its own file under ./commands/. */
export const COMMANDS: Command[] = [];
