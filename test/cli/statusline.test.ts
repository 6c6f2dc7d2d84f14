// `tce statusline` as Claude Code runs it (the built CLI, the session JSON on stdin), `--install`/`--uninstall` on a
// Claude dir's settings.json, and `tce limits`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isolatedEnv, tempDir, writeFile } from '../support/tmp.js';
import { TCE_BIN, type TceRun, tce } from '../support/tce-cli.js';
import { localDate } from '../../src/core/statusline/records.js';

const ESC = '\x1b[';
const HOUR = 3_600_000;

function run(args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<TceRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TCE_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs a statusLine command the way Claude Code does: through the shell, the session JSON on stdin. */
function runShell(command: string, env: NodeJS.ProcessEnv, stdin: string): Promise<TceRun> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** The session JSON Claude Code 2.1.332 pipes in (field names as it builds them). */
function session(over: { id?: string; cost?: number; durationMs?: number; context?: number; limits?: Record<string, { used_percentage: number; resets_at: number }> | null; project?: string } = {}): string {
  const dir = over.project ?? '/home/u/proj-x';
  return JSON.stringify({
    session_id: over.id ?? 'aaaaaaaa-1111-4111-8111-111111111111',
    transcript_path: `/home/u/.claude/projects/-home-u-proj-x/${over.id ?? 'a'}.jsonl`,
    cwd: dir,
    model: { id: 'claude-opus-5-5', display_name: 'Opus 5.5' },
    workspace: { current_dir: dir, project_dir: dir, added_dirs: [] },
    version: '2.1.332',
    output_style: { name: 'default' },
    cost: { total_cost_usd: over.cost ?? 1.25, total_duration_ms: over.durationMs ?? 60_000, total_api_duration_ms: 9000, total_lines_added: 12, total_lines_removed: 3 },
    context_window: { total_input_tokens: 90_000, total_output_tokens: 4000, context_window_size: 200_000, used_percentage: over.context ?? 45, remaining_percentage: 55 },
    exceeds_200k_tokens: false,
    ...(over.limits === null ? {} : { rate_limits: over.limits ?? { five_hour: { used_percentage: 83.4, resets_at: Math.floor((Date.now() + 2 * HOUR + 10.5 * 60_000) / 1000) }, seven_day: { used_percentage: 41, resets_at: Math.floor((Date.now() + 76.5 * HOUR) / 1000) } } }),
  });
}

function setUp(t: { after(fn: () => unknown): void }) {
  const root = tempDir(t, 'tce-statusline-');
  const env = isolatedEnv(root);
  return { root, env, data: env.TCE_DATA_DIR!, claude: env.CLAUDE_CONFIG_DIR! };
}

test('one line from the session JSON; recorded privately and atomically; NO_COLOR respected', async (t) => {
  const { env, data } = setUp(t);
  const plain = await run(['statusline'], env, session());
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^proj-x · Opus 5\.5 · \$1\.25 · today \$1\.25 · ctx 45% · 5h 83% 2h10m · 7d 41% 3d 4h\n$/);
  assert.ok(!plain.stdout.includes(ESC), 'NO_COLOR: no escape codes');
  // Claude Code shows colours: on by default, even though stdout is a pipe; the 5-hour window over 80% in yellow.
  const { NO_COLOR: _n, ...coloured } = env;
  const colour = await run(['statusline'], coloured, session());
  assert.ok(colour.stdout.includes(`${ESC}33m5h 83%`), colour.stdout);
  assert.equal(colour.stdout.split('\n').length, 2, 'one line');

  const dir = path.join(data, 'statusline');
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  const file = path.join(dir, 'aaaaaaaa-1111-4111-8111-111111111111.json');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { record: Record<string, unknown> };
  const r = saved.record;
  assert.deepEqual([r.costUSD, r.contextUsedPercentage, r.contextWindowSize, r.modelId, r.claudeCodeVersion, r.linesAdded], [1.25, 45, 200_000, 'claude-opus-5-5', '2.1.332', 12]);
  assert.equal((r.rateLimits as Record<string, { usedPercentage: number }>).five_hour!.usedPercentage, 83.4);
  assert.ok(Math.abs((r.observedAt as number) - Date.now()) < 60_000);
});

