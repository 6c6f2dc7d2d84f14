/**
 * `tce statusline`: Claude Code's statusLine command. Reads the session JSON Claude Code pipes in, records what it
 * learned (statusline/<session>.json in TCE's data folder) and prints one line. It runs after every answer of every
 * session, so it loads only what it needs and never opens the usage index: today's spend and the active block come
 * from the summary the polling engine leaves (usage-summary.json) and from the statusline records themselves.
 */
import type { Command, CommandInput } from '../command.js';
import { dataDir } from '../../core/paths.js';
import { DEFAULT_SETTINGS } from '../../core/settings/defaults.js';
import { normaliseSettings } from '../../core/settings/schema.js';
import fs from 'node:fs';
import { type StatuslineInput, StatuslineInputError, parseStatuslineInput } from '../../core/statusline/input.js';
import { type StatuslineRecord, localDate, readRecord, readRecords, recordOf, writeRecord } from '../../core/statusline/records.js';
import { readUsageSummary } from '../../core/usage/summary.js';
import { painter } from '../format/colour.js';
import { statusLine } from '../format/statusline-line.js';
import path from 'node:path';

/** The most stdin a statusline JSON could take; more is not Claude Code talking. */
const MAX_INPUT_BYTES = 4 * 1024 * 1024;
/** How long an inner (wrapped) statusline command may take. */
const INNER_TIMEOUT_MS = 5_000;

const USAGE = [
  'Usage: tce statusline [--install | --uninstall] [--wrap COMMAND]',
  '',
  "Claude Code's statusLine command: reads the session JSON Claude Code pipes in, prints one line (project, model,",
  'session cost, today, the active 5-hour block, context use and, for Pro/Max plans, plan use), and records the cost,',
  "context and plan windows in TCE's data folder (for `tce limits`, the dashboard and the tray). NO_COLOR turns colours off.",
  '',
  "  --install        set it as the statusLine in Claude Code's settings.json (of the first Claude dir: --claude-dir",
  '                   or CLAUDE_CONFIG_DIR choose it; a backup is kept); an existing',
  '                   statusline command keeps running inside it, its line shown first',
  '  --uninstall      put back what --install replaced',
  '  --wrap COMMAND   run COMMAND with the same input and print its output before TCE\'s line (set by --install)',
].join('\n');

function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stdin.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_INPUT_BYTES) {
        stdin.destroy();
        reject(new StatuslineInputError('stdin is far too large for a statusline'));
      } else chunks.push(c);
    });
    stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stdin.on('error', reject);
  });
}

/** Colours for Claude Code's status bar: on (it renders them) unless NO_COLOR, or FORCE_COLOR=0. */
function colours(env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
}

/**
 * What today cost so far: the larger of what the engine last summed for today (every session, its transcripts and
 * Claude Code's tallies; as fresh as its last poll) and what this statusline has seen Claude Code report today
 * (its sessions only, but up to now). Both leave things out, so the larger one is the better lower bound.
 */
function todayUSD(records: StatuslineRecord[], data: string, now: number): number | null {
  const date = localDate(now);
  let fromRecords: number | null = null;
  for (const r of records) {
    if (r.day?.date === date && r.costUSD !== null) fromRecords = (fromRecords ?? 0) + (r.costUSD - r.day.startCostUSD);
  }
  const summary = readUsageSummary(data);
  const fromEngine = summary && summary.date === date ? summary.today.combinedCostUSD : null;
  if (fromRecords === null) return fromEngine;
  return fromEngine === null ? fromRecords : Math.max(fromRecords, fromEngine);
}

/**
 * The plan thresholds from TCE's settings, read without the settings store: a statusline must change nothing, and
 * the store moves a corrupted file aside (the tray and the dashboard report that).
 */
function thresholds(data: string): number[] {
  try {
    return normaliseSettings(JSON.parse(fs.readFileSync(path.join(data, 'config.json'), 'utf8'))).settings.notifications.planThresholdPercents;
  } catch {
    return DEFAULT_SETTINGS.notifications.planThresholdPercents;
  }
}

/** Runs the wrapped statusline command with the same input; its output, or '' when it fails or takes too long. */
async function runInner(command: string, raw: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, env, stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), INNER_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', () => resolve(''));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? Buffer.concat(out).toString('utf8').replace(/\n+$/, '') : '');
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(raw);
  });
}

async function show(input: CommandInput, raw: string): Promise<number> {
  const { io } = input;
  const now = Date.now();
  const wrap = typeof input.values.wrap === 'string' ? input.values.wrap : null;
  const inner = wrap ? runInner(wrap, raw, io.env) : null;
  let session: StatuslineInput;
  try {
    session = parseStatuslineInput(raw);
  } catch (error) {
    if (!(error instanceof StatuslineInputError)) throw error;
    const innerLine = inner ? await inner : '';
    io.stdout.write(`${innerLine ? `${innerLine}\n` : ''}tce: ${error.message}\n`);
    return 1;
  }
  const data = dataDir(io.env);
  if (session.sessionId !== null) {
    try {
      const previous = readRecord(data, session.sessionId);
      writeRecord(data, recordOf({ ...session, sessionId: session.sessionId }, previous, now));
    } catch (error) {
      // The line still shows; what could not be kept is said where Claude Code does not show it.
      io.stderr.write(`tce statusline: cannot record in ${path.join(data, 'statusline')}: ${(error as Error).message}\n`);
    }
  }
  const records = readRecords(data);
  const summary = readUsageSummary(data);
  const block = summary?.activeBlock ? { costUSD: summary.activeBlock.costUSD, endMs: Date.parse(summary.activeBlock.end), unpriced: summary.activeBlock.unpricedTokens > 0 } : null;
  let plan = session.rateLimits;
  if (Object.keys(plan).length === 0) plan = records.find((r) => Object.keys(r.rateLimits).length > 0)?.rateLimits ?? {};
  const levels = thresholds(data);
  const line = statusLine(
    { input: session, todayUSD: todayUSD(records, data, now), block, plan, warnAt: levels[0] ?? 80, alarmAt: levels[levels.length - 1] ?? 95, now },
    painter(colours(io.env)),
  );
  const innerLine = inner ? await inner : '';
  io.stdout.write(`${innerLine ? `${innerLine}\n` : ''}${line}\n`);
  return 0;
}

export const statuslineCommand: Command = {
  name: 'statusline',
  usage: USAGE,
  options: {
    install: { type: 'boolean' },
    uninstall: { type: 'boolean' },
    wrap: { type: 'string' },
  },
  async run(input) {
    const { io, values } = input;
    if (input.positionals.length > 0) {
      io.stderr.write(`tce statusline: unexpected argument '${input.positionals[0]}'.\n\n${USAGE}\n`);
      return 2;
    }
    if (values.install || values.uninstall) {
      if (values.install && values.uninstall) {
        io.stderr.write('tce statusline: --install or --uninstall, not both.\n');
        return 2;
      }
      const { installStatusline, uninstallStatusline } = await import('./statusline-install.js');
      return values.install ? installStatusline(input) : uninstallStatusline(input);
    }
    const stdin = process.stdin;
    if (stdin.isTTY) {
      io.stdout.write("tce: no session on stdin: this is Claude Code's statusline command (`tce statusline --install` sets it up).\n");
      return 2;
    }
    let raw: string;
    try {
      raw = await readStdin(stdin);
    } catch (error) {
      io.stdout.write(`tce: ${error instanceof StatuslineInputError ? error.message : `cannot read stdin (${(error as Error).message})`}\n`);
      return 1;
    }
    return show(input, raw);
  },
};
