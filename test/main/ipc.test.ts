import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeWebContents, fake, ipcMain } from '../mocks/electron.js';
import { openTraySettings } from './tray-settings.js';
import { TrayApp } from '../../src/main/tray-app.js';
import { LinuxAutostart } from '../../src/main/autostart-linux.js';
import { DASHBOARD_URL } from '../../src/main/app-protocol.js';
import type { IpcInvokeChannel } from '../../src/shared/api.js';
import { tempDir, waitFor } from '../support/tmp.js';
import { claudeProcess, snapshot } from './snapshots.js';
import { ScriptedMonitor } from './scripted-monitor.js';

type Cleanup = { after(fn: () => void | Promise<void>): void };

const PRELOAD = fileURLToPath(new URL('../../src/preload/index.cjs', import.meta.url));

async function openDashboard(t: Cleanup): Promise<{ monitor: ScriptedMonitor; contents: FakeWebContents }> {
  const dir = tempDir(t, 'tce-ipc-');
  const monitor = new ScriptedMonitor();
  const trayApp = new TrayApp({
    monitor,
    settings: openTraySettings(dir).store,
    settingsWarnings: [],
    loginItem: new LinuxAutostart(path.join(dir, 'tce.desktop'), { program: 'tce', args: [] }),
    preload: path.join(dir, 'preload.cjs'),
    platform: 'linux',
  });
  trayApp.start();
  t.after(() => trayApp.stop());
  monitor.emit(snapshot([claudeProcess({ pid: 3100 })]));
  await trayApp.openDashboard();
  return { monitor, contents: fake.windows[0]!.webContents };
}

/** An invoke event as Electron builds it for a message from `contents`' frame at `url`. */
const from = (contents: FakeWebContents, url: string = contents.mainFrame.url, parent: unknown = null) => ({ sender: contents, senderFrame: { url, parent } });

