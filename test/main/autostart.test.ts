import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { app, fake } from '../mocks/electron.js';
import { autostartFile, desktopEntry, execLine, launchCommand, LinuxAutostart } from '../../src/main/autostart-linux.js';
import { createLoginItem, startedHidden } from '../../src/main/login-item.js';
import { tempDir } from '../support/tmp.js';

const entryField = (text: string, key: string): string | undefined =>
  text.split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);

describe('start at login on Linux (XDG autostart)', () => {
  beforeEach(() => fake.reset());

  it('writes and removes $XDG_CONFIG_HOME/autostart/tce.desktop, which starts the app hidden', (t) => {
    const xdg = path.join(tempDir(t, 'tce-xdg-'), 'config');
    const login = createLoginItem('linux', { XDG_CONFIG_HOME: xdg, HOME: '/nonexistent' });
    const file = path.join(xdg, 'autostart', 'tce.desktop');
    assert.equal(login.isEnabled(), false);
    login.setEnabled(true);
    assert.equal(login.isEnabled(), true);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text.split('\n')[0], '[Desktop Entry]');
    assert.equal(entryField(text, 'Type'), 'Application');
    assert.equal(entryField(text, 'X-GNOME-Autostart-enabled'), 'true');
    assert.equal(entryField(text, 'Hidden'), undefined, 'Hidden=true would mean "deleted" to the session manager');
    // Unpackaged: Electron's binary with the app folder, then --hidden so it starts in the tray only.
    assert.equal(entryField(text, 'Exec'), execLine({ program: process.execPath, args: [app.getAppPath()] }));
    assert.ok(entryField(text, 'Exec')!.endsWith(' --hidden'));
    assert.ok(entryField(text, 'Exec')!.includes(process.execPath));
    login.setEnabled(false);
    assert.equal(fs.existsSync(file), false);
    assert.equal(login.isEnabled(), false);
    // Turning off twice is fine.
    login.setEnabled(false);
  });

  it('points at the AppImage itself when run from one', (t) => {
    const xdg = tempDir(t, 'tce-xdg-');
    const env = { XDG_CONFIG_HOME: xdg, APPIMAGE: '/home/u/Apps/TCE 0.1.0.AppImage' };
    const login = createLoginItem('linux', env);
    login.setEnabled(true);
    const text = fs.readFileSync(autostartFile(env), 'utf8');
    assert.equal(entryField(text, 'Exec'), '"/home/u/Apps/TCE 0.1.0.AppImage" --hidden');
  });

  it('falls back to ~/.config without XDG_CONFIG_HOME, and quotes Exec as the Desktop Entry spec asks', () => {
    assert.equal(autostartFile({ HOME: '/home/u' }), '/home/u/.config/autostart/tce.desktop');
    assert.equal(execLine({ program: '/opt/My "App"/tce', args: ['$HOME', '50%'] }), '"/opt/My \\\\"App\\\\"/tce" "\\\\$HOME" "50%%" --hidden');
    assert.deepEqual(launchCommand({ env: {}, execPath: '/opt/TCE/tce', isPackaged: true, appPath: '/opt/TCE/resources/app.asar' }), { program: '/opt/TCE/tce', args: [] });
    assert.match(desktopEntry({ program: '/opt/TCE/tce', args: [] }), /^Exec=\/opt\/TCE\/tce --hidden$/m);
  });

  it('reads an entry the user disabled as off', (t) => {
    const file = path.join(tempDir(t, 'tce-xdg-'), 'autostart', 'tce.desktop');
    const login = new LinuxAutostart(file, { program: 'tce', args: [] });
    login.setEnabled(true);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    assert.equal(login.isEnabled(), false);
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}Hidden=true\n`);
    assert.equal(login.isEnabled(), false);
  });
});

describe('start at login on macOS and Windows', () => {
  beforeEach(() => fake.reset());

  for (const platform of ['darwin', 'win32'] as const) {
    it(`uses the system login items on ${platform}, with --hidden`, (t) => {
      t.after(() => (app.isPackaged = false));
      app.isPackaged = true;
      const login = createLoginItem(platform, {});
      assert.equal(login.isEnabled(), false);
      login.setEnabled(true);
      assert.deepEqual(app.loginItem, { openAtLogin: true, args: ['--hidden'] });
      assert.equal(login.isEnabled(), true);
      login.setEnabled(false);
      assert.equal(app.loginItem.openAtLogin, false);
    });
  }

  it('unpackaged, has Electron start the app folder', () => {
    app.isPackaged = false;
    createLoginItem('win32', {}).setEnabled(true);
    assert.deepEqual(app.loginItem, { openAtLogin: true, args: [app.getAppPath(), '--hidden'] });
  });

  it('starts hidden when asked with --hidden, or on macOS when opened at login', () => {
    assert.equal(startedHidden(['electron', '.', '--hidden'], 'linux'), true);
    assert.equal(startedHidden(['electron', '.'], 'linux'), false);
    app.wasOpenedAtLogin = true;
    assert.equal(startedHidden(['TCE'], 'darwin'), true);
    assert.equal(startedHidden(['TCE'], 'linux'), false);
  });
});
