/** Token and cost sums, shared by the usage engine (core) and the dashboard's date ranges (renderer). */
import type { TokenTotals } from '../core/usage/types.js';

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
