// A local stand-in for Electron's release downloads (what ELECTRON_MIRROR points the electron package's installer
// at), and a fresh install of TCE whose electron package has never downloaded its binary: together they let a test
// run `tce run`'s first launch, with Electron's real installer, on a machine without network.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Unix mode, e.g. 0o755 for an executable. */
  mode: number;
}

/** A zip archive with the entries stored uncompressed, Unix modes kept (as Electron's own zips carry them). */
export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = zlib.crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, entry.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((0o100000 | entry.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export interface Mirror {
  /** For ELECTRON_MIRROR (ends with a slash). */
  url: string;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `electron-v<version>-<platform>-<arch>.zip` and its SHASUMS256.txt under /v<version>/, as GitHub's release
 * downloads are laid out; with `zip` null every request gets a 404 (a release that cannot be had).
 */
export async function startMirror(version: string, zip: Buffer | null): Promise<Mirror> {
  const file = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const sums = zip ? `${createHash('sha256').update(zip).digest('hex')} *${file}\n` : null;
    if (zip && req.url === `/v${version}/${file}`) {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length });
      res.end(zip);
    } else if (sums && req.url === `/v${version}/SHASUMS256.txt`) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(sums);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The environment that points the electron package's installer at a mirror, with a cache of its own. */
export function mirrorEnv(mirror: Mirror, cacheDir: string): NodeJS.ProcessEnv {
  return { ELECTRON_MIRROR: mirror.url, electron_use_remote_checksums: '1', electron_config_cache: cacheDir, ELECTRON_GET_NO_PROGRESS: '1' };
}

/**
 * A copy of TCE as `npm install` leaves it on a new machine: its own electron package without the binary (no dist/,
 * no path.txt), everything else linked to this checkout. Run its bin/tce.js with `node --preserve-symlinks
 * --preserve-symlinks-main` so that modules resolve inside it.
 */
export function freshInstall(root: string, projectRoot: string): { appRoot: string; tce: string; electronDir: string } {
  const appRoot = path.join(root, 'app');
  const modules = path.join(appRoot, 'node_modules');
  fs.mkdirSync(path.join(appRoot, 'bin'), { recursive: true });
  fs.mkdirSync(modules, { recursive: true });
  fs.copyFileSync(path.join(projectRoot, 'bin', 'tce.js'), path.join(appRoot, 'bin', 'tce.js'));
  fs.copyFileSync(path.join(projectRoot, 'package.json'), path.join(appRoot, 'package.json'));
  fs.symlinkSync(path.join(projectRoot, 'dist'), path.join(appRoot, 'dist'));
  const realModules = path.join(projectRoot, 'node_modules');
  for (const name of fs.readdirSync(realModules)) {
    if (name === 'electron') continue;
    fs.symlinkSync(path.join(realModules, name), path.join(modules, name));
  }
  const electronDir = path.join(modules, 'electron');
  fs.mkdirSync(electronDir);
  for (const name of fs.readdirSync(path.join(realModules, 'electron'))) {
    if (name === 'dist' || name === 'path.txt') continue;
    fs.copyFileSync(path.join(realModules, 'electron', name), path.join(electronDir, name));
  }
  return { appRoot, tce: path.join(appRoot, 'bin', 'tce.js'), electronDir };
}
