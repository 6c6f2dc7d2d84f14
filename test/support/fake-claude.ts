// Long-lived real processes that look like Claude Code in each install form, its helpers, and decoys.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ProcessRef } from '../../src/core/process/types.js';
import type { Cleanup } from './tmp.js';

export type FakeKind =
  | 'native-installer'
  | 'npm-native'
  | 'desktop-embedded'
  | 'argv0'
  | 'npm-cli-js'
  | 'helper-bg-spare'
  | 'helper-bg-pty-host'
  | 'decoy-claudette'
  | 'decoy-helper-script'
  | 'decoy-python-arg'
  | 'decoy-cwd'
  | 'decoy-argv0-claude'
  | 'decoy-argv0-npm-path'
  | 'zombie-parent';

/** The kinds that must be recognised as Claude Code sessions, and those that must not. */
export const CLAUDE_KINDS: FakeKind[] = ['native-installer', 'npm-native', 'desktop-embedded', 'argv0', 'npm-cli-js'];
export const NOT_CLAUDE_KINDS: FakeKind[] = [
  'helper-bg-spare',
  'helper-bg-pty-host',
  'decoy-claudette',
  'decoy-helper-script',
  'decoy-python-arg',
  'decoy-cwd',
  'decoy-argv0-claude',
  'decoy-argv0-npm-path',
];

export interface FakeProcess {
  kind: FakeKind;
  pid: number;
  child: ChildProcess;
  /** The executable file that was run (a copy placed in the install layout), if any. */
  file: string | null;
  cwd: string;
  alive(): boolean;
  /** Sends `signal` (default SIGKILL) and waits until the process is gone; safe to call twice. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const SLEEP = fs.existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep';
const SH = fs.existsSync('/usr/bin/sh') ? '/usr/bin/sh' : '/bin/sh';
const PYTHON = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => fs.existsSync(p)) ?? null;

/** Copies a real binary into an install layout (a copy, never a hard link: a chmod would change the original). */
function placeCopy(source: string, target: string): string {
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fs.realpathSync(source), target);
  fs.chmodSync(target, 0o755);
  return target;
}

/** Whether a process with this PID exists (a zombie counts): signal 0 reaches it. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  if (!pidExists(pid)) return false;
  // A zombie still answers signal 0; it is not alive for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** PF_EXITING in field 9 of /proc/<pid>/stat: the process has begun to exit (a fatal signal was taken). */
const PF_EXITING = 0x4;

/**
 * Whether no signal has reached `pid`, judged at once rather than after a pause: a signal sent by a kill() that has
 * returned is either still pending (SigPnd/ShdPnd in /proc/<pid>/status) or was taken, and a fatal one taken leaves
 * the process exiting (PF_EXITING), a zombie or gone. So after the request that must not signal has been answered,
 * "alive, not exiting, nothing pending" means it sent nothing, however slow the machine is.
 */
export function neverSignalled(pid: number): boolean {
  let status: string;
  let stat: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? '';
  if (/^[ZX]/.test(field('State'))) return false;
  if (BigInt(`0x${field('SigPnd') || '0'}`) !== 0n || BigInt(`0x${field('ShdPnd') || '0'}`) !== 0n) return false;
  const flags = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]);
  return (flags & PF_EXITING) === 0;
}

/**
 * Waits until the clock that process start times are counted in (clock ticks since boot) has moved `ticks` past the
 * start of `pid`: a process started after that cannot share its start time, whatever the load.
 */
