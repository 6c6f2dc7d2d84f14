// The polling monitor: plan use from the statusline records in the snapshot, and the summary it leaves for
// `tce statusline` (today's spend, the active block) in the data folder, privately.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createMonitor } from '../../src/core/create-core.js';
import { parseStatuslineInput } from '../../src/core/statusline/input.js';
import { recordOf, writeRecord } from '../../src/core/statusline/records.js';
import { readUsageSummary } from '../../src/core/usage/summary.js';
import { ZonedCalendar } from '../../src/core/usage/time-zone.js';
import { assistantLine, costStateLine, writeTranscript } from './usage/corpus.js';
import { tempDir } from '../support/tmp.js';

test("the snapshot's plan use and the statusline's summary", async (t) => {
  const root = tempDir(t, 'tce-monitor-plan-');
  const claude = path.join(root, 'claude');
  const data = path.join(root, 'data');
  const now = Date.now();
  const ts = new Date(now - 60_000).toISOString();
  writeTranscript(claude, '-w', 's1.jsonl', [
    assistantLine({ id: 'm1', sessionId: 's1', ts, model: 'claude-opus-5-5', input: 1_000_000 }),
    costStateLine({ sessionId: 's1', costUSD: 4.5 }),
  ]);
  const monitor = createMonitor({ claudeDirs: [claude], dataDir: data, timezone: 'UTC' });
  t.after(() => monitor.stop());

  let snapshot = await monitor.refresh();
  assert.equal(snapshot.plan, null, 'no statusline has run: the UI says how to enable it');
  const summary = readUsageSummary(data);
  assert.ok(summary);
  assert.equal(summary.date, ZonedCalendar.of('UTC').at(now).date);
  assert.deepEqual(summary.today, { costUSD: 4, unpricedTokens: 0, combinedCostUSD: 4.5 });
  assert.equal(summary.activeBlock?.costUSD, 4);
  assert.equal(fs.statSync(path.join(data, 'usage-summary.json')).mode & 0o777, 0o600);

  const input = parseStatuslineInput(JSON.stringify({ session_id: 's1', cost: { total_cost_usd: 4.5 }, rate_limits: { five_hour: { used_percentage: 42, resets_at: Math.floor(now / 1000) + 3600 } } }));
  writeRecord(data, recordOf({ ...input, sessionId: 's1' }, null, now));
  snapshot = await monitor.refresh();
  assert.deepEqual(snapshot.plan?.windows.map((w) => [w.window, w.usedPercentage, w.hasReset]), [['five_hour', 42, false]]);
});
