// Whether this desktop shows tray icons. On Linux Electron's Tray is a StatusNotifierItem: it appears only where a
// StatusNotifier host (a panel applet, GNOME's AppIndicator extension, ...) has registered with the
// org.kde.StatusNotifierWatcher on the session bus. GNOME without the extension has none, and the icon never shows.
import { execFile } from 'node:child_process';

export type TrayHostState = 'present' | 'absent' | 'unknown';

export interface TrayHost {
  state: TrayHostState;
  /** How that was found, for the message and the log. */
  detail: string;
}

/** Runs a program and gives its stdout, or throws (not found, failed, timed out). */
export type CommandRunner = (program: string, args: string[]) => Promise<string>;

const PROBE_TIMEOUT_MS = 2000;
const WATCHER = 'org.kde.StatusNotifierWatcher';

export const runCommand: CommandRunner = (program, args) =>
  new Promise((resolve, reject) => {
    execFile(program, args, { timeout: PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      // The program's own complaint (no bus, no such name) says more than "Command failed".
      const said = stderr.trim();
      if (said) error.message = said;
      reject(error);
    });
  });

/** The bus calls, as dbus-send and gdbus spell them, and how each prints a boolean answer. */
const TOOLS = [
  {
    name: 'dbus-send',
    hasOwner: ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${WATCHER}`],
    hostRegistered: ['--session', '--print-reply', `--dest=${WATCHER}`, '/StatusNotifierWatcher', 'org.freedesktop.DBus.Properties.Get', `string:${WATCHER}`, 'string:IsStatusNotifierHostRegistered'],
    parse: (out: string): boolean | null => {
      const match = /\bboolean (true|false)\b/.exec(out);
      return match ? match[1] === 'true' : null;
    },
  },
  {
    name: 'gdbus',
    hasOwner: ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', WATCHER],
    hostRegistered: ['call', '--session', '--dest', WATCHER, '--object-path', '/StatusNotifierWatcher', '--method', 'org.freedesktop.DBus.Properties.Get', WATCHER, 'IsStatusNotifierHostRegistered'],
    parse: (out: string): boolean | null => {
      const match = /\(<?(true|false)>?,\)/.exec(out);
      return match ? match[1] === 'true' : null;
    },
  },
] as const;

const isMissingProgram = (error: unknown): boolean => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * Asks the session bus whether a StatusNotifier host is there, with dbus-send or else gdbus. macOS and Windows always
 * have a tray. When neither tool runs or the bus cannot be reached, the answer is 'unknown' (the tray is assumed).
 */
export async function probeTrayHost(platform: NodeJS.Platform = process.platform, run: CommandRunner = runCommand): Promise<TrayHost> {
  if (platform !== 'linux') return { state: 'present', detail: 'the system tray is always there' };
  const problems: string[] = [];
  for (const tool of TOOLS) {
    let owned: boolean | null;
    try {
      owned = tool.parse(await run(tool.name, [...tool.hasOwner]));
    } catch (error) {
      problems.push(isMissingProgram(error) ? `${tool.name} is not installed` : `${tool.name} failed: ${firstLine(error)}`);
      continue;
    }
    if (owned === null) {
      problems.push(`${tool.name} gave an answer TCE cannot read`);
      continue;
    }
    if (!owned) return { state: 'absent', detail: `no ${WATCHER} on the session bus` };
    try {
      const registered = tool.parse(await run(tool.name, [...tool.hostRegistered]));
      if (registered === false) return { state: 'absent', detail: `${WATCHER} has no StatusNotifier host registered` };
      return { state: 'present', detail: `${WATCHER} reports a host` };
    } catch (error) {
      // A watcher without the property (older implementations) still means a panel that shows icons.
      return { state: 'present', detail: `${WATCHER} is on the session bus (${firstLine(error)})` };
    }
  }
  return { state: 'unknown', detail: problems.join('; ') };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}
