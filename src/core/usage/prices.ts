/**
 * The built-in, offline price table and model-id normalisation.
 * Prices are USD per million tokens (late 2026 list prices).
 */
import type { ModelPrice } from '../settings/types.js';

export type { ModelPrice } from '../settings/types.js';

const OPUS_4: ModelPrice = { input: 15, output: 75, cacheWrite5m: 18.75, cacheWrite1h: 30, cacheRead: 1.5 };
const OPUS_45: ModelPrice = { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 };
const SONNET: ModelPrice = { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 };
const HAIKU_45: ModelPrice = { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 };
const HAIKU_35: ModelPrice = { input: 0.8, output: 4, cacheWrite5m: 1, cacheWrite1h: 1.6, cacheRead: 0.08 };

/** Keyed by normalised model id (see `normaliseModel`). */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4': OPUS_4,
  'claude-opus-4-1': OPUS_4,
  'claude-opus-4-5': OPUS_45,
  'claude-opus-4-6': OPUS_45,
  'claude-opus-4-7': OPUS_45,
  'claude-opus-4-8': OPUS_45,
  'claude-3-7-sonnet': SONNET,
  'claude-sonnet-4': SONNET,
  'claude-sonnet-4-5': SONNET,
  'claude-sonnet-4-6': SONNET,
  'claude-haiku-4-5': HAIKU_45,
  'claude-3-5-haiku': HAIKU_35,
};

/** Models whose requests above 200k input tokens are priced entirely at long-context rates. */
const LONG_CONTEXT_MODELS = new Set(['claude-sonnet-4', 'claude-sonnet-4-5']);
export const LONG_CONTEXT_THRESHOLD = 200_000;
const LONG_CONTEXT_INPUT_FACTOR = 2;
const LONG_CONTEXT_OUTPUT_FACTOR = 1.5;

const normalised = new Map<string, string>();

/**
 * One id per model whatever the provider wrote: drops Bedrock/Vertex decorations
 * (`us.anthropic.` prefix, `-v1:0` suffix, `@2025...`), date suffixes, `[1m]`, and the `-0` alias of 4.0 models;
 * old `claude-sonnet-3-7`-style spellings map to the official `claude-3-7-sonnet`.
 */
export function normaliseModel(raw: string): string {
  const cached = normalised.get(raw);
  if (cached !== undefined) return cached;
  let id = raw.trim().toLowerCase();
  id = id.replace(/\[1m\]$/, '');
  id = id.replace(/^(?:anthropic|bedrock|vertex_ai)\//, '');
  id = id.replace(/^(?:[a-z]{2,6}\.)?anthropic\./, '');
  id = id.replace(/-v\d+(?::\d+)?$/, '');
  id = id.replace(/@.*$/, '');
  id = id.replace(/-\d{8}$/, '');
  id = id.replace(/^(claude-(?:opus|sonnet|haiku)-4)-0$/, '$1');
  const old = /^claude-(sonnet|haiku|opus)-3-([57])$/.exec(id);
  if (old) id = `claude-3-${old[2]}-${old[1]}`;
  normalised.set(raw, id);
  return id;
}

/** Overrides win over the built-in table; both are looked up by normalised id. */
export class PriceTable {
  private readonly prices = new Map<string, ModelPrice>();

  constructor(overrides: Record<string, ModelPrice> = {}) {
    for (const [model, price] of Object.entries(BUILT_IN_PRICES)) this.prices.set(model, price);
    for (const [model, price] of Object.entries(overrides)) this.prices.set(normaliseModel(model), price);
  }

  /** Price of a normalised model id, or undefined when unknown (unpriced, never $0). */
  get(model: string): ModelPrice | undefined {
    return this.prices.get(model);
  }
}

export interface PricedTokens {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** Cost in USD of one request. Sonnet 4/4.5 requests with more than 200k input-side tokens pay long-context rates on every token. */
export function requestCost(model: string, price: ModelPrice, t: PricedTokens): number {
  const inputSide = t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
  const long = LONG_CONTEXT_MODELS.has(model) && inputSide > LONG_CONTEXT_THRESHOLD;
  const inFactor = long ? LONG_CONTEXT_INPUT_FACTOR : 1;
  const outFactor = long ? LONG_CONTEXT_OUTPUT_FACTOR : 1;
  return (
    (t.input * price.input * inFactor +
      t.cacheWrite5m * price.cacheWrite5m * inFactor +
      t.cacheWrite1h * price.cacheWrite1h * inFactor +
      t.cacheRead * price.cacheRead * inFactor +
      t.output * price.output * outFactor) /
    1_000_000
  );
}
