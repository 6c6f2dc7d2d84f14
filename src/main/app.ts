import { fileURLToPath } from 'node:url';
import { app, protocol, session } from 'electron';
import { createMonitor } from '../core/create-monitor.js';
import type { Monitor } from '../core/monitor.js';
import { dataDir as defaultDataDir } from '../core/paths.js';
import { APP_SCHEME, rendererHandler } from './app-protocol.js';
import { createLoginItem, startedHidden, type LoginItem } from './login-item.js';
import { denyPermissions } from './security.js';
import { openSettings } from './settings.js';
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
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  const platform = options.platform ?? process.platform;
  registerScheme();
  // Without a window the app lives on in the tray; Quit in the menu ends it.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();
  if (platform === 'win32') app.setAppUserModelId('dev.tce.monitor');
  protocol.handle(APP_SCHEME, rendererHandler(options.rendererDir ?? RENDERER));
  denyPermissions(session.defaultSession);

  const dir = options.dataDir ?? defaultDataDir();
  const { store, warnings } = openSettings(dir);
  const monitor = options.monitor ? options.monitor(dir) : createMonitor({ dataDir: dir });
  const trayApp = new TrayApp({
    monitor,
    settings: store,
    settingsWarnings: warnings,
    loginItem: options.loginItem ?? createLoginItem(platform),
    preload: options.preload ?? PRELOAD,
    platform,
  });
  // A second start opens the dashboard, unless it was a start at login (the app is already in the tray).
  app.on('second-instance', (_event, argv) => {
    if (!argv.includes('--hidden')) void trayApp.openDashboard();
  });
  app.on('before-quit', () => trayApp.dashboard.allowClose());
  trayApp.start();
  if (!startedHidden(options.argv ?? process.argv, platform) && !store.get('startHidden')) void trayApp.openDashboard();
  return trayApp;
}
