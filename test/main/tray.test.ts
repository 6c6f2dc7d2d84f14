import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fake, type FakeMenu, type FakeMenuItem, type FakeNativeImage, type Tray } from '../mocks/electron.js';
import { COUNT_DOT, COUNT_INK, COUNT_ORIGIN, DOT, DOT_COLOURS, OUTLINE_COLOUR, OUTLINE_OPACITY, TRAY_STATES, countLabel, countMask, type TrayState } from '../../src/main/icon-drawing.js';
import { TRAY_ICON_SIZE, trayIconPngs, trayImage } from '../../src/main/tray-icon.js';
import { TrayPresenter } from '../../src/main/tray.js';
import type { TrayActions } from '../../src/main/tray-menu.js';
import { tooltip, trayView, WINDOWS_TOOLTIP_MAX, type TrayExtras } from '../../src/main/tray-view.js';
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
    openDashboard: (pid) => log.push(pid === undefined ? 'dashboard' : `dashboard ${pid}`),
    toggleNotificationPause: () => log.push('pause'),
    setStartAtLogin: (on) => log.push(`login ${on}`),
    quit: () => log.push('quit'),
  };
}

function withHealth(...healths: Health[]): Snapshot {
  return snapshot(healths.map((health) => claudeProcess({ health })));
}

const labels = (items: FakeMenuItem[]): string[] => items.map((i) => i.label ?? `<${i.type}>`);

/** The colour at the middle of the status dot: where it sits beside a count, or in the plain icon. */
function dotColour(image: FakeNativeImage, scale: number, withCount = true): [number, number, number, number] {
  const rep = image.representations.find((r) => r.scaleFactor === scale);
  assert.ok(rep, `no ${scale}x representation`);
  const png = decodePng(rep.buffer);
  const size = TRAY_ICON_SIZE * scale;
  assert.equal(png.width, size);
  assert.equal(png.height, size);
  const dot = withCount ? COUNT_DOT : DOT;
  return png.pixel(Math.floor(dot.cx * size), Math.floor(dot.cy * size));
}

