import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { app, fake } from '../mocks/electron.js';
import { autostartFile, desktopEntry, execLine, launchCommand, LinuxAutostart } from '../../src/main/autostart-linux.js';
import { createLoginItem, startedHidden } from '../../src/main/login-item.js';
import type { SandboxProbes } from '../../src/main/chromium-sandbox.js';
import { tempDir } from '../support/tmp.js';

const entryField = (text: string, key: string): string | undefined =>
  text.split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);

/** A Linux system as the sandbox decision sees it: an ordinary user, user namespaces free, unless told otherwise. */
function system(over: Partial<SandboxProbes> & { files?: Record<string, string>; stats?: Record<string, { uid: number; mode: number }> } = {}): SandboxProbes {
  const { files = {}, stats = {}, ...rest } = over;
  return {
    platform: 'linux',
    uid: 1000,
    userns: [{ file: '/proc/sys/kernel/apparmor_restrict_unprivileged_userns', restrictedWhen: '1' }],
    readText: (file) => files[file] ?? null,
    stat: (file) => stats[file] ?? null,
    apparmorDir: '/etc/apparmor.d',
    ...rest,
  };
}

const RESTRICTED = { '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '1\n' };

describe('start at login on Linux (XDG autostart)', () => {
  beforeEach(() => fake.reset());

  it('writes and removes $XDG_CONFIG_HOME/autostart/tce.desktop, which starts the app hidden', (t) => {
    const xdg = path.join(tempDir(t, 'tce-xdg-'), 'config');
    const login = createLoginItem('linux', { XDG_CONFIG_HOME: xdg, HOME: '/nonexistent' }, { probes: system() });
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
    const login = createLoginItem('linux', env, { probes: system() });
    login.setEnabled(true);
    const text = fs.readFileSync(autostartFile(env), 'utf8');
    assert.equal(entryField(text, 'Exec'), '"/home/u/Apps/TCE 0.1.0.AppImage" --hidden');
    assert.equal(fs.statSync(autostartFile(env)).mode & 0o777, 0o600, 'private, as every file TCE writes');
  });

  it('adds --no-sandbox to Exec exactly when Chromium’s sandbox cannot start, as `tce run` does', (t) => {
    const exec = (env: NodeJS.ProcessEnv, probes: SandboxProbes, execPath = '/opt/TCE/tce'): string => {
      const xdg = tempDir(t, 'tce-xdg-');
      const login = createLoginItem('linux', { XDG_CONFIG_HOME: xdg, ...env }, { probes, execPath });
      login.setEnabled(true);
      return entryField(fs.readFileSync(autostartFile({ XDG_CONFIG_HOME: xdg }), 'utf8'), 'Exec')!;
    };
    app.isPackaged = true;
    t.after(() => (app.isPackaged = false));
    assert.equal(exec({}, system()), '/opt/TCE/tce --hidden');
    assert.equal(exec({}, system({ uid: 0 })), '/opt/TCE/tce --no-sandbox --hidden', 'as root');
    assert.equal(exec({}, system({ files: RESTRICTED })), '/opt/TCE/tce --no-sandbox --hidden', 'restricted, no chrome-sandbox');
    assert.equal(exec({}, system({ files: RESTRICTED, stats: { '/opt/TCE/chrome-sandbox': { uid: 1000, mode: 0o104755 } } })), '/opt/TCE/tce --no-sandbox --hidden', 'setuid but not root’s');
    assert.equal(exec({}, system({ files: RESTRICTED, stats: { '/opt/TCE/chrome-sandbox': { uid: 0, mode: 0o104755 } } })), '/opt/TCE/tce --hidden', 'setuid root helper');
    const profile = { ...RESTRICTED, '/etc/apparmor.d/tce': 'abi <abi/4.0>,\nprofile tce "/opt/TCE/tce" flags=(unconfined) {\n  userns,\n}\n' };
    assert.equal(exec({}, system({ files: profile })), '/opt/TCE/tce --hidden', 'an AppArmor profile gives it user namespaces (the .deb installs one)');
    // An AppImage's helper is on a nosuid mount, whatever its mode says.
    const appImage = { APPIMAGE: '/home/u/TCE.AppImage' };
    assert.equal(exec(appImage, system({ files: RESTRICTED, stats: { '/tmp/.mount_TCE/chrome-sandbox': { uid: 0, mode: 0o104755 } } }), '/tmp/.mount_TCE/tce'), '/home/u/TCE.AppImage --no-sandbox --hidden');
    assert.equal(exec(appImage, system(), '/tmp/.mount_TCE/tce'), '/home/u/TCE.AppImage --hidden');
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

  it('on macOS 13+ registers the app itself (SMAppService mainAppService), without arguments', () => {
    fake.platform = 'darwin';
    const login = createLoginItem('darwin', {});
    assert.equal(login.isEnabled(), false);
    assert.equal(login.setEnabled(true), null);
    assert.deepEqual(app.loginItem, { openAtLogin: true, type: 'mainAppService', args: [], command: null });
    assert.equal(login.isEnabled(), true);
    login.setEnabled(false);
    assert.equal(app.loginItem.openAtLogin, false);
  });

  it('on macOS says when the user must approve it, and when macOS refuses it (an unsigned app)', () => {
    fake.platform = 'darwin';
    const login = createLoginItem('darwin', {});
    fake.loginItemStatus = 'requires-approval';
    assert.match(login.setEnabled(true)!, /Allow TCE in System Settings › General › Login Items/);
    fake.loginItemStatus = null;
    login.setEnabled(false);
    fake.loginItemRefused = true;
    assert.throws(() => login.setEnabled(true), /macOS did not register TCE as a login item \(status: not-registered\)/);
  });

  it('on Windows writes a Run entry for the executable with --hidden, quoted by Electron', () => {
    fake.platform = 'win32';
    app.isPackaged = true;
    const login = createLoginItem('win32', {}, { execPath: 'C:\\Program Files\\TCE\\TCE.exe' });
    assert.equal(login.isEnabled(), false);
    login.setEnabled(true);
    assert.equal(app.loginItem.command, '"C:\\Program Files\\TCE\\TCE.exe" --hidden');
    assert.equal(login.isEnabled(), true, 'read back with the same path and arguments');
    login.setEnabled(false);
    assert.equal(app.loginItem.openAtLogin, false);
  });

  it('unpackaged on Windows, has Electron start the app folder', () => {
    fake.platform = 'win32';
    app.isPackaged = false;
    createLoginItem('win32', {}, { execPath: 'C:\\dev\\tce\\node_modules\\electron\\dist\\electron.exe' }).setEnabled(true);
    assert.deepEqual(app.loginItem.args, [app.getAppPath(), '--hidden']);
    // CommandLineToArgvW's rules quote any argument with a space, quote or backslash.
    assert.equal(app.loginItem.command, `"C:\\dev\\tce\\node_modules\\electron\\dist\\electron.exe" ${app.getAppPath()} --hidden`);
  });

  it('starts hidden when asked with --hidden, or on macOS when opened at login', () => {
    assert.equal(startedHidden(['electron', '.', '--hidden'], 'linux'), true);
    assert.equal(startedHidden(['electron', '.'], 'linux'), false);
    app.wasOpenedAtLogin = true;
    assert.equal(startedHidden(['TCE'], 'darwin'), true);
    assert.equal(startedHidden(['TCE'], 'linux'), false);
  });
});
