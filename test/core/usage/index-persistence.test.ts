// The persisted index in TCE's data folder: cheap restarts, history beyond Claude Code's cleanup, re-pricing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { INDEX_FILE, UsageEngine, type UsageProgress, type UsageReport } from '../../../src/core/usage/index.js';
import { assistantLine, usageTemp, usd, userLine, writeTranscript } from './corpus.js';

type Track = ReturnType<typeof usageTemp>['track'];

const S1 = 'cccccccc-1111-4111-8111-111111111111';
const S2 = 'dddddddd-2222-4222-8222-222222222222';
const NOW = new Date('2026-04-03T12:00:00.000Z');

function corpus(claude: string): void {
  writeTranscript(claude, '-home-u-alpha', `${S1}.jsonl`, [
    userLine({ sessionId: S1, ts: '2026-04-01T08:00:00.000Z', text: 'refactor the parser', cwd: '/home/u/alpha' }),
    assistantLine({ id: 'msg_1', sessionId: S1, ts: '2026-04-01T08:00:05.000Z', input: 100, output: 10, cacheWrite1h: 1000, cwd: '/home/u/alpha' }),
    assistantLine({ id: 'msg_2', sessionId: S1, ts: '2026-04-01T08:30:00.000Z', input: 200, output: 20, cacheRead: 5000, cwd: '/home/u/alpha', model: 'claude-opus-4-1-20250805' }),
  ]);
  writeTranscript(claude, '-home-u-beta', `${S2}.jsonl`, [
    userLine({ sessionId: S2, ts: '2026-04-02T09:00:00.000Z', text: 'write tests', cwd: '/home/u/beta' }),
    assistantLine({ id: 'msg_3', sessionId: S2, ts: '2026-04-02T09:00:05.000Z', input: 300, output: 30, cwd: '/home/u/beta', model: 'claude-opus-5' }),
    '{"type":"assistant" half',
  ]);
}

function withoutTime(r: UsageReport): Omit<UsageReport, 'generatedAt'> {
  const { generatedAt: _g, ...rest } = r;
  return rest;
}

function engine(track: Track, claude: string, dataDir: string, extra: Partial<ConstructorParameters<typeof UsageEngine>[0]> = {}) {
  const progress: UsageProgress[] = [];
  const e = track(new UsageEngine({ claudeDirs: [claude], dataDir, timezone: 'UTC', onProgress: (p) => progress.push({ ...p }), ...extra }));
  return { e, progress };
}

test('a restart on the persisted index reads no transcript and gives the identical report, sessions and blocks', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const data = path.join(root, 'data');
  corpus(claude);
  const first = engine(track, claude, data);
  await first.e.refresh();
  await first.e.close();
  assert.ok(fs.existsSync(path.join(data, INDEX_FILE)));
  assert.ok(first.progress.length > 0);

  const second = engine(track, claude, data);
  await second.e.refresh();
  assert.equal(second.progress.length, 0, 'nothing was read on the warm start');
  assert.deepEqual(withoutTime(second.e.report({ now: NOW })), withoutTime(first.e.report({ now: NOW })));
  assert.deepEqual(second.e.sessions(), first.e.sessions());
  assert.deepEqual(second.e.blocks(NOW), first.e.blocks(NOW));
  assert.equal(second.e.sessions().find((s) => s.sessionId === S1)!.firstPrompt, 'refactor the parser');
});

