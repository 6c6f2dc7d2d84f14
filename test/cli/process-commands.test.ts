// `tce status`, `kill`, `kill-stale`, `pin`, `unpin` as a user runs them: the built CLI in a child process, with an
// isolated HOME, TCE data dir and Claude dir, against real spawned processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLAUDE_KINDS, NOT_CLAUDE_KINDS, neverSignalled, spawnFake, spawnFakeFor, spawnSigtermIgnoringFake, writeRegistry, type FakeProcess } from '../support/fake-claude.js';
import { isolatedEnv, tempDir, waitFor } from '../support/tmp.js';
import { TCE_BIN, tce } from '../support/tce-cli.js';

const HOUR = 3_600_000;
const ESC = '\x1b[';

interface StatusJson {
  processes: Array<Record<string, unknown> & { pid: number; health: string; pinned: boolean }>;
  summary: Record<string, number>;
}

async function status(env: NodeJS.ProcessEnv): Promise<StatusJson> {
  const r = await tce(['status', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as StatusJson;
}

function setUp(t: { after(fn: () => unknown): void }) {
  const root = tempDir(t, 'tce-cli-proc-');
  const env = isolatedEnv(root);
  return { root, env, claudeDir: env.CLAUDE_CONFIG_DIR as string, settingsFile: path.join(env.TCE_DATA_DIR as string, 'config.json') };
}

test('tce status --json: every Claude Code form with the documented fields, no decoy, a summary', async (t) => {
  const { root, env, claudeDir } = setUp(t);
  const fakes: FakeProcess[] = [];
  for (const kind of [...CLAUDE_KINDS, ...NOT_CLAUDE_KINDS]) fakes.push(await spawnFakeFor(t, kind, path.join(root, kind)));
  const session = fakes[0] as FakeProcess;
  const idle = Date.now() - 5 * HOUR;
  writeRegistry(claudeDir, session.pid, { sessionId: 'cafecafe-1111-4222-8333-444444444444', status: 'idle', statusUpdatedAt: idle, updatedAt: idle, kind: 'interactive' });

  const out = await status(env);
  const byPid = new Map(out.processes.map((p) => [p.pid, p]));
  for (const fake of fakes) {
    assert.equal(byPid.has(fake.pid), CLAUDE_KINDS.includes(fake.kind), `${fake.kind} (PID ${fake.pid})`);
  }
  const keys = ['pid', 'ppid', 'name', 'exe', 'cwd', 'project', 'state', 'health', 'activity', 'sessionId', 'kind', 'interactive', 'cpuPercent', 'rssBytes', 'startedAt', 'uptimeSeconds', 'tty', 'pinned', 'version'];
  const listed = byPid.get(session.pid);
  assert.ok(listed);
  for (const key of keys) assert.ok(key in listed, `missing ${key}`);
  assert.equal(listed.sessionId, 'cafecafe-1111-4222-8333-444444444444');
  assert.equal(listed.health, 'stale');
  assert.equal(listed.activity, 'idle');
  assert.equal(listed.activitySince, new Date(idle).toISOString());
  assert.equal(listed.idleSince, new Date(idle).toISOString());
  assert.equal(listed.sessionName, 'test-session');
  assert.equal(listed.installForm, 'native-installer');
  assert.equal(listed.kind, 'interactive');
  assert.equal(listed.interactive, true);
  assert.equal(listed.cwd, session.cwd);
  assert.equal(listed.project, 'work');
  assert.equal(listed.version, '2.1.197', 'the registry names the running version');
  assert.equal(typeof listed.rssBytes, 'number');
  assert.equal(listed.tty, null);
  assert.deepEqual(Object.keys(out.summary).sort(), ['healthy', 'hog', 'pinned', 'stale', 'total', 'zombie']);
  assert.equal(out.summary.total, out.processes.length);
  assert.ok((out.summary.stale ?? 0) >= 1);
});

test('tce status: a readable table; colours only when asked for or on a terminal, never under NO_COLOR', async (t) => {
  const { root, env, claudeDir } = setUp(t);
  const fake = await spawnFakeFor(t, 'desktop-embedded', root);
  writeRegistry(claudeDir, fake.pid, { sessionId: 'beefbeef-1111-4222-8333-444444444444', status: 'busy' });
  const idler = await spawnFakeFor(t, 'argv0', path.join(root, 'idler'));
  const since = Date.now() - 5 * HOUR;
  writeRegistry(claudeDir, idler.pid, { sessionId: 'deaddead-1111-4222-8333-444444444444', status: 'idle', statusUpdatedAt: since, updatedAt: since });
  // Claude Code 2.1.332: a session at a permission prompt for 7 minutes, and a -p run (kind still says interactive).
  const asker = await spawnFakeFor(t, 'argv0', path.join(root, 'asker'));
  const asking = Date.now() - 7 * 60_000;
  writeRegistry(claudeDir, asker.pid, { sessionId: 'abababab-1111-4222-8333-444444444444', name: 'proj-beta-b8', status: 'waiting', waitingFor: 'permission prompt', statusUpdatedAt: asking, updatedAt: asking, version: '2.1.332' });
  const printer = await spawnFakeFor(t, 'argv0', path.join(root, 'printer'));
  writeRegistry(claudeDir, printer.pid, { sessionId: 'cdcdcdcd-1111-4222-8333-444444444444', entrypoint: 'sdk-cli', status: 'busy', version: '2.1.332' });

  const plain = await tce(['status'], env);
  assert.equal(plain.code, 0, plain.stderr);
  const lines = plain.stdout.split('\n');
  assert.match(lines[0] ?? '', /PID\s+HEALTH\s+ACTIVITY\s+IDLE\s+CPU%\s+MEM\s+UPTIME\s+TTY\s+KIND\s+VERSION\s+SESSION\s+NAME\s+PROJECT/);
  const row = lines.find((l) => l.trimStart().startsWith(`${fake.pid} `));
  assert.ok(row, plain.stdout);
  assert.match(row, new RegExp(`^\\s*${fake.pid}\\s+healthy\\s+busy\\s+-\\s+\\d+\\.\\d\\s+\\d+(\\.\\d)? MiB\\s+\\d+s\\s+-\\s+interactive\\s+2\\.1\\.197\\s+beefbeef\\s+test-session\\s+${fake.cwd}$`));
  const idleRow = lines.find((l) => l.trimStart().startsWith(`${idler.pid} `));
  assert.match(idleRow ?? '', new RegExp(`^\\s*${idler.pid}\\s+stale\\s+idle\\s+5h 00m\\s+`));
  // The session that needs its user comes first, says what for and how long it has waited.
  assert.match(lines[1] ?? '', new RegExp(`^\\s*${asker.pid}\\s+healthy\\s+waiting 7m: permission prompt\\s+7m\\s+.*\\sabababab\\s+proj-beta-b8\\s`));
  assert.match(lines.find((l) => l.trimStart().startsWith(`${printer.pid} `)) ?? '', /\sprint\s+2\.1\.332\s+cdcdcdcd\s/);
  assert.match(plain.stdout, /\d+ Claude Code processes: 1 waiting for you, \d+ healthy, \d+ stale, \d+ zombie, \d+ hog, \d+ pinned/);

  const json = JSON.parse((await tce(['status', '--json'], env)).stdout) as { processes: Array<Record<string, unknown>>; waiting: number };
  assert.equal(json.waiting, 1);
  assert.deepEqual(
    [json.processes[0]!.pid, json.processes[0]!.activity, json.processes[0]!.waitingFor, json.processes[0]!.sessionName, json.processes[0]!.interactive],
    [asker.pid, 'waiting', 'permission prompt', 'proj-beta-b8', true],
  );
  const waited = json.processes[0]!.waitingSeconds as number;
  assert.ok(waited >= 7 * 60 && waited < 8 * 60, `waited ${waited} s`);
  const print = json.processes.find((p) => p.pid === printer.pid)!;
  assert.deepEqual([print.kind, print.entrypoint, print.print, print.interactive, print.waitingSeconds], ['interactive', 'sdk-cli', true, false, null]);
  assert.ok(!plain.stdout.includes(ESC), 'NO_COLOR output has escape codes');

  const { NO_COLOR: _unset, FORCE_COLOR: _unforced, ...colourless } = env;
  const piped = await tce(['status'], colourless);
  assert.ok(!piped.stdout.includes(ESC), 'output to a pipe has escape codes');
  const forced = await tce(['status'], { ...colourless, FORCE_COLOR: '1' });
  assert.ok(forced.stdout.includes(`${ESC}32mhealthy${ESC}39m`), forced.stdout);
  const both = await tce(['status'], { ...env, FORCE_COLOR: '1' });
  assert.ok(!both.stdout.includes(ESC), 'NO_COLOR must win over FORCE_COLOR');

  // On a real terminal (util-linux `script` gives the CLI a pty): colours, unless NO_COLOR.
  const onTty = (e: NodeJS.ProcessEnv) =>
    new Promise<string>((resolve) => {
      execFile('script', ['-qec', `${process.execPath} ${TCE_BIN} status`, '/dev/null'], { env: e, timeout: 60_000 }, (_e, stdout) => resolve(stdout));
    });
  assert.ok((await onTty(colourless)).includes(`${ESC}32mhealthy`), 'no colours on a terminal');
  const noColourTty = await onTty(env);
  assert.ok(noColourTty.includes(`${fake.pid}`) && !noColourTty.includes(ESC), 'colours on a terminal under NO_COLOR');
});

test('tce status: nothing running, and a corrupted settings file is a warning, not a crash', async (t) => {
  const { env, settingsFile } = setUp(t);
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, '{"pins": [ {"pid": 12, ');
  const r = await tce(['status', '--json', '--claude-dir', path.join(path.dirname(settingsFile), 'no-claude-here')], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: Settings file .*config\.json was corrupted .*moved to .*defaults are used/);
  assert.ok(Array.isArray((JSON.parse(r.stdout) as StatusJson).processes));
  const again = await tce(['status'], env);
  assert.equal(again.code, 0);
  assert.equal(again.stderr, '', 'the warning is given once: the broken file was moved aside');
  assert.match(again.stdout, /Claude Code process/);
  const extra = await tce(['status', 'now'], env);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /unexpected argument 'now'/);
});

