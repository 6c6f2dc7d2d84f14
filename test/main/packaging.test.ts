// electron-builder.yml as electron-builder itself reads and checks it (app-builder-lib, the library behind the
// electron-builder command), what the resolved configuration must hold for TCE, and the icons it packs.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { APP_ID } from '../../src/main/app-identity.js';
import { sandboxDecision, systemProbes } from '../../src/main/chromium-sandbox.js';
import { decodePng } from './png-decode.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(require.resolve('../../../package.json')));

interface BuilderConfig {
  appId: string;
  directories: { buildResources: string };
  files: string[];
  extraMetadata: { main: string };
  mac: {
    target: string[];
    icon: string;
    extendInfo: Record<string, unknown>;
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    notarize: boolean;
  };
  linux: { target: string[]; icon: string; executableName: string; executableArgs?: string[] };
  win: { target: string[]; icon: string };
}

/** app-builder-lib's loader and validator: what `electron-builder` runs before it builds anything. */
const builderConfig = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};
const quietLogger = { isEnabled: false, add: () => undefined };
const fileMatcher = require('app-builder-lib/out/fileMatcher.js') as {
  getFileMatchers(
    config: unknown,
    name: 'files',
    destination: string,
    options: { macroExpander: (pattern: string) => string; customBuildOptions: object; globalOutDir: string; defaultSrc: string },
  ): Array<{ createFilter(): (file: string, stat: fs.Stats) => boolean }> | null;
};

