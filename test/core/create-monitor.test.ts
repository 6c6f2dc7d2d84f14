import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMonitor } from '../../src/core/create-core.js';
import type { Monitor } from '../../src/core/monitor.js';
import type { Snapshot } from '../../src/shared/api.js';
import { assistantLine, userLine } from './usage/corpus.js';
import { pidExists, refTo, writeRegistry } from '../support/fake-claude.js';

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('createMonitor', () => {
  let tmp: string;
  let claudeDir: string;
  let dataDir: string;
  let project: string;
  let claudeChild: ChildProcess;
  let plainChild: ChildProcess;
  let monitor: Monitor;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-monitor-'));
    claudeDir = path.join(tmp, 'claude');
    dataDir = path.join(tmp, 'data');
    project = path.join(tmp, 'monitored-proj');
    fs.mkdirSync(project, { recursive: true });
    fs.mkdirSync(dataDir, { recursive: true });
    // A corrupted settings file: the monitor must move it aside and say so, not crash.
    fs.writeFileSync(path.join(dataDir, 'config.json'), '{"pollIntervalSeconds": 3,');

    const sessionId = '11111111-2222-3333-4444-555555555555';
    const transcripts = path.join(claudeDir, 'projects', '-tmp-monitored-proj');
    fs.mkdirSync(transcripts, { recursive: true });
    const common = { sessionId, cwd: project, ts: new Date().toISOString() };
    const lines = [
      // Two copies of one streamed response: only the complete one counts.
      assistantLine({ ...common, id: 'msg_a', model: 'claude-sonnet-4-5', input: 100, output: 7, cacheWrite5m: 1000, cacheRead: 10000 }),
      assistantLine({ ...common, id: 'msg_a', model: 'claude-sonnet-4-5', input: 100, output: 200, cacheWrite5m: 1000, cacheRead: 10000 }),
      assistantLine({ ...common, id: 'msg_b', model: 'claude-opus-4-5', input: 10, output: 20 }),
    ];
    fs.writeFileSync(path.join(transcripts, `${sessionId}.jsonl`), lines.join('\n') + '\n');

    // A process in the native installer's form: a copy of sleep under .local/share/claude/versions/<ver>.
    const versions = path.join(tmp, 'home', '.local', 'share', 'claude', 'versions');
    fs.mkdirSync(versions, { recursive: true });
    const exe = path.join(versions, '2.1.112');
    fs.copyFileSync('/bin/sleep', exe);
    fs.chmodSync(exe, 0o755);
    claudeChild = spawn(exe, ['600'], { cwd: project, stdio: 'ignore' });
    plainChild = spawn('/bin/sleep', ['600'], { cwd: project, stdio: 'ignore' });
    // Claude Code's registry entry of the process: the session it runs.
    writeRegistry(claudeDir, claudeChild.pid!, { sessionId, cwd: project });

    monitor = createMonitor({ claudeDirs: [claudeDir], dataDir });
  });

  after(async () => {
    await monitor.stop();
    for (const child of [claudeChild, plainChild]) if (child.pid && pidExists(child.pid)) child.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('pushes one snapshot per poll with the Claude process, deduplicated usage and costs', async () => {
    const pushed: Snapshot[] = [];
    const unsubscribe = monitor.onSnapshot((s) => pushed.push(s));
    const snapshot = await monitor.refresh();
    unsubscribe();

    assert.equal(pushed.length, 1);
    assert.equal(monitor.current(), snapshot);
    const mine = snapshot.processes.processes.find((p) => p.pid === claudeChild.pid);
    assert.ok(mine, 'the native-installer-form process is listed');
    assert.equal(mine.project, 'monitored-proj');
    assert.ok(!snapshot.processes.processes.some((p) => p.pid === plainChild.pid), 'a plain sleep is not Claude');

    assert.ok(snapshot.usage);
    assert.equal(snapshot.usage.totals.inputTokens, 110);
    assert.equal(snapshot.usage.totals.outputTokens, 220);
    assert.equal(snapshot.usage.totals.cacheCreationTokens, 1000);
    assert.equal(snapshot.usage.totals.cacheReadTokens, 10000);
    // Sonnet 4.5: 100*3 + 200*15 + 1000*3.75 + 10000*0.30; Opus 4.5: 10*5 + 20*25 (USD per million).
    assert.ok(Math.abs(snapshot.usage.totals.costUSD - 0.0106) < 1e-9, `cost ${snapshot.usage.totals.costUSD}`);
    assert.equal(snapshot.sessions.length, 1);
    assert.equal(snapshot.sessions[0]!.livePid, claudeChild.pid, 'the session has its process, from the scan');
    assert.equal(mine.sessionId, snapshot.sessions[0]!.sessionId);

    // Today as the core computed it: the day of the snapshot in the report's zone, and that day's row.
    assert.ok(snapshot.today);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: snapshot.usage.timezone }).format(new Date(snapshot.generatedAt));
    assert.equal(snapshot.today.date, day);
    assert.equal(snapshot.today.totalTokens, snapshot.usage.daily.find((d) => d.date === day)?.totalTokens ?? 0);
  });

  it('carries the usage revision: the same while nothing changed, another once a transcript grew', async () => {
    // A prompt line: the transcript grows (the report's lines read change), its tokens do not (other tests count them).
    const first = await monitor.refresh();
    assert.equal((await monitor.refresh()).usageRevision, first.usageRevision);
    const transcript = path.join(claudeDir, 'projects', '-tmp-monitored-proj', '11111111-2222-3333-4444-555555555555.jsonl');
    const ts = new Date().toISOString();
    fs.appendFileSync(transcript, `${userLine({ sessionId: '11111111-2222-3333-4444-555555555555', cwd: project, ts, text: 'and now?' })}\n`);
    const grown = await monitor.refresh();
    assert.notEqual(grown.usageRevision, first.usageRevision);
    assert.equal(grown.usage!.diagnostics.linesRead, first.usage!.diagnostics.linesRead + 1);
  });

  it('regroups days into another time zone, filters by date, and lists the 5-hour blocks', async () => {
    await monitor.refresh();
    const dayIn = (timeZone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const report = monitor.usageReport!({ timezone: zone });
      assert.equal(report.timezone, zone);
      assert.deepEqual(report.daily.map((d) => d.date), [dayIn(zone)]);
      assert.equal(report.totals.outputTokens, 220);
    }
    const tomorrow = new Date(Date.now() + 86_400_000 * 2).toISOString().slice(0, 10);
    assert.equal(monitor.usageReport!({ since: tomorrow, timezone: 'UTC' }).totals.totalTokens, 0);
    const blocks = monitor.blocks!();
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]!.active, true);
    assert.equal(blocks[0]!.outputTokens, 220);
  });

  it('keeps the corrupted-settings warning visible and the file moved aside', async () => {
    const snapshot = await monitor.refresh();
    assert.ok(
      snapshot.warnings.some((w) => /config\.json/.test(w)),
      `warnings: ${JSON.stringify(snapshot.warnings)}`,
    );
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('config.json.corrupt'));
    assert.equal(aside.length, 1);
    assert.equal(fs.readFileSync(path.join(dataDir, aside[0]!), 'utf8'), '{"pollIntervalSeconds": 3,');
  });

  it('refuses an invalid settings patch without changing the file, and applies a valid one', async () => {
    const before = await monitor.getSettings();
    await assert.rejects(monitor.updateSettings({ pollIntervalSeconds: -5 }));
    assert.deepEqual(await monitor.getSettings(), before);

    const updated = await monitor.updateSettings({ pollIntervalSeconds: 2 });
    assert.equal(updated.pollIntervalSeconds, 2);
    assert.equal((await monitor.refresh()).pollIntervalSeconds, 2);
  });

  it('refuses to kill a process that is not Claude Code and kills one that is', async () => {
    const refused = await monitor.kill(refTo(plainChild.pid!), false);
    assert.equal(refused.ok, false);
    assert.equal(refused.outcome, 'refused');
    assert.ok(pidExists(plainChild.pid!), 'the non-Claude process survives');

    const exited = new Promise((resolve) => claudeChild.once('exit', resolve));
    const pushed: Snapshot[] = [];
    const unsubscribe = monitor.onSnapshot((s) => pushed.push(s));
    const askedAt = Date.now();
    const killed = await monitor.kill(refTo(claudeChild.pid!), false);
    assert.equal(killed.ok, true, killed.message);
    await exited;
    // One poll follows the action by itself (the surfaces add none): its snapshot reaches every listener.
    assert.ok(await waitFor(() => pushed.length >= 1, 10_000), 'a snapshot after the kill');
    unsubscribe();
    assert.equal(pushed.length, 1, 'one poll per action');
    assert.ok(Date.parse(pushed[0]!.generatedAt) >= askedAt, 'made for the action');
    const after = await monitor.refresh();
    assert.ok(!after.processes.processes.some((p) => p.pid === claudeChild.pid), 'the killed process is gone from the snapshot');
    assert.equal(after.sessions[0]!.livePid, null, 'its session has no process any more');
  });

  it('polls on its own once started and stops cleanly', async () => {
    const seen: string[] = [];
    const unsubscribe = monitor.onSnapshot((s) => seen.push(s.generatedAt));
    monitor.start();
    monitor.start(); // idempotent: one loop, not two
    assert.ok(await waitFor(() => seen.length >= 1, 5000), 'the first poll runs at once');
    await monitor.stop();
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(seen.length, count, 'no polls after stop');
    unsubscribe();
  });
});