test('tce kill: ends a Claude Code process; refuses anything else with exit 1 and signals nothing', async (t) => {
  const { root, env } = setUp(t);
  const target = await spawnFakeFor(t, 'npm-native', path.join(root, 'target'));
  const decoy = await spawnFakeFor(t, 'decoy-claudette', path.join(root, 'decoy'));
  const helper = await spawnFakeFor(t, 'helper-bg-spare', path.join(root, 'helper'));

  const refused = await tce(['kill', String(decoy.pid), '--force'], env);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`PID ${decoy.pid} \\(claudette\\) is not a Claude Code process\\. Nothing was signalled\\.`));
  assert.equal(refused.stdout, '');
  const helperRefused = await tce(['kill', String(helper.pid)], env);
  assert.equal(helperRefused.code, 1);
  assert.match(helperRefused.stderr, /helper process, not a session/);
  assert.equal(neverSignalled(decoy.pid), true);
  assert.equal(neverSignalled(helper.pid), true);

  const done = await tce(['kill', String(target.pid)], env);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, new RegExp(`Claude Code PID ${target.pid} exited after SIGTERM`));
  await waitFor('the target to exit', () => !target.alive());

  const gone = await tce(['kill', String(target.pid)], env);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, new RegExp(`No process with PID ${target.pid} is running; nothing was signalled`));

  for (const args of [['kill'], ['kill', 'abc'], ['kill', '0'], ['kill', '-5'], ['kill', '12', '13'], ['kill', '12', '--signal', '9']]) {
    const bad = await tce(args, env);
    assert.equal(bad.code, 2, `tce ${args.join(' ')}: ${bad.stderr}`);
    assert.ok(bad.stderr.length > 0);
  }
  const missing = await tce(['kill'], env);
  assert.match(missing.stderr, /a PID is required/);
  const word = await tce(['kill', 'abc'], env);
  assert.match(word.stderr, /'abc' is not a process ID/);
});