test("today: this statusline's sessions since the day began, or the engine's summary when it knows more; the active block from it", async (t) => {
  const { env, data } = setUp(t);
  // A session that ran since before midnight: only what it spends from now on is today's.
  await run(['statusline'], env, session({ id: 'old-session', cost: 5, durationMs: 48 * HOUR }));
  const later = await run(['statusline'], env, session({ id: 'old-session', cost: 5.5, durationMs: 48 * HOUR }));
  assert.match(later.stdout, / · today \$0\.50 · /);
  // A second session started today: all of it is today's.
  const both = await run(['statusline'], env, session({ id: 'new-session', cost: 0.25, durationMs: 60_000, limits: null }));
  assert.match(both.stdout, /^proj-x · Opus 5\.5 · \$0\.25 · today \$0\.75 · ctx 45% · 5h 83% /, 'plan use from the other session when this one has none yet');
  // The engine (tray, dashboard) left a summary of every session: it knows more, so it wins; and the block.
  const end = new Date(Date.now() + HOUR + 20 * 60_000).toISOString();
  writeFile(path.join(data, 'usage-summary.json'), {
    version: 1,
    summary: { generatedAt: new Date().toISOString(), timezone: 'UTC', date: localDate(Date.now()), today: { costUSD: 3, unpricedTokens: 0, combinedCostUSD: 3.4 }, activeBlock: { start: new Date().toISOString(), end, costUSD: 2.1, unpricedTokens: 5 } },
  });
  const summed = await run(['statusline'], env, session({ id: 'new-session', cost: 0.3 }));
  assert.match(summed.stdout, / · \$0\.30 · today \$3\.40 · block \$2\.10\+\? 1h(19|20)m left · ctx 45% · /);
  // A summary of another day is stale: not today's.
  writeFile(path.join(data, 'usage-summary.json'), { version: 1, summary: { generatedAt: '2020-01-01T00:00:00.000Z', timezone: 'UTC', date: '2020-01-01', today: { costUSD: 99, unpricedTokens: 0, combinedCostUSD: 99 }, activeBlock: null } });
  assert.match((await run(['statusline'], env, session({ id: 'new-session', cost: 0.3 }))).stdout, / · today \$0\.80 · /);
});

test('bad or missing stdin: one short line, never a stack trace; nothing recorded; a damaged settings file is left alone', async (t) => {
  const { env, data } = setUp(t);
  writeFile(path.join(data, 'config.json'), '{"notifications": ');
  for (const [input, message] of [
    ['', /^tce: no input on stdin \(Claude Code pipes the session as JSON\)\n$/],
    ['{"session_id": ', /^tce: stdin is not JSON/],
    ['[1,2]', /^tce: stdin is not a JSON object\n$/],
  ] as const) {
    const r = await run(['statusline'], env, input);
    assert.equal(r.code, 1, input);
    assert.match(r.stdout, message);
    assert.equal(r.stderr, '');
  }
  // Fields that cannot be true are left out, not shown.
  const odd = await run(['statusline'], env, JSON.stringify({ session_id: '../../etc/passwd', model: { display_name: 'Opus 5.5' }, cost: { total_cost_usd: -3 }, context_window: { used_percentage: 'lots' } }));
  assert.equal(odd.code, 0);
  assert.equal(odd.stdout, 'Opus 5.5\n');
  assert.equal(fs.existsSync(path.join(data, 'statusline')), false, 'no file for a session id that is not a name');
  assert.equal(fs.readFileSync(path.join(data, 'config.json'), 'utf8'), '{"notifications": ', 'the statusline changes nothing else (the tray reports a damaged file)');
  // On a terminal (no pipe): a hint, not a hang.
  const tty = await new Promise<string>((resolve) => execFile('script', ['-qec', `${process.execPath} ${TCE_BIN} statusline`, '/dev/null'], { env, timeout: 30_000 }, (_e, stdout) => resolve(stdout)));
  assert.match(tty, /no session on stdin: this is Claude Code's statusline command/);
});

test('tce limits: the latest plan windows with reset times and age; how to enable them; none for API keys', async (t) => {
  const { env } = setUp(t);
  let r = await tce(['limits'], env);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /No plan use known yet: .*Run `tce statusline --install`/);
  assert.deepEqual(JSON.parse((await tce(['limits', '--json'], env)).stdout), { plan: null, hint: JSON.parse((await tce(['limits', '--json'], env)).stdout).hint });

  await run(['statusline'], env, session({ id: 'api-key', limits: null }));
  r = await tce(['limits'], env);
  assert.match(r.stdout, /no plan windows: they come with Pro and Max plans/);

  await run(['statusline'], env, session({ id: 'subscriber' }));
  r = await tce(['limits'], env);
  assert.match(r.stdout, /^5-hour\s+83\.4%\s+\d{4}-\d\d-\d\d \d\d:\d\d \(in 2h 10m\)\s+\d+s ago$/m);
  assert.match(r.stdout, /^weekly\s+41%\s+.* \(in 3d 4h\)\s+\d+s ago$/m);
  const json = JSON.parse((await tce(['limits', '--json'], env)).stdout) as { plan: { windows: Array<{ window: string; usedPercentage: number; resetsAt: string; hasReset: boolean; sessionId: string }> }; hint: null };
  assert.deepEqual(json.plan.windows.map((w) => [w.window, w.usedPercentage, w.hasReset, w.sessionId]), [['five_hour', 83.4, false, 'subscriber'], ['seven_day', 41, false, 'subscriber']]);
  assert.equal(json.hint, null);
  // A window that has reset since it was reported: its use now is unknown.
  await run(['statusline'], env, session({ id: 'subscriber', limits: { five_hour: { used_percentage: 99, resets_at: Math.floor((Date.now() - 60_000) / 1000) } } }));
  r = await tce(['limits'], env);
  assert.match(r.stdout, /^5-hour\s+\?\s+.*\(has reset since\)/m);
});

