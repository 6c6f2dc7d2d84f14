import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/core/settings/defaults.js';
import { SettingsStore } from '../../src/core/settings/store.js';
import { openTraySettings } from './tray-settings.js';
import { tempDir } from '../support/tmp.js';

const files = (dir: string) => fs.readdirSync(dir).sort();

describe('tray settings (core’s store over the CLI’s config.json)', () => {
  it('starts from the defaults and writes them where the CLI reads, in the format earlier versions wrote', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    const { store, warnings } = openTraySettings(dir);
    assert.deepEqual(warnings, []);
    assert.equal(store.file, path.join(dir, 'config.json'));
    const text = fs.readFileSync(store.file, 'utf8');
    // electron-store's format, which TCE wrote before: one object, tab-indented.
    assert.equal(text, `${JSON.stringify(DEFAULT_SETTINGS, null, '\t')}\n`);
    store.update((s) => ({ ...s, pollIntervalSeconds: 25 }));
    assert.equal(new SettingsStore(path.join(dir, 'config.json')).load().settings.pollIntervalSeconds, 25);
  });

  it('keeps the settings an earlier version (electron-store) wrote', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    const earlier = { ...DEFAULT_SETTINGS, pollIntervalSeconds: 7, windowBounds: { x: 10, y: 20, width: 900, height: 600 } };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(earlier, undefined, '\t'));
    const { store, warnings } = openTraySettings(dir);
    assert.deepEqual(warnings, []);
    assert.deepEqual(store.load().settings, earlier);
  });

  it('sees what the CLI wrote, and the CLI sees what it wrote', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    const core = new SettingsStore(path.join(dir, 'config.json'));
    core.update((s) => ({ ...s, dashboardPort: 6222, notifications: { ...s.notifications, stale: false } }));
    const { store } = openTraySettings(dir);
    assert.equal(store.load().settings.dashboardPort, 6222);
    assert.equal(store.load().settings.notifications.stale, false);
    store.update((s) => ({ ...s, notifications: { ...s.notifications, cooldownMinutes: 5 } }));
    assert.equal(core.load().settings.notifications.cooldownMinutes, 5);
    assert.equal(core.load().settings.dashboardPort, 6222);
  });

  it('moves a corrupted file aside, uses the defaults and says so', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    fs.writeFileSync(path.join(dir, 'config.json'), '{"pollIntervalSeconds": 3, "notif');
    const { store, warnings } = openTraySettings(dir);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /was corrupted .* moved to .*config\.json\.corrupt-.* defaults are used/);
    const aside = files(dir).find((f) => f.startsWith('config.json.corrupt-'));
    assert.ok(aside, `kept aside: ${files(dir).join(', ')}`);
    assert.equal(fs.readFileSync(path.join(dir, aside), 'utf8'), '{"pollIntervalSeconds": 3, "notif');
    assert.equal(store.load().settings.pollIntervalSeconds, DEFAULT_SETTINGS.pollIntervalSeconds);
    store.update((s) => ({ ...s, startHidden: false }));
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).startHidden, false);
  });

  it('replaces values of the wrong type, keeps the rest and a copy of the file as it was', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    const original = JSON.stringify({ pollIntervalSeconds: 'soon', dashboardPort: 6333, notifications: { ...DEFAULT_SETTINGS.notifications, hog: 'maybe' } });
    fs.writeFileSync(path.join(dir, 'config.json'), original);
    const { store, warnings } = openTraySettings(dir);
    assert.ok(warnings.some((w) => /pollIntervalSeconds/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /kept in .*config\.json\.invalid-/.test(w)), warnings.join('\n'));
    assert.equal(store.load().settings.pollIntervalSeconds, DEFAULT_SETTINGS.pollIntervalSeconds);
    assert.equal(store.load().settings.notifications.hog, DEFAULT_SETTINGS.notifications.hog);
    assert.equal(store.load().settings.dashboardPort, 6333);
    assert.deepEqual(store.load().warnings, [], 'repaired: the next loads have nothing to say');
    const kept = files(dir).find((f) => f.startsWith('config.json.invalid-'))!;
    assert.equal(fs.readFileSync(path.join(dir, kept), 'utf8'), original);
  });

  it('leaves an empty file to the defaults without a warning about corruption', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    fs.writeFileSync(path.join(dir, 'config.json'), '');
    const { store, warnings } = openTraySettings(dir);
    assert.deepEqual(warnings, []);
    assert.equal(store.load().settings.dashboardPort, DEFAULT_SETTINGS.dashboardPort);
  });
});