/** WCAG contrast ratio of two colours. */
function contrast(a: readonly number[], b: readonly number[]): number {
  const lum = ([r, g, b]: readonly number[]): number => {
    const lin = (c: number): number => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** `top` at `alpha` over an opaque `under`. */
const over = (top: readonly number[], alpha: number, under: readonly number[]): number[] => top.map((c, i) => c * alpha + under[i]! * (1 - alpha));

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
    assert.equal(distinct.size, TRAY_STATES.length);
  });

  const cases: Array<[string, Snapshot | null, TrayState]> = [
    ['no snapshot yet', null, 'grey'],
    ['no process', withHealth(), 'grey'],
    ['all healthy (pinned counts as fine)', withHealth('healthy', 'pinned'), 'green'],
    ['a stale one', withHealth('healthy', 'stale'), 'yellow'],
    ['a hog', withHealth('hog', 'healthy'), 'yellow'],
    ['a zombie beats stale and hog', withHealth('stale', 'zombie', 'hog'), 'red'],
    [
      'a session waits for its user, whatever else is wrong',
      snapshot([claudeProcess({ health: 'zombie' }), claudeProcess({ health: 'stale' }), claudeProcess({ activity: 'waiting', waitingFor: 'permission prompt' })]),
      'violet',
    ],
  ];
  for (const [name, snap, state] of cases) {
    it(`is ${state} when ${name}`, () => {
      const presenter = new TrayPresenter(recordingActions(), 'linux');
      const view = trayView(snap, extras());
      presenter.show(view);
      const tray = fake.trays[0]!;
      assert.deepEqual(tray.image.getScaleFactors().sort(), [1, 2]);
      assert.deepEqual(dotColour(tray.image, 1, view.count > 0).slice(0, 3), [...DOT_COLOURS[state]]);
      assert.deepEqual(dotColour(tray.image, 2, view.count > 0).slice(0, 3), [...DOT_COLOURS[state]]);
    });
  }

  it('shows the count as 1-9, 10-99, then 99+', () => {
    assert.deepEqual([0, 1, 9, 10, 42, 99, 100, 1234].map(countLabel), ['', '1', '9', '10', '42', '99', '99+', '99+']);
  });

  it('draws the session count into the icon at 1x and 2x: whole glyphs, readable at 16 px, the dot kept', () => {
    const labels = ['1', '7', '10', '42', '88', '99', '99+'];
    for (const state of TRAY_STATES) {
      for (const label of labels) {
        const { scale1, scale2 } = trayIconPngs(state, label);
        const mask = countMask(label);
        for (const [png, k] of [[decodePng(scale1), 1], [decodePng(scale2), 2]] as const) {
          assert.equal(png.width, 16 * k);
          // Every font pixel is k x k screen pixels of solid ink, every gap none: crisp digits, nothing blurred.
          mask.forEach((row, fy) =>
            row.forEach((ink, fx) => {
              for (let dy = 0; dy < k; dy++) {
                for (let dx = 0; dx < k; dx++) {
                  const [r, g, b, a] = png.pixel((COUNT_ORIGIN.x + fx) * k + dx, (COUNT_ORIGIN.y + fy) * k + dy);
                  const isInk = a === 255 && r === COUNT_INK[0] && g === COUNT_INK[1] && b === COUNT_INK[2];
                  assert.equal(isInk, ink, `${state} '${label}' at ${k}x: font pixel (${fx}, ${fy})`);
                }
              }
            }),
          );
          const size = 16 * k;
          assert.deepEqual(png.pixel(Math.floor(COUNT_DOT.cx * size), Math.floor(COUNT_DOT.cy * size)), [...DOT_COLOURS[state], 255], `${state} '${label}' dot at ${k}x`);
        }
      }
    }
    // The label fits the 16 px icon with its outline, and each one looks different.
    for (const label of labels) assert.ok(COUNT_ORIGIN.x + countMask(label)[0]!.length + 1 <= 16, label);
    assert.equal(new Set(labels.map((l) => trayIconPngs('green', l).scale1.toString('base64'))).size, labels.length);
    // Light ink on its dark outline reads on a white bar and on a black one.
    for (const bar of [[255, 255, 255], [0, 0, 0]]) {
      const outline = over(OUTLINE_COLOUR, OUTLINE_OPACITY, bar);
      assert.ok(contrast(COUNT_INK, outline) >= 7, `contrast on ${bar.join(',')}: ${contrast(COUNT_INK, outline).toFixed(1)}`);
    }
  });

  it('draws the count on Linux and Windows, not on macOS (its title shows it)', () => {
    for (const platform of ['linux', 'win32'] as const) {
      fake.reset();
      fake.platform = platform;
      const presenter = new TrayPresenter(recordingActions(), platform);
      presenter.show(trayView(withHealth('healthy', 'healthy', 'healthy'), extras()));
      const tray = fake.trays[0]!;
      assert.equal(tray.image, trayImage('green', '3'), platform);
      assert.equal(tray.title, '', `${platform} has no tray title`);
      presenter.show(trayView(snapshot(Array.from({ length: 120 }, () => claudeProcess())), extras()));
      assert.equal(tray.image, trayImage('green', '99+'), platform);
    }
    fake.reset();
    fake.platform = 'darwin';
    const mac = new TrayPresenter(recordingActions(), 'darwin');
    mac.show(trayView(withHealth('healthy', 'healthy', 'healthy'), extras()));
    assert.equal(fake.trays[0]!.image, trayImage('green'));
    assert.equal(fake.trays[0]!.title, '3');
  });

  it('redraws the icon only when its state or count changes, and the menu only when its content does', () => {
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

    // Another healthy process: same colour, one more in the count, new menu.
    presenter.show(trayView(snapshot([a, b]), extras()));
    assert.equal(tray.calls.setImage, first.setImage + 1);
    assert.equal(tray.calls.setContextMenu, first.setContextMenu + 1);
    // A label change on one process: the same icon, a new menu.
    presenter.show(trayView(snapshot([a, { ...b, activity: 'busy' }]), extras()));
    assert.equal(tray.calls.setImage, first.setImage + 1);

    presenter.show(trayView(snapshot([a, { ...b, health: 'stale' }]), extras()));
    assert.equal(tray.calls.setImage, first.setImage + 2);
    assert.deepEqual(dotColour(tray.image, 1).slice(0, 3), [...DOT_COLOURS.yellow]);
    // The same image object is reused for a state and count seen before: drawn once for each.
    const yellow = tray.image;
    presenter.show(trayView(snapshot([a]), extras()));
    presenter.show(trayView(snapshot([a, { ...b, health: 'stale' }]), extras()));
    assert.equal(tray.image, yellow);
  });
});

