// Settings outside sane bounds are refused with a message naming the field (issue 12, findings 3 and 14): from the file
// (a warning, the default used), in an update (nothing written), and in a patch (every reason at once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../../../src/core/settings/defaults.js';
import { SettingsStore } from '../../../src/core/settings/store.js';
import { normaliseSettings, settingsPatchProblems } from '../../../src/core/settings/schema.js';
import { tempDir } from '../../support/tmp.js';

const PRICE = { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 };

test('values that cannot be meant are refused field by field, with the bounds in the message', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['poll interval 1e308', { pollIntervalSeconds: 1e308 }, /pollIntervalSeconds must be a number from 1 to 3600, got 1e\+308/],
    ['stale hours 1e308', { health: { staleInteractiveHours: 1e308 } }, /health\.staleInteractiveHours must be a number from 0 to 1000000/],
    ['negative hog line', { health: { hogCpuPercent: -1 } }, /health\.hogCpuPercent must be a number from 0 to 10000/],
    ['memory 1e308', { health: { hogMemoryMiB: 1e308 } }, /health\.hogMemoryMiB must be a number from 0 to 16777216/],
    ['cooldown 1e308', { notifications: { cooldownMinutes: 1e308 } }, /notifications\.cooldownMinutes must be a number from 0 to 525600/],
    ['pause in the year 275760', { notifications: { pausedUntil: '+275760-01-01T00:00:00.000Z' } }, /pausedUntil must be an ISO time before 2200/],
    ['port 5111.5', { dashboardPort: 5111.5 }, /dashboardPort must be a whole number from 1 to 65535/],
    ['price 1e308', { priceOverrides: { 'claude-sonnet-4-5': { ...PRICE, output: 1e308 } } }, /priceOverrides\.claude-sonnet-4-5\.output must be a price from 0 to 1000 USD per million tokens, got 1e\+308/],
    ['negative price', { priceOverrides: { 'claude-sonnet-4-5': { ...PRICE, cacheRead: -0.1 } } }, /cacheRead must be a price from 0 to 1000/],
    ['price for __proto__', JSON.parse(`{"priceOverrides": {"__proto__": ${JSON.stringify(PRICE)}}}`), /priceOverrides: "__proto__" is not a model id/],
    ['price for constructor', { priceOverrides: { constructor: PRICE } }, /priceOverrides: "constructor" is not a model id/],
    ['pin with pid -5', { pins: [{ pid: -5, startedAt: '2026-01-01T00:00:00.000Z' }] }, /a pin must name a process ID from 1 to 2147483647 and its start time/],
    ['pin with pid 1.5', { pins: [{ pid: 1.5, startedAt: '2026-01-01T00:00:00.000Z' }] }, /a pin must name/],
    ['pin with a bad start id', { pins: [{ pid: 5, startedAt: '2026-01-01T00:00:00.000Z', startId: '../x' }] }, /a pin must name/],
    ['window 1e308 wide', { windowBounds: { width: 1e308, height: 600 } }, /windowBounds\.width must be a number from 1 to 100000, got 1e\+308/],
    ['window far away', { windowBounds: { width: 800, height: 600, x: -1e308 } }, /windowBounds\.x must be a number from -100000 to 100000/],
    ['window without height', { windowBounds: { width: 800 } }, /windowBounds\.height must be a number/],
  ];
  for (const [what, raw, message] of cases) {
    const { settings, problems } = normaliseSettings(raw);
    assert.equal(problems.length, 1, `${what}: ${JSON.stringify(problems)}`);
    assert.match(problems[0] ?? '', message, what);
    // What was refused falls back: nothing impossible gets through.
    assert.ok(JSON.stringify(settings).length > 0);
    assert.ok(!JSON.stringify(settings).includes('1e+308'), what);
  }
  const fine = normaliseSettings({ priceOverrides: { 'us.anthropic.claude-sonnet-4-5-v1:0': PRICE, 'claude-opus-4-5[1m]': PRICE }, windowBounds: { width: 800, height: 600, x: -1920, y: 0 }, pins: [{ pid: 4242, startedAt: '2026-01-01T00:00:00.000Z', startId: '123456' }] });
  assert.deepEqual(fine.problems, []);
  assert.equal(Object.getPrototypeOf(fine.settings.priceOverrides), Object.prototype);
});

test('a settings file with impossible values keeps the defaults for them and says so', (t) => {
  const file = path.join(tempDir(t, 'tce-bounds-'), 'config.json');
  fs.writeFileSync(file, JSON.stringify({ pollIntervalSeconds: 1e308, pins: [{ pid: -5, startedAt: '2026-01-01T00:00:00.000Z' }], windowBounds: { width: 1e308, height: 1 } }));
  const { settings, warnings } = new SettingsStore(file).load();
  assert.equal(settings.pollIntervalSeconds, DEFAULT_SETTINGS.pollIntervalSeconds);
  assert.deepEqual(settings.pins, []);
  assert.equal(settings.windowBounds, null);
  assert.equal(warnings.length, 3, warnings.join('\n'));
});

test('an update to an impossible value is refused and writes nothing', (t) => {
  const file = path.join(tempDir(t, 'tce-bounds-'), 'config.json');
  const store = new SettingsStore(file);
  store.update((s) => void (s.pollIntervalSeconds = 5));
  const before = fs.readFileSync(file, 'utf8');
  assert.throws(() => store.update((s) => void (s.windowBounds = { width: 1e308, height: 600 })), /Invalid settings: windowBounds\.width/);
  assert.throws(() => store.update((s) => void s.pins.push({ pid: -5, startedAt: '2026-01-01T00:00:00.000Z' })), /Invalid settings: a pin must name/);
  assert.equal(fs.readFileSync(file, 'utf8'), before);
});

test('a patch names every problem; keys every object has, pins and window bounds are not settings it may change', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['__proto__', JSON.parse('{"__proto__": {"pollIntervalSeconds": 1}}'), /unknown setting '__proto__'/],
    ['constructor', { constructor: { name: 'x' } }, /unknown setting 'constructor'/],
    ['toString', { toString: 1 }, /unknown setting 'toString'/],
    ['nested __proto__', JSON.parse('{"health": {"__proto__": {"x": 1}}}'), /unknown setting 'health\.__proto__'/],
    ['nested constructor', { notifications: { constructor: 1 } }, /unknown setting 'notifications\.constructor'/],
    ['pins', { pins: [{ pid: -5, startedAt: '2026-01-01T00:00:00.000Z' }] }, /'pins' cannot be changed by a settings patch \(pin and unpin a process instead\)/],
    ['window bounds', { windowBounds: { width: 1e308, height: 1 } }, /'windowBounds' cannot be changed/],
    ['poll 1e308', { pollIntervalSeconds: 1e308 }, /pollIntervalSeconds must be a number from 1 to 3600/],
    ['price 1e308', { priceOverrides: { 'claude-sonnet-4-5': { ...PRICE, input: 1e308 } } }, /must be a price from 0 to 1000/],
    ['not an object', [1], /must be a JSON object/],
  ];
  for (const [what, patch, message] of cases) {
    const problems = settingsPatchProblems(patch);
    assert.ok(problems.length > 0, `${what} was accepted`);
    assert.match(problems.join('; '), message, what);
  }
  assert.deepEqual(settingsPatchProblems({ pollIntervalSeconds: 30, health: { hogCpuPercent: 150 }, priceOverrides: { 'claude-sonnet-4-5': PRICE } }), []);
  const many = settingsPatchProblems({ pollIntervalSeconds: 0, dashboardPort: 70000 });
  assert.equal(many.length, 2, 'every reason at once');
});
