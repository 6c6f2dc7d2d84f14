// Another real account on the same machine against a running `tce dashboard` and TCE's files: it gets no data, can
// change nothing, and cannot read what TCE keeps (issue 12, findings 1, 2 and 6).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assistantLine, userLine } from '../core/usage/corpus.js';
import { refTo, spawnFake } from '../support/fake-claude.js';
import { makeOtherUser, openPathTo, otherUserProblem } from '../support/other-user.js';
import { isolatedEnv, tempDir, waitFor, writeFile, type Cleanup } from '../support/tmp.js';
import { request } from './http-client.js';

const TCE = fileURLToPath(new URL('../../../bin/tce.js', import.meta.url));
const problem = otherUserProblem();
if (problem && process.env.CI) throw new Error(`the security tests need a second local user, and CI must allow one: ${problem}`);

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function startTce(t: Cleanup, env: NodeJS.ProcessEnv, args: string[]): Running {
  const child = spawn(process.execPath, [TCE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
  });
  return { child, out: () => out, err: () => err, exit };
}

/** What the other user's script saw, per probe: an HTTP status (and whether the body held anything secret) or an error code. */
type Seen = Record<string, string | number>;

/** Runs as the other user: every way in it might try, reported as JSON. */
const PROBE = `
const [base, login, dataDir, pid, start, secret] = process.argv.slice(-6);
const seen = {};
const origin = new URL(base).origin;
async function probe(name, path, init = {}) {
  try {
    const r = await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(10000) });
    seen[name] = r.status;
    // An event stream that opened would never end: its first event is enough to tell.
    const text = (r.headers.get('content-type') ?? '').startsWith('text/event-stream') ? new TextDecoder().decode((await r.body.getReader().read()).value) : await r.text();
    if (text.includes(secret) || text.includes('tce-token')) seen[name + ':leak'] = 1;
  } catch (error) { seen[name] = 'error ' + error.message; }
}
for (const p of ['/', '/index.html', '/api/snapshot', '/api/processes', '/api/sessions', '/api/usage', '/api/settings', '/api/blocks', '/metrics', '/api/events']) await probe('GET ' + p, p);
await probe('GET /?token=guess', '/?token=guessed-guessed-guessed-0');
await probe('login link', new URL(login).pathname + new URL(login).search);
const post = (body) => ({ method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, body });
await probe('POST kill', '/api/kill/' + pid + '?start=' + start + '&force=true', post());
await probe('POST pin', '/api/pin/' + pid + '?start=' + start, post());
await probe('POST settings', '/api/settings', post('{"pollIntervalSeconds": 3600}'));
await probe('POST kill-stale', '/api/kill-stale', post());
await probe('POST login-link', '/api/login-link', post());
const fs = await import('node:fs');
const tryRead = (name, read) => { try { read(); seen[name] = 'read'; } catch (error) { seen[name] = error.code; } };
tryRead('list data dir', () => fs.readdirSync(dataDir));
for (const f of ['dashboard.json', 'config.json', 'usage-index.bin', 'usage-index.journal']) tryRead('read ' + f, () => fs.readFileSync(dataDir + '/' + f));
tryRead('read environ', () => fs.readFileSync('/proc/' + process.argv.at(-7) + '/environ'));
process.stdout.write(JSON.stringify(seen));
`;