describe('tray menu while it is open', () => {
  beforeEach(() => fake.reset());

  for (const platform of ['darwin', 'win32'] as const) {
    it(`on ${platform} keeps an open menu as it is, and shows the latest change once it closes`, () => {
      fake.platform = platform;
      const presenter = new TrayPresenter(recordingActions(), platform);
      const tray = fake.trays[0]!;
      const a = claudeProcess({ pid: 601 });
      const b = claudeProcess({ pid: 602 });
      presenter.show(trayView(snapshot([a]), extras()));
      const open = tray.menu as FakeMenu;
      tray.openMenu();
      presenter.show(trayView(snapshot([a, b]), extras()));
      presenter.show(trayView(snapshot([a, { ...b, health: 'stale' }]), extras()));
      assert.equal(tray.menu, open, 'the open menu is not replaced');
      assert.ok(tray.calls.setImage >= 2, 'the icon still follows');
      tray.closeMenu();
      assert.notEqual(tray.menu, open);
      assert.match(JSON.stringify((tray.menu as FakeMenu).labels()), /602 · stale/);
      assert.equal(tray.calls.setContextMenu, 2, 'one rebuild for the two changes');
    });
  }

  it('on Linux follows every change, open or not: its DBus menu never reports closing', () => {
    fake.platform = 'linux';
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const tray = fake.trays[0]!;
    const a = claudeProcess({ pid: 611 });
    const b = claudeProcess({ pid: 612 });
    presenter.show(trayView(snapshot([a]), extras()));
    tray.openMenu();
    tray.closeMenu();
    presenter.show(trayView(snapshot([a, b]), extras()));
    assert.ok((tray.menu as FakeMenu).getMenuItemById('process-612'), 'the process that appeared after the menu was opened and closed');
    tray.openMenu();
    presenter.show(trayView(snapshot([a, { ...b, health: 'stale' }]), extras()));
    assert.match(JSON.stringify((tray.menu as FakeMenu).labels()), /612 · stale/, 'replaced while open');
    presenter.show(trayView(snapshot([b]), extras()));
    assert.equal((tray.menu as FakeMenu).getMenuItemById('process-611'), null);
  });
});

