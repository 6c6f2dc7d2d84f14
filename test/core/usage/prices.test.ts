// The built-in price table in every spelling providers write, how one response is priced (tiers, fast mode, US
// inference, web search), and what stays unpriced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PriceTable, normaliseModel, requestCost } from '../../../src/core/usage/index.js';
import { FAST_REQUEST, US_INFERENCE } from '../../../src/core/usage/prices.js';

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
  ['claude-opus-5', 'claude-opus-5', OPUS_45],
  ['us.anthropic.claude-opus-5-5', 'claude-opus-5-5', P(4, 20, 5, 8, 0.2)],
  ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet', SONNET],
  ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet', SONNET],
  ['claude-sonnet-3-7', 'claude-3-7-sonnet', SONNET],
  ['claude-sonnet-4-20250514', 'claude-sonnet-4', SONNET],
  ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', SONNET],
  ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', SONNET],
  ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5', SONNET],
  ['claude-sonnet-4-6', 'claude-sonnet-4-6', SONNET],
  ['claude-sonnet-5', 'claude-sonnet-5', P(2, 10, 2.5, 4, 0.2)],
  ['anthropic.claude-sonnet-5-5', 'claude-sonnet-5-5', P(2, 10, 2.5, 4, 0.1)],
  ['claude-haiku-4-5-20251001', 'claude-haiku-4-5', HAIKU_45],
  ['eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5', HAIKU_45],
  ['claude-3-5-haiku-20241022', 'claude-3-5-haiku', HAIKU_35],
  ['claude-3-5-haiku@20241022', 'claude-3-5-haiku', HAIKU_35],
  ['claude-fable-5-1', 'claude-fable-5-1', P(10, 50, 12.5, 20, 0.25)],
  ['claude-mythos-5', 'claude-mythos-5', P(10, 50, 12.5, 20, 1)],
];

test('every model has its price, whatever the provider spelling', () => {
  const table = new PriceTable();
  for (const [raw, id, price] of CASES) {
    assert.equal(normaliseModel(raw), id, raw);
    const { longPrompt: _l, fast: _f, webSearch: _w, ...rates } = table.get(id)!;
    assert.deepEqual(rates, price, raw);
  }
});

test('unknown and future models stay unpriced; an override prices them and wins over the table', () => {
  const table = new PriceTable();
  for (const raw of ['claude-opus-6', 'claude-sonnet-6-20270101', 'us.anthropic.claude-opus-6-v1:0', 'gpt-4o', 'unknown']) {
    assert.equal(table.get(normaliseModel(raw)), undefined, raw);
  }
  const custom = new PriceTable({ 'us.anthropic.claude-opus-6-v1:0': P(10, 50, 12.5, 20, 1), 'claude-haiku-5-5': P(2, 2, 2, 2, 2) });
  assert.deepEqual(custom.get('claude-opus-6'), P(10, 50, 12.5, 20, 1));
  assert.deepEqual(custom.get('claude-haiku-5-5'), P(2, 2, 2, 2, 2), 'the override replaces the long-prompt tier too');
  assert.deepEqual(custom.get('claude-sonnet-4-5'), SONNET);
});

const tokens = { input: 1000, output: 2000, cacheWrite5m: 3000, cacheWrite1h: 4000, cacheRead: 5000, webSearch: 0, flags: 0 };
const at = (p: ReturnType<typeof P>, t = tokens) => (t.input * p.input + t.output * p.output + t.cacheWrite5m * p.cacheWrite5m + t.cacheWrite1h * p.cacheWrite1h + t.cacheRead * p.cacheRead) / 1e6;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);

