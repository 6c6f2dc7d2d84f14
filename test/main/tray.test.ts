import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fake, type FakeMenu, type FakeMenuItem, type FakeNativeImage, type Tray } from '../mocks/electron.js';
import { DOT, DOT_COLOURS, TRAY_STATES, type TrayState } from '../../src/main/icon-drawing.js';
import { TRAY_ICON_SIZE, trayIconPngs } from '../../src/main/tray-icon.js';
import { TrayPresenter } from '../../src/main/tray.js';
import type { TrayActions } from '../../src/main/tray-menu.js';
import { trayView, type TrayExtras } from '../../src/main/tray-view.js';
import type { Health, Snapshot } from '../../src/shared/api.js';
import { decodePng } from './png-decode.js';
import { activeBlock, claudeProcess, snapshot, usageToday } from './snapshots.js';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const extras = (over: Partial<TrayExtras> = {}): TrayExtras => ({ warnings: [], pausedUntil: null, startAtLogin: false, now: NOW, ...over });

function recordingActions(): TrayActions & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    // PID and start: the process as the menu listed it.
    kill: (target, force) => log.push(`kill ${target.pid}@${target.startId} ${force}`),
    pin: (target) => log.push(`pin ${target.pid}@${target.startId}`),
    unpin: (target) => log.push(`unpin ${target.pid}@${target.startId}`),
    copyPid: (pid) => log.push(`copy ${pid}`),
    openFolder: (p) => log.push(`open ${p}`),
    killAllStale: () => log.push('kill-stale'),
    openDashboard: () => log.push('dashboard'),
    toggleNotificationPause: () => log.push('pause'),
    setStartAtLogin: (on) => log.push(`login ${on}`),
    quit: () => log.push('quit'),
  };
}

function withHealth(...healths: Health[]): Snapshot {
  return snapshot(healths.map((health) => claudeProcess({ health })));
}

const labels = (items: FakeMenuItem[]): string[] => items.map((i) => i.label ?? `<${i.type}>`);

function dotColour(image: FakeNativeImage, scale: number): [number, number, number, number] {
  const rep = image.representations.find((r) => r.scaleFactor === scale);
  assert.ok(rep, `no ${scale}x representation`);
  const png = decodePng(rep.buffer);
  const size = TRAY_ICON_SIZE * scale;
  assert.equal(png.width, size);
  assert.equal(png.height, size);
  return png.pixel(Math.floor(DOT.cx * size), Math.floor(DOT.cy * size));
}

describe('tray icon', () => {
  beforeEach(() => fake.reset());

  it('draws a PNG for every state at 1x and 2x whose dot has the state colour', () => {
    for (const state of TRAY_STATES) {
      const { scale1, scale2 } = trayIconPngs(state);
      for (const [png, size] of [[scale1, 16], [scale2, 32]] as const) {
        const image = decodePng(png);
        assert.equal(image.width, size);
        const [r, g, b, a] = image.pixel(Math.floor(DOT.cx * size), Math.floor(DOT.cy * size));
        assert.deepEqual([r, g, b], [...DOT_COLOURS[state]], `${state} at ${size}px`);
        assert.equal(a, 255);
        // A corner stays transparent: the icon sits on any bar colour.
        assert.equal(image.pixel(size - 1, 0)[3], 0);
      }
    }
    const distinct = new Set(TRAY_STATES.map((s) => trayIconPngs(s).scale1.toString('base64')));
    assert.equal(distinct.size, 4);
  });

  const cases: Array<[string, Snapshot | null, TrayState]> = [
    ['no snapshot yet', null, 'grey'],
    ['no process', withHealth(), 'grey'],
    ['all healthy (pinned counts as fine)', withHealth('healthy', 'pinned'), 'green'],
    ['a stale one', withHealth('healthy', 'stale'), 'yellow'],
    ['a hog', withHealth('hog', 'healthy'), 'yellow'],
    ['a zombie beats stale and hog', withHealth('stale', 'zombie', 'hog'), 'red'],
  ];
  for (const [name, snap, state] of cases) {
    it(`is ${state} when ${name}`, () => {
      const presenter = new TrayPresenter(recordingActions(), 'linux');
      presenter.show(trayView(snap, extras()));
      const tray = fake.trays[0]!;
      assert.deepEqual(tray.image.getScaleFactors().sort(), [1, 2]);
      assert.deepEqual(dotColour(tray.image, 1).slice(0, 3), [...DOT_COLOURS[state]]);
      assert.deepEqual(dotColour(tray.image, 2).slice(0, 3), [...DOT_COLOURS[state]]);
    });
  }

  it('redraws the icon only when the state changes, and the menu only when its content does', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const tray = fake.trays[0]!;
    const a = claudeProcess({ pid: 501 });
    const b = claudeProcess({ pid: 502 });
    presenter.show(trayView(snapshot([a]), extras()));
    const first = { ...tray.calls };
    assert.equal(first.setImage, 1, 'grey at creation, green once the first process is seen');
    assert.equal(first.setContextMenu, 1);

    // The next poll: same processes, new scan time.
    presenter.show(trayView(snapshot([{ ...a }]), extras()));
    assert.deepEqual(tray.calls, first);

    // Another healthy process: same colour, new menu.
    presenter.show(trayView(snapshot([a, b]), extras()));
    assert.equal(tray.calls.setImage, first.setImage);
    assert.equal(tray.calls.setContextMenu, first.setContextMenu + 1);

    presenter.show(trayView(snapshot([a, { ...b, health: 'stale' }]), extras()));
    assert.equal(tray.calls.setImage, first.setImage + 1);
    assert.deepEqual(dotColour(tray.image, 1).slice(0, 3), [...DOT_COLOURS.yellow]);
    // The same image object is reused for a state seen before: drawn once per state.
    const yellow = tray.image;
    presenter.show(trayView(snapshot([a]), extras()));
    presenter.show(trayView(snapshot([a, { ...b, health: 'stale' }]), extras()));
    assert.equal(tray.image, yellow);
  });
});

