/** Opens a URL in the user's browser (xdg-open, open, start); resolves with a problem message or null. */
import { spawn } from 'node:child_process';

export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd.exe built-in; the empty string is the window title it expects first.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', url]];
  return ['xdg-open', [url]];
}

const HAND_OVER_MS = 5000;

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
    // xdg-open returns once it has handed the URL over; one that waits for the browser itself is taken as done after a
    // while (the timer also keeps a short-lived `tce` alive until then).
    const handedOver = setTimeout(() => resolve(null), HAND_OVER_MS);
    const done = (problem: string | null) => {
      clearTimeout(handedOver);
      resolve(problem);
    };
    child.once('error', (error) => done(`could not run ${file}: ${error.message}`));
    // A non-zero code means no browser took it.
    child.once('exit', (code) => done(code === 0 ? null : `${file} exited with code ${code}`));
    child.unref();
  });
}
