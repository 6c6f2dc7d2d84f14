// The units and colour rules of `tce status`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourEnabled, painter } from '../../src/cli/format/colour.js';
import { displayWidth } from '../../src/cli/format/text-width.js';
import { bytes } from '../../src/cli/format/process-table.js';
import { uptime } from '../../src/cli/format/uptime.js';

test('uptime and idle times read as a person would say them', () => {
  assert.equal(uptime(0), '0s');
  assert.equal(uptime(45.9), '45s');
  assert.equal(uptime(60), '1m');
  assert.equal(uptime(12 * 60 + 59), '12m');
  assert.equal(uptime(3 * 3600 + 5 * 60), '3h 05m');
  assert.equal(uptime(23 * 3600 + 59 * 60 + 59), '23h 59m');
  assert.equal(uptime(2 * 86400 + 4 * 3600 + 30 * 60), '2d 4h');
  assert.equal(uptime(-5), '0s', 'a clock step backwards is not a negative time');
});

test('memory in MiB, then GiB', () => {
  assert.equal(bytes(1_782_000), '1.7 MiB');
  assert.equal(bytes(300 * 1024 * 1024), '300 MiB');
  assert.equal(bytes(3.25 * 1024 * 1024 * 1024), '3.3 GiB');
});

test('colours: NO_COLOR always wins, FORCE_COLOR forces, else only a terminal', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  assert.equal(colourEnabled(tty, {}), true);
  assert.equal(colourEnabled(pipe, {}), false);
  assert.equal(colourEnabled(tty, { NO_COLOR: '1' }), false);
  assert.equal(colourEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
  assert.equal(colourEnabled(pipe, { FORCE_COLOR: '1' }), true);
  assert.equal(colourEnabled(tty, { FORCE_COLOR: '0' }), false);
  assert.equal(colourEnabled(tty, { TERM: 'dumb' }), false);
  assert.equal(colourEnabled(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count');
  const on = painter(true);
  assert.equal(on.red('x'), '\x1b[31mx\x1b[39m');
  assert.equal(displayWidth(on.bold(on.green('healthy'))), 7);
  assert.equal(painter(false).red('x'), 'x');
});

test('every surface writes memory by one rule (src/shared/format.ts): the CLI, the tray and the dashboard alike', async () => {
  const tray = await import('../../src/main/format.js');
  const dashboard = await import('../../src/renderer/model/format.js');
  for (const n of [500, 12 * 1024, 1_782_000, 48 * 1024 * 1024, 512 * 1024 * 1024, 3.25 * 1024 ** 3]) {
    assert.equal(tray.formatBytes(n), bytes(n));
    assert.equal(dashboard.formatBytes(n), bytes(n));
  }
  assert.deepEqual([500, 12 * 1024, 48 * 1024 * 1024, 512 * 1024 * 1024].map(bytes), ['500 B', '12 KiB', '48 MiB', '510 MiB']);
});
