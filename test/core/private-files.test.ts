// TCE's data folder is private (issue 12, findings 2 and 13): the folder 0700 and every file TCE writes 0600 whatever
// the umask, what an older version left is fixed on start, and temporary files of a save that never finished go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TCE_BIN } from '../support/tce-cli.js';
import { spawnFakeFor } from '../support/fake-claude.js';
import { isolatedEnv, tempDir, waitFor, writeFile } from '../support/tmp.js';
import { assistantLine, writeTranscript } from './usage/corpus.js';

const S = '5e5e5e5e-1111-4222-8333-444444444444';

/** Runs `tce args` with umask 000 (a careless environment: every file would be world-writable by default). */
function tceLoose(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, TCE_BIN, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': (fs.statSync(dir).mode & 0o777).toString(8) };
  for (const name of fs.readdirSync(dir)) out[name] = (fs.lstatSync(path.join(dir, name)).mode & 0o777).toString(8);
  return out;
}

/** A PID that ran and is gone: what a `tce` killed mid-save leaves in a temporary file's name. */
function deadPid(): number {
  return Number(spawnSync('/bin/sh', ['-c', 'echo $$']).stdout.toString().trim());
}

test('every file TCE writes is 0600 in a 0700 folder, even under umask 000', async (t) => {
  const root = tempDir(t, 'tce-private-');
  const env = isolatedEnv(root);
  const data = env.TCE_DATA_DIR as string;
  const claude = env.CLAUDE_CONFIG_DIR as string;
  writeTranscript(claude, '-p', `${S}.jsonl`, [assistantLine({ id: 'msg_1', sessionId: S, ts: '2026-03-01T10:00:00.000Z', input: 10, output: 1 })]);

  const usage = await tceLoose(['usage', '--json'], env);
  assert.equal(usage.code, 0, usage.stderr);
  // More usage: the next run appends a journal line.
  writeTranscript(claude, '-p', 'more.jsonl', [assistantLine({ id: 'msg_2', sessionId: S, ts: '2026-03-01T11:00:00.000Z', input: 20, output: 2 })]);
  assert.equal((await tceLoose(['usage', '--json'], env)).code, 0);
  // The settings file, through a pin.
  const fake = await spawnFakeFor(t, 'native-installer', path.join(root, 'fake'));
  const pin = await tceLoose(['pin', String(fake.pid)], env);
  assert.equal(pin.code, 0, pin.stderr);
  // The dashboard's state file.
  const dash = execFile(process.execPath, [TCE_BIN, 'dashboard', '--port', '0'], { env });
  t.after(() => void dash.kill('SIGKILL'));
  await waitFor('the state file', () => fs.existsSync(path.join(data, 'dashboard.json')), 30_000);

  assert.deepEqual(modes(data), {
    '.': '700',
    'config.json': '600',
    'dashboard.json': '600',
    'usage-index.bin': '600',
    'usage-index.journal': '600',
    // The last `tce usage` report, kept for a run that finds nothing changed.
    'usage-report-cache.json': '600',
  });
});

test('a folder an older version left readable by all is made private on start, files and leftovers included', async (t) => {
  const root = tempDir(t, 'tce-private-');
  const env = isolatedEnv(root);
  const data = env.TCE_DATA_DIR as string;
  writeTranscript(env.CLAUDE_CONFIG_DIR as string, '-p', `${S}.jsonl`, [assistantLine({ id: 'msg_1', sessionId: S, ts: '2026-03-01T10:00:00.000Z', input: 10, output: 1 })]);
  fs.mkdirSync(data, { recursive: true });
  for (const [name, text] of [
    ['config.json', '{"pollIntervalSeconds": 7}\n'],
    ['usage-index.journal', ''],
    ['config.json.corrupt-2026-01-01T00-00-00-000Z', '{'],
    ['dashboard.json', '{"pid": 1}'],
  ]) {
    writeFile(path.join(data, name as string), text as string);
    fs.chmodSync(path.join(data, name as string), 0o666);
  }
  // What a `tce` killed in the middle of a save left: a partial index under a temporary name.
  const partial = `usage-index.bin.${deadPid()}.${Date.now()}.tmp`;
  fs.writeFileSync(path.join(data, partial), Buffer.alloc(4096, 7), { mode: 0o644 });
  const oldSettingsTmp = `config.json.${deadPid()}.tmp`;
  fs.writeFileSync(path.join(data, oldSettingsTmp), '{"pollInter', { mode: 0o644 });
  // A save in progress in another TCE that runs (this test process) is left alone.
  const running = `usage-index.bin.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(path.join(data, running), 'being written', { mode: 0o600 });
  fs.chmodSync(data, 0o777);

  const usage = await tceLoose(['usage', '--json'], env);
  assert.equal(usage.code, 0, usage.stderr);
  const after = modes(data);
  assert.equal(after['.'], '700');
  assert.equal(after[partial], undefined, 'the partial save is gone');
  assert.equal(after[oldSettingsTmp], undefined);
  assert.equal(after[running], '600', 'a running save keeps its file');
  for (const [name, mode] of Object.entries(after)) if (name !== '.') assert.equal(mode, '600', name);
  assert.equal(fs.readFileSync(path.join(data, 'config.json'), 'utf8'), '{"pollIntervalSeconds": 7}\n', 'made private, not rewritten');
});

test('the next save removes what a save that never finished left behind', async (t) => {
  const root = tempDir(t, 'tce-private-');
  const env = isolatedEnv(root);
  const data = env.TCE_DATA_DIR as string;
  const claude = env.CLAUDE_CONFIG_DIR as string;
  writeTranscript(claude, '-p', `${S}.jsonl`, [assistantLine({ id: 'msg_1', sessionId: S, ts: '2026-03-01T10:00:00.000Z', input: 10, output: 1 })]);
  assert.equal((await tceLoose(['usage'], env)).code, 0);
  // A `tce` that is killed (SIGKILL) while it writes a large index: what it wrote so far stays under a temporary name.
  const writer = spawnSync(process.execPath, ['-e', `
    const fs = require('node:fs');
    fs.writeFileSync(process.argv[1] + '/usage-index.bin.' + process.pid + '.' + Date.now() + '.tmp', Buffer.alloc(1 << 20));
    process.kill(process.pid, 'SIGKILL');
  `, data]);
  assert.equal(writer.signal, 'SIGKILL');
  const leftover = fs.readdirSync(data).filter((n) => n.endsWith('.tmp'));
  assert.equal(leftover.length, 1);
  // The next run that saves (new usage) cleans up.
  writeTranscript(claude, '-p', 'new.jsonl', [assistantLine({ id: 'msg_2', sessionId: S, ts: '2026-03-01T11:00:00.000Z', input: 1, output: 1 })]);
  const next = await tceLoose(['usage', '--json'], env);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(fs.readdirSync(data).filter((n) => n.endsWith('.tmp')), []);
  assert.equal((JSON.parse(next.stdout) as { totals: { inputTokens: number } }).totals.inputTokens, 11);
});