/** Every key of a parsed YAML document, nested ones included. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

let config: BuilderConfig;

describe('packaging', () => {
  before(async () => {
    // electron-builder.yml found and read as the electron-builder command does (package.json's `build`, `extends`).
    config = await builderConfig.getConfig(root, null, null);
  });

  it('is a valid electron-builder configuration', async () => {
    await builderConfig.validateConfiguration(config, quietLogger);
    await assert.rejects(builderConfig.validateConfiguration({ ...config, mac: { ...config.mac, target: 5 } }, quietLogger), /mac/, 'the validator does catch a bad value');
  });

  it('builds a menu-bar-only mac dmg+zip, a Linux AppImage+deb and a Windows installer', () => {
    assert.deepEqual(config.mac.target, ['dmg', 'zip']);
    assert.equal(config.mac.extendInfo.LSUIElement, true);
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.deepEqual(config.win.target, ['nsis']);
  });

  it('packs the app package.json points at, its preload and dashboard page, and no tests', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    assert.equal(config.extraMetadata.main, pkg.main);
    // The file filter electron-builder copies the app with, over the files the build made.
    const [matcher] = fileMatcher.getFileMatchers(config, 'files', 'app', { macroExpander: (p) => p, customBuildOptions: {}, globalOutDir: path.join(root, 'release'), defaultSrc: root }) ?? [];
    assert.ok(matcher);
    const packed = matcher.createFilter();
    const built = (dir: string) => fs.globSync(`${dir}/**/*`, { cwd: root }).filter((f) => fs.statSync(path.join(root, f)).isFile());
    const inApp = (f: string) => packed(path.join(root, f), fs.statSync(path.join(root, f)));
    for (const f of [pkg.main, 'dist/src/preload/index.cjs', 'dist/renderer/index.html', 'package.json']) assert.ok(inApp(f), `${f} is packed`);
    const missing = [...built('dist/src').filter((f) => /\.c?js$/.test(f)), ...built('dist/renderer')].filter((f) => !inApp(f));
    assert.deepEqual(missing, [], 'every compiled module and every file of the page is packed');
    const tests = [...built('dist/test'), ...built('dist/e2e'), ...built('dist/bench')].filter(inApp);
    assert.deepEqual(tests, [], 'no tests or benchmarks');
  });

  it('has the icons it names, drawn at the sizes their names say', () => {
    const appIcon = decodePng(fs.readFileSync(path.join(root, config.mac.icon)));
    assert.deepEqual([appIcon.width, appIcon.height], [1024, 1024], 'macOS needs 1024 px (Windows at least 256)');
    assert.equal(config.win.icon, config.mac.icon);
    const set = path.join(root, config.linux.icon);
    const names = fs.readdirSync(set).filter((f) => f.endsWith('.png'));
    assert.ok(names.length >= 5, names.join(', '));
    for (const name of names) {
      const size = Number(/^(\d+)x\1\.png$/.exec(name)?.[1]);
      assert.ok(size > 0, `${name} is named <N>x<N>.png`);
      const png = decodePng(fs.readFileSync(path.join(set, name)));
      assert.deepEqual([png.width, png.height], [size, size], name);
      // The rounded square leaves the corners clear and fills the middle.
      assert.equal(png.pixel(0, 0)[3], 0, name);
      assert.equal(png.pixel(Math.floor(size / 2), Math.floor(size / 8))[3], 255, name);
    }
  });

  it('signs macOS builds with the hardened runtime and its entitlements, notarises from the environment, keeps no secret', () => {
    assert.equal(config.mac.hardenedRuntime, true);
    assert.equal(config.mac.notarize, true, 'notarised when the APPLE_* variables are set');
    assert.equal(config.mac.entitlements, 'build/entitlements.mac.plist');
    assert.equal(config.mac.entitlementsInherit, config.mac.entitlements);
    const plist = fs.readFileSync(path.join(root, config.mac.entitlements), 'utf8');
    assert.match(plist, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/);
    assert.match(plist, /<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/, 'V8 needs its JIT under the hardened runtime');
    const keys = (plist.match(/<key>[^<]+<\/key>/g) ?? []).map((k) => k.slice(5, -6));
    assert.deepEqual(keys, ['com.apple.security.cs.allow-jit'], 'nothing more is asked for');
    const secretish = keysOf(config).filter((k) => /password|appleId|apiKey|cscLink|cscKey|certificate/i.test(k));
    assert.deepEqual(secretish, [], 'credentials come from the environment only');
  });

  it('uses the app id as the Windows AppUserModelID', () => {
    assert.equal(config.appId, APP_ID);
  });

  it('leaves --no-sandbox to each machine: none for all, the AppImage launcher decides as TCE’s rule does', (t) => {
    assert.ok(!(config.linux.executableArgs ?? []).includes('--no-sandbox'));
    // electron-builder's own AppRun, run with a stand-in binary and a stand-in `unshare` (AppRun puts its folder
    // first on PATH): where unprivileged user namespaces fail it adds --no-sandbox, where they work it does not.
    const { generateAppRunScript } = require('app-builder-lib/out/targets/appimage/appImageUtil.js') as { generateAppRunScript(config: object): string };
    for (const usernsWork of [true, false]) {
      const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-appdir-'));
      t.after(() => fs.rmSync(appDir, { recursive: true, force: true }));
      const record = path.join(appDir, 'args.txt');
      fs.writeFileSync(path.join(appDir, 'AppRun'), generateAppRunScript({ DesktopFileName: 'tce.desktop', ExecutableName: config.linux.executableName, ProductName: 'TCE', ProductFilename: 'TCE', ResourceName: 'appimagekit-tce' }), { mode: 0o755 });
      fs.writeFileSync(path.join(appDir, config.linux.executableName), `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}"\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(appDir, 'unshare'), `#!/bin/sh\nexit ${usernsWork ? 0 : 1}\n`, { mode: 0o755 });
      const ran = spawnSync('bash', [path.join(appDir, 'AppRun'), '--hidden'], { env: { ...process.env, APPDIR: appDir, APPIMAGE: path.join(appDir, 'TCE.AppImage') }, encoding: 'utf8' });
      assert.equal(ran.status, 0, ran.stderr);
      const args = fs.readFileSync(record, 'utf8').trim().split('\n');
      // TCE's rule for the same machine, as an unprivileged user of the AppImage (its helper is never setuid).
      const files: Record<string, string> = { '/restrict': usernsWork ? '0' : '1' };
      const ours = sandboxDecision(
        { binary: path.join(appDir, config.linux.executableName), appImage: true },
        { ...systemProbes(), platform: 'linux', uid: 1000, userns: [{ file: '/restrict', restrictedWhen: '1' }], readText: (f) => files[f] ?? null },
      );
      assert.deepEqual(args, ours.noSandbox ? ['--no-sandbox', '--hidden'] : ['--hidden'], `user namespaces ${usernsWork ? 'work' : 'fail'}`);
    }
  });
});