describe('IPC from the dashboard', () => {
  beforeEach(() => fake.reset());

  it('answers the dashboard page through the monitor', async (t) => {
    const { monitor, contents } = await openDashboard(t);
    assert.equal(contents.mainFrame.url, DASHBOARD_URL);
    const snap = (await ipcMain.invoke('tce:get-snapshot', from(contents))) as { processes: { summary: { total: number } } };
    assert.equal(snap.processes.summary.total, 1);
    const target = { pid: 3100, startId: '4242' };
    assert.deepEqual(await ipcMain.invoke('tce:kill', from(contents), target, true), { ok: true, pid: 3100, outcome: 'killed', message: 'Killed 3100' });
    await ipcMain.invoke('tce:pin', from(contents), target);
    await ipcMain.invoke('tce:unpin', from(contents), target);
    await ipcMain.invoke('tce:kill-stale', from(contents));
    await ipcMain.invoke('tce:update-settings', from(contents), { notifications: { hog: false }, pollIntervalSeconds: 30 });
    const settings = (await ipcMain.invoke('tce:get-settings', from(contents))) as { pollIntervalSeconds: number };
    assert.equal(settings.pollIntervalSeconds, 30);
    assert.deepEqual(
      monitor.calls.map((c) => c.method).filter((m) => m !== 'refresh'),
      ['getSnapshot', 'kill', 'pin', 'unpin', 'killStale', 'updateSettings', 'getSettings'],
    );
    // The process as the page listed it (PID and start) reaches the monitor, which re-checks both.
    assert.deepEqual(monitor.called('kill'), [[target, true]]);
    assert.deepEqual(monitor.called('pin'), [[target]]);
    // A remote machine's process: its machine comes along, for the monitor to send the action there.
    await ipcMain.invoke('tce:unpin', from(contents), { ...target, machine: 'devbox.lan' });
    assert.deepEqual(monitor.called('unpin').at(-1), [{ ...target, machine: 'devbox.lan' }]);
  });

  it('refuses a foreign sender, a sub-frame and a page of another origin, without acting', async (t) => {
    const { monitor, contents } = await openDashboard(t);
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = DASHBOARD_URL;
    const refusals: Array<[string, unknown]> = [
      ['another web contents', from(stranger)],
      ['a sub-frame of the dashboard', from(contents, DASHBOARD_URL, { url: DASHBOARD_URL })],
      ['the dashboard navigated elsewhere', from(contents, 'https://evil.test/')],
      ['a file page', from(contents, 'file:///tmp/index.html')],
      ['another host of our scheme', from(contents, 'tce://evil/index.html')],
      ['no frame', { sender: contents, senderFrame: null }],
    ];
    for (const [what, event] of refusals) {
      await assert.rejects(ipcMain.invoke('tce:kill', event, { pid: 3100, startId: '4242' }, false), /sender is not the TCE dashboard/, what);
    }
    assert.deepEqual(monitor.called('kill'), []);
  });

  it('refuses malformed payloads with a clear message, without acting', async (t) => {
    const { monitor, contents } = await openDashboard(t);
    const bad: Array<[IpcInvokeChannel, unknown[], RegExp]> = [
      ['tce:kill', [{ pid: '3100', startId: '4242' }, false], /pid must be a positive integer, got "3100"/],
      ['tce:kill', [{ pid: 3100.5, startId: '4242' }, false], /pid must be a positive integer/],
      ['tce:kill', [{ pid: -1, startId: '4242' }, false], /pid must be a positive integer/],
      ['tce:kill', [{ pid: 0, startId: '4242' }, false], /pid must be a positive integer/],
      ['tce:kill', [3100, false], /named as \{pid, startId\}/],
      ['tce:kill', [{ pid: 3100 }, false], /startId must be/],
      ['tce:kill', [{ pid: 3100, startId: 'x; rm' }, false], /startId must be/],
      ['tce:kill', [{ pid: 3100, startId: '4242' }], /takes 2 argument/],
      ['tce:kill', [{ pid: 3100, startId: '4242' }, 'yes'], /force must be true or false/],
      ['tce:kill', [{ pid: 3100, startId: '4242' }, false, 'extra'], /takes 2 argument/],
      ['tce:pin', [{ pid: 3100 }], /startId must be/],
      ['tce:pin', [{ pid: 3100, startId: '4242', machine: '../../etc' }], /machine must be a remote machine's name, got "\.\.\/\.\.\/etc"/],
      ['tce:kill', [{ pid: 3100, startId: '4242', machine: 7 }, false], /machine must be a remote machine's name/],
      ['tce:update-settings', [{ remotes: [] }], /'remotes' cannot be changed by a settings patch/],
      ['tce:pin', [3100], /named as \{pid, startId\}/],
      ['tce:unpin', [], /takes 1 argument/],
      ['tce:kill-stale', [true], /takes 0 argument/],
      ['tce:get-snapshot', ['x'], /takes 0 argument/],
      ['tce:update-settings', ['{}'], /must be a JSON object/],
      ['tce:update-settings', [[]], /must be a JSON object/],
      ['tce:update-settings', [{ windowBounds: { x: 0, y: 0, width: 10, height: 10 } }], /'windowBounds' cannot be changed/],
      ['tce:update-settings', [{ pins: [] }], /'pins' cannot be changed/],
      ['tce:update-settings', [{ pollIntervalSeconds: -5 }], /invalid settings/],
      ['tce:update-settings', [{ notifications: { hog: 'yes' } }], /invalid settings/],
      ['tce:update-settings', [{ notifications: { sound: true } }], /unknown setting 'notifications\.sound'/],
      ['tce:update-settings', [{ health: 7 }], /setting 'health' must be an object/],
      ['tce:update-settings', [{ dashboardPort: 70000 }], /invalid settings/],
    ];
    for (const [channel, args, message] of bad) {
      // The page sees only the error's text, as Electron passes it back (ipc-dispatch.ts, ipc-renderer.ts).
      await assert.rejects(ipcMain.invoke(channel, from(contents), ...args), (error: Error) => {
        assert.ok(error.message.startsWith(`Error invoking remote method '${channel}': PayloadError: `), `${channel} ${JSON.stringify(args)}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
    }
    assert.deepEqual(
      monitor.calls.filter((c) => c.method !== 'refresh'),
      [],
    );
  });

  it('registers every channel of the contract and removes them on stop', async (t) => {
    await openDashboard(t);
    assert.deepEqual([...ipcMain.handlers.keys()].sort(), [
      'tce:get-settings',
      'tce:get-snapshot',
      'tce:kill',
      'tce:kill-stale',
      'tce:pin',
      'tce:unpin',
      'tce:update-settings',
    ]);
  });
});

describe('preload bridge', () => {
  beforeEach(() => fake.reset());

  it('runs sandboxed, exposes named functions only, and reaches main over structured-clone IPC', async (t) => {
    const { monitor, contents } = await openDashboard(t);
    // As Electron runs it: only `electron`, `events`, `timers` and `url` can be required (anything else throws).
    fake.runSandboxedPreload(PRELOAD, contents);
    const api = fake.mainWorld.get('tce') as Record<string, (...args: unknown[]) => unknown>;
    assert.ok(api, 'window.tce is exposed');
    assert.deepEqual([...fake.mainWorld.keys()], ['tce']);
    assert.deepEqual(Object.keys(api).sort(), ['getSettings', 'getSnapshot', 'kill', 'killStale', 'onFocusProcess', 'onSnapshot', 'pin', 'unpin', 'updateSettings']);
    for (const value of Object.values(api)) assert.equal(typeof value, 'function');

    const snap = (await api.getSnapshot!()) as { processes: { summary: { total: number } } };
    assert.equal(snap.processes.summary.total, 1);
    assert.notEqual(snap, monitor.latest, 'a copy came across, not main’s object');
    assert.deepEqual(snap, JSON.parse(JSON.stringify(monitor.latest)));
    // Only the PID and start of what it is handed go over IPC (a whole listed process may be passed).
    assert.deepEqual(await api.kill!({ pid: 3100, startId: '77', name: 'claude' }, true), { ok: true, pid: 3100, outcome: 'killed', message: 'Killed 3100' });
    assert.deepEqual(monitor.called('kill'), [[{ pid: 3100, startId: '77' }, true]]);
    await api.killStale!();
    await api.pin!({ pid: 3100, startId: '77' });
    await api.unpin!({ pid: 3100, startId: '77' });
    await api.getSettings!();
    await api.updateSettings!({ pollIntervalSeconds: 5 });
    await assert.rejects(api.kill!({ pid: '3100', startId: '77' }, false) as Promise<unknown>, /^Error: Error invoking remote method 'tce:kill': PayloadError: pid must be a positive integer, got "3100"$/);
    assert.deepEqual(
      monitor.calls.map((c) => c.method).filter((m) => m !== 'refresh'),
      ['getSnapshot', 'kill', 'killStale', 'pin', 'unpin', 'getSettings', 'updateSettings'],
    );

    // Main's pushes reach the page's listeners as the payload alone; unsubscribing stops them.
    const seen: unknown[] = [];
    const stop = api.onSnapshot!((s: unknown) => seen.push((s as { processes: { summary: { total: number } } }).processes.summary.total)) as () => void;
    const stopFocus = api.onFocusProcess!((pid: unknown) => seen.push(`focus ${String(pid)}`)) as () => void;
    monitor.emit(snapshot([claudeProcess({ pid: 3100 }), claudeProcess({ pid: 3101 })]));
    contents.send('tce:focus-process', 3101);
    await waitFor('both pushes', () => seen.length === 2);
    stop();
    stopFocus();
    monitor.emit(snapshot([]));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [2, 'focus 3101']);
  });
});
