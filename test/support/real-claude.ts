// Runs the REAL Claude Code (npm @anthropic-ai/claude-code) offline, against a stand-in API, in a throw-away HOME.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './tmp.js';
import { pidExists } from './fake-claude.js';

/** node_modules/.bin/claude of this project (a link to the native binary). */
export const CLAUDE_BIN = fileURLToPath(new URL('../../../node_modules/.bin/claude', import.meta.url));
export const TMUX = '/usr/bin/tmux';
export const API_KEY = 'sk-ant-api03-standin-key-for-tests-0123456789abcdefABCD';

export interface ClaudeHome {
  /** The temporary HOME. */
  home: string;
  /** Claude Code's config dir (CLAUDE_CONFIG_DIR), `<home>/.claude`. */
  configDir: string;
  /** A trusted project folder to run Claude Code in. */
  projectDir: string;
  env: NodeJS.ProcessEnv;
}

export interface ClaudeHomeOptions {
  /** Root folder (e.g. from tempDir(t)); everything is created inside it. */
  root: string;
  apiUrl: string;
  /** Name of the project folder under root; default `proj`. */
  project?: string;
  extraEnv?: NodeJS.ProcessEnv;
  /** More of Claude Code's settings.json (e.g. a statusLine). */
  settings?: Record<string, unknown>;
}

/** A HOME where Claude Code starts without onboarding, key approval or trust questions. */
export function makeClaudeHome(opts: ClaudeHomeOptions): ClaudeHome {
  const home = path.join(opts.root, 'home');
  const configDir = path.join(home, '.claude');
  const projectDir = path.join(opts.root, opts.project ?? 'proj');
  fs.mkdirSync(configDir, { recursive: true });
  fs.mkdirSync(projectDir, { recursive: true });
  const state = {
    hasCompletedOnboarding: true,
    // 2.1.332 nudges towards its "auto" permission mode, which needs a server check a stand-in cannot answer.
    hasSeenAutoDefaultNudge: true,
    numStartups: 1,
    customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] },
    projects: { [projectDir]: { hasTrustDialogAccepted: true, allowedTools: [] } },
  };
  // With CLAUDE_CONFIG_DIR set Claude Code reads .claude.json inside it; without, from HOME. Write both.
  fs.writeFileSync(path.join(home, '.claude.json'), JSON.stringify(state, null, 2));
  fs.writeFileSync(path.join(configDir, '.claude.json'), JSON.stringify(state, null, 2));
  // Permission prompts as a user gets them (2.1.332's default "auto" mode would decide without asking).
  fs.writeFileSync(path.join(configDir, 'settings.json'), JSON.stringify({ permissions: { defaultMode: 'default' }, ...opts.settings }, null, 2));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    CLAUDE_CONFIG_DIR: configDir,
    TCE_DATA_DIR: path.join(opts.root, 'tce-data'),
    ANTHROPIC_BASE_URL: opts.apiUrl,
    ANTHROPIC_API_KEY: API_KEY,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ...opts.extraEnv,
  };
  return { home, configDir, projectDir, env };
}

export interface PrintResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `claude -p <prompt>`: one turn, then exit. */
export function runPrint(home: ClaudeHome, prompt: string, args: string[] = [], timeoutMs = 60_000): Promise<PrintResult> {
  return startPrint(home, prompt, args, timeoutMs).done;
}