test('tce kill: a session that ignores SIGTERM gets a --force hint; --force ends it', async (t) => {
  const { root, env } = setUp(t);
  const stubborn = await spawnSigtermIgnoringFake(root);
  t.after(() => stubborn.kill());
  const soft = await tce(['kill', String(stubborn.pid)], env);
  assert.equal(soft.code, 1);
  assert.match(soft.stderr, new RegExp(`still running after 3 s; run \`tce kill ${stubborn.pid} --force\` to send SIGKILL`));
  assert.equal(stubborn.alive(), true);
  const hard = await tce(['kill', String(stubborn.pid), '--force'], env);
  assert.equal(hard.code, 0, hard.stderr);
  assert.match(hard.stdout, /exited after SIGKILL/);
  await waitFor('the stubborn process to exit', () => !stubborn.alive());
});

test('tce kill-stale: --dry-run only lists; without it the stale sessions end and the others stay', async (t) => {
  const { root, env, claudeDir, settingsFile } = setUp(t);
  // Limits no real session on this machine can reach (11 years): only the sessions this test backdates are stale.
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({ health: { staleInteractiveHours: 100_000, staleBackgroundHours: 100_000 } }));
  const stale = await spawnFakeFor(t, 'native-installer', path.join(root, 'stale'));
  const fresh = await spawnFakeFor(t, 'native-installer', path.join(root, 'fresh'));
  const old = Date.now() - 100_009 * HOUR;
  writeRegistry(claudeDir, stale.pid, { status: 'idle', statusUpdatedAt: old, updatedAt: old, kind: 'bg' });
  writeRegistry(claudeDir, fresh.pid, { status: 'idle', kind: 'bg' });

  const dry = await tce(['kill-stale', '--dry-run'], env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(dry.stdout, `Would end PID ${stale.pid} (work, idle 100009.0 h).\n1 stale session(s); nothing was signalled (dry run).\n`);
  assert.equal(neverSignalled(stale.pid), true);

  const wet = await tce(['kill-stale'], env);
  assert.equal(wet.code, 0, wet.stderr);
  assert.equal(wet.stdout, `Claude Code PID ${stale.pid} exited after SIGTERM.\nEnded 1 of 1 stale session(s).\n`);
  await waitFor('the stale session to exit', () => !stale.alive());
  assert.equal(neverSignalled(fresh.pid), true);

  const none = await tce(['kill-stale', '--dry-run', '--claude-dir', path.join(root, 'empty')], env);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, 'No stale Claude Code sessions.\n');
});

