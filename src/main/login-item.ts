import { app } from 'electron';
import { autostartFile, launchCommand, LinuxAutostart } from './autostart-linux.js';

/** Start at login, whatever the platform does for it. */
export interface LoginItem {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

/**
 * macOS and Windows: the system's login items, started with `--hidden` (macOS reports `wasOpenedAtLogin`).
 * Unpackaged, the executable is Electron itself, so the app folder goes first.
 */
class SystemLoginItem implements LoginItem {
  constructor(private readonly args: string[]) {}

  isEnabled(): boolean {
    return app.getLoginItemSettings({ args: this.args }).openAtLogin;
  }

  setEnabled(enabled: boolean): void {
    app.setLoginItemSettings({ openAtLogin: enabled, args: this.args });
  }
}

export function createLoginItem(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): LoginItem {
  if (platform === 'darwin' || platform === 'win32') return new SystemLoginItem(app.isPackaged ? ['--hidden'] : [app.getAppPath(), '--hidden']);
  const command = launchCommand({ env, execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath() });
  return new LinuxAutostart(autostartFile(env), command);
}

/** True when this start should stay in the tray: started at login, or asked with `--hidden`. */
export function startedHidden(argv: string[], platform: NodeJS.Platform = process.platform): boolean {
  if (argv.includes('--hidden')) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
