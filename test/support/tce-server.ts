// `tce dashboard` as a user runs it, on a loopback port with a token from a 0600 file: the servers the fleet tests
// scrape with Prometheus and list as remote machines.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TCE_BIN } from './tce-cli.js';
import { waitFor, type Cleanup } from './tmp.js';

export interface TceServer {
  child: ChildProcess;
  url: string;
  port: number;
  /** The file (mode 600) that holds the server's token, and the token. */
  tokenFile: string;
  token: string;
  out(): string;
  err(): string;
  exit: Promise<number | null>;
  /** Ctrl+C, and waits for it to end. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh token in `file`, mode 600. */
export function writeTokenFile(file: string, token = randomBytes(24).toString('base64url')): { file: string; token: string } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return { file, token };
}

/**
 * Starts `tce dashboard --token-file <dir>/token [args]` in `env` and waits for its URL; killed when the test ends if
 * still running. `port` 0 picks a free one.
 */
export async function startTceServer(t: Cleanup, env: NodeJS.ProcessEnv, options: { port?: number; args?: string[] } = {}): Promise<TceServer> {
  const { file, token } = writeTokenFile(path.join(env.TCE_DATA_DIR as string, '..', `token-${randomBytes(4).toString('hex')}`));
  const child = spawn(process.execPath, [TCE_BIN, 'dashboard', '--port', String(options.port ?? 0), '--token-file', file, ...(options.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  t.after(async () => {
    if (running()) {
      child.kill('SIGKILL');
      await exit;
    }
  });
  const url = await waitFor(
    `tce dashboard's URL (stdout: ${JSON.stringify(out)}, stderr: ${JSON.stringify(err)})`,
    () => {
      if (!running()) throw new Error(`tce dashboard exited with ${child.exitCode}: ${err}`);
      return /TCE dashboard: (http:\/\/\S+)/.exec(out)?.[1];
    },
    30_000,
  );
  return {
    child,
    url,
    port: Number(new URL(url).port),
    tokenFile: file,
    token,
    out: () => out,
    err: () => err,
    exit,
    async stop() {
      if (running()) child.kill('SIGINT');
      await exit;
    },
  };
}

export interface RemoteSpec {
  name: string;
  url: string;
  tokenFile: string;
  trustedLink?: boolean;
}

/** A settings file (`config.json` in `dataDir`) listing `remotes` and polling every `pollIntervalSeconds`. */
export function writeSettings(dataDir: string, settings: { remotes?: RemoteSpec[]; pollIntervalSeconds?: number }): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'config.json'), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
}