test('tce pin / unpin: the pin shows in status, survives, and is refused for anything but Claude Code', async (t) => {
  const { root, env, claudeDir, settingsFile } = setUp(t);
  const fake = await spawnFakeFor(t, 'argv0', path.join(root, 'p'));
  const decoy = await spawnFakeFor(t, 'decoy-python-arg', path.join(root, 'd'));
  const old = Date.now() - 6 * HOUR;
  writeRegistry(claudeDir, fake.pid, { status: 'idle', statusUpdatedAt: old, updatedAt: old });

  const refused = await tce(['pin', String(decoy.pid)], env);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is not a Claude Code process\. Nothing was pinned\./);
  assert.equal(fs.existsSync(settingsFile), false, 'a refused pin wrote the settings file');

  const pinned = await tce(['pin', String(fake.pid)], env);
  assert.equal(pinned.code, 0, pinned.stderr);
  assert.match(pinned.stdout, new RegExp(`Pinned PID ${fake.pid}`));
  const listed = (await status(env)).processes.find((p) => p.pid === fake.pid);
  assert.deepEqual([listed?.pinned, listed?.health], [true, 'pinned']);
  const dry = await tce(['kill-stale', '--dry-run'], env);
  assert.ok(!dry.stdout.includes(`PID ${fake.pid}`), 'a pinned session is never stale');

  const unpinned = await tce(['unpin', String(fake.pid)], env);
  assert.equal(unpinned.code, 0, unpinned.stderr);
  const after = (await status(env)).processes.find((p) => p.pid === fake.pid);
  assert.deepEqual([after?.pinned, after?.health], [false, 'stale']);
  const twice = await tce(['unpin', String(fake.pid)], env);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /is not pinned; nothing changed/);

  const gone = await spawnFake('argv0', path.join(root, 'g'));
  await gone.kill();
  const missing = await tce(['pin', String(gone.pid)], env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No process with PID \d+ is running; nothing was pinned/);
  assert.equal((await tce(['pin', 'x'], env)).code, 2);
  assert.equal((await tce(['unpin'], env)).code, 2);
});

test('tce --help lists the process commands first; each has its own --help', async (t) => {
  const { env } = setUp(t);
  const help = await tce(['--help'], env);
  assert.equal(help.code, 0);
  const names = [...help.stdout.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
  assert.deepEqual(names.slice(0, 5), ['status', 'kill', 'kill-stale', 'pin', 'unpin']);
  for (const [name, usage] of [['status', /tce status \[--json\]/], ['kill', /tce kill PID \[--force\]/], ['kill-stale', /tce kill-stale \[--dry-run\]/], ['pin', /tce pin PID/], ['unpin', /tce unpin PID/]] as const) {
    const r = await tce([name, '--help'], env);
    assert.equal(r.code, 0, name);
    assert.match(r.stdout, usage);
  }
});
