// The two process sources behind one interface: /proc read directly, and systeminformation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ClaudeProcess, ProcessSnapshot } from '../../../src/core/process/index.js';
import { LinuxProcSource, ttyName } from '../../../src/core/process/sources/linux-proc.js';
import { parseStat } from '../../../src/core/system/probe.js';
import { SystemInformationSource } from '../../../src/core/process/sources/systeminformation.js';
import { defaultProcessSource } from '../../../src/core/process/sources/index.js';
import { spawnFakeFor, writeRegistry } from '../../support/fake-claude.js';
import { tempDir } from '../../support/tmp.js';
import { monitorIn } from './helpers.js';

/** The fields both sources must agree on (CPU, memory and uptime move between two reads). */
function comparable(p: ClaudeProcess) {
  return {
    pid: p.pid,
    ppid: p.ppid,
    name: p.name,
    exe: p.exe,
    command: p.command,
    installForm: p.installForm,
    cwd: p.cwd,
    project: p.project,
    sessionId: p.sessionId,
    kind: p.kind,
    sessionName: p.sessionName,
    activity: p.activity,
    interactive: p.interactive,
    startedAt: p.startedAt,
    tty: p.tty,
    pinned: p.pinned,
    version: p.version,
    health: p.health,
  };
}

function statOf(pid: number) {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return null;
  }
}

function startOf(pid: number): string | null {
  return statOf(pid)?.startTicks ?? null;
}

test('linux-proc and systeminformation report the same Claude PIDs and fields', async (t) => {
  const root = tempDir(t, 'tce-sources-');
  const native = await spawnFakeFor(t, 'native-installer', path.join(root, 'a'));
  const argv0 = await spawnFakeFor(t, 'argv0', path.join(root, 'b'));
  const cliJs = await spawnFakeFor(t, 'npm-cli-js', path.join(root, 'c'));
  const mine = [native.pid, argv0.pid, cliJs.pid];
  const a = monitorIn(path.join(root, 'linux'), { source: new LinuxProcSource() });
  const b = monitorIn(path.join(root, 'si'), { source: new SystemInformationSource() });
  // Both monitors read the same registry: one session is known by its entry.
  for (const claudeDir of [a.claudeDir, b.claudeDir]) {
    writeRegistry(claudeDir, native.pid, { sessionId: 'aaaaaaaa-1111-4222-8333-444444444444', cwd: native.cwd, kind: 'interactive', name: 'parity' });
  }

  const before = Date.now();
  const byLinux: ProcessSnapshot = await a.monitor.scan();
  const bySi: ProcessSnapshot = await b.monitor.scan();

  for (const pid of mine) {
    const x = byLinux.processes.find((p) => p.pid === pid);
    const y = bySi.processes.find((p) => p.pid === pid);
    assert.ok(x && y, `PID ${pid} missing from ${x ? 'systeminformation' : 'linux-proc'}`);
    assert.deepEqual(comparable(y), comparable(x));
  }
  const session = byLinux.processes.find((p) => p.pid === native.pid);
  assert.equal(session?.sessionId, 'aaaaaaaa-1111-4222-8333-444444444444');
  assert.equal(session?.interactive, true);

  // Machine-wide (other Claude Code processes may run here): the same PIDs, except processes that started or
  // ended (exited, or became zombies) between the two scans.
  const linuxPids = new Set(byLinux.processes.map((p) => p.pid));
  const siPids = new Set(bySi.processes.map((p) => p.pid));
  const lingered = (pid: number, snap: ProcessSnapshot) => {
    const p = snap.processes.find((q) => q.pid === pid);
    const now = statOf(pid);
    return p !== undefined && now !== null && now.state !== 'Z' && Date.parse(p.startedAt) < before - 2000;
  };
  for (const pid of linuxPids) if (!siPids.has(pid)) assert.ok(!lingered(pid, byLinux), `PID ${pid} only in linux-proc`);
  for (const pid of siPids) if (!linuxPids.has(pid)) assert.ok(!lingered(pid, bySi), `PID ${pid} only in systeminformation`);
});

test('both sources read one process with every detail, and null for a PID that does not exist', async (t) => {
  const root = tempDir(t, 'tce-sources-');
  const fake = await spawnFakeFor(t, 'desktop-embedded', root);
  const sources = [new LinuxProcSource(), new SystemInformationSource()];
  for (const source of sources) {
    const raw = await source.get(fake.pid);
    assert.ok(raw, source.name);
    assert.equal(raw.detailed, true);
    assert.equal(raw.cwd, fake.cwd);
    assert.equal(raw.exe, fake.file);
    assert.equal(raw.uid, process.getuid?.());
    assert.equal(raw.startTicks, startOf(fake.pid));
  }
  await fake.kill();
  for (const source of sources) {
    assert.equal(await source.get(fake.pid), null, `${source.name} still reads an exited PID`);
    assert.equal(await source.get(-4), null);
    assert.equal(await source.get(Number.NaN), null);
  }
});

test('the default source on Linux is the one-pass /proc reader', () => {
  assert.equal(defaultProcessSource('linux').name, 'linux-proc');
  assert.equal(defaultProcessSource('darwin').name, 'systeminformation');
  assert.equal(defaultProcessSource('win32').name, 'systeminformation');
});

test('/proc parsing: names with spaces and parentheses, terminals', () => {
  const stat = '4242 (we ird) (name)) S 1 4242 4242 34816 4242 4194560 100 0 0 0 7 3 0 0 20 0 1 0 987654 1000000 300 18446744073709551615';
  const parsed = parseStat(stat);
  assert.deepEqual(parsed && { comm: parsed.comm, state: parsed.state, ppid: parsed.ppid, cpuTicks: parsed.cpuTicks, startTicks: parsed.startTicks, rssPages: parsed.rssPages }, {
    comm: 'we ird) (name)',
    state: 'S',
    ppid: 1,
    cpuTicks: 10,
    startTicks: '987654',
    rssPages: 300,
  });
  assert.equal(parseStat('garbage'), null);
  assert.equal(ttyName(0), null);
  assert.equal(ttyName(34816), 'pts/0');
  assert.equal(ttyName((136 << 8) | 5), 'pts/5');
  assert.equal(ttyName((4 << 8) | 1), 'tty1');
});
