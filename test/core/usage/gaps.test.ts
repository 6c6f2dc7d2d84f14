// Gaps are visible (issue 12, findings 5 and 7): folders and transcripts that cannot be read, FIFOs, devices and links
// are skipped without blocking and named in diagnostics.problems and the CLI footer; a FIFO put where a transcript was
// never hangs `tce usage`, `tce status` or a running dashboard.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { UsageReport } from '../../../src/shared/api.js';
import { makeOtherUser, openPathTo, otherUserProblem } from '../../support/other-user.js';
import { TCE_BIN, tce } from '../../support/tce-cli.js';
import { isolatedEnv, tempDir, waitFor } from '../../support/tmp.js';
import { request } from '../../server/http-client.js';
import { assistantLine, writeTranscript } from './corpus.js';

const S = '6a6a6a6a-1111-4222-8333-444444444444';
const line = (id: string, input: number) => assistantLine({ id, sessionId: S, ts: '2026-06-01T10:00:00.000Z', input, output: 1 });

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/** `tce usage --json`, which must finish: a hang is a failure, not a stuck suite. */
async function usageJson(env: NodeJS.ProcessEnv): Promise<{ report: UsageReport; stdout: string; stderr: string }> {
  const run = await tce(['usage', '--json'], env);
  assert.equal(run.code, 0, `tce usage did not finish cleanly (code ${run.code}): ${run.stderr}`);
  return { report: JSON.parse(run.stdout) as UsageReport, stdout: run.stdout, stderr: run.stderr };
}

const problem = otherUserProblem();
if (problem && process.env.CI) throw new Error(`the security tests need a second local user, and CI must allow one: ${problem}`);

