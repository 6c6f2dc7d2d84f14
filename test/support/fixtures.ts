// Real files Claude Code wrote (test/fixtures/claude-code-<version>), copied into a temporary Claude dir for a test.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/<name> in the repository (tests run from dist/). */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

/** A writable copy of a fixture folder at `dir` (the test's temp dir removes it). */
export function copyFixture(name: string, dir: string): string {
  fs.cpSync(fixtureDir(name), dir, { recursive: true });
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) fs.chmodSync(path.join(f.parentPath, f.name), f.isDirectory() ? 0o755 : 0o644);
  fs.chmodSync(dir, 0o755);
  return dir;
}