test('request cost: every token kind at its rate; web searches at $0.01 each; no premium for long Sonnet prompts', () => {
  const table = new PriceTable();
  close(requestCost(table.get('claude-opus-4-1')!, tokens), at(OPUS_4), 'opus 4.1');
  close(requestCost(table.get('claude-haiku-4-5')!, { ...tokens, webSearch: 3 }), at(HAIKU_45) + 0.03, 'web search');
  // Claude Code prices Sonnet 4.5 at the same rates whatever the prompt size: so does TCE.
  const big = { ...tokens, cacheRead: 300_000 };
  close(requestCost(table.get('claude-sonnet-4-5')!, big), at(SONNET, big), 'sonnet 4.5 over 200k');
});

test("Haiku 5.5's long-prompt tier: a prompt (input + cache writes + cache reads) above 100k reprices every token of the response", () => {
  const haiku = new PriceTable().get('claude-haiku-5-5')!;
  const standard = P(0.1, 0.5, 0.125, 0.2, 0.01);
  const long = P(0.5, 2.5, 0.625, 1, 0.05);
  // Exactly 100k of prompt: standard; output does not count toward the threshold.
  const edge = { ...tokens, input: 10_000, cacheWrite5m: 20_000, cacheWrite1h: 30_000, cacheRead: 40_000, output: 500_000 };
  close(requestCost(haiku, edge), at(standard, edge), 'exactly 100k');
  const over = { ...edge, input: 10_001 };
  close(requestCost(haiku, over), at(long, over), 'one token over: everything, output included, at the long-prompt rates');
  close(requestCost(haiku, { ...over, webSearch: 2 }), at(long, over) + 0.02, 'web searches keep their price');
});

test('fast mode pays the fast rates where the model has them; US-only inference adds 10% to the tokens, not to web searches', () => {
  const table = new PriceTable();
  const opus55 = table.get('claude-opus-5-5')!;
  close(requestCost(opus55, { ...tokens, flags: FAST_REQUEST }), at(P(8, 40, 10, 16, 0.4)), 'opus 5.5 fast');
  close(requestCost(table.get('claude-opus-4-6')!, { ...tokens, flags: FAST_REQUEST }), at(P(30, 150, 37.5, 60, 3)), 'opus 4.6 fast');
  close(requestCost(table.get('claude-sonnet-4-5')!, { ...tokens, flags: FAST_REQUEST }), at(SONNET), 'no fast rates: standard');
  close(requestCost(opus55, { ...tokens, flags: US_INFERENCE, webSearch: 1 }), at(P(4, 20, 5, 8, 0.2)) * 1.1 + 0.01, 'US inference');
  // A fast request is never repriced by the long-prompt tier (Haiku 5.5 has no fast rates: long prompt applies).
  const haiku = table.get('claude-haiku-5-5')!;
  const over = { ...tokens, cacheRead: 200_000, flags: FAST_REQUEST };
  close(requestCost(haiku, over), at(P(0.5, 2.5, 0.625, 1, 0.05), over), 'haiku 5.5 fast, long prompt');
});

test('the price fingerprint names the prices: equal tables agree whatever their key order, any changed price changes it', () => {
  const base = new PriceTable().fingerprint;
  assert.match(base, /^[0-9a-f]{8}$/);
  assert.equal(new PriceTable({}).fingerprint, base);
  const a = new PriceTable({ 'claude-x-1': SONNET, 'claude-y-1': HAIKU_45 }).fingerprint;
  const b = new PriceTable({ 'claude-y-1': { ...HAIKU_45 }, 'claude-x-1': { cacheRead: 0.3, cacheWrite1h: 6, cacheWrite5m: 3.75, output: 15, input: 3 } }).fingerprint;
  assert.equal(a, b);
  assert.notEqual(a, base);
  assert.notEqual(new PriceTable({ 'claude-sonnet-4-5': { ...SONNET, cacheRead: 0.31 } }).fingerprint, base, 'one rate of one model');
  // An override equal to the built-in price changes nothing.
  assert.equal(new PriceTable({ 'claude-sonnet-4-5': { ...SONNET, webSearch: undefined } as typeof SONNET }).fingerprint, base);
});