describe('another local user', { skip: problem ?? false }, () => {
  it('gets no data from a running dashboard, can change nothing, and cannot read TCE’s files', { timeout: 120_000 }, async (t) => {
    const root = tempDir(t, 'tce-other-user-');
    openPathTo(root);
    const other = makeOtherUser(t);
    const env = isolatedEnv(root, { TZ: 'UTC' });
    const dataDir = env.TCE_DATA_DIR as string;
    // What an older TCE left: a world-readable folder and files.
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    writeFile(path.join(dataDir, 'config.json'), { pollIntervalSeconds: 1 });
    fs.chmodSync(path.join(dataDir, 'config.json'), 0o644);
    const session = '0a0b0c0d-1111-4222-8333-444455556666';
    const now = new Date().toISOString();
    writeFile(
      path.join(env.CLAUDE_CONFIG_DIR as string, 'projects', '-work-private', `${session}.jsonl`),
      `${userLine({ sessionId: session, ts: now, text: 'the owner’s private first prompt' })}\n${assistantLine({ id: 'msg_private', sessionId: session, ts: now, input: 100, output: 10 })}\n`,
    );
    const claude = await spawnFake('native-installer', root);
    t.after(() => claude.kill('SIGKILL'));

    const dash = startTce(t, env, ['dashboard', '--port', '0']);
    const url = await waitFor(`the dashboard URL (${dash.err()})`, () => /TCE dashboard: (http:\/\/\S+)/.exec(dash.out())?.[1], 30_000);
    const secret = (JSON.parse(fs.readFileSync(path.join(dataDir, 'dashboard.json'), 'utf8')) as { secret?: string }).secret ?? '';
    const owner = { headers: { 'X-TCE-Token': secret } };
    await waitFor('the index and the Claude process', async () => {
      const snapshot = (await request(url, '/api/snapshot', owner)).json<{ processes: { processes: Array<{ pid: number }> }; sessions: unknown[] }>();
      return fs.existsSync(path.join(dataDir, 'usage-index.bin')) && snapshot.processes.processes.some((p) => p.pid === claude.pid) && snapshot.sessions.length === 1;
    }, 30_000, 200);
    // Printed with the URL, so long there by now.
    const login = /Log in .*: (http:\/\/\S+)/.exec(dash.out())?.[1] ?? `${url}login?once=none-printed`;
    // Something in the journal too.
    writeFile(path.join(env.CLAUDE_CONFIG_DIR as string, 'projects', '-work-private', 'second.jsonl'), `${assistantLine({ id: 'msg_more', sessionId: session, ts: now, input: 1, output: 1 })}\n`);
    await waitFor('a journal line', () => fs.existsSync(path.join(dataDir, 'usage-index.journal')), 30_000, 200);

    const settingsBefore = fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8');
    const ran = await other.node(PROBE, [String(dash.child.pid), url, login, dataDir, String(claude.pid), refTo(claude.pid).startId, secret]);
    assert.equal(ran.code, 0, ran.stderr);
    const seen = JSON.parse(ran.stdout) as Seen;
    const expected: Seen = {
      'GET /': 401,
      'GET /index.html': 401,
      'GET /api/snapshot': 401,
      'GET /api/processes': 401,
      'GET /api/sessions': 401,
      'GET /api/usage': 401,
      'GET /api/settings': 401,
      'GET /api/blocks': 401,
      'GET /metrics': 401,
      'GET /api/events': 401,
      'GET /?token=guess': 401,
      // A login link seen by another user (it is on the owner's terminal, or in a browser's command line) is theirs only.
      'login link': 403,
      'POST kill': 401,
      'POST pin': 401,
      'POST settings': 401,
      'POST kill-stale': 401,
      'POST login-link': 401,
      'list data dir': 'EACCES',
      'read dashboard.json': 'EACCES',
      'read config.json': 'EACCES',
      'read usage-index.bin': 'EACCES',
      'read usage-index.journal': 'EACCES',
      'read environ': 'EACCES',
    };
    assert.deepEqual(seen, expected);
    // Private by default, also for what the older version left.
    assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700, 'the data folder');
    for (const name of fs.readdirSync(dataDir)) assert.equal(fs.statSync(path.join(dataDir, name)).mode & 0o777, 0o600, name);
    assert.match(fs.readFileSync(path.join(dataDir, 'usage-index.bin'), 'utf8'), /private first prompt/, 'the index holds the prompt that must stay private');

    assert.equal(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8'), settingsBefore, 'nothing changed');
    assert.ok(claude.alive(), 'the owner’s Claude process lives');
    // The link the other user tried is still the owner's: their attempt did not spend it.
    const mine = await request(url, new URL(login).pathname + new URL(login).search);
    assert.equal(mine.status, 200);
    dash.child.kill('SIGTERM');
    assert.equal(await dash.exit, 0, dash.err());
  });

  it('cannot read the token of a server beyond loopback: from a file or the environment it is in no command line', { timeout: 60_000 }, async (t) => {
    const root = tempDir(t, 'tce-other-user-');
    openPathTo(root);
    const other = makeOtherUser(t);
    const env = isolatedEnv(root);
    const token = 'exposed-secret-token-0123456789';
    const file = path.join(root, 'token');
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const cmdlineOf = async (pid: number) => (await other.run('/bin/cat', [`/proc/${pid}/cmdline`])).stdout.replace(/\0/g, ' ');

    for (const [how, args, extraEnv] of [
      ['--token-file', ['--token-file', file], {}],
      ['TCE_DASHBOARD_TOKEN', [], { TCE_DASHBOARD_TOKEN: token }],
    ] as const) {
      const dash = startTce(t, { ...env, ...extraEnv }, ['dashboard', '--port', '0', '--host', '0.0.0.0', ...args]);
      const url = await waitFor(`the URL (${how}: ${dash.err()})`, () => /TCE dashboard: (http:\/\/\S+)/.exec(dash.out())?.[1], 30_000);
      const seen = await cmdlineOf(dash.child.pid!);
      assert.match(seen, /dashboard/, how);
      assert.ok(!seen.includes(token), `${how}: the token is not in the command line others see (${seen})`);
      assert.equal((await other.run('/bin/cat', [`/proc/${dash.child.pid}/environ`])).code === 0, false, `${how}: nor in its environment`);
      assert.ok(!/visible to every user/.test(dash.err()), `${how}: no warning`);
      const base = url.replace('localhost', '127.0.0.1');
      assert.equal((await request(base, '/api/snapshot', { headers: { 'X-TCE-Token': token } })).status, 200, how);
      assert.equal((await request(base, '/api/snapshot')).status, 401, how);
      dash.child.kill('SIGTERM');
      assert.equal(await dash.exit, 0);
    }

    const loose = path.join(root, 'loose-token');
    fs.writeFileSync(loose, token, { mode: 0o644 });
    fs.chmodSync(loose, 0o644);
    const refused = startTce(t, env, ['dashboard', '--port', '0', '--host', '0.0.0.0', '--token-file', loose]);
    assert.equal(await refused.exit, 2);
    assert.match(refused.err(), /can be read by other users \(mode 644\); run `chmod 600/);

    const visible = startTce(t, env, ['dashboard', '--port', '0', '--host', '0.0.0.0', '--token', token]);
    await waitFor('the URL', () => /TCE dashboard: /.test(visible.out()), 30_000);
    assert.match(visible.err(), /warning: --token is visible to every user of this machine \(in `ps`\); use --token-file FILE \(mode 600\) or TCE_DASHBOARD_TOKEN/);
    assert.ok((await cmdlineOf(visible.child.pid!)).includes(token), 'which is why it warns');
    visible.child.kill('SIGTERM');
    assert.equal(await visible.exit, 0);
  });
});
