// The tray with a remote machine: a real `tce dashboard` on a loopback port stands for it. Its processes are listed
// under it, their actions go to its server, and when it stops the menu says so, with when it was last seen.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fake } from '../mocks/electron.js';
import { createMonitor } from '../../src/core/create-core.js';
import { LinuxAutostart } from '../../src/main/autostart-linux.js';
import { TrayApp } from '../../src/main/tray-app.js';
import { trayMenuTemplate } from '../../src/main/tray-menu.js';
import { tooltip, trayView } from '../../src/main/tray-view.js';
import { makeMachine, makeProcess, makeSnapshot } from '../../e2e/support/snapshots.js';
import { spawnFakeFor } from '../support/fake-claude.js';
import { writeMachineHome } from '../support/machine-home.js';
import { startTceServer, writeSettings } from '../support/tce-server.js';
import { isolatedEnv, tempDir, waitFor } from '../support/tmp.js';
import { openTraySettings } from './tray-settings.js';

const NOW = new Date();

describe('tray with remote machines', () => {
  beforeEach(() => fake.reset());

  it('counts and colours by every machine, lists each remote one with its processes, and names one that does not answer', () => {
    const snapshot = makeSnapshot({
      processList: [makeProcess(11)],
      machines: [makeMachine('devbox', { processes: [makeProcess(11, { startId: '911' }), makeProcess(12, { health: 'stale' })] }), makeMachine('ci', { down: { error: 'connection refused at 127.0.0.1:15112', lastSeenAgoMs: 60_000 } })],
    });
    const view = trayView(snapshot, { warnings: [], pausedUntil: null, startAtLogin: false, now: NOW });
    assert.equal(view.count, 3);
    assert.equal(view.state, 'yellow', "devbox's stale process colours the dot");
    assert.equal(view.summary, '1 Claude Code process here');
    assert.match(view.fleetLine ?? '', /^All machines: 3 processes on 2 · today \$0\.00 · \$0\.00 in all$/);
    assert.match(tooltip(view, 'linux'), /All machines: 3 processes/);
    assert.deepEqual(view.machines.map((m) => [m.name, m.reachable, m.processes.length]), [['devbox', true, 2], ['ci', false, 0]]);
    assert.match(view.machines[1]!.label, /^⚠ ci — not answering, last seen \d\d:\d\d: connection refused at 127\.0\.0\.1:15112$/);

    const log: string[] = [];
    const actions = {
      kill: (t: { pid: number; startId: string; machine?: string }, force: boolean) => log.push(`kill ${t.pid}@${t.startId} ${t.machine ?? 'here'} ${force}`),
      pin: () => undefined,
      unpin: () => undefined,
      copyPid: () => undefined,
      openFolder: (p: string) => log.push(`open ${p}`),
      killAllStale: () => undefined,
      openDashboard: (pid?: number) => log.push(`dashboard ${pid ?? ''}`),
      toggleNotificationPause: () => undefined,
      setStartAtLogin: () => undefined,
      quit: () => undefined,
    };
    const items = trayMenuTemplate(view, actions);
    const devbox = items.find((i) => i.id === 'machine-devbox');
    assert.ok(devbox && Array.isArray(devbox.submenu));
    const remote = (devbox.submenu as Array<{ id?: string; submenu?: unknown }>).find((i) => i.id === 'process-devbox:11') as { submenu: Array<{ id?: string; enabled?: boolean; click?: () => void }> };
    remote.submenu.find((i) => i.id === 'kill-devbox:11')!.click!();
    assert.equal(remote.submenu.find((i) => i.id === 'open-folder-devbox:11')?.enabled, false, "its folder is on devbox, not here");
    (items.find((i) => i.id === 'process-11') as { submenu: Array<{ id?: string; click?: () => void }> }).submenu.find((i) => i.id === 'kill-11')!.click!();
    assert.deepEqual(log, ['kill 11@911 devbox false', `kill 11@${makeProcess(11).startId} here false`]);
    assert.ok(items.some((i) => i.label === view.machines[1]!.label && i.enabled === false));
  });

  it("pins a process on a real remote machine through the tray's menu, and shows it silent once stopped", { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-tray-fleet-');
    const claude = await spawnFakeFor(t, 'native-installer', path.join(root, 'fake'));
    const remoteEnv = isolatedEnv(path.join(root, 'devbox'), { TCE_DEBUG: '1' });
    writeMachineHome(remoteEnv.CLAUDE_CONFIG_DIR as string, { '-home-dev-x': [{ model: 'claude-sonnet-4-5', input: 1000, output: 10, daysAgo: 0 }] });
    writeSettings(remoteEnv.TCE_DATA_DIR as string, { pollIntervalSeconds: 1 });
    const devbox = await startTceServer(t, remoteEnv);
    const dataDir = path.join(root, 'local-data');
    writeSettings(dataDir, { pollIntervalSeconds: 1, remotes: [{ name: 'devbox', url: devbox.url, tokenFile: devbox.tokenFile }] });
    const { store } = openTraySettings(dataDir);
    const monitor = createMonitor({ claudeDirs: [path.join(root, 'local-claude')], dataDir });
    const trayApp = new TrayApp({
      monitor,
      settings: store,
      settingsWarnings: [],
      loginItem: new LinuxAutostart(path.join(root, 'autostart', 'tce.desktop'), { program: 'tce', args: [] }),
      preload: path.join(root, 'preload.cjs'),
      platform: 'linux',
    });
    trayApp.start();
    t.after(() => trayApp.stop());

    const menu = () => fake.trays[0]!.menu!;
    const key = `devbox:${claude.pid}`;
    await waitFor("the Claude process under devbox in the tray's menu", () => menu().getMenuItemById(`process-${key}`), 30_000);
    assert.ok(menu().getMenuItemById(`process-${claude.pid}`), 'and on this machine too (the same machine here)');
    menu().click(`pin-${key}`);
    const done = await waitFor('the pin result', () => fake.notifications.find((n) => n.title === `Pin ${claude.pid} on devbox`), 20_000);
    assert.match(done.body, /^devbox: /);
    await waitFor('devbox to have been asked', () => new RegExp(`POST /api/pin/${claude.pid}\\?start=\\d+ 200`).test(devbox.err()), 5000);
    await waitFor('the menu to offer Unpin on devbox', () => menu().getMenuItemById(`unpin-${key}`), 20_000);
    assert.ok(menu().getMenuItemById(`pin-${claude.pid}`), 'pinned on devbox, not here');

    await devbox.stop();
    await waitFor('devbox named as not answering', () => menu().items.some((i) => /^⚠ devbox — not answering, last seen \d\d:\d\d: connection refused/.test(i.label ?? '')), 20_000);
    assert.equal(menu().getMenuItemById(`process-${key}`), null, 'its processes are no longer listed');
  });
});
