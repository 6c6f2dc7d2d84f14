// The built-in price table for every model of the notes, in every spelling providers write, and what stays unpriced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PriceTable, normaliseModel, requestCost } from '../../../src/core/usage/index.js';

const P = (input: number, output: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number) => ({ input, output, cacheWrite5m, cacheWrite1h, cacheRead });
const OPUS_4 = P(15, 75, 18.75, 30, 1.5);
const OPUS_45 = P(5, 25, 6.25, 10, 0.5);
const SONNET = P(3, 15, 3.75, 6, 0.3);
const HAIKU_45 = P(1, 5, 1.25, 2, 0.1);
const HAIKU_35 = P(0.8, 4, 1, 1.6, 0.08);

const CASES: Array<[string, string, ReturnType<typeof P>]> = [
  ['claude-opus-4-20250514', 'claude-opus-4', OPUS_4],
  ['claude-opus-4-0', 'claude-opus-4', OPUS_4],
  ['claude-opus-4-1-20250805', 'claude-opus-4-1', OPUS_4],
  ['claude-opus-4-1@20250805', 'claude-opus-4-1', OPUS_4],
  ['claude-opus-4-5-20251101', 'claude-opus-4-5', OPUS_45],
  ['claude-opus-4-6', 'claude-opus-4-6', OPUS_45],
  ['claude-opus-4-7[1m]', 'claude-opus-4-7', OPUS_45],
  ['claude-opus-4-8', 'claude-opus-4-8', OPUS_45],
  ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet', SONNET],
  ['claude-sonnet-3-7', 'claude-3-7-sonnet', SONNET],
  ['claude-sonnet-4-20250514', 'claude-sonnet-4', SONNET],
  ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', SONNET],
  ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', SONNET],
  ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5', SONNET],
  ['claude-sonnet-4-6', 'claude-sonnet-4-6', SONNET],
  ['claude-haiku-4-5-20251001', 'claude-haiku-4-5', HAIKU_45],
  ['eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5', HAIKU_45],
  ['claude-3-5-haiku-20241022', 'claude-3-5-haiku', HAIKU_35],
  ['claude-3-5-haiku@20241022', 'claude-3-5-haiku', HAIKU_35],
];

test('every model of the notes has its price, whatever the provider spelling', () => {
  const table = new PriceTable();
  for (const [raw, id, price] of CASES) {
    assert.equal(normaliseModel(raw), id, raw);
    assert.deepEqual(table.get(id), price, raw);
  }
});

test('unknown and future models stay unpriced; an override prices them and wins over the table', () => {
  const table = new PriceTable();
  for (const raw of ['claude-opus-5', 'claude-sonnet-5-20270101', 'us.anthropic.claude-opus-5-v1:0', 'gpt-4o', 'unknown']) {
    assert.equal(table.get(normaliseModel(raw)), undefined, raw);
  }
  const custom = new PriceTable({ 'us.anthropic.claude-opus-5-v1:0': P(10, 50, 12.5, 20, 1), 'claude-haiku-4-5-20251001': P(2, 2, 2, 2, 2) });
  assert.deepEqual(custom.get('claude-opus-5'), P(10, 50, 12.5, 20, 1));
  assert.deepEqual(custom.get('claude-haiku-4-5'), P(2, 2, 2, 2, 2));
  assert.deepEqual(custom.get('claude-sonnet-4-5'), SONNET);
});

test('request cost: every token kind at its rate; long context only for Sonnet 4 and 4.5 above 200k input', () => {
  const t = { input: 1000, output: 2000, cacheWrite5m: 3000, cacheWrite1h: 4000, cacheRead: 5000 };
  const expected = (p: ReturnType<typeof P>, inF = 1, outF = 1) => (1000 * p.input * inF + 3000 * p.cacheWrite5m * inF + 4000 * p.cacheWrite1h * inF + 5000 * p.cacheRead * inF + 2000 * p.output * outF) / 1e6;
  assert.equal(requestCost('claude-opus-4-1', OPUS_4, t), expected(OPUS_4));
  assert.equal(requestCost('claude-haiku-4-5', HAIKU_45, t), expected(HAIKU_45));
  const big = { ...t, cacheRead: 200_000 };
  const bigCost = (p: ReturnType<typeof P>, inF: number, outF: number) => (1000 * p.input * inF + 3000 * p.cacheWrite5m * inF + 4000 * p.cacheWrite1h * inF + 200_000 * p.cacheRead * inF + 2000 * p.output * outF) / 1e6;
  for (const model of ['claude-sonnet-4', 'claude-sonnet-4-5']) assert.ok(Math.abs(requestCost(model, SONNET, big) - bigCost(SONNET, 2, 1.5)) < 1e-12, model);
  for (const model of ['claude-sonnet-4-6', 'claude-3-7-sonnet']) assert.ok(Math.abs(requestCost(model, SONNET, big) - bigCost(SONNET, 1, 1)) < 1e-12, model);
  assert.ok(Math.abs(requestCost('claude-opus-4-5', OPUS_45, big) - bigCost(OPUS_45, 1, 1)) < 1e-12);
});
