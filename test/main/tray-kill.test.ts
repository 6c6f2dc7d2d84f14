// Kill from the tray menu goes through the real core, which re-reads and re-verifies the process before signalling.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fake } from '../mocks/electron.js';
import { createMonitor } from '../../src/core/create-core.js';
import type { Monitor } from '../../src/core/monitor.js';
import { LinuxAutostart } from '../../src/main/autostart-linux.js';
import { openTraySettings } from './tray-settings.js';
import { TrayApp } from '../../src/main/tray-app.js';
import type { Snapshot } from '../../src/shared/api.js';
import { spawnFakeFor } from '../support/fake-claude.js';
import { tempDir, waitFor } from '../support/tmp.js';
import { claudeProcess } from './snapshots.js';

/**
 * The real monitor, except that every snapshot also lists `extraPid` as a Claude Code process: what the menu shows
 * when a Claude process exited and its PID went to an unrelated program between two polls.
 */
function withStaleEntry(real: Monitor, extraPid: () => number | null): Monitor {
  const add = (s: Snapshot): Snapshot => {
    const pid = extraPid();
    if (pid === null) return s;
    const ghost = claudeProcess({ pid, project: 'was-claude' });
    return { ...s, processes: { ...s.processes, processes: [...s.processes.processes, ghost] } };
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'current') return () => {
        const c = target.current();
        return c && add(c);
      };
      if (prop === 'onSnapshot') return (listener: (s: Snapshot) => void) => target.onSnapshot((s) => listener(add(s)));
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('kill from the tray menu', () => {
  beforeEach(() => fake.reset());

  it('kills a real Claude Code process and refuses a PID that is not Claude’s', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-traykill-');
    const claudeDir = path.join(root, 'claude');
    fs.mkdirSync(claudeDir, { recursive: true });
    const claude = await spawnFakeFor(t, 'native-installer', root);
    const decoy = await spawnFakeFor(t, 'decoy-claudette', root);
    let ghostPid: number | null = null;
    const dataDir = path.join(root, 'data');
    const { store } = openTraySettings(dataDir);
    const real = createMonitor({ claudeDirs: [claudeDir], dataDir });
    const trayApp = new TrayApp({
      monitor: withStaleEntry(real, () => ghostPid),
      settings: store,
      settingsWarnings: [],
      loginItem: new LinuxAutostart(path.join(root, 'autostart', 'tce.desktop'), { program: 'tce', args: [] }),
      preload: path.join(root, 'preload.cjs'),
      platform: 'linux',
    });
    trayApp.start();
    t.after(() => trayApp.stop());

    const menu = () => fake.trays[0]!.menu!;
    await waitFor(`menu entry for the Claude process ${claude.pid}`, () => menu().getMenuItemById(`process-${claude.pid}`), 20_000);
    assert.equal(menu().getMenuItemById(`process-${decoy.pid}`), null, 'the decoy is not listed as Claude Code');

    menu().click(`kill-${claude.pid}`);
    await waitFor('the Claude process to exit', () => !claude.alive(), 20_000);
    const done = await waitFor('the kill result', () => fake.notifications.find((n) => n.title === `Kill ${claude.pid}`), 20_000);
    assert.match(done.body, new RegExp(`PID ${claude.pid} exited after SIGTERM`));
    await waitFor('the killed process to leave the menu', () => menu().getMenuItemById(`process-${claude.pid}`) === null, 20_000);

    ghostPid = decoy.pid;
    await real.refresh();
    assert.ok(menu().getMenuItemById(`kill-${decoy.pid}`), 'the stale entry is in the menu');
    menu().click(`kill-${decoy.pid}`);
    const refused = await waitFor('the refusal', () => fake.notifications.find((n) => n.title.startsWith(`Kill ${decoy.pid}:`)), 20_000);
    assert.equal(refused.title, `Kill ${decoy.pid}: 1 of 1 refused or failed`);
    assert.match(refused.body, /Nothing was signalled\./);
    assert.ok(decoy.alive(), 'the decoy was not signalled');
  });
});
