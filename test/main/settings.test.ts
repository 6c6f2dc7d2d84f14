import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fake } from '../mocks/electron.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/defaults.js';
import { SettingsStore } from '../../src/core/settings/store.js';
import { openSettings } from '../../src/main/settings.js';
import { tempDir } from '../support/tmp.js';

const files = (dir: string) => fs.readdirSync(dir).sort();

describe('tray settings (electron-store over the CLI’s config.json)', () => {
  beforeEach(() => fake.reset());

  it('starts from the defaults and writes them where the CLI reads', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    const { store, warnings } = openSettings(dir);
    assert.deepEqual(warnings, []);
    assert.equal(store.get('pollIntervalSeconds'), 10);
    assert.deepEqual(store.get('notifications'), DEFAULT_SETTINGS.notifications);
    assert.equal(store.path, path.join(dir, 'config.json'));
    store.set('pollIntervalSeconds', 25);
    assert.equal(new SettingsStore(path.join(dir, 'config.json')).load().settings.pollIntervalSeconds, 25);
  });

  it('sees what the CLI wrote, and the CLI sees what it wrote', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    const core = new SettingsStore(path.join(dir, 'config.json'));
    core.update((s) => ({ ...s, dashboardPort: 6222, notifications: { ...s.notifications, stale: false } }));
    const { store } = openSettings(dir);
    assert.equal(store.get('dashboardPort'), 6222);
    assert.equal(store.get('notifications').stale, false);
    store.set('notifications', { ...store.get('notifications'), cooldownMinutes: 5 });
    assert.equal(core.load().settings.notifications.cooldownMinutes, 5);
    assert.equal(core.load().settings.dashboardPort, 6222);
  });

  it('moves a corrupted file aside, uses the defaults and says so', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    fs.writeFileSync(path.join(dir, 'config.json'), '{"pollIntervalSeconds": 3, "notif');
    const { store, warnings } = openSettings(dir);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /was corrupted .* moved to .*config\.json\.corrupt-.* defaults are used/);
    const aside = files(dir).find((f) => f.startsWith('config.json.corrupt-'));
    assert.ok(aside, `kept aside: ${files(dir).join(', ')}`);
    assert.equal(fs.readFileSync(path.join(dir, aside), 'utf8'), '{"pollIntervalSeconds": 3, "notif');
    assert.equal(store.get('pollIntervalSeconds'), DEFAULT_SETTINGS.pollIntervalSeconds);
    store.set('startHidden', false);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).startHidden, false);
  });

  it('replaces values of the wrong type, keeps the rest and a copy of the file as it was', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    const original = JSON.stringify({ pollIntervalSeconds: 'soon', dashboardPort: 6333, notifications: { ...DEFAULT_SETTINGS.notifications, hog: 'maybe' } });
    fs.writeFileSync(path.join(dir, 'config.json'), original);
    const { store, warnings } = openSettings(dir);
    assert.ok(warnings.some((w) => /pollIntervalSeconds/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /kept in .*config\.json\.invalid-/.test(w)), warnings.join('\n'));
    assert.equal(store.get('pollIntervalSeconds'), DEFAULT_SETTINGS.pollIntervalSeconds);
    assert.equal(store.get('notifications').hog, DEFAULT_SETTINGS.notifications.hog);
    assert.equal(store.get('dashboardPort'), 6333);
    const kept = files(dir).find((f) => f.startsWith('config.json.invalid-'))!;
    assert.equal(fs.readFileSync(path.join(dir, kept), 'utf8'), original);
  });

  it('leaves an empty file to the defaults without a warning about corruption', (t) => {
    const dir = tempDir(t, 'tce-settings-');
    fs.writeFileSync(path.join(dir, 'config.json'), '');
    const { store } = openSettings(dir);
    assert.equal(store.get('dashboardPort'), DEFAULT_SETTINGS.dashboardPort);
  });
});