describe('gaps in the usage are shown', () => {
  it('a FIFO, a device and a link where transcripts belong are skipped without blocking, and named', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-gaps-');
    const env = isolatedEnv(root, { TZ: 'UTC' });
    const claude = env.CLAUDE_CONFIG_DIR as string;
    writeTranscript(claude, '-p', `${S}.jsonl`, [line('msg_1', 100)]);
    const dir = path.join(claude, 'projects', '-p');
    mkfifo(path.join(dir, 'fifo.jsonl'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.jsonl'));
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(claude, 'projects', '-linked'));
    if (process.getuid?.() === 0) execFileSync('mknod', [path.join(dir, 'device.jsonl'), 'c', '1', '3']);
    // Claude Code's side files as FIFOs too: the stats cache, a session-meta file, a live registry entry (which is the
    // process scan's, not the usage's: `tce status` and `tce sessions` must not block on it).
    mkfifo(path.join(claude, 'stats-cache.json'));
    fs.mkdirSync(path.join(claude, 'usage-data', 'session-meta'), { recursive: true });
    mkfifo(path.join(claude, 'usage-data', 'session-meta', `${S}.json`));
    fs.mkdirSync(path.join(claude, 'sessions'), { recursive: true });
    mkfifo(path.join(claude, 'sessions', '4242.json'));

    const { report } = await usageJson(env);
    assert.equal(report.totals.inputTokens, 100);
    const problems = report.diagnostics.problems ?? [];
    const expected = [
      `skipped ${path.join(dir, 'fifo.jsonl')}: a FIFO, not a regular file`,
      `skipped ${path.join(dir, 'zero.jsonl')}: a symbolic link (not followed), not a regular file`,
      `skipped ${path.join(claude, 'projects', '-linked')}: a symbolic link (not followed), not a regular file`,
      `skipped ${path.join(claude, 'stats-cache.json')}: a FIFO, not a regular file`,
      `skipped ${path.join(claude, 'usage-data', 'session-meta', `${S}.json`)}: a FIFO, not a regular file`,
      ...(process.getuid?.() === 0 ? [`skipped ${path.join(dir, 'device.jsonl')}: a device, not a regular file`] : []),
    ];
    assert.deepEqual([...problems].sort(), expected.sort());

    const table = await tce(['usage'], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`Note: skipped ${path.join(dir, 'fifo.jsonl').replace(/[.]/g, '\\.')}: a FIFO`));
    const status = await tce(['status', '--json'], env);
    assert.equal(status.code, 0, `tce status must not block on the FIFO registry entry: ${status.stderr}`);
    const sessions = await tce(['sessions', '--json'], env);
    assert.equal(sessions.code, 0, `tce sessions must not block on the FIFO registry entry: ${sessions.stderr}`);
  });

  it('a FIFO swapped in for a transcript already counted: tce usage finishes, a running dashboard keeps answering and stops on SIGTERM', { timeout: 90_000 }, async (t) => {
    const root = tempDir(t, 'tce-gaps-');
    const env = isolatedEnv(root, { TZ: 'UTC', TCE_DASHBOARD_TOKEN: 'gaps-test-token-0123456789' });
    fs.mkdirSync(env.TCE_DATA_DIR as string, { recursive: true });
    fs.writeFileSync(path.join(env.TCE_DATA_DIR as string, 'config.json'), '{"pollIntervalSeconds": 1}');
    const claude = env.CLAUDE_CONFIG_DIR as string;
    const file = writeTranscript(claude, '-p', `${S}.jsonl`, [line('msg_1', 100)]);
    writeTranscript(claude, '-p', 'other.jsonl', [line('msg_2', 20)]);
    assert.equal((await usageJson(env)).report.totals.inputTokens, 120);

    const dash = spawn(process.execPath, [TCE_BIN, 'dashboard', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    dash.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => dash.once('exit', resolve));
    t.after(() => void dash.kill('SIGKILL'));
    const url = await waitFor('the dashboard URL', () => /TCE dashboard: (http:\/\/\S+)/.exec(out)?.[1], 30_000);
    const owner = { headers: { 'X-TCE-Token': env.TCE_DASHBOARD_TOKEN as string } };

    fs.rmSync(file);
    mkfifo(file);
    const { report } = await usageJson(env);
    // The transcript it replaced keeps what it counted, as a deleted one does; the FIFO is named.
    assert.equal(report.totals.inputTokens, 120);
    assert.ok(report.diagnostics.problems?.includes(`skipped ${file}: a FIFO, not a regular file`), JSON.stringify(report.diagnostics.problems));
    const served = await waitFor('the FIFO named by the running dashboard', async () => {
      const r = (await request(url, '/api/usage', owner)).json<UsageReport>();
      return r.diagnostics.problems?.some((p) => p.includes('a FIFO')) ? r : null;
    }, 30_000, 200);
    assert.equal(served.totals.inputTokens, 120);
    dash.kill('SIGTERM');
    assert.equal(await exited, 0, 'it stops on SIGTERM');
  });

  it('folders and transcripts that cannot be read are named, not silently left out', { skip: problem ?? false, timeout: 60_000 }, async (t) => {
    // As root nothing is unreadable: the other user runs `tce usage` on a Claude dir of its own.
    const root = tempDir(t, 'tce-gaps-');
    openPathTo(root);
    const other = makeOtherUser(t);
    const env = isolatedEnv(root, { TZ: 'UTC' });
    const claude = env.CLAUDE_CONFIG_DIR as string;
    writeTranscript(claude, '-open', `${S}.jsonl`, [line('msg_1', 100)]);
    const hidden = writeTranscript(claude, '-open', 'hidden.jsonl', [line('msg_2', 20)]);
    writeTranscript(claude, '-locked', 'x.jsonl', [line('msg_3', 3)]);
    execFileSync('chown', ['-R', `${other.uid}:${other.gid}`, path.join(root, 'home')]);
    fs.chmodSync(hidden, 0o000);
    fs.chmodSync(path.join(claude, 'projects', '-locked'), 0o000);
    const userEnv = { HOME: env.HOME, CLAUDE_CONFIG_DIR: claude, TCE_DATA_DIR: path.join(root, 'home', 'tce-data'), TZ: 'UTC', NO_COLOR: '1' };
    const run = await other.run(process.execPath, [TCE_BIN, 'usage', '--json'], { env: userEnv });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as UsageReport;
    assert.equal(report.totals.inputTokens, 100);
    assert.deepEqual([...(report.diagnostics.problems ?? [])].sort(), [
      `cannot read ${hidden}: permission denied`,
      `cannot read folder ${path.join(claude, 'projects', '-locked')}: permission denied; the transcripts in it are not counted`,
    ]);
    const table = await other.run(process.execPath, [TCE_BIN, 'usage'], { env: userEnv });
    assert.match(table.stdout, /Note: cannot read folder .*-locked: permission denied/);
    assert.match(table.stdout, /Note: cannot read .*hidden\.jsonl: permission denied/);
  });
});
