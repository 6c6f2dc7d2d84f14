// The settings as the tray app opens them at its start (src/main/app.ts): core's store, prepared once.
import path from 'node:path';
import { SettingsStore } from '../../src/core/settings/store.js';

export function openTraySettings(dir: string): { store: SettingsStore; warnings: string[] } {
  const store = new SettingsStore(path.join(dir, 'config.json'));
  return { store, warnings: store.prepare() };
}
