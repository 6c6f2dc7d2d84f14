/** Token and cost accumulators shared by every aggregate. */
import type { TokenTotals } from './types.js';

export { addTotals, emptyTotals } from '../../shared/token-totals.js';

/** Sums of float costs drift (0.1 + 0.2); reports show costs rounded to a millionth of a dollar. */
export function roundCost<T extends TokenTotals>(t: T): T {
  t.costUSD = Math.round(t.costUSD * 1e6) / 1e6;
  return t;
}

export function byCostThenTokens(a: TokenTotals, b: TokenTotals): number {
  return b.costUSD - a.costUSD || b.totalTokens - a.totalTokens;
}