describe('tray count and menu', () => {
  beforeEach(() => fake.reset());

  it('shows the session count as the macOS title', () => {
    fake.platform = 'darwin';
    const presenter = new TrayPresenter(recordingActions(), 'darwin');
    presenter.show(trayView(withHealth('healthy', 'stale', 'healthy'), extras()));
    const tray = fake.trays[0]!;
    assert.equal(tray.title, '3');
    presenter.show(trayView(withHealth(), extras()));
    assert.equal(tray.title, '');
  });

  it('elsewhere shows the count in the icon, the tooltip and the first menu line, and sets no title', () => {
    fake.platform = 'linux';
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    presenter.show(trayView(withHealth('healthy', 'stale', 'zombie'), extras()));
    const tray: Tray = fake.trays[0]!;
    assert.equal(tray.calls.setTitle, 0);
    assert.equal(tray.image, trayImage('red', '3'));
    assert.deepEqual(tray.tooltip.split('\n'), ['TCE — 3 Claude Code processes (1 zombie, 1 stale)', 'Today: no usage data yet', 'No active 5-hour block']);
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

  it('while a first index runs, the cost line and the tooltip show its progress instead of "no usage data"', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const indexing = { filesDone: 1234, filesTotal: 5096, bytesDone: 420e6, bytesTotal: 2e9, etaSeconds: 150 };
    presenter.show(trayView(snapshot([], { usage: null, today: null, indexing }), extras()));
    assert.equal(fake.trays[0]!.menu!.items[1]!.label, 'Counting usage: 1,234 of 5,096 files (21%, about 2m left)');
    assert.match(fake.trays[0]!.tooltip, /Counting usage: 1,234 of 5,096 files/);
    presenter.show(trayView(snapshot([], { usage: null, today: null, indexing: { ...indexing, etaSeconds: null } }), extras()));
    assert.equal(fake.trays[0]!.menu!.items[1]!.label, 'Counting usage: 1,234 of 5,096 files (21%)');
  });

  it('has one entry per process with its details and actions, then the app entries', () => {
    const actions = recordingActions();
    const presenter = new TrayPresenter(actions, 'linux');
    const busy = claudeProcess({ pid: 700, project: 'web-shop', health: 'healthy', activity: 'busy', rssBytes: 512 * 1024 * 1024, uptimeSeconds: 2 * 86_400 + 3 * 3600 });
    const stale = claudeProcess({ pid: 701, project: 'old-cli', health: 'stale', activity: 'idle', rssBytes: 40 * 1024 * 1024, uptimeSeconds: 125 * 60 });
    const pinned = claudeProcess({ pid: 702, project: null, sessionName: 'nightly', health: 'pinned', pinned: true, cwd: null, activity: null });
    presenter.show(trayView(snapshot([stale, pinned, busy]), extras({ startAtLogin: true })));
    const menu: FakeMenu = fake.trays[0]!.menu!;

    assert.equal(menu.getMenuItemById('process-700')!.label, 'web-shop · 700 · healthy · 510 MiB · 2d 3h · busy');
    assert.equal(menu.getMenuItemById('process-701')!.label, 'old-cli · 701 · stale · 40 MiB · 2h 5m · idle');
    assert.equal(menu.getMenuItemById('process-702')!.label, 'nightly · 702 · pinned · 300 MiB · 3h 5m');
    assert.deepEqual(labels(menu.getMenuItemById('process-700')!.submenu!), ['Show in dashboard', '<separator>', 'Kill', 'Force kill', 'Pin (never stale)', 'Copy PID', 'Open folder']);
    assert.deepEqual(labels(menu.getMenuItemById('process-702')!.submenu!), ['Show in dashboard', '<separator>', 'Kill', 'Force kill', 'Unpin', 'Copy PID', 'Open folder']);
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
    assert.ok(order.indexOf('old-cli · 701 · stale · 40 MiB · 2h 5m · idle') > firstProcess);
    assert.ok(order.indexOf('Open Dashboard') > order.indexOf('nightly · 702 · pinned · 300 MiB · 3h 5m'));
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

  it('says in the menu and the tooltip when notifications are unavailable, and why', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    presenter.show(trayView(snapshot([claudeProcess()]), extras({ notificationsProblem: 'Notifications are disabled for TCE in System Settings' })));
    const menu = fake.trays[0]!.menu!;
    assert.ok(labels(menu.items).includes('⚠ Notifications unavailable: Notifications are disabled for TCE in System Settings'));
    assert.match(fake.trays[0]!.tooltip, /⚠ Notifications unavailable$/);
  });
});

describe('tray tooltip', () => {
  it('carries the whole summary: processes, today’s cost, the block, and what needs attention', () => {
    const snap = snapshot([claudeProcess({ health: 'stale' }), claudeProcess()], {
      usage: usageToday('2026-11-25', 3.5, 1_200_000),
      activeBlock: activeBlock('2026-11-25T10:00:00.000Z', 1.25, 800, 0.5),
      warnings: ['Usage could not be read: EACCES'],
    });
    const lines = tooltip(trayView(snap, extras()), 'linux').split('\n');
    assert.equal(lines[0], 'TCE — 2 Claude Code processes (1 stale)');
    assert.equal(lines[1], 'Today: $3.50 · 1.2M tokens');
    assert.match(lines[2]!, /^Block \d\d:\d\d–\d\d:\d\d: \$1\.25 · 800 tok\/min · \$0\.50\/h$/);
    assert.equal(lines[3], '⚠ 1 warning');
  });

  it('fits the 127 characters Windows keeps', () => {
    const long = claudeProcess({ health: 'zombie' });
    const snap = snapshot([long, claudeProcess({ health: 'stale' }), claudeProcess({ health: 'hog' })], {
      usage: usageToday('2026-11-25', 1234.5, 98_765_432),
      activeBlock: activeBlock('2026-11-25T10:00:00.000Z', 321.25, 123_456, 99.5),
      warnings: ['a', 'b', 'c'],
    });
    const view = trayView(snap, extras({ notificationsProblem: 'refused' }));
    assert.ok(tooltip(view, 'linux').length > WINDOWS_TOOLTIP_MAX, 'the full text is longer');
    const windows = tooltip(view, 'win32');
    assert.ok(windows.length <= WINDOWS_TOOLTIP_MAX, `${windows.length}: ${windows}`);
    assert.ok(windows.startsWith('TCE — 3 Claude Code processes (1 zombie, 1 stale, 1 hog)\nToday: $1235'), windows);
  });
});

describe('tray: sessions that need you, unpriced costs, plan use', () => {
  beforeEach(() => fake.reset());

  const waiting = (pid: number, since: string, over: Partial<Parameters<typeof claudeProcess>[0]> = {}) =>
    claudeProcess({ pid, activity: 'waiting', waitingFor: 'permission prompt', activitySince: since, ...over });

  it('lists waiting sessions first, the longest wait first, with what they wait for; the summary counts them; the icon keeps the count', () => {
    const actions = recordingActions();
    const presenter = new TrayPresenter(actions, 'linux');
    const busy = claudeProcess({ pid: 800, project: 'alpha', activity: 'busy' });
    const recent = waiting(802, '2026-11-25T11:55:00.000Z', { project: 'beta' });
    const long = waiting(803, '2026-11-25T11:20:00.000Z', { project: null, sessionName: 'named-by-registry', waitingFor: 'dialog open' });
    const print = claudeProcess({ pid: 801, project: 'gamma', print: true, activity: 'busy' });
    presenter.show(trayView(snapshot([busy, print, recent, long]), extras()));
    const tray = fake.trays[0]!;
    const menu = tray.menu!;
    assert.equal(menu.items[0]!.label, '4 Claude Code processes (2 waiting for you)');
    const processes = labels(menu.items).filter((l) => / · 80\d · /.test(l));
    assert.deepEqual(processes, [
      '⏳ named-by-registry · 803 · waiting 40m: dialog open',
      '⏳ beta · 802 · waiting 5m: permission prompt',
      'alpha · 800 · healthy · 300 MiB · 3h 5m · busy',
      'gamma · 801 · healthy · 300 MiB · 3h 5m · busy · print',
    ]);
    assert.equal(tray.image, trayImage('violet', '4'), 'violet dot, the count kept');
    assert.deepEqual(dotColour(tray.image, 2).slice(0, 3), [...DOT_COLOURS.violet]);
    assert.match(tray.tooltip, /^TCE — 4 Claude Code processes \(2 waiting for you\)/);
    // Its submenu opens the dashboard on it.
    menu.click('show-803');
    assert.deepEqual(actions.log, ['dashboard 803']);
    // Answered: back to green, back in PID order.
    presenter.show(trayView(snapshot([busy, print, { ...recent, activity: 'busy', waitingFor: null }, { ...long, activity: 'idle', waitingFor: null }]), extras()));
    assert.equal(tray.image, trayImage('green', '4'));
    assert.deepEqual(labels(tray.menu!.items).filter((l) => / · 80\d · /.test(l)).map((l) => l.split(' · ')[1]), ['800', '801', '802', '803']);
  });

  it('never shows an unpriced cost as $0: today and the block say what they leave out', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const usage = usageToday('2026-11-25', 2.5, 1_000_000);
    usage.daily[0]!.unpricedTokens = 400_000;
    const block = { ...activeBlock('2026-11-25T10:00:00.000Z', 0, 800, 0), unpricedTokens: 1000 };
    presenter.show(trayView(snapshot([claudeProcess()], { usage, activeBlock: block }), extras()));
    const items = labels(fake.trays[0]!.menu!.items);
    assert.equal(items[1], 'Today: $2.50 + unpriced · 1.0M tokens');
    assert.match(items[2]!, /^Block \d\d:\d\d–\d\d:\d\d: cost unknown \(unpriced model\) · 800 tok\/min · \$0\.00 \+ unpriced\/h$/);
    // Only models without a price: unknown, never $0.00.
    usage.daily[0]!.costUSD = 0;
    usage.daily[0]!.unpricedTokens = 1_000_000;
    presenter.show(trayView(snapshot([claudeProcess()], { usage }), extras()));
    assert.equal(labels(fake.trays[0]!.menu!.items)[1], 'Today: cost unknown (unpriced model) · 1.0M tokens');
    assert.match(fake.trays[0]!.tooltip, /Today: cost unknown/);
  });

  it('shows plan use in the menu and the tooltip, its age once old, and how to get it when nothing is known', () => {
    const presenter = new TrayPresenter(recordingActions(), 'linux');
    const window = (name: string, label: string, used: number, resetsAt: string, observedAt: string, hasReset = false) => ({
      window: name,
      label,
      usedPercentage: used,
      resetsAt,
      observedAt,
      hasReset,
      sessionId: 's1',
    });
    const fresh = {
      windows: [window('five_hour', '5-hour', 42.4, '2026-11-25T14:00:00.000Z', '2026-11-25T11:58:00.000Z'), window('seven_day', 'weekly', 71, '2026-11-27T09:00:00.000Z', '2026-11-25T11:58:00.000Z')],
      updatedAt: '2026-11-25T11:58:00.000Z',
    };
    presenter.show(trayView(snapshot([claudeProcess()], { plan: fresh }), extras()));
    const at = (iso: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
    const day = (iso: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'short' }).format(new Date(iso));
    const line = `Plan: 5-hour 42% (resets ${at(fresh.windows[0]!.resetsAt)}) · weekly 71% (resets ${day(fresh.windows[1]!.resetsAt)} ${at(fresh.windows[1]!.resetsAt)})`;
    assert.ok(labels(fake.trays[0]!.menu!.items).includes(line), labels(fake.trays[0]!.menu!.items).join('\n'));
    assert.ok(fake.trays[0]!.tooltip.split('\n').includes(line));

    // Two hours later and reset since: says so and how old the reading is.
    const old = { windows: [window('five_hour', '5-hour', 97, '2026-11-25T11:00:00.000Z', '2026-11-25T10:00:00.000Z', true)], updatedAt: '2026-11-25T10:00:00.000Z' };
    presenter.show(trayView(snapshot([claudeProcess()], { plan: old }), extras()));
    assert.ok(labels(fake.trays[0]!.menu!.items).includes(`Plan: 5-hour reset ${at(old.windows[0]!.resetsAt)} · as of 2h 0m ago`));

    // No statusline record: the menu says how to get one, the tooltip stays quiet.
    presenter.show(trayView(snapshot([claudeProcess()], { plan: null }), extras()));
    assert.ok(labels(fake.trays[0]!.menu!.items).includes('Plan use unknown: run tce statusline --install to see it'));
    assert.doesNotMatch(fake.trays[0]!.tooltip, /Plan/);
    // Records without windows (an API key): nothing to set up, nothing shown.
    presenter.show(trayView(snapshot([claudeProcess()], { plan: { windows: [], updatedAt: '2026-11-25T11:00:00.000Z' } }), extras()));
    assert.ok(!labels(fake.trays[0]!.menu!.items).some((l) => l.startsWith('Plan')));
  });
});
