// The one span-of-time rule, and how each surface words it: the tray, the dashboard, the CLI's columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSpan } from '../../src/shared/format.js';
import { formatDuration as trayDuration } from '../../src/main/format.js';
import { formatDuration as dashboardDuration } from '../../src/renderer/model/format.js';
import { uptime } from '../../src/cli/format/uptime.js';
import { duration as sessionLength } from '../../src/cli/format/usage-table.js';

const H = 3600;
const D = 86_400;

test('a span in its two largest units; nothing negative, fractions cut', () => {
  assert.deepEqual([0, 45.9, 60, 12 * 60 + 59, 3 * H + 5 * 60, 23 * H + 59 * 60 + 59, 2 * D + 4 * H + 30 * 60, -5].map((s) => formatSpan(s)), [
    '0s',
    '45s',
    '1m',
    '12m',
    '3h 5m',
    '23h 59m',
    '2d 4h',
    '0s',
  ]);
});

test('each surface its wording: tray whole minutes, dashboard seconds under an hour, CLI columns padded, session lengths in hours', () => {
  const spans = [45, 12 * 60 + 5, 3 * H + 5 * 60, 26 * H + 5 * 60];
  assert.deepEqual(spans.map(trayDuration), ['0m', '12m', '3h 5m', '1d 2h']);
  assert.deepEqual(spans.map(dashboardDuration), ['45s', '12m 5s', '3h 5m', '1d 2h']);
  assert.deepEqual(spans.map(uptime), ['45s', '12m', '3h 05m', '1d 2h']);
  assert.deepEqual(spans.map(sessionLength), ['45s', '12m', '3h 05m', '26h 05m']);
});
