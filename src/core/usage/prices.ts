/**
 * The built-in, offline price table and model-id normalisation: the one home of prices.
 *
 * Every model and rate is Claude Code's own (2.1.332, the model catalog embedded in its binary, and the fast-mode
 * rates beside it), priced the way Claude Code prices a response, so TCE's transcript figure and Claude Code's own
 * tally (`cost-state`) compare. test/core/usage/claude-code-prices.test.ts reads the table out of the installed
 * package and fails when it knows a model or rate this file prices differently.
 * Prices are USD per million tokens.
 */
import type { ModelPrice, TokenRates } from '../settings/types.js';

export type { ModelPrice, TokenRates } from '../settings/types.js';

/** Claude Code charges this per web search request, for every model of its table. */
export const WEB_SEARCH_USD = 0.01;

const rates = (input: number, output: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number): TokenRates => ({ input, output, cacheWrite5m, cacheWrite1h, cacheRead });

// Claude Code's pricing tiers, named as in its catalog.
const TIER_2_10 = rates(2, 10, 2.5, 4, 0.2);
const TIER_2_10_CACHE_READ_0_10 = rates(2, 10, 2.5, 4, 0.1);
const TIER_3_15 = rates(3, 15, 3.75, 6, 0.3);
const TIER_5_25 = rates(5, 25, 6.25, 10, 0.5);
const TIER_15_75 = rates(15, 75, 18.75, 30, 1.5);
const TIER_10_50 = rates(10, 50, 12.5, 20, 1);
const TIER_10_50_CACHE_READ_0_25 = rates(10, 50, 12.5, 20, 0.25);
const TIER_4_20_CACHE_READ_0_20 = rates(4, 20, 5, 8, 0.2);
const TIER_8_40_CACHE_READ_0_20 = rates(8, 40, 10, 16, 0.2);
const HAIKU_35 = rates(0.8, 4, 1, 1.6, 0.08);
const HAIKU_45 = rates(1, 5, 1.25, 2, 0.1);
const HAIKU_55: ModelPrice = { ...rates(0.1, 0.5, 0.125, 0.2, 0.01), longPrompt: { abovePromptTokens: 100_000, ...rates(0.5, 2.5, 0.625, 1, 0.05) } };
// Fast mode (`usage.speed: "fast"`): Claude Code keeps these beside the catalog, for these models only.
const FAST_30_150 = rates(30, 150, 37.5, 60, 3);
const FAST_10_50 = rates(10, 50, 12.5, 20, 1);
const FAST_8_40 = rates(8, 40, 10, 16, 0.4);
const FAST_16_80 = rates(16, 80, 20, 32, 0.4);

/** Keyed by normalised model id (see `normaliseModel`). Claude Code charges $0.01 per web search on every one. */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-3-5-haiku': HAIKU_35,
  'claude-haiku-4-5': HAIKU_45,
  'claude-haiku-5-5': HAIKU_55,
  'claude-3-5-sonnet': TIER_3_15,
  'claude-3-7-sonnet': TIER_3_15,
  'claude-sonnet-4': TIER_3_15,
  'claude-sonnet-4-5': TIER_3_15,
  'claude-sonnet-4-6': TIER_3_15,
  'claude-sonnet-5': TIER_2_10,
  'claude-sonnet-5-5': TIER_2_10_CACHE_READ_0_10,
  'claude-opus-4': TIER_15_75,
  'claude-opus-4-1': TIER_15_75,
  'claude-opus-4-5': TIER_5_25,
  'claude-opus-4-6': { ...TIER_5_25, fast: FAST_30_150 },
  'claude-opus-4-7': { ...TIER_5_25, fast: FAST_30_150 },
  'claude-opus-4-8': { ...TIER_5_25, fast: FAST_10_50 },
  'claude-opus-5': { ...TIER_5_25, fast: FAST_10_50 },
  'claude-opus-5-5': { ...TIER_4_20_CACHE_READ_0_20, fast: FAST_8_40 },
  'claude-fable-5': TIER_10_50,
  'claude-fable-5-1': TIER_10_50_CACHE_READ_0_25,
  'claude-fable-5-2': { ...TIER_8_40_CACHE_READ_0_20, fast: FAST_16_80 },
  'claude-mythos-5': TIER_10_50,
  'claude-mythos-5-1': TIER_10_50_CACHE_READ_0_25,
  'claude-mythos-5-2': { ...TIER_8_40_CACHE_READ_0_20, fast: FAST_16_80 },
};

/** Bits of a response's `flags`: how it was served, which changes its price. */
export const FAST_REQUEST = 1;
/** `usage.inference_geo: "us"`: Claude Code adds 10% to the token cost (not to web searches). */
export const US_INFERENCE = 2;
const US_INFERENCE_FACTOR = 1.1;

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
  id = id.replace(/@.*$/, '');
  id = id.replace(/-v\d+(?::\d+)?$/, '');
  id = id.replace(/-\d{8}$/, '');
  id = id.replace(/^(claude-(?:opus|sonnet|haiku)-4)-0$/, '$1');
  const old = /^claude-(sonnet|haiku|opus)-3-([57])$/.exec(id);
  if (old) id = `claude-3-${old[2]}-${old[1]}`;
  normalised.set(raw, id);
  return id;
}

/** A value as JSON with object keys sorted, so equal tables write equal text whatever order they were built in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a, 32 bits, as 8 hex digits: a short name for a text, not a secret. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Overrides win over the built-in table; both are looked up by normalised id. */
export class PriceTable {
  private readonly prices = new Map<string, ModelPrice>();
  /**
   * Names the prices costs are computed with (8 hex digits): equal tables have equal fingerprints, and a change of any
   * price (an override, a TCE version with new prices) gives another. /metrics labels its cost counters with it, since
   * a price change re-prices the whole history.
   */
  readonly fingerprint: string;

  constructor(overrides: Record<string, ModelPrice> = {}) {
    for (const [model, price] of Object.entries(BUILT_IN_PRICES)) this.prices.set(model, price);
    for (const [model, price] of Object.entries(overrides)) this.prices.set(normaliseModel(model), price);
    this.fingerprint = fnv1a(canonicalJson(Object.fromEntries(this.prices)));
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
  /** Web search requests the response made. */
  webSearch: number;
  /** FAST_REQUEST | US_INFERENCE */
  flags: number;
}

/**
 * Cost in USD of one response, as Claude Code prices it: a fast-mode response pays the model's fast rates when it
 * has them; otherwise a response whose prompt (input + cache writes + cache reads; output does not count) is above
 * the model's long-prompt threshold pays the long-prompt rates on every token, output included. US-only inference
 * adds 10% to the tokens; web searches cost their own price per request.
 */
export function requestCost(price: ModelPrice, t: PricedTokens): number {
  let r: TokenRates = price;
  if ((t.flags & FAST_REQUEST) !== 0 && price.fast) r = price.fast;
  else if (price.longPrompt && t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead > price.longPrompt.abovePromptTokens) r = price.longPrompt;
  const tokens = (t.input * r.input + t.output * r.output + t.cacheWrite5m * r.cacheWrite5m + t.cacheWrite1h * r.cacheWrite1h + t.cacheRead * r.cacheRead) / 1_000_000;
  return tokens * ((t.flags & US_INFERENCE) !== 0 ? US_INFERENCE_FACTOR : 1) + t.webSearch * (price.webSearch ?? WEB_SEARCH_USD);
}
