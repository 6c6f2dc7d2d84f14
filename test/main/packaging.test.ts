// electron-builder.yml against electron-builder's own schema, and the icons it packs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { decodePng } from './png-decode.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(require.resolve('../../../package.json')));
const yaml = require('js-yaml') as { load(text: string): unknown };
type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const Ajv = require('ajv') as new (options: object) => { compile(schema: unknown): Validate };

interface BuilderConfig {
  directories: { buildResources: string };
  files: string[];
  extraMetadata: { main: string };
  mac: { target: string[]; icon: string; extendInfo: Record<string, unknown> };
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('packaging', () => {
  it('is a valid electron-builder configuration', () => {
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as unknown;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(config), JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ ...config, mac: { ...config.mac, target: 5 } }), false, 'the schema does catch a bad value');
  });

  it('builds a menu-bar-only mac dmg+zip, a Linux AppImage+deb and a Windows installer', () => {
    assert.deepEqual(config.mac.target, ['dmg', 'zip']);
    assert.equal(config.mac.extendInfo.LSUIElement, true);
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.deepEqual(config.win.target, ['nsis']);
  });

  it('packs the app package.json points at', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    assert.equal(config.extraMetadata.main, pkg.main);
    assert.ok(config.files.includes('dist/src/**/*.js'));
    assert.ok(config.files.includes('dist/src/**/*.cjs'), 'the sandboxed preload is CommonJS');
    assert.ok(config.files.includes('dist/renderer/**/*'));
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
});
