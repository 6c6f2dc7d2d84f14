// `tce remote`, `tce status --machines` and `tce usage --machines` as a user runs them, against real servers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FleetTotals, MachineUsage } from '../../src/core/fleet/combined.js';
import { machineSummary } from '../../src/core/fleet/summary.js';
import { makeProcess, makeSnapshot } from '../../e2e/support/snapshots.js';
import { spawnFakeFor } from '../support/fake-claude.js';
import { writeMachineHome } from '../support/machine-home.js';
import { tce } from '../support/tce-cli.js';
import { startTceServer, writeSettings, writeTokenFile } from '../support/tce-server.js';
import { isolatedEnv, tempDir } from '../support/tmp.js';

describe('tce remote', () => {
  it('adds, lists and removes remote machines by the settings schema, refusing plain http beyond loopback unless the link is trusted', async (t) => {
    const root = tempDir(t);
    const env = isolatedEnv(root);
    const { file } = writeTokenFile(path.join(root, 'devbox.token'));

    const empty = await tce(['remote', 'list'], env);
    assert.equal(empty.code, 0);
    assert.match(empty.stdout, /No remote machines/);

    const clear = await tce(['remote', 'add', 'devbox', 'http://10.1.2.3:5111', '--token-file', file], env);
    assert.equal(clear.code, 2);
    assert.match(clear.stderr, /http:\/\/10\.1\.2\.3:5111 is plain http beyond this machine: its token and everything TCE reads would cross the network in clear\. Use https, or an SSH tunnel \(ssh -N -L 15111:127\.0\.0\.1:5111 <host>, then http:\/\/127\.0\.0\.1:15111\)/);
    assert.equal((await tce(['remote', 'list', '--json'], env)).stdout.trim(), '[]', 'nothing was written');

    for (const [args, message] of [
      [['add', 'dev box', 'http://127.0.0.1:15111', '--token-file', file], /a name must be 1 to 32 letters, digits/],
      [['add', 'devbox', 'not a url', '--token-file', file], /"not a url" is not a URL/],
      [['add', 'devbox', 'https://user:pw@devbox.example', '--token-file', file], /put no user or password in the URL/],
      [['add', 'devbox', 'http://127.0.0.1:15111'], /--token-file FILE/],
      [['add', 'devbox', 'http://127.0.0.1:15111', '--token-file', path.join(root, 'missing')], /does not exist/],
    ] as const) {
      const r = await tce(['remote', ...args], env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const loose = writeTokenFile(path.join(root, 'loose.token')).file;
    fs.chmodSync(loose, 0o644);
    assert.match((await tce(['remote', 'add', 'x', 'http://127.0.0.1:1', '--token-file', loose], env)).stderr, /can be read by other users \(mode 644\)/);

    // Through a tunnel (loopback), over a VPN the user vouches for, or https: accepted. Nothing answers: it says so.
    const tunnel = await tce(['remote', 'add', 'devbox', 'http://127.0.0.1:1', '--token-file', file], env);
    assert.equal(tunnel.code, 0, tunnel.stderr);
    assert.match(tunnel.stdout, /Added devbox \(http:\/\/127\.0\.0\.1:1\/\)\./);
    assert.match(tunnel.stderr, /warning: devbox does not answer yet: connection refused at 127\.0\.0\.1:1/);
    assert.equal((await tce(['remote', 'add', 'vpn-box', 'http://10.1.2.3:5111', '--token-file', file, '--trusted-link'], env)).code, 0);
    assert.equal((await tce(['remote', 'add', 'ci', 'https://ci.invalid:8443/tce', '--token-file', file], env)).code, 0);
    assert.equal((await tce(['remote', 'add', 'DEVBOX', 'http://127.0.0.1:2', '--token-file', file], env)).code, 1, 'names are unique');
    const listed = JSON.parse((await tce(['remote', 'list', '--json'], env)).stdout) as Array<{ name: string; url: string; tokenFile: string; trustedLink: boolean }>;
    assert.deepEqual(listed, [
      { name: 'devbox', url: 'http://127.0.0.1:1/', tokenFile: file, trustedLink: false },
      { name: 'vpn-box', url: 'http://10.1.2.3:5111/', tokenFile: file, trustedLink: true },
      { name: 'ci', url: 'https://ci.invalid:8443/tce/', tokenFile: file, trustedLink: false },
    ]);
    assert.equal(fs.statSync(path.join(env.TCE_DATA_DIR as string, 'config.json')).mode & 0o777, 0o600);
    assert.ok(!fs.readFileSync(path.join(env.TCE_DATA_DIR as string, 'config.json'), 'utf8').includes(fs.readFileSync(file, 'utf8').trim()), 'the settings hold the token file, never the token');

    assert.equal((await tce(['remote', 'remove', 'vpn-box'], env)).code, 0);
    assert.equal((await tce(['remote', 'remove', 'vpn-box'], env)).code, 1);
    assert.deepEqual((JSON.parse((await tce(['remote', 'list', '--json'], env)).stdout) as Array<{ name: string }>).map((r) => r.name), ['devbox', 'ci']);
  });
});

describe('tce status --machines and tce usage --machines', () => {
  it('print this machine with the remote ones and their sum; a stopped one is named with when it was last seen', async (t) => {
    const root = tempDir(t);
    const fake = await spawnFakeFor(t, 'native-installer', path.join(root, 'fake'));
    const remotes = [];
    for (const [name, input] of [['devbox', 300_000], ['ci', 20_000]] as const) {
      const env = isolatedEnv(path.join(root, name));
      const home = writeMachineHome(env.CLAUDE_CONFIG_DIR as string, { [`-home-dev-${name}`]: [{ model: 'claude-sonnet-4-5', input, output: 2000, daysAgo: 0 }] });
      remotes.push({ name, home, server: await startTceServer(t, env) });
    }
    const env = isolatedEnv(path.join(root, 'local'));
    const local = writeMachineHome(env.CLAUDE_CONFIG_DIR as string, { '-home-me-here': [{ model: 'claude-opus-4-5', input: 10_000, output: 1000, daysAgo: 0 }] });
    writeSettings(env.TCE_DATA_DIR as string, { remotes: remotes.map((r) => ({ name: r.name, url: r.server.url, tokenFile: r.server.tokenFile })) });

    const status = await tce(['status', '--machines'], env);
    assert.equal(status.code, 0, status.stderr);
    const header = status.stdout.split('\n')[0] ?? '';
    assert.match(header, /^MACHINE\s+PID\s+HEALTH/);
    const rowsOf = (machine: string) => status.stdout.split('\n').filter((l) => l.startsWith(`${machine} `) && l.includes(` ${fake.pid} `));
    for (const machine of ['this machine', 'devbox', 'ci']) assert.equal(rowsOf(machine).length, 1, `${machine} lists the process:\n${status.stdout}`);

    const usage = JSON.parse((await tce(['usage', '--machines', '--json'], env)).stdout) as { machines: Array<MachineUsage & { name: string | null; url: string | null }>; total: FleetTotals };
    assert.deepEqual(usage.machines.map((m) => [m.name, m.reachable, m.totals?.totalTokens]), [
      [null, true, local.totalTokens],
      ['devbox', true, remotes[0]!.home.totalTokens],
      ['ci', true, remotes[1]!.home.totalTokens],
    ]);
    assert.equal(usage.total.totals.totalTokens, local.totalTokens + remotes[0]!.home.totalTokens + remotes[1]!.home.totalTokens);
    assert.ok(Math.abs(usage.total.totals.costUSD - (local.costUSD + remotes[0]!.home.costUSD + remotes[1]!.home.costUSD)) < 1e-6);
    assert.equal(usage.total.today.totalTokens, usage.total.totals.totalTokens);
    const table = await tce(['usage', '--machines'], env);
    assert.match(table.stdout, /^devbox\s+\$\d+\.\d\d\s+302,000\s+\$\d+\.\d\d\s+302,000\s+\S+\s+answering$/m);
    assert.match(table.stdout, /^All machines\s+\$\d/m);
    assert.equal((await tce(['usage', '--machines', '--since', '2026-01-01'], env)).code, 2);

    await remotes[1]!.server.stop();
    const after = await tce(['status', '--machines', '--json'], env);
    const json = JSON.parse(after.stdout) as { processes: Array<{ pid: number; machine?: string }>; machines: Array<{ name: string; reachable: boolean; error: string | null; lastSeen: string | null; processes: number | null }> };
    const ci = json.machines.find((m) => m.name === 'ci')!;
    assert.equal(ci.reachable, false);
    assert.match(ci.error ?? '', /connection refused/);
    assert.equal(ci.processes, null);
    assert.ok(!json.processes.some((p) => p.machine === 'ci'));
    assert.ok(json.processes.some((p) => p.machine === 'devbox' && p.pid === fake.pid));
    const text = await tce(['status', '--machines'], env);
    assert.match(text.stdout, /^ci \(http:\/\/127\.0\.0\.1:\d+\/\): not answering: connection refused at .*; never answered$/m, 'each run of the CLI asks anew');
    const sum = JSON.parse((await tce(['usage', '--machines', '--json'], env)).stdout) as { total: FleetTotals };
    assert.equal(sum.total.unknown, 1, 'a machine never heard from by this run is not in the totals');
    assert.equal(sum.total.totals.totalTokens, local.totalTokens + remotes[0]!.home.totalTokens);
  });

  it('verifies https certificates: a self-signed one is refused (whatever NODE_TLS_REJECT_UNAUTHORIZED says) until its CA is given', async (t) => {
    const root = tempDir(t);
    const key = path.join(root, 'key.pem');
    const cert = path.join(root, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
    assert.equal(made.status, 0, `openssl makes the test certificate: ${made.stderr}`);
    const { file, token } = writeTokenFile(path.join(root, 'secure.token'));
    const summary = machineSummary(makeSnapshot({ processList: [makeProcess(31337)] }), 'secure-host');
    const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
      const ok = req.headers.authorization === `Bearer ${token}` && req.url === '/api/machine';
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(ok ? summary : { error: 'no' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const env = isolatedEnv(path.join(root, 'local'));
    writeSettings(env.TCE_DATA_DIR as string, { remotes: [{ name: 'secure', url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, tokenFile: file }] });

    for (const extra of [{}, { NODE_TLS_REJECT_UNAUTHORIZED: '0' }]) {
      const r = JSON.parse((await tce(['status', '--machines', '--json'], { ...env, ...extra })).stdout) as { machines: Array<{ reachable: boolean; error: string }> };
      assert.equal(r.machines[0]?.reachable, false, JSON.stringify(extra));
      assert.match(r.machines[0]?.error ?? '', /its TLS certificate is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)[^)]*\); TCE always verifies certificates: give it your CA with NODE_EXTRA_CA_CERTS/);
    }
    const trusted = JSON.parse((await tce(['status', '--machines', '--json'], { ...env, NODE_EXTRA_CA_CERTS: cert })).stdout) as { machines: Array<{ reachable: boolean; hostname: string }>; processes: Array<{ pid: number; machine?: string }> };
    assert.equal(trusted.machines[0]?.reachable, true);
    assert.equal(trusted.machines[0]?.hostname, 'secure-host');
    assert.ok(trusted.processes.some((p) => p.pid === 31337 && p.machine === 'secure'));
    assert.notEqual(os.hostname(), 'secure-host');
  });
});
