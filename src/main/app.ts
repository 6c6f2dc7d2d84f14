import { fileURLToPath } from 'node:url';
import { app, protocol, session } from 'electron';
import { createCore } from '../core/create-core.js';
import type { Monitor } from '../core/monitor.js';
import { dataDir as defaultDataDir } from '../core/paths.js';
import { APP_ID } from './app-identity.js';
import { APP_SCHEME, rendererHandler } from './app-protocol.js';
import { createLoginItem, startedHidden, type LoginItem } from './login-item.js';
import { denyPermissions } from './security.js';
import { probeTrayHost, type TrayHost } from './tray-host.js';
import { TrayApp } from './tray-app.js';

export interface StartOptions {
  argv?: string[];
  /** TCE's data folder (settings); default `dataDir()`. */
  dataDir?: string;
  /** Default: the real monitor over the same data folder. */
  monitor?: (dataDir: string) => Monitor;
  loginItem?: LoginItem;
  platform?: NodeJS.Platform;
  preload?: string;
  rendererDir?: string;
  /** Whether this desktop shows tray icons; default: asks the session bus (Linux). */
  trayHost?: () => Promise<TrayHost>;
}

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER = fileURLToPath(new URL('../../renderer/', import.meta.url));

/** Runs before `ready`: the dashboard's scheme must be privileged before the app starts. */
export function registerScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Starts the tray app, or hands over to the running one (single instance) and returns null.
 */
export async function startApp(options: StartOptions = {}): Promise<TrayApp | null> {
  const platform = options.platform ?? process.platform;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Before anything is awaited: a second start, or a quit (Ctrl+C in `tce run`, logout, the system shutting down),
  // can arrive while the app is still starting.
  let trayApp: TrayApp | null = null;
  let openRequested = false;
  app.on('second-instance', (_event, argv) => {
    // A second start opens the dashboard, unless it was a start at login (the app is already in the tray).
    if (argv.includes('--hidden')) return;
    if (trayApp) trayApp.showDashboard();
    else openRequested = true;
  });
  app.on('before-quit', (event) => {
    // The monitor saves its index and the window its place before the app ends; then the quit goes on (TrayApp.quit
    // asks again once it has stopped, within a deadline).
    if (!trayApp || trayApp.stopped) return;
    event.preventDefault();
    trayApp.quit();
  });
  // Windows shows toasts only for an app whose AppUserModelID matches its Start menu shortcut (the app id).
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
  registerScheme();
  const trayHost = (options.trayHost ?? (() => probeTrayHost(platform)))();

  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();
  protocol.handle(APP_SCHEME, rendererHandler(options.rendererDir ?? RENDERER));
  denyPermissions(session.defaultSession);

  const dir = options.dataDir ?? defaultDataDir();
  const core = createCore({ dataDir: dir });
  const settings = core.settings;
  // Told once at the start (menu and a notification) rather than on every poll: the file is repaired, a copy kept.
  const warnings = settings.prepare();
  const monitor = options.monitor ? options.monitor(dir) : core.monitor;
  const host = await trayHost;
  trayApp = new TrayApp({
    monitor,
    settings,
    settingsWarnings: warnings,
    loginItem: options.loginItem ?? createLoginItem(platform),
    preload: options.preload ?? PRELOAD,
    platform,
    trayHost: host,
  });
  trayApp.start();
  const hidden = startedHidden(options.argv ?? process.argv, platform) || settings.load().settings.startHidden;
  // Without a tray, a hidden app could not be reached at all: the window is shown whatever was asked.
  if (openRequested || !hidden || !trayApp.trayVisible) trayApp.showDashboard();
  return trayApp;
}