test('usage of transcripts Claude Code deleted survives a restart, and a new price table re-prices it', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const data = path.join(root, 'data');
  corpus(claude);
  const first = engine(track, claude, data);
  await first.e.refresh();
  const before = first.e.report({ now: NOW });
  assert.deepEqual(before.diagnostics.unpricedModels, ['claude-opus-5']);
  await first.e.close();

  fs.rmSync(path.join(claude, 'projects'), { recursive: true });
  const override = { 'claude-opus-5': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1 } };
  const second = engine(track, claude, data, { priceOverrides: override });
  await second.e.refresh();
  const after = second.e.report({ now: NOW });
  assert.equal(second.progress.length, 0);
  assert.deepEqual({ ...after.totals, costUSD: 0 }, { ...before.totals, costUSD: 0 });
  assert.equal(after.diagnostics.files, 0);
  assert.equal(after.diagnostics.deletedFiles, 2);
  assert.deepEqual(after.diagnostics.unpricedModels, []);
  const opus5 = usd(300, 10) + usd(30, 50);
  assert.equal(after.totals.costUSD, Math.round((before.totals.costUSD + opus5) * 1e6) / 1e6);
  assert.deepEqual(after.projects.map((p) => p.path).sort(), ['/home/u/alpha', '/home/u/beta']);
  assert.deepEqual(second.e.sessions().map((s) => [s.sessionId, s.firstPrompt]), [[S2, 'write tests'], [S1, 'refactor the parser']]);
});

test('a damaged index is reported and rebuilt from the transcripts; nothing else changes', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  const data = path.join(root, 'data');
  corpus(claude);
  const clean = engine(track, claude, path.join(root, 'clean'));
  await clean.e.refresh();
  const expected = clean.e.report({ now: NOW });

  for (const damage of ['{"version":1,"strings":["a"],"records":{"id":["x"],"ts":[]}', '{"version":99}', '']) {
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, INDEX_FILE), damage);
    const e = engine(track, claude, data);
    await e.e.refresh();
    const r = e.e.report({ now: NOW });
    assert.deepEqual(r.totals, expected.totals, `totals after damage ${JSON.stringify(damage)}`);
    assert.match((r.diagnostics.problems ?? []).join('\n'), /usage-index\.json is damaged .*rebuilding/);
    await e.e.close();
    // The rebuilt index is whole again.
    const again = engine(track, claude, data);
    await again.e.refresh();
    assert.equal(again.progress.length, 0);
    assert.deepEqual(again.e.report({ now: NOW }).diagnostics.problems, []);
    await again.e.close();
    fs.rmSync(data, { recursive: true });
  }
});

test('several Claude dirs are counted together; one index can serve engines on different dirs', async (t) => {
  const { root, track } = usageTemp(t);
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  const data = path.join(root, 'data');
  writeTranscript(a, '-p', `${S1}.jsonl`, [assistantLine({ id: 'msg_a', sessionId: S1, ts: '2026-04-01T08:00:00.000Z', input: 1 })]);
  writeTranscript(b, '-p', `${S2}.jsonl`, [assistantLine({ id: 'msg_b', sessionId: S2, ts: '2026-04-01T08:00:00.000Z', input: 2 })]);
  const both = engine(track, a, data, { claudeDirs: [a, b] });
  await both.e.refresh();
  assert.equal(both.e.report().totals.inputTokens, 3);
  await both.e.close();
  const onlyB = engine(track, b, data);
  await onlyB.e.refresh();
  assert.equal(onlyB.e.report().totals.inputTokens, 2);
  assert.equal(onlyB.progress.length, 0);
});

test('an index that cannot be saved is reported; usage is still counted and nothing else breaks', async (t) => {
  const { root, track } = usageTemp(t);
  const claude = path.join(root, 'claude');
  corpus(claude);
  // The data folder path is taken by a file: neither loading nor saving can work.
  const blocked = path.join(root, 'not-a-folder');
  fs.writeFileSync(blocked, 'x');
  const { e } = engine(track, claude, blocked);
  await e.refresh();
  await e.close();
  const r = e.report({ now: NOW });
  assert.equal(r.totals.inputTokens, 600);
  assert.match((r.diagnostics.problems ?? []).join('\n'), /cannot save the usage index in .*not-a-folder.*reads every transcript again/);
  assert.equal(fs.readFileSync(blocked, 'utf8'), 'x');
});
