// History is never lost (issue 12, finding 11): a transcript deleted and later recreated at the same path (Claude Code
// reuses a session's file on resume) is a new file; the deleted one keeps what it counted, across restarts too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UsageEngine } from '../../../src/core/usage/index.js';
import { assistantLine, usageTemp, writeTranscript } from './corpus.js';

const S = '7b7b7b7b-1111-4222-8333-444444444444';

function engineFor(track: ReturnType<typeof usageTemp>['track'], claude: string, data: string): UsageEngine {
  return track(new UsageEngine({ claudeDirs: [claude], dataDir: data, timezone: 'UTC' }));
}

const old = assistantLine({ id: 'msg_old', sessionId: S, ts: '2026-02-01T10:00:00.000Z', input: 300, output: 0 });
const fresh = assistantLine({ id: 'msg_new', sessionId: S, ts: '2026-02-02T10:00:00.000Z', input: 5, output: 0 });

for (const [when, refreshBetween] of [
  ['a refresh saw it gone', true],
  ['no refresh saw it gone (the inode may be reused)', false],
] as const) {
  test(`a transcript deleted and recreated at its path keeps the deleted one's usage: ${when}`, async (t) => {
    const { root, track } = usageTemp(t);
    const claude = path.join(root, 'claude');
    const data = path.join(root, 'data');
    const file = writeTranscript(claude, '-p', `${S}.jsonl`, [old]);
    const engine = engineFor(track, claude, data);
    await engine.refresh();
    assert.equal(engine.report().totals.inputTokens, 300);
    const inode = fs.statSync(file).ino;

    fs.rmSync(file);
    if (refreshBetween) {
      await engine.refresh();
      assert.equal(engine.report().totals.inputTokens, 300, 'a deleted transcript keeps its usage');
    }
    writeTranscript(claude, '-p', `${S}.jsonl`, [fresh]);
    if (!refreshBetween) t.diagnostic(`inode ${fs.statSync(file).ino === inode ? 'reused' : 'not reused'} by the recreated file`);
    await engine.refresh();
    const report = engine.report();
    assert.equal(report.totals.inputTokens, 305, 'the old 300 and the new 5');
    assert.equal(report.diagnostics.files, 1);
    assert.equal(report.diagnostics.deletedFiles, 1);
    assert.deepEqual(report.daily.map((d) => [d.date, d.inputTokens]), [['2026-02-01', 300], ['2026-02-02', 5]]);

    // The recreated file grows: only it is read on, and a restart on the saved index gives the same.
    fs.appendFileSync(file, `${assistantLine({ id: 'msg_more', sessionId: S, ts: '2026-02-02T11:00:00.000Z', input: 7, output: 0 })}\n`);
    await engine.refresh();
    assert.equal(engine.report().totals.inputTokens, 312);
    await engine.close();
    const restarted = engineFor(track, claude, data);
    await restarted.refresh();
    assert.equal(restarted.report().totals.inputTokens, 312);
    assert.equal(restarted.report().diagnostics.deletedFiles, 1);
  });
}

test('a recreated file deleted and recreated again keeps every generation', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const data = path.join(root, 'data');
  const engine = engineFor(track, claude, data);
  let expected = 0;
  for (let i = 1; i <= 3; i++) {
    const file = writeTranscript(claude, '-p', `${S}.jsonl`, [assistantLine({ id: `msg_${i}`, sessionId: S, ts: `2026-02-0${i}T10:00:00.000Z`, input: i * 100, output: 0 })]);
    expected += i * 100;
    await engine.refresh();
    assert.equal(engine.report().totals.inputTokens, expected);
    fs.rmSync(file);
    await engine.refresh();
  }
  await engine.close();
  const restarted = engineFor(track, claude, data);
  await restarted.refresh();
  assert.equal(restarted.report().totals.inputTokens, 600);
  assert.equal(restarted.report().diagnostics.deletedFiles, 3);
});
