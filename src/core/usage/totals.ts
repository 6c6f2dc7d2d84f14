/** Token and cost accumulators shared by every aggregate. */
import type { TokenTotals } from './types.js';
import type { UsageRecord } from './usage-index.js';

export { addTotals, emptyTotals } from '../../shared/token-totals.js';

export function addRecord(t: TokenTotals, r: UsageRecord, cost: number): void {
  t.inputTokens += r.input;
  t.outputTokens += r.output;
  t.cacheCreationTokens += r.cacheWrite5m + r.cacheWrite1h;
  t.cacheReadTokens += r.cacheRead;
  t.totalTokens += r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;
  t.costUSD += cost;
}

/** Sums of float costs drift (0.1 + 0.2); reports show costs rounded to a millionth of a dollar. */
export function roundCost<T extends TokenTotals>(t: T): T {
  t.costUSD = Math.round(t.costUSD * 1e6) / 1e6;
  return t;
}

export function byCostThenTokens(a: TokenTotals, b: TokenTotals): number {
  return b.costUSD - a.costUSD || b.totalTokens - a.totalTokens;
}