/** `claude -p <prompt>` started: its PID at once, its result when it exits. */
export function startPrint(home: ClaudeHome, prompt: string, args: string[] = [], timeoutMs = 60_000): { pid: number; done: Promise<PrintResult> } {
  const child = spawn(CLAUDE_BIN, ['-p', prompt, ...args], { cwd: home.projectDir, env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<PrintResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`claude -p timed out after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { pid: child.pid ?? -1, done };
}

export interface InteractiveClaude {
  /** PID of the Claude Code process itself (the tmux pane runs it via exec). */
  pid: number;
  /** The private tmux socket. */
  socket: string;
  session: string;
  /** Types text (literally) into the session. */
  type(text: string): void;
  /** Sends tmux key names, e.g. 'Enter', 'Escape', 'C-c'. */
  keys(...names: string[]): void;
  /** The visible screen. */
  screen(): string;
  /** Waits until the screen matches. */
  waitForScreen(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Ends Claude Code and the private tmux server; safe to call twice. */
  stop(): Promise<void>;
}

function tmux(socket: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(TMUX, ['-S', socket, ...args], { encoding: 'utf8', env: env ?? process.env });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts an interactive `claude` in a detached tmux session on a private socket (never the user's tmux server),
 * and waits until its prompt is on screen.
 */
export async function startInteractive(home: ClaudeHome, args: string[] = [], readyTimeoutMs = 30_000): Promise<InteractiveClaude> {
  const socket = path.join(home.home, `tmux-${process.pid}-${Date.now()}.sock`);
  const session = 'claude';
  // The tmux server inherits this environment; `exec` makes the pane's pid Claude Code's pid.
  const command = `exec ${[CLAUDE_BIN, ...args].map(shellQuote).join(' ')}`;
  tmux(socket, ['new-session', '-d', '-s', session, '-x', '160', '-y', '50', '-c', home.projectDir, command], home.env);
  const pid = Number(tmux(socket, ['list-panes', '-t', session, '-F', '#{pane_pid}']).trim());
  let stopped = false;
  const handle: InteractiveClaude = {
    pid,
    socket,
    session,
    type(text) {
      tmux(socket, ['send-keys', '-t', session, '-l', text]);
    },
    keys(...names) {
      tmux(socket, ['send-keys', '-t', session, ...names]);
    },
    screen() {
      return tmux(socket, ['capture-pane', '-p', '-t', session]);
    },
    waitForScreen(pattern, timeoutMs = 20_000) {
      return waitFor(`screen matching ${pattern}`, () => {
        const s = handle.screen();
        return pattern.test(s) ? s : null;
      }, timeoutMs, 100);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (pidExists(pid)) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const deadline = Date.now() + 3000;
        while (pidExists(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        if (pidExists(pid)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      spawnSync(TMUX, ['-S', socket, 'kill-server'], { encoding: 'utf8' });
    },
  };
  try {
    // The input box's border and prompt character show when Claude Code is ready for input.
    await handle.waitForScreen(/[>❯]/, readyTimeoutMs);
  } catch (error) {
    let screen = '';
    try {
      screen = handle.screen();
    } catch {
      // the session may be gone already
    }
    await handle.stop();
    throw new Error(`${(error as Error).message}\nscreen:\n${screen}`, { cause: error });
  }
  return handle;
}

export interface TranscriptTruth {
  /** Per model as written (normalised by the caller if it wants): each response once, its largest copy. */
  models: Map<string, { input: number; output: number; cacheWrite: number; cacheRead: number; webSearch: number; responses: number }>;
  /** Every message id in a transcript. */
  messageIds: Set<string>;
  /** The last cost-state line of each session: Claude Code's own tally. */
  tallies: Map<string, number>;
}

/**
 * What the transcripts under a Claude dir hold, read the plain way (every line of every file parsed): the truth
 * TCE's incremental, byte-level reader is held against.
 */
export function transcriptTruth(configDir: string): TranscriptTruth {
  const best = new Map<string, { model: string; total: number; u: Record<string, unknown> }>();
  const tallies = new Map<string, number>();
  const dir = path.join(configDir, 'projects');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }) : []) {
    if (!f.isFile() || !f.name.endsWith('.jsonl')) continue;
    const subagent = f.parentPath.split(path.sep).includes('subagents');
    for (const line of fs.readFileSync(path.join(f.parentPath, f.name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // a line being written
      }
      if (o.type === 'cost-state' && !subagent) tallies.set(o.sessionId as string, o.totalCostUSD as number);
      const m = o.message as { id?: string; model?: string; usage?: Record<string, unknown> } | undefined;
      if (o.type !== 'assistant' || !m?.usage || !m.id || m.model === '<synthetic>') continue;
      const u = m.usage;
      const total = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].reduce((n, k) => n + ((u[k] as number) ?? 0), 0);
      const seen = best.get(m.id);
      if (!seen || total > seen.total) best.set(m.id, { model: m.model ?? 'unknown', total, u });
    }
  }
  const models: TranscriptTruth['models'] = new Map();
  for (const { model, u } of best.values()) {
    const row = models.get(model) ?? { input: 0, output: 0, cacheWrite: 0, cacheRead: 0, webSearch: 0, responses: 0 };
    row.input += (u.input_tokens as number) ?? 0;
    row.output += (u.output_tokens as number) ?? 0;
    row.cacheWrite += (u.cache_creation_input_tokens as number) ?? 0;
    row.cacheRead += (u.cache_read_input_tokens as number) ?? 0;
    row.webSearch += ((u.server_tool_use as { web_search_requests?: number } | undefined)?.web_search_requests as number) ?? 0;
    row.responses++;
    models.set(model, row);
  }
  return { models, messageIds: new Set(best.keys()), tallies };
}
