// Shared set-up for the process core tests: a monitor on temporary settings and Claude dirs, and real PID reuse.
import fs from 'node:fs';
import path from 'node:path';
import { ProcessMonitor, type ProcessSource } from '../../../src/core/process/index.js';
import { SettingsStore } from '../../../src/core/settings/store.js';
import type { Settings } from '../../../src/core/settings/types.js';
import type { FakeProcess } from '../../support/fake-claude.js';

export interface MonitorSetup {
  root: string;
  claudeDir: string;
  settings: SettingsStore;
  monitor: ProcessMonitor;
}

/** A ProcessMonitor whose settings file and (unless given) Claude dir live under `root`. */
export function monitorIn(
  root: string,
  options: { source?: ProcessSource; killWaitMs?: number; settings?: (s: Settings) => void; claudeDir?: string } = {},
): MonitorSetup {
  const claudeDir = options.claudeDir ?? path.join(root, 'claude');
  fs.mkdirSync(claudeDir, { recursive: true });
  const settings = new SettingsStore(path.join(root, 'tce-data', 'config.json'));
  if (options.settings) settings.update((s) => options.settings?.(s));
  const monitor = new ProcessMonitor({ claudeDirs: [claudeDir], settings, source: options.source, killWaitMs: options.killWaitMs });
  return { root, claudeDir, settings, monitor };
}

const NS_LAST_PID = '/proc/sys/kernel/ns_last_pid';

/**
 * Spawns a process (with `spawnIt`) that gets exactly `pid`, a PID that belonged to an earlier process: a real
 * PID reuse. Needs the right to write ns_last_pid (root in this PID namespace); returns null without it.
 * Other processes may grab the PID first, so it tries a few times.
 */
export async function spawnAtPid(pid: number, spawnIt: () => Promise<FakeProcess>, attempts = 30): Promise<FakeProcess | null> {
  for (let i = 0; i < attempts; i++) {
    try {
      fs.writeFileSync(NS_LAST_PID, String(pid - 1));
    } catch {
      return null;
    }
    const fake = await spawnIt();
    if (fake.pid === pid) return fake;
    await fake.kill();
  }
  return null;
}

/** Whether spawnAtPid can work here (root, writable ns_last_pid). */
export function canReusePids(): boolean {
  try {
    fs.accessSync(NS_LAST_PID, fs.constants.W_OK);
    return typeof process.getuid === 'function' && process.getuid() === 0;
  } catch {
    return false;
  }
}
