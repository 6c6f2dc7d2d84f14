// Remote machines in the core: two real `tce dashboard` servers on loopback ports stand for two machines, each with
// its own Claude home, settings and token file; one is stopped mid-test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../../src/core/create-core.js';
import { fleetProcesses, fleetTotals, machineUsage } from '../../../src/core/fleet/combined.js';
import type { MachineState, Snapshot } from '../../../src/shared/api.js';
import { spawnFakeFor, refTo } from '../../support/fake-claude.js';
import { writeMachineHome, type MachineHome } from '../../support/machine-home.js';
import { startTceServer, writeSettings, writeTokenFile, type TceServer } from '../../support/tce-server.js';
import { isolatedEnv, tempDir, waitFor, type Cleanup } from '../../support/tmp.js';

interface Machine {
  name: string;
  home: MachineHome;
  server: TceServer;
}

/** A machine: its own Claude home with `tokens` input tokens of Sonnet 4.5, polling every second, served with its access log. */
async function startMachine(t: Cleanup, root: string, name: string, input: number): Promise<Machine> {
  const env = isolatedEnv(path.join(root, name), { TCE_DEBUG: '1' });
  const home = writeMachineHome(env.CLAUDE_CONFIG_DIR as string, { [`-home-dev-${name}`]: [{ model: 'claude-sonnet-4-5', input, output: 1000, daysAgo: 0 }] });
  writeSettings(env.TCE_DATA_DIR as string, { pollIntervalSeconds: 1 });
  return { name, home, server: await startTceServer(t, env) };
}

/** This machine's core, with `machines` as its remotes. */
function localCore(t: Cleanup, root: string, machines: Array<{ name: string; url: string; tokenFile: string }>, timeoutMs = 3000): Core {
  const dataDir = path.join(root, 'local-data');
  writeSettings(dataDir, { remotes: machines, pollIntervalSeconds: 1 });
  const claudeDir = path.join(root, 'local-claude');
  writeMachineHome(claudeDir, { '-home-me-here': [{ model: 'claude-haiku-4-5', input: 5000, output: 500, daysAgo: 0 }] });
  const core = createCore({ claudeDirs: [claudeDir], dataDir, timezone: 'UTC', fleet: { timeoutMs } });
  t.after(() => core.monitor.stop());
  return core;
}

const machineNamed = (snapshot: Snapshot, name: string): MachineState => {
  const m = snapshot.machines.find((x) => x.name === name);
  assert.ok(m, `${name} is in the snapshot`);
  return m;
};

