import os from 'node:os';
import path from 'node:path';

/** Electron's app name, from package.json's productName: the tray app's data folder is `<appData>/TCE`. */
export const APP_NAME = 'TCE';

/** Electron's `app.getPath('userData')` for TCE (where electron-store kept `config.json` before), or `TCE_DATA_DIR`. */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.TCE_DATA_DIR) return path.resolve(env.TCE_DATA_DIR);
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_NAME);
}

export function settingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), 'config.json');
}

/**
 * Claude Code's config dirs: `--claude-dir`, else `CLAUDE_CONFIG_DIR` (a comma-separated list allowed),
 * else `~/.claude` and `~/.config/claude`. Duplicates are dropped; missing dirs are kept (callers report them).
 */
export function claudeDirs(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || os.homedir();
  const raw = explicit ?? env.CLAUDE_CONFIG_DIR;
  const list = raw
    ? raw.split(',').map((d) => d.trim()).filter(Boolean)
    : [path.join(home, '.claude'), path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'claude')];
  return [...new Set(list.map((d) => path.resolve(d.replace(/^~(?=$|\/)/, home))))];
}

/** Where TCE may keep what it can always make again (V8's compiled code for the `tce` command): the platform's cache folder. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', APP_NAME);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), APP_NAME, 'Cache');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'tce');
}