export async function ticksPastStart(pid: number, ticks = 3): Promise<void> {
  const start = Number(procStart(pid));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const uptimeTicks = Math.floor(Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100);
    if (uptimeTicks >= start + ticks) return;
    if (Date.now() > deadline) throw new Error(`the clock did not pass tick ${start + ticks} within 30 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function track(kind: FakeKind, child: ChildProcess, file: string | null, cwd: string): FakeProcess {
  if (child.pid === undefined) throw new Error(`could not spawn the ${kind} process`);
  const pid = child.pid;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  return {
    kind,
    pid,
    child,
    file,
    cwd,
    alive: () => !exited && isAlive(pid),
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (exited) return;
      try {
        process.kill(pid, signal);
      } catch {
        return;
      }
      if (signal === 'SIGKILL' || signal === 'SIGTERM') {
        await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 5000))]);
      }
    },
  };
}

/** Runs `file args` with a stdin pipe that stays open (so `read` blocks) and no output. */
function launch(file: string, args: string[], cwd: string, argv0?: string): ChildProcess {
  const child = spawn(file, args, { cwd, stdio: ['pipe', 'ignore', 'ignore'], ...(argv0 ? { argv0 } : {}) });
  child.on('error', () => undefined);
  return child;
}

/** Waits until the kernel shows the new image (the exec has happened), so a scan sees the final argv. */
async function settled(child: ChildProcess, expect: (argv: string[]) => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      const argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (expect(argv)) return;
    } catch {
      if (process.platform !== 'linux') return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Spawns one long-lived process of `kind` under `root` (a temporary folder). Register `kill` with t.after,
 * or use `spawnFakeFor(t, ...)` which does it for you.
 */
export async function spawnFake(kind: FakeKind, root: string): Promise<FakeProcess> {
  const cwd = path.join(root, 'work');
  fs.mkdirSync(cwd, { recursive: true });
  const cliJs = path.join(root, 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js');
  const writeCliJs = () => {
    fs.mkdirSync(path.dirname(cliJs), { recursive: true });
    fs.writeFileSync(cliJs, 'setInterval(() => {}, 60_000);\n');
    fs.writeFileSync(path.join(path.dirname(cliJs), 'package.json'), '{"name":"@anthropic-ai/claude-code","version":"1.0.128"}\n');
  };
  let child: ChildProcess;
  let file: string | null = null;
  let expect: (argv: string[]) => boolean = (argv) => argv.length > 0;
  switch (kind) {
    case 'native-installer': {
      file = placeCopy(SLEEP, path.join(root, '.local', 'share', 'claude', 'versions', '2.1.112'));
      child = launch(file, ['3600'], cwd);
      expect = (argv) => argv[0] === file;
      break;
    }
    case 'npm-native': {
      file = placeCopy(SLEEP, path.join(root, 'node_modules', '@anthropic-ai', 'claude-code', 'bin', 'claude.exe'));
      const link = path.join(root, 'node_modules', '.bin', 'claude');
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.rmSync(link, { force: true });
      fs.symlinkSync(path.relative(path.dirname(link), file), link);
      child = launch(link, ['3600'], cwd);
      expect = (argv) => argv[0] === link;
      break;
    }
    case 'desktop-embedded': {
      file = placeCopy(SLEEP, path.join(root, 'Claude', 'claude-code', '2.1.0', 'claude'));
      child = launch(file, ['3600'], cwd);
      expect = (argv) => argv[0] === file;
      break;
    }
    case 'argv0': {
      // A `claude` binary in no known layout (a hand-made install), started by its bare name.
      file = placeCopy(SLEEP, path.join(root, 'bin', 'claude'));
      child = launch(file, ['3600'], cwd, 'claude');
      expect = (argv) => argv[0] === 'claude';
      break;
    }
    case 'decoy-argv0-claude': {
      // `exec -a claude sleep 3600`: the name is Claude's, the executable is not.
      child = launch(SLEEP, ['3600'], cwd, 'claude');
      expect = (argv) => argv[0] === 'claude';
      break;
    }
    case 'decoy-argv0-npm-path': {
      const npmPath = path.join(root, 'node_modules', '@anthropic-ai', 'claude-code', 'bin', 'claude');
      child = launch(SLEEP, ['3600'], cwd, npmPath);
      expect = (argv) => argv[0] === npmPath;
      break;
    }
    case 'npm-cli-js': {
      writeCliJs();
      child = launch(process.execPath, [cliJs], cwd);
      break;
    }
    case 'helper-bg-spare':
    case 'helper-bg-pty-host': {
      // The native binary's own helpers: same executable, flagged argv. A shell copy ignores the flag and blocks in `read`.
      file = placeCopy(SH, path.join(root, '.local', 'share', 'claude', 'versions', '2.1.113'));
      const flag = kind === 'helper-bg-spare' ? '--bg-spare' : '--bg-pty-host';
      child = launch(file, ['-c', 'read x', flag], cwd);
      expect = (argv) => argv.includes(flag);
      break;
    }
    case 'decoy-claudette': {
      file = placeCopy(SLEEP, path.join(root, 'bin', 'claudette'));
      child = launch(file, ['3600'], cwd);
      expect = (argv) => argv[0] === file;
      break;
    }
    case 'decoy-helper-script': {
      file = path.join(root, 'bin', 'claude-helper.sh');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '#!/bin/sh\nread x\n', { mode: 0o755 });
      child = launch(file, [], cwd);
      expect = (argv) => argv.some((a) => a.endsWith('claude-helper.sh'));
      break;
    }
    case 'decoy-python-arg': {
      const script = path.join(root, 'x.py');
      fs.writeFileSync(script, 'import sys\nsys.stdin.read()\n');
      if (PYTHON) {
        child = launch(PYTHON, [script, 'claude'], cwd);
      } else {
        child = launch(SH, ['-c', 'read x', script, 'claude'], cwd);
      }
      expect = (argv) => argv.includes('claude');
      break;
    }
    case 'decoy-cwd': {
      const notes = path.join(root, 'claude-notes');
      fs.mkdirSync(notes, { recursive: true });
      const decoy = launch(SLEEP, ['3600'], notes);
      await settled(decoy, (argv) => argv.length > 0);
      return track(kind, decoy, null, notes);
    }
    default:
      throw new Error(`spawnFake cannot make a ${kind} process`);
  }
  await settled(child, expect);
  return track(kind, child, file, cwd);
}

/** spawnFake, killed when the test ends (also on failure). */
export async function spawnFakeFor(t: Cleanup, kind: FakeKind, root: string): Promise<FakeProcess> {
  const fake = await spawnFake(kind, root);
  t.after(() => fake.kill('SIGKILL'));
  return fake;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), as Claude Code writes it in `procStart`. */
export function procStart(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const value = fields[19];
  if (value === undefined) throw new Error(`no start time in /proc/${pid}/stat`);
  return value;
}

/**
 * The process a PID names right now, as a kill or pin request names it (PID and start ticks); a PID with no process
 * gets a start no process has.
 */
export function refTo(pid: number): ProcessRef {
  try {
    return { pid, startId: procStart(pid) };
  } catch {
    return { pid, startId: '0' };
  }
}

export interface RegistryEntry {
  pid: number;
  sessionId: string;
  cwd: string;
  startedAt: number;
  procStart: string;
  version: string;
  kind: string;
  entrypoint: string;
  name: string;
  status: 'busy' | 'idle' | 'waiting';
  /** With `waiting` (2.1.332): what for. */
  waitingFor?: string;
  statusUpdatedAt: number;
  updatedAt: number;
}

/**
 * Writes `<claudeDir>/sessions/<pid>.json` as Claude Code does for a live process, with the process's real
 * procStart, so a monitor accepts it. `overrides` changes any field (e.g. a wrong procStart to test rejection).
 */
export function writeRegistry(claudeDir: string, pid: number, overrides: Partial<RegistryEntry> = {}): RegistryEntry {
  const now = Date.now();
  const entry: RegistryEntry = {
    pid,
    sessionId: '11111111-2222-4333-8444-555555555555',
    cwd: process.cwd(),
    startedAt: now,
    procStart: process.platform === 'linux' ? procStart(pid) : '0',
    version: '2.1.197',
    kind: 'interactive',
    entrypoint: 'cli',
    name: 'test-session',
    status: 'idle',
    statusUpdatedAt: now,
    updatedAt: now,
    ...overrides,
  };
  const file = path.join(claudeDir, 'sessions', `${pid}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(entry));
  return entry;
}