describe('createMonitor on a history that takes a while to index', () => {
  it('pushes snapshots with the indexing progress meanwhile, answers getSnapshot with the first, ends with indexing null', async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-monitor-indexing-'));
    t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const claudeDir = path.join(tmp, 'claude');
    const files = 300;
    for (let i = 0; i < files; i++) {
      const sessionId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const dir = path.join(claudeDir, 'projects', `-p${i % 7}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${sessionId}.jsonl`), `${assistantLine({ id: `msg_${i}`, sessionId, ts: '2026-03-01T10:00:00.000Z', input: 1, output: 1 })}\n`);
    }
    // Every refresh counts as long here: the first progress snapshot goes out at once.
    const monitor = createMonitor({ claudeDirs: [claudeDir], dataDir: path.join(tmp, 'data'), indexingAfterMs: 0 });
    t.after(() => monitor.stop());
    const pushed: Snapshot[] = [];
    monitor.onSnapshot((s) => pushed.push(s));
    const first = await monitor.getSnapshot();
    assert.ok(first.indexing, 'the first answer is the progress of the first index, not its end');
    assert.equal(first.indexing.filesTotal, files);
    assert.ok(first.indexing.filesDone < files);
    assert.ok(first.indexing.bytesTotal > 0 && first.indexing.bytesDone <= first.indexing.bytesTotal);
    assert.equal(first.usage, null, 'no usage before the first index ends');
    const done = await monitor.refresh();
    assert.equal(done.indexing, null);
    assert.equal(done.usage?.totals.inputTokens, files);
    assert.equal(pushed.at(-1), done);
    assert.ok(pushed.slice(0, -1).every((s) => s.indexing), 'every snapshot before the end carries the progress');
  });
});
