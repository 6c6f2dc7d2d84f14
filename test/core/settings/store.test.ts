import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SettingsStore } from '../../../src/core/settings/store.js';
import { DEFAULT_SETTINGS } from '../../../src/core/settings/defaults.js';

function tempFile(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-settings-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'TCE', 'config.json');
}

test('a missing file gives the defaults and no warning', (t) => {
  const store = new SettingsStore(tempFile(t));
  const { settings, warnings } = store.load();
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.deepEqual(warnings, []);
});

test('an update is written and read back by another store on the same file', (t) => {
  const file = tempFile(t);
  new SettingsStore(file).update((s) => {
    s.pollIntervalSeconds = 3;
    s.pins.push({ pid: 42, startedAt: '2026-11-24T10:00:00.000Z' });
  });
  const again = new SettingsStore(file).load();
  assert.equal(again.settings.pollIntervalSeconds, 3);
  assert.deepEqual(again.settings.pins, [{ pid: 42, startedAt: '2026-11-24T10:00:00.000Z' }]);
  assert.equal(fs.readdirSync(path.dirname(file)).length, 1, 'no temporary file is left behind');
});

test('a corrupted file is moved aside, defaults are used, and a warning names both files', (t) => {
  const file = tempFile(t);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{"pollIntervalSeconds": 5, "pins": [');
  const { settings, warnings } = new SettingsStore(file).load();
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /corrupted/);
  const aside = fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('config.json.corrupt-'));
  assert.equal(aside.length, 1, 'the corrupted copy is kept');
  assert.equal(fs.readFileSync(path.join(path.dirname(file), aside[0] ?? ''), 'utf8'), '{"pollIntervalSeconds": 5, "pins": [');
  assert.ok(!fs.existsSync(file));
});

test('a field of the wrong type falls back to its default with a warning, the others are kept', (t) => {
  const file = tempFile(t);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ pollIntervalSeconds: 'often', dashboardPort: 6000, health: { hogCpuPercent: -5 } }));
  const { settings, warnings } = new SettingsStore(file).load();
  assert.equal(settings.pollIntervalSeconds, DEFAULT_SETTINGS.pollIntervalSeconds);
  assert.equal(settings.dashboardPort, 6000);
  assert.equal(settings.health.hogCpuPercent, DEFAULT_SETTINGS.health.hogCpuPercent);
  assert.equal(warnings.length, 2);
  assert.match(warnings.join('\n'), /pollIntervalSeconds/);
  assert.match(warnings.join('\n'), /health\.hogCpuPercent/);
});

test('an update that makes settings invalid is refused and the file is unchanged', (t) => {
  const file = tempFile(t);
  const store = new SettingsStore(file);
  store.update((s) => {
    s.dashboardPort = 7000;
  });
  const before = fs.readFileSync(file, 'utf8');
  assert.throws(
    () =>
      store.update((s) => {
        s.dashboardPort = 70000;
      }),
    /dashboardPort/,
  );
  assert.equal(fs.readFileSync(file, 'utf8'), before);
});

test('the file is read again only when it changed: a poll of an unchanged file costs a stat', (t) => {
  const file = tempFile(t);
  const store = new SettingsStore(file);
  store.update((s) => void (s.pollIntervalSeconds = 4));
  const reads: string[] = [];
  const readFileSync = fs.readFileSync;
  t.mock.method(fs, 'readFileSync', (...args: Parameters<typeof readFileSync>) => {
    if (args[0] === file) reads.push(String(args[0]));
    return readFileSync(...args);
  });
  for (let i = 0; i < 5; i++) assert.equal(store.load().settings.pollIntervalSeconds, 4);
  assert.equal(reads.length, 1, 'read once after the write, then answered from that read');
  // Another process changes it: seen on the next load.
  new SettingsStore(file).update((s) => void (s.pollIntervalSeconds = 44));
  const before = reads.length;
  assert.equal(store.load().settings.pollIntervalSeconds, 44);
  assert.equal(store.load().settings.pollIntervalSeconds, 44);
  assert.equal(reads.length, before + 1);
  // What a caller does with its copy is not seen by the next caller.
  store.load().settings.health.hogCpuPercent = 1;
  assert.equal(store.load().settings.health.hogCpuPercent, DEFAULT_SETTINGS.health.hogCpuPercent);
});

test('a corrupted file moved aside stays told for the life of the store, beside what is wrong now', (t) => {
  const file = tempFile(t);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{"pollIntervalSeconds": ');
  const store = new SettingsStore(file);
  assert.match(store.load().warnings.join('\n'), /corrupted .* moved to/);
  fs.writeFileSync(file, JSON.stringify({ dashboardPort: 'x' }));
  const { warnings } = store.load();
  assert.equal(warnings.length, 2);
  assert.match(warnings[0] ?? '', /corrupted/);
  assert.match(warnings[1] ?? '', /dashboardPort must be a whole number from 1 to 65535, got "x"/);
});
