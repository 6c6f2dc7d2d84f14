import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Anything with node:test's `t.after` (a TestContext or a SuiteContext). */
export interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

/** A fresh temporary directory, removed when the test ends (also on failure). */
export function tempDir(t: Cleanup, prefix = 'tce-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temporary directory without automatic cleanup; call `remove()` yourself. */
export function makeTempDir(prefix = 'tce-test-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `content` to `file`, creating its folders. */
export function writeFile(file: string, content: string | object): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

/** An environment for a child process that can never touch the real ~/.claude or ~/.config/TCE. */
export function isolatedEnv(root: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = path.join(root, 'home');
  fs.mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    TCE_DATA_DIR: path.join(root, 'tce-data'),
    NO_COLOR: '1',
    // Tables fit COLUMNS when it is set (cli/format/text-width.ts); a test asks for a width itself.
    COLUMNS: undefined,
    ...extra,
  };
  return env;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; then throws with `what`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