/**
 * A real zombie: a parent that never reaps spawns `file lifeSeconds`, which exits after that long.
 * Returns the parent (kill it to let init reap the zombie) and the child's pid.
 */
export async function spawnZombie(file: string, lifeSeconds: number, root: string): Promise<{ parent: FakeProcess; childPid: number }> {
  // `exec sleep` replaces the shell, and sleep never calls wait(): the exited child stays a zombie. The shell itself
  // does reap a child that ends before the exec, so the child starts `file` only once its parent is sleep (its comm
  // has changed), or is gone.
  const script = [
    'c=$(cat /proc/$$/comm)',
    `( until [ "$(cat /proc/$$/comm 2>/dev/null)" != "$c" ]; do ${SLEEP} 0.01; done; exec ${shellQuoteArg(file)} ${lifeSeconds} ) &`,
    'echo $! > child.pid',
    `exec ${SLEEP} 3600`,
  ].join('\n');
  const child = launch(SH, ['-c', script], root);
  const parent = track('zombie-parent', child, null, root);
  const pidFile = path.join(root, 'child.pid');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(pidFile)) {
      const text = fs.readFileSync(pidFile, 'utf8').trim();
      if (text) return { parent, childPid: Number(text) };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await parent.kill();
  throw new Error('the zombie maker did not start its child');
}

function shellQuoteArg(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A Claude Code look-alike (native installer layout) that ignores SIGTERM, like a session stuck in a tool call:
 * only SIGKILL ends it. Resolves once the kernel shows SIGTERM as ignored.
 */
export async function spawnSigtermIgnoringFake(root: string): Promise<FakeProcess> {
  const cwd = path.join(root, 'work');
  fs.mkdirSync(cwd, { recursive: true });
  const file = placeCopy(SH, path.join(root, '.local', 'share', 'claude', 'versions', '2.1.114'));
  const child = launch(file, ['-c', "trap '' TERM; read x"], cwd);
  const fake = track('native-installer', child, file, cwd);
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      const ignored = /^SigIgn:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${fake.pid}/status`, 'utf8'))?.[1];
      // Bit 15 - 1 of the mask is SIGTERM.
      if (ignored && (BigInt(`0x${ignored}`) & (1n << 14n)) !== 0n) return fake;
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await fake.kill();
  throw new Error('the SIGTERM-ignoring fake did not start');
}
