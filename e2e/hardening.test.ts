// The real `tce dashboard` in Chromium with a careless environment (issue 12, findings 3, 5 and 7): transcript lines
// and a price override with impossible numbers, a FIFO and a link where transcripts belong. The page shows finite
// totals equal to the CLI's, and names every gap and refused value.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { UsageReport } from '../src/shared/api.js';
import { assistantLine, writeTranscript } from '../test/core/usage/corpus.js';
import { TCE_BIN, tce } from '../test/support/tce-cli.js';
import { isolatedEnv, tempDir, waitFor, writeFile } from '../test/support/tmp.js';
import { browserFor, outputPath, watchPageErrors } from './support/browser.js';

const S = '8c8c8c8c-1111-4222-8333-444444444444';

function rawUsageLine(id: string, usage: string): string {
  const base = JSON.parse(assistantLine({ id, sessionId: S, ts: new Date().toISOString() })) as { message: { usage: unknown } };
  base.message.usage = '__USAGE__';
  return JSON.stringify(base).replace('"__USAGE__"', usage);
}

test('the dashboard shows finite totals equal to the CLI’s, and names every gap and refused value', { timeout: 120_000 }, async (t) => {
  const root = tempDir(t, 'tce-e2e-hardening-');
  const env = isolatedEnv(root, { TZ: 'UTC' });
  const claude = env.CLAUDE_CONFIG_DIR as string;
  writeTranscript(claude, '-work-hardening', `${S}.jsonl`, [
    rawUsageLine('msg_huge', '{"input_tokens": 1e308, "output_tokens": 1}'),
    rawUsageLine('msg_inf', '{"input_tokens": 1, "output_tokens": 1e999}'),
    rawUsageLine('msg_negative', '{"input_tokens": -5}'),
    assistantLine({ id: 'msg_good', sessionId: S, ts: new Date().toISOString(), input: 1000, output: 100, model: 'claude-sonnet-4-5' }),
  ]);
  const fifo = path.join(claude, 'projects', '-work-hardening', 'fifo.jsonl');
  execFileSync('mkfifo', [fifo]);
  fs.symlinkSync('/dev/zero', path.join(claude, 'projects', '-work-hardening', 'zero.jsonl'));
  writeFile(path.join(env.TCE_DATA_DIR as string, 'config.json'), {
    pollIntervalSeconds: 1,
    priceOverrides: { 'claude-sonnet-4-5': { input: 1e308, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 } },
  });

  const cli = await tce(['usage', '--json'], env);
  assert.equal(cli.code, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout) as UsageReport;
  assert.equal(expected.totals.totalTokens, 1100);
  assert.ok(Number.isFinite(expected.totals.costUSD) && expected.totals.costUSD > 0);

  const dash = spawn(process.execPath, [TCE_BIN, 'dashboard', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  dash.stdout.on('data', (c: Buffer) => (out += c.toString()));
  dash.stderr.on('data', (c: Buffer) => (out += c.toString()));
  t.after(() => void dash.kill('SIGKILL'));
  const url = await waitFor(`the dashboard URL (${out})`, () => /TCE dashboard: (http:\/\/\S+)/.exec(out)?.[1], 30_000);
  const login = await waitFor('the login link', () => /Log in .*: (http:\/\/\S+)/.exec(out)?.[1], 30_000);

  const browser = await browserFor(t);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchPageErrors(page);
  await page.goto(login);
  await page.waitForURL(url);
  const warnings = page.getByTestId('warnings');
  await warnings.waitFor({ timeout: 30_000 });
  await waitFor('every gap and refused value named', async () => {
    const text = await warnings.innerText();
    return text.includes(`Usage: skipped ${fifo}: a FIFO, not a regular file`) && text.includes('zero.jsonl: a symbolic link') && /priceOverrides\.claude-sonnet-4-5\.input must be a price from 0 to 1000/.test(text);
  }, 30_000, 200);

  await page.getByRole('tab', { name: 'Usage' }).click();
  const cost = page.getByTestId('usage-total-cost');
  await cost.waitFor();
  assert.equal(Number(await page.getByTestId('usage-total-tokens').getAttribute('data-value')), 1100);
  const shown = Number(await cost.getAttribute('data-value'));
  assert.ok(Number.isFinite(shown) && Math.abs(shown - expected.totals.costUSD) < 1e-9, `${shown} vs ${expected.totals.costUSD}`);
  const body = await page.locator('body').innerText();
  assert.doesNotMatch(body, /Infinity|NaN|In,fin/);
  await page.screenshot({ path: outputPath('dashboard-e2e-hardening.png'), fullPage: true });
  assert.deepEqual(errors, [], 'no page error');
});
