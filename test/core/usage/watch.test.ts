// A watching engine (the one the tray app and the dashboard server keep): a refresh lists and stats only the project
// folders the file system reported changed, yet sees every change a full refresh would, and nothing when nothing
// changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { waitFor } from '../../support/tmp.js';
import { assistantLine, usageTemp, writeTranscript } from './corpus.js';

const S1 = '11111111-1111-1111-1111-111111111111';
const S2 = '22222222-2222-2222-2222-222222222222';
const S3 = '33333333-3333-3333-3333-333333333333';

function line(id: string, sessionId: string, input: number): string {
  return assistantLine({ id, sessionId, ts: '2026-03-01T10:00:00.000Z', input, output: 1 });
}

/** Counts lstatSync calls on transcripts (what an unchanged poll of a watching engine must not make). */
function countStats(t: { after(fn: () => unknown): void }): { transcripts(): number; paths: Set<string> } {
  const writable = fs as { lstatSync: typeof fs.lstatSync };
  const real = fs.lstatSync;
  let n = 0;
  const paths = new Set<string>();
  writable.lstatSync = ((file: fs.PathLike, options?: fs.StatSyncOptions) => {
    if (String(file).endsWith('.jsonl')) {
      n++;
      paths.add(String(file));
    }
    return real(file, options);
  }) as typeof fs.lstatSync;
  // The engine imports lstatSync by name: the named export follows the patched function only after this.
  syncBuiltinESMExports();
  t.after(() => {
    writable.lstatSync = real;
    syncBuiltinESMExports();
  });
  return { transcripts: () => n, paths };
}

function setup(t: { after(fn: () => unknown): void }) {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  writeTranscript(claude, '-p-one', `${S1}.jsonl`, [line('msg_1', S1, 10)]);
  writeTranscript(claude, '-p-two', `${S2}.jsonl`, [line('msg_2', S2, 20)]);
  const engine = track(new UsageEngine({ claudeDirs: [claude], dataDir: path.join(root, 'data'), timezone: 'UTC', watch: true }));
  return { claude, engine };
}

/** Refreshes until the engine's input total is `input` (file system events arrive asynchronously). */
async function refreshUntil(engine: UsageEngine, input: number, what: string): Promise<void> {
  await waitFor(what, async () => {
    await engine.refresh();
    return engine.report().totals.inputTokens === input;
  });
}

test('a watching engine reads nothing when nothing changed, and only the folder that changed when one did', async (t) => {
  const { claude, engine } = setup(t);
  await engine.refresh();
  await engine.refresh(); // the folders watched for the first time are listed once more
  assert.equal(engine.report().totals.inputTokens, 30);
  const stats = countStats(t);
  for (let i = 0; i < 3; i++) await engine.refresh();
  assert.equal(stats.transcripts(), 0, 'an unchanged refresh stats no transcript');

  fs.appendFileSync(path.join(claude, 'projects', '-p-two', `${S2}.jsonl`), `${line('msg_2b', S2, 5)}\n`);
  await refreshUntil(engine, 35, 'the appended line');
  assert.deepEqual([...stats.paths], [path.join(claude, 'projects', '-p-two', `${S2}.jsonl`)], 'only the transcripts of the changed folder are stat-ed');
});

test('new transcripts, new project and sub-agent folders, and deleted transcripts are all seen', async (t) => {
  const { claude, engine } = setup(t);
  await engine.refresh();
  await engine.refresh();
  writeTranscript(claude, '-p-three', `${S3}.jsonl`, [line('msg_3', S3, 100)]);
  await refreshUntil(engine, 130, 'a transcript in a new project folder');
  writeTranscript(claude, '-p-one', `${S1}/subagents/agent-a1.jsonl`, [line('msg_4', S1, 1000)]);
  await refreshUntil(engine, 1130, 'a sub-agent transcript in a new session folder');
  fs.appendFileSync(path.join(claude, 'projects', '-p-one', S1, 'subagents', 'agent-a1.jsonl'), `${line('msg_5', S1, 2000)}\n`);
  await refreshUntil(engine, 3130, 'a line appended to the sub-agent transcript');
  fs.rmSync(path.join(claude, 'projects', '-p-two', `${S2}.jsonl`));
  await waitFor('the deleted transcript', async () => {
    await engine.refresh();
    return engine.report().diagnostics.deletedFiles === 1;
  });
  // Its usage stays: the index keeps what Claude Code deletes.
  assert.equal(engine.report().totals.inputTokens, 3130);
  await engine.refresh();
  assert.equal(engine.report().diagnostics.files, 3);
});

test('every few minutes a watching engine lists everything again, whatever the watches said', async (t) => {
  const { claude, engine } = setup(t);
  await engine.refresh();
  await engine.refresh();
  const stats = countStats(t);
  await engine.refresh();
  assert.equal(stats.transcripts(), 0);
  const realNow = Date.now;
  Date.now = () => realNow() + 6 * 60_000;
  t.after(() => (Date.now = realNow));
  await engine.refresh();
  assert.equal(stats.paths.size, 2, 'both transcripts are stat-ed by the full rescan');
  assert.ok(stats.paths.has(path.join(claude, 'projects', '-p-one', `${S1}.jsonl`)));
});
