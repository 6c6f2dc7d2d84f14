// Electron main entry (package.json "main"): the tray app.
import { app } from 'electron';
import { keepYoungGenerationSmall } from '../core/lean-heap.js';
import { startApp } from './app.js';

keepYoungGenerationSmall();
startApp().catch((error: unknown) => {
  console.error(`TCE could not start: ${(error as Error).stack ?? String(error)}`);
  app.exit(1);
});
