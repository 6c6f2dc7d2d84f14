// Electron main entry (package.json "main"): the tray app.
import { app } from 'electron';
import { keepYoungGenerationSmall } from '../core/lean-heap.js';
import { startApp } from './app.js';

/** Where the running TrayApp is kept for the real-Electron smoke suite, which looks at it from the main process. */
export const TRAY_APP_GLOBAL = Symbol.for('tce.trayApp');

keepYoungGenerationSmall();
startApp()
  .then((trayApp) => {
    if (trayApp) Reflect.set(globalThis, TRAY_APP_GLOBAL, trayApp);
  })
  .catch((error: unknown) => {
    console.error(`TCE could not start: ${(error as Error).stack ?? String(error)}`);
    app.exit(1);
  });
