import type { Command } from './command.js';

/** A command as `tce --help` lists it; its module (and what it imports) loads only when the command runs. */
export interface CommandEntry {
  name: string;
  /** One line for `tce --help`. */
  summary: string;
  load(): Promise<Command>;
}

/** Every `tce` command, in the order `tce --help` lists them. Each lives in its own file under ./commands/. */
export const COMMANDS: CommandEntry[] = [
  { name: 'status', summary: 'the running Claude Code processes and their health', load: async () => (await import('./commands/status.js')).statusCommand },
  { name: 'kill', summary: 'end one Claude Code process (SIGTERM, or SIGKILL with --force)', load: async () => (await import('./commands/kill.js')).killCommand },
  { name: 'kill-stale', summary: 'end every stale Claude Code session (--dry-run to only list them)', load: async () => (await import('./commands/kill-stale.js')).killStaleCommand },
  { name: 'pin', summary: 'keep a Claude Code process from ever being marked stale', load: async () => (await import('./commands/pin.js')).pinCommand },
  { name: 'unpin', summary: 'let a pinned Claude Code process be marked stale again', load: async () => (await import('./commands/unpin.js')).unpinCommand },
  { name: 'usage', summary: 'token usage and cost per day, model and project', load: async () => (await import('./commands/usage.js')).usageCommand },
  { name: 'sessions', summary: 'usage per Claude Code session, newest first', load: async () => (await import('./commands/sessions.js')).sessionsCommand },
  { name: 'blocks', summary: '5-hour usage windows, with burn rate and projection of the active one', load: async () => (await import('./commands/blocks.js')).blocksCommand },
  { name: 'limits', summary: 'plan use (5-hour and weekly windows) with reset times, from the statusline', load: async () => (await import('./commands/limits.js')).limitsCommand },
  { name: 'statusline', summary: "Claude Code's statusLine command (--install sets it up): one line, and what it learns", load: async () => (await import('./commands/statusline.js')).statuslineCommand },
  { name: 'remote', summary: "other machines' TCE servers shown beside this one (list, add, remove)", load: async () => (await import('./commands/remote.js')).remoteCommand },
  { name: 'dashboard', summary: 'serve the dashboard in the browser (http://127.0.0.1:5111)', load: async () => (await import('./commands/dashboard.js')).dashboardCommand },
  { name: 'dashboard-stop', summary: 'stop the dashboard server started with `tce dashboard`', load: async () => (await import('./commands/dashboard-stop.js')).dashboardStopCommand },
  { name: 'run', summary: 'start the tray app (Electron); without one, serve the dashboard in the browser', load: async () => (await import('./commands/run.js')).runCommand },
];