describe('tray menu while it is open', () => {
  beforeEach(() => fake.reset());

  it('keeps an open menu as it is, and shows the latest change once it closes', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const tray = fake.trays[0]!;
    const a = claudeProcess({ pid: 601 });
    const b = claudeProcess({ pid: 602 });
    presenter.show(trayView(snapshot([a]), extras()));
    const open = tray.menu as FakeMenu;
    open.emit('menu-will-show');
    presenter.show(trayView(snapshot([a, b]), extras()));
    presenter.show(trayView(snapshot([a, { ...b, health: 'stale' }]), extras()));
    assert.equal(tray.menu, open, 'the open menu is not replaced');
    assert.equal(tray.calls.setImage, 2, 'the icon still follows: green, then yellow');
    open.emit('menu-will-close');
    assert.notEqual(tray.menu, open);
    const labels = JSON.stringify((tray.menu as FakeMenu).items.map((i) => i.label));
    assert.match(labels, /602 · stale/);
    assert.equal(tray.calls.setContextMenu, 2, 'one rebuild for the two changes');
  });
});

describe('tray count and menu', () => {
  beforeEach(() => fake.reset());

  it('shows the session count as the macOS title', () => {
    const presenter = new TrayPresenter(recordingActions(), 'darwin');
    presenter.show(trayView(withHealth('healthy', 'stale', 'healthy'), extras()));
    const tray = fake.trays[0]!;
    assert.equal(tray.title, '3');
    presenter.show(trayView(withHealth(), extras()));
    assert.equal(tray.title, '');
  });

  it('elsewhere shows the count in the tooltip and the first menu line, and sets no title', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    presenter.show(trayView(withHealth('healthy', 'stale', 'zombie'), extras()));
    const tray: Tray = fake.trays[0]!;
    assert.equal(tray.calls.setTitle, 0);
    assert.match(tray.tooltip.split('\n')[0]!, /^TCE — 3 Claude Code processes \(1 zombie, 1 stale\)$/);
    assert.equal(tray.menu!.items[0]!.label, '3 Claude Code processes (1 zombie, 1 stale)');
    assert.equal(tray.menu!.items[0]!.enabled, false);
  });

  it('summarises today’s cost and the active block with its burn rate', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const snap = snapshot([claudeProcess()], {
      usage: usageToday('2026-11-25', 12.345, 2_500_000),
      activeBlock: activeBlock('2026-11-25T10:00:00.000Z', 4.5, 1234, 2.25),
    });
    presenter.show(trayView(snap, extras()));
    const items = fake.trays[0]!.menu!.items;
    assert.equal(items[1]!.label, 'Today: $12.35 · 2.5M tokens');
    assert.match(items[2]!.label!, /^Block \d\d:\d\d–\d\d:\d\d: \$4\.50 · 1\.2k tok\/min · \$2\.25\/h$/);
    assert.match(fake.trays[0]!.tooltip, /Today: \$12\.35/);

    presenter.show(trayView(snapshot([]), extras()));
    const empty = fake.trays[0]!.menu!.items;
    assert.deepEqual(labels(empty).slice(0, 3), ['No Claude Code process running', 'Today: no usage data yet', 'No active 5-hour block']);
    assert.ok(labels(empty).includes('No processes to act on'));
  });

  it('has one entry per process with its details and actions, then the app entries', () => {
    const actions = recordingActions();
    const presenter = new TrayPresenter(actions, 'linux');
    const busy = claudeProcess({ pid: 700, project: 'web-shop', health: 'healthy', activity: 'busy', rssBytes: 512 * 1024 * 1024, uptimeSeconds: 2 * 86_400 + 3 * 3600 });
    const stale = claudeProcess({ pid: 701, project: 'old-cli', health: 'stale', activity: 'idle', rssBytes: 40 * 1024 * 1024, uptimeSeconds: 125 * 60 });
    const pinned = claudeProcess({ pid: 702, project: null, sessionName: 'nightly', health: 'pinned', pinned: true, cwd: null, activity: null });
    presenter.show(trayView(snapshot([stale, pinned, busy]), extras({ startAtLogin: true })));
    const menu: FakeMenu = fake.trays[0]!.menu!;

    assert.equal(menu.getMenuItemById('process-700')!.label, 'web-shop · 700 · healthy · 510 MB · 2d 3h · busy');
    assert.equal(menu.getMenuItemById('process-701')!.label, 'old-cli · 701 · stale · 40 MB · 2h 5m · idle');
    assert.equal(menu.getMenuItemById('process-702')!.label, 'nightly · 702 · pinned · 300 MB · 3h 5m');
    assert.deepEqual(labels(menu.getMenuItemById('process-700')!.submenu!), ['Kill', 'Force kill', 'Pin (never stale)', 'Copy PID', 'Open folder']);
    assert.deepEqual(labels(menu.getMenuItemById('process-702')!.submenu!), ['Kill', 'Force kill', 'Unpin', 'Copy PID', 'Open folder']);
    assert.equal(menu.getMenuItemById('open-folder-702')!.enabled, false, 'no folder known');

    menu.click('kill-700');
    menu.click('force-kill-701');
    menu.click('pin-700');
    menu.click('unpin-702');
    menu.click('copy-701');
    menu.click('open-folder-700');
    assert.equal(menu.getMenuItemById('kill-stale')!.label, 'Kill all stale (1)…');
    menu.click('kill-stale');
    menu.click('open-dashboard');
    menu.click('pause-notifications');
    const login = menu.getMenuItemById('start-at-login')!;
    assert.equal(login.type, 'checkbox');
    assert.equal(login.checked, true, 'shows the real state');
    menu.click('start-at-login');
    menu.click('quit');
    assert.deepEqual(actions.log, [
      'kill 700@4242 false',
      'kill 701@4242 true',
      'pin 700@4242',
      'unpin 702@4242',
      'copy 701',
      `open ${busy.cwd}`,
      'kill-stale',
      'dashboard',
      'pause',
      'login false',
      'quit',
    ]);
    // Processes are listed by pid, between the summary and the app entries.
    const order = labels(menu.items);
    const firstProcess = order.findIndex((l) => l.startsWith('web-shop'));
    assert.ok(order.indexOf('old-cli · 701 · stale · 40 MB · 2h 5m · idle') > firstProcess);
    assert.ok(order.indexOf('Open Dashboard') > order.indexOf('nightly · 702 · pinned · 300 MB · 3h 5m'));
    assert.equal(order.at(-1), 'Quit TCE');
  });

  it('disables Kill all stale when nothing is stale, and shows warnings and the pause state', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const pausedUntil = new Date(NOW.getTime() + 30 * 60_000).toISOString();
    presenter.show(trayView(snapshot([claudeProcess()], { warnings: ['Usage could not be read: EACCES'] }), extras({ pausedUntil, warnings: ['settings reset'] })));
    const menu = fake.trays[0]!.menu!;
    assert.equal(menu.getMenuItemById('kill-stale')!.enabled, false);
    assert.throws(() => menu.click('kill-stale'), /disabled/);
    assert.ok(labels(menu.items).includes('⚠ settings reset'));
    assert.ok(labels(menu.items).includes('⚠ Usage could not be read: EACCES'));
    assert.match(menu.getMenuItemById('pause-notifications')!.label!, /^Resume notifications \(paused until \d\d:\d\d\)$/);
    // A pause that has run out is shown as not paused.
    presenter.show(trayView(snapshot([claudeProcess()]), extras({ pausedUntil: new Date(NOW.getTime() - 1000).toISOString() })));
    assert.equal(fake.trays[0]!.menu!.getMenuItemById('pause-notifications')!.label, 'Pause notifications for 1 hour');
  });
});
