// The built `tce` command, run as a user runs it: a child process with its own environment.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TCE_BIN = fileURLToPath(new URL('../../../bin/tce.js', import.meta.url));

export interface TceRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function tce(args: string[], env: NodeJS.ProcessEnv): Promise<TceRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TCE_BIN, ...args], { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