test('--install sets the statusLine with a backup; an existing command keeps running inside it; --uninstall puts it back', async (t) => {
  const { env, claude } = setUp(t);
  const settingsFile = path.join(claude, 'settings.json');
  writeFile(settingsFile, { model: 'opus', statusLine: { type: 'command', command: "printf 'mine: %s' \"$(cat | head -c 20)\"", padding: 1 } });
  const before = fs.readFileSync(settingsFile, 'utf8');

  const installed = await tce(['statusline', '--install'], env);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, /your statusline \(printf .*\) still runs inside it/);
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as { model: string; statusLine: { type: string; command: string; padding: number } };
  assert.equal(settings.model, 'opus', 'other settings kept');
  assert.equal(settings.statusLine.padding, 1);
  assert.match(settings.statusLine.command, /tce\.js' statusline --wrap='printf/);
  const backups = fs.readdirSync(claude).filter((n) => n.startsWith('settings.json.tce-backup-'));
  assert.equal(backups.length, 1);
  assert.equal(fs.readFileSync(path.join(claude, backups[0]!), 'utf8'), before);
  // What Claude Code runs: the inner command's line first (fed the same JSON), then TCE's.
  const shown = await runShell(settings.statusLine.command, env, session());
  assert.equal(shown.code, 0, shown.stderr);
  assert.deepEqual(shown.stdout.split('\n').slice(0, 2), ['mine: {"session_id":"aaaaa', shown.stdout.split('\n')[1]]);
  assert.match(shown.stdout.split('\n')[1]!, /^proj-x · Opus 5\.5 · \$1\.25/);
  // Installing again changes nothing.
  assert.match((await tce(['statusline', '--install'], env)).stdout, /already installed/);

  const removed = await tce(['statusline', '--uninstall'], env);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /your statusline \(printf .*\) is back/);
  assert.deepEqual(JSON.parse(fs.readFileSync(settingsFile, 'utf8')), JSON.parse(before));
  assert.match((await tce(['statusline', '--uninstall'], env)).stdout, /not installed/);
});

test('--install with no settings.json creates it; a failing inner command leaves TCE\'s line; odd settings are refused untouched', async (t) => {
  const { env, claude } = setUp(t);
  const settingsFile = path.join(claude, 'settings.json');
  assert.equal((await tce(['statusline', '--install'], env)).code, 0);
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as { statusLine: { type: string; command: string } };
  assert.equal(settings.statusLine.type, 'command');
  assert.doesNotMatch(settings.statusLine.command, /--wrap/);
  assert.match(settings.statusLine.command, /^TCE_DATA_DIR='.*' '.*node.*' '.*tce\.js' statusline$/, 'the data folder of this install is kept');
  assert.match((await runShell(settings.statusLine.command, env, session())).stdout, /^proj-x · Opus 5\.5/);
  assert.equal((await tce(['statusline', '--uninstall'], env)).code, 0);
  assert.deepEqual(JSON.parse(fs.readFileSync(settingsFile, 'utf8')), {}, 'the statusLine TCE added is gone');

  // A wrapped command that fails: TCE's line alone. (One that starts with a dash is still the --wrap value.)
  writeFile(settingsFile, { statusLine: { type: 'command', command: '-exit 3 || exit 3' } });
  await tce(['statusline', '--install'], env);
  const wrapped = (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as { statusLine: { command: string } }).statusLine.command;
  assert.match((await runShell(wrapped, env, session())).stdout, /^proj-x · Opus 5\.5 · [^\n]*\n$/);

  for (const bad of ['{"statusLine": ', JSON.stringify({ statusLine: { type: 'static', text: 'hello' } }), '[1]']) {
    fs.writeFileSync(settingsFile, bad);
    const r = await tce(['statusline', '--install'], env);
    assert.equal(r.code, 1, bad);
    assert.match(r.stderr, /nothing was changed/i);
    assert.equal(fs.readFileSync(settingsFile, 'utf8'), bad, 'left as it was');
  }
  assert.equal((await tce(['statusline', '--install', '--uninstall'], env)).code, 2);

  // A settings.json linked from a dotfiles folder is changed where it lives; the link stays a link.
  const dotfile = path.join(claude, '..', 'dotfiles-settings.json');
  writeFile(dotfile, { theme: 'dark' });
  fs.rmSync(settingsFile);
  fs.symlinkSync(dotfile, settingsFile);
  assert.equal((await tce(['statusline', '--install'], env)).code, 0);
  assert.ok(fs.lstatSync(settingsFile).isSymbolicLink());
  assert.match((JSON.parse(fs.readFileSync(dotfile, 'utf8')) as { statusLine: { command: string } }).statusLine.command, /statusline$/);
});