describe('remote machines', () => {
  it('polls two servers, sums them with this machine, acts on a remote process through its own server, and shows one stopped mid-test as unreachable', async (t) => {
    const root = tempDir(t, 'tce-fleet-');
    const fake = await spawnFakeFor(t, 'native-installer', path.join(root, 'fake'));
    const [devbox, ci] = await Promise.all([startMachine(t, root, 'devbox', 100_000), startMachine(t, root, 'ci', 40_000)]);
    const core = localCore(
      t,
      root,
      [devbox, ci].map((m) => ({ name: m.name, url: m.server.url, tokenFile: m.server.tokenFile })),
    );
    const monitor = core.monitor;
    const seen = (name: string, snapshot = monitor.current()) => snapshot?.machines.find((m) => m.name === name);
    const listsFake = (name: string) => seen(name)?.summary?.processes.processes.some((p) => p.pid === fake.pid);
    await monitor.refresh();
    await waitFor('both machines answering with the Claude-form process listed', async () => {
      await monitor.refresh();
      return seen('devbox')?.reachable && seen('ci')?.reachable && listsFake('devbox') && listsFake('ci');
    }, 30_000, 200);

    const snapshot = monitor.current()!;
    const d = machineNamed(snapshot, 'devbox');
    assert.equal(d.url, devbox.server.url);
    assert.equal(d.error, null);
    assert.ok(d.lastSeen && Date.parse(d.lastSeen) <= Date.now());
    assert.equal(d.summary?.hostname, os.hostname());
    assert.equal(d.summary?.usage?.totals.totalTokens, devbox.home.totalTokens);
    assert.ok(d.summary?.processes.processes.every((p) => p.machine === 'devbox'), 'its processes are marked as devbox\'s');
    const rows = machineUsage({ today: snapshot.today, totals: snapshot.usage!.totals, unpricedModels: [], processes: snapshot.processes.processes.length, generatedAt: snapshot.generatedAt }, snapshot.machines);
    const total = fleetTotals(rows);
    assert.equal(total.totals.totalTokens, snapshot.usage!.totals.totalTokens + devbox.home.totalTokens + ci.home.totalTokens);
    assert.ok(Math.abs(total.totals.costUSD - (snapshot.usage!.totals.costUSD + devbox.home.costUSD + ci.home.costUSD)) < 1e-6);
    assert.equal(total.today.totalTokens, total.totals.totalTokens, 'everything was used today');

    // Pin on devbox: devbox's server pins it in its own settings; this machine's view of the same process is untouched.
    const onDevbox = d.summary!.processes.processes.find((p) => p.pid === fake.pid)!;
    const pinned = await monitor.pin({ pid: onDevbox.pid, startId: onDevbox.startId, machine: 'devbox' });
    assert.equal(pinned.ok, true, pinned.message);
    assert.match(pinned.message, /^devbox: /);
    // The access log line is written once the answer is out.
    await waitFor('devbox to log the pin', () => new RegExp(`POST /api/pin/${fake.pid}\\?start=${onDevbox.startId} 200`).test(devbox.server.err()), 5000);
    assert.doesNotMatch(ci.server.err(), /POST \/api\/pin/);
    await waitFor('devbox to list it pinned', async () => {
      await monitor.refresh();
      return seen('devbox')?.summary?.processes.processes.find((p) => p.pid === fake.pid)?.pinned;
    }, 20_000, 200);
    assert.equal(monitor.current()!.processes.processes.find((p) => p.pid === fake.pid)?.pinned, false, 'pinned on devbox only');
    assert.equal(seen('ci')?.summary?.processes.processes.find((p) => p.pid === fake.pid)?.pinned, false);

    // A kill names the process as listed: a wrong start is refused by the remote server itself.
    const wrong = await monitor.kill({ pid: fake.pid, startId: String(Number(onDevbox.startId) + 1), machine: 'ci' }, false);
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /^ci: .*gone/);
    assert.ok(fake.alive());
    const killed = await monitor.kill({ ...refTo(fake.pid), machine: 'ci' }, false);
    assert.equal(killed.ok, true, killed.message);
    await waitFor('ci to log the kill', () => new RegExp(`POST /api/kill/${fake.pid}\\?start=\\d+&force=false 200`).test(ci.server.err()), 5000);
    await waitFor('the process to end', () => !fake.alive(), 10_000);
    assert.deepEqual(await monitor.kill({ pid: 4_000_000, startId: '1', machine: 'nowhere' }, false), {
      ok: false,
      pid: 4_000_000,
      outcome: 'refused',
      message: "No remote machine named 'nowhere' in TCE's settings.",
    });

    // ci stops: it is shown as not answering, with when it last did; its processes are no longer listed.
    const before = seen('ci')!;
    await ci.server.stop();
    await waitFor('ci to be seen as unreachable', async () => {
      await monitor.refresh();
      return seen('ci')?.reachable === false;
    }, 20_000, 200);
    const gone = seen('ci')!;
    assert.match(gone.error ?? '', /connection refused at 127\.0\.0\.1:\d+ \(is `tce dashboard` running there, or the SSH tunnel up\?\)/);
    assert.ok(gone.lastSeen !== null && Date.parse(gone.lastSeen) >= Date.parse(before.lastSeen!), 'when it was last seen is kept');
    assert.ok(Date.parse(gone.checkedAt!) > Date.parse(gone.lastSeen));
    assert.equal(gone.summary?.usage?.totals.totalTokens, ci.home.totalTokens, 'its usage as of then is kept');
    const listed = fleetProcesses(monitor.current()!.processes.processes, monitor.current()!.machines);
    assert.ok(!listed.some((p) => p.machine === 'ci'), 'no process of a machine that does not answer');
    assert.ok(seen('devbox')?.reachable, 'the other machine still answers');
    const refused = await monitor.pin({ pid: 1234, startId: '1', machine: 'ci' });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /^ci: connection refused/);
  });

  it('never waits for a remote that does not answer: the local poll ends while its request is still open', async (t) => {
    const root = tempDir(t, 'tce-fleet-slow-');
    const held: net.Socket[] = [];
    let closed = 0;
    const blackHole = net.createServer((socket) => {
      held.push(socket);
      // Read (and drop) what comes, so the end of the connection is seen; never answer.
      socket.resume();
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of held) s.destroy();
      return new Promise<void>((resolve) => blackHole.close(() => resolve()));
    });
    const { file } = writeTokenFile(path.join(root, 'slow.token'));
    const core = localCore(t, root, [{ name: 'slow', url: `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`, tokenFile: file }], 1500);
    const pushed: Snapshot[] = [];
    core.monitor.onSnapshot((s) => pushed.push(s));

    await core.monitor.refresh();
    await waitFor('the request to the remote to be open', () => held.length >= 1, 5000);
    const snapshot = await core.monitor.refresh();
    assert.ok(held.every((s) => !s.destroyed), 'the request to the remote is still open when the local snapshot is done');
    assert.equal(snapshot.machines[0]?.checkedAt, null, 'nothing known of it yet');
    assert.ok(snapshot.usage && snapshot.usage.totals.totalTokens > 0, 'the local view is all there');
    await waitFor('the remote to run out of time', () => pushed.some((s) => s.machines[0]?.error !== null && s.machines[0]?.error !== undefined), 10_000);
    const late = pushed.find((s) => s.machines[0]?.error)!;
    assert.equal(late.machines[0]?.error, `no answer from ${new URL(late.machines[0]!.url).host} within 1.5 s`);
    assert.equal(late.generatedAt, snapshot.generatedAt, 'pushed with the latest local poll, without another one');

    // Stopping (the app quits, the server stops) ends a request under way at once: nothing waits for its deadline.
    await core.monitor.refresh();
    await waitFor('a new request to the remote', () => held.length - closed >= 1, 5000);
    await core.monitor.stop();
    await waitFor('the request to be ended by the stop', () => closed === held.length, 1000);
  });

  it('reaches a loopback-bound server through a forwarded port, as through `ssh -N -L`', async (t) => {
    const root = tempDir(t, 'tce-fleet-tunnel-');
    const devbox = await startMachine(t, root, 'devbox', 70_000);
    // The tunnel: a second loopback port whose connections are piped to the server's, as ssh -L does.
    const sockets: net.Socket[] = [];
    const forward = net.createServer((client) => {
      const upstream = net.connect(devbox.server.port, '127.0.0.1');
      sockets.push(client, upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => forward.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => forward.close(() => resolve()));
    });
    const tunnelPort = (forward.address() as net.AddressInfo).port;
    assert.notEqual(tunnelPort, devbox.server.port);
    const core = localCore(t, root, [{ name: 'devbox', url: `http://127.0.0.1:${tunnelPort}`, tokenFile: devbox.server.tokenFile }]);
    await core.fleet.pollAll();
    const state = core.fleet.machines()[0]!;
    assert.equal(state.error, null);
    assert.equal(state.reachable, true);
    assert.equal(state.summary?.usage?.totals.totalTokens, devbox.home.totalTokens);
    assert.ok(sockets.length > 0, 'it went through the forward');
    // An action through the tunnel reaches the server (refused there: no such process).
    const result = await core.monitor.pin({ pid: 4_000_000, startId: '1', machine: 'devbox' });
    assert.match(result.message, /^devbox: /);
    await waitFor('devbox to log the pin, by the forwarded port', () => /POST \/api\/pin\/4000000\?start=1 409 origin=- host=127\.0\.0\.1:(\d+)/.exec(devbox.server.err())?.[1] === String(tunnelPort), 5000);
  });

  it('refuses what a remote answers that cannot be true, naming the field, and a token file others can read', async (t) => {
    const root = tempDir(t, 'tce-fleet-bad-');
    let answer: unknown = {};
    const server = (await import('node:http')).createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { file } = writeTokenFile(path.join(root, 'liar.token'));
    const core = localCore(t, root, [{ name: 'liar', url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`, tokenFile: file }]);
    const { machineSummary } = await import('../../../src/core/fleet/summary.js');
    const { makeProcess, makeReport, makeSnapshot, modelUsage, totals } = await import('../../../e2e/support/snapshots.js');
    const good = machineSummary(makeSnapshot({ processList: [makeProcess(7)], usage: makeReport([{ date: '2026-03-01', models: [modelUsage('m', totals(1, 2, 0, 0, 0.5))] }]) }), 'liar-host');
    const cases: Array<[string, (s: typeof good) => void, RegExp]> = [
      ['negative tokens', (s) => (s.usage!.totals.inputTokens = -5), /answer\.usage\.totals\.inputTokens must be a whole number from 0 to/],
      ['a cost of 1e300', (s) => (s.usage!.models[0]!.costUSD = 1e300), /answer\.usage\.models\[0\]\.costUSD must be a number from 0 to 1000000000/],
      ['a PID past 2^31', (s) => (s.processes.processes[0]!.pid = 2 ** 40), /answer\.processes\.processes\[0\]\.pid must be a whole number/],
      ['a health no TCE has', (s) => ((s.processes.processes[0] as { health: string }).health = 'fine'), /health must be one of healthy, stale/],
      ['a start identity that is none', (s) => (s.processes.processes[0]!.startId = '../../x'), /startId is not a process start identity/],
    ];
    for (const [what, spoil, message] of cases) {
      const bad = structuredClone(good);
      spoil(bad);
      answer = bad;
      await core.fleet.pollAll();
      const state = core.fleet.machines()[0]!;
      assert.equal(state.reachable, false, what);
      assert.match(state.error ?? '', message, what);
    }
    answer = good;
    await core.fleet.pollAll();
    assert.equal(core.fleet.machines()[0]?.reachable, true);
    assert.equal(core.fleet.machines()[0]?.summary?.processes.processes[0]?.machine, 'liar');

    fs.chmodSync(file, 0o644);
    await core.fleet.pollAll();
    assert.match(core.fleet.machines()[0]?.error ?? '', /the token file of liar \(.*liar\.token\) can be read by other users \(mode 644\); run `chmod 600/);
  });
});
