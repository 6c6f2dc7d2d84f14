import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxArgs, type SandboxDecision } from './chromium-sandbox.js';

/** What to run at login: a program and its arguments (`--hidden` is added). */
export interface LaunchCommand {
  program: string;
  args: string[];
}

export const AUTOSTART_FILE_NAME = 'tce.desktop';

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(config, 'autostart', AUTOSTART_FILE_NAME);
}

/** Quotes one Exec argument as the Desktop Entry spec asks: double quotes, with ", `, $ and \ escaped. */
function quoteExecArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=+-]+$/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

/**
 * The Exec line's value. The file's string escapes apply before the Exec quoting, so every backslash the quoting
 * wrote is doubled again; a literal % is doubled (field codes).
 */
export function execLine(command: LaunchCommand): string {
  return [command.program, ...command.args, '--hidden']
    .map(quoteExecArg)
    .join(' ')
    .replace(/\\/g, '\\\\')
    .replace(/%/g, '%%');
}

export function desktopEntry(command: LaunchCommand): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=TCE',
    'Comment=Monitor Claude Code processes, token usage and costs',
    `Exec=${execLine(command)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * The command that starts this app: the AppImage itself when run from one (its mount point changes every run),
 * else the Electron binary, with the app folder when unpackaged; `--no-sandbox` when the sandbox decision (made for
 * the binary that will run) says Chromium's sandbox cannot start here.
 */
export function launchCommand(opts: { env: NodeJS.ProcessEnv; execPath: string; isPackaged: boolean; appPath: string; sandbox?: SandboxDecision }): LaunchCommand {
  const noSandbox = opts.sandbox ? sandboxArgs(opts.sandbox) : [];
  if (opts.env.APPIMAGE) return { program: opts.env.APPIMAGE, args: noSandbox };
  return { program: opts.execPath, args: [...(opts.isPackaged ? [] : [opts.appPath]), ...noSandbox] };
}

/** Start at login on Linux: an XDG autostart entry, written or removed. */
export class LinuxAutostart {
  constructor(
    private readonly file: string,
    private readonly command: LaunchCommand,
  ) {}

  /** The real state: whether our entry is there and not disabled. */
  isEnabled(): boolean {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return false;
    }
    return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
  }

  setEnabled(enabled: boolean): null {
    if (!enabled) {
      fs.rmSync(this.file, { force: true });
      return null;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, desktopEntry(this.command), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    return null;
  }
}
