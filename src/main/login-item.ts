import { app } from 'electron';
import { autostartFile, launchCommand, LinuxAutostart } from './autostart-linux.js';
import { sandboxDecision, systemProbes, type SandboxProbes } from './chromium-sandbox.js';

/** Start at login, whatever the platform does for it. */
export interface LoginItem {
  isEnabled(): boolean;
  /** Turns it on or off; returns what the user must still do, if anything (macOS approval), else null. */
  setEnabled(enabled: boolean): string | null;
}

/**
 * macOS 13+: the app itself as an SMAppService login item (`type: 'mainAppService'`). Arguments cannot be passed
 * there, so a start at login is recognised by `wasOpenedAtLogin` (see startedHidden). macOS may want the user's
 * approval first, and refuses an unsigned app without an error: both are checked after the change.
 */
class MacLoginItem implements LoginItem {
  isEnabled(): boolean {
    return app.getLoginItemSettings({ type: 'mainAppService' }).openAtLogin;
  }

  setEnabled(enabled: boolean): string | null {
    app.setLoginItemSettings({ openAtLogin: enabled, type: 'mainAppService' });
    const { openAtLogin, status } = app.getLoginItemSettings({ type: 'mainAppService' });
    if (!enabled) return null;
    if (status === 'requires-approval') return 'Allow TCE in System Settings › General › Login Items to finish.';
    if (!openAtLogin || status !== 'enabled') {
      throw new Error(`macOS did not register TCE as a login item (status: ${status}); only a signed app in /Applications can be one.`);
    }
    return null;
  }
}

/**
 * Windows: a Run-key entry for this executable with `--hidden`; unpackaged, the executable is Electron itself, so
 * the app folder goes first. Electron 45 quotes the path and each argument itself (electron/electron#50016), so they
 * are passed bare; reading back uses the same path and arguments, as the API asks.
 */
class WindowsLoginItem implements LoginItem {
  constructor(
    private readonly path: string,
    private readonly args: string[],
  ) {}

  isEnabled(): boolean {
    return app.getLoginItemSettings({ path: this.path, args: this.args }).openAtLogin;
  }

  setEnabled(enabled: boolean): string | null {
    app.setLoginItemSettings({ openAtLogin: enabled, path: this.path, args: this.args });
    return null;
  }
}

export interface LoginItemContext {
  /** The executable that starts this app (default process.execPath). */
  execPath?: string;
  /** What the Linux sandbox decision looks at (default: this system). */
  probes?: SandboxProbes;
}

export function createLoginItem(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, context: LoginItemContext = {}): LoginItem {
  const execPath = context.execPath ?? process.execPath;
  if (platform === 'darwin') return new MacLoginItem();
  if (platform === 'win32') return new WindowsLoginItem(execPath, app.isPackaged ? ['--hidden'] : [app.getAppPath(), '--hidden']);
  const sandbox = sandboxDecision({ binary: execPath, appImage: Boolean(env.APPIMAGE) }, context.probes ?? systemProbes());
  const command = launchCommand({ env, execPath, isPackaged: app.isPackaged, appPath: app.getAppPath(), sandbox });
  return new LinuxAutostart(autostartFile(env), command);
}

/** True when this start should stay in the tray: started at login, or asked with `--hidden`. */
export function startedHidden(argv: string[], platform: NodeJS.Platform = process.platform): boolean {
  if (argv.includes('--hidden')) return true;
  return platform === 'darwin' && app.getLoginItemSettings({ type: 'mainAppService' }).wasOpenedAtLogin === true;
}
