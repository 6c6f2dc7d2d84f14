/** Opens a URL in the user's browser (xdg-open, open, start); resolves with a problem message or null. */
import { spawn } from 'node:child_process';

export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd.exe built-in; the empty string is the window title it expects first.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', url]];
  return ['xdg-open', [url]];
}

export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const [file, args] = browserCommand(url);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, args, { stdio: 'ignore', detached: true, env });
    } catch (error) {
      resolve(`could not run ${file}: ${(error as Error).message}`);
      return;
    }
    child.once('error', (error) => resolve(`could not run ${file}: ${error.message}`));
    // xdg-open returns once it has handed the URL over; a non-zero code means no browser took it.
    child.once('exit', (code) => resolve(code === 0 ? null : `${file} exited with code ${code}`));
    child.unref();
  });
}
