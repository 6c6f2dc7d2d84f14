/**
 * Token and cost accumulators shared by every aggregate, and by the dashboard's date ranges (plain code: the renderer
 * bundles it).
 */
import type { TokenTotals } from './types.js';

export function emptyTotals(): TokenTotals {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0, webSearchRequests: 0, costUSD: 0, unpricedTokens: 0 };
}

export function addTotals(into: TokenTotals, from: TokenTotals): void {
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cacheCreationTokens += from.cacheCreationTokens;
  into.cacheReadTokens += from.cacheReadTokens;
  into.totalTokens += from.totalTokens;
  into.webSearchRequests += from.webSearchRequests;
  into.costUSD += from.costUSD;
  into.unpricedTokens += from.unpricedTokens;
}

/** Sums of float costs drift (0.1 + 0.2); reports show costs rounded to a millionth of a dollar. */
export function roundCost<T extends TokenTotals>(t: T): T {
  t.costUSD = Math.round(t.costUSD * 1e6) / 1e6;
  return t;
}

export function byCostThenTokens(a: TokenTotals, b: TokenTotals): number {
  return b.costUSD - a.costUSD || b.totalTokens - a.totalTokens;
}
