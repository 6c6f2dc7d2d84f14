/**
 * A cost as every table and card shows it. The one place that marks a cost with an unpriced share: tokens of a model
 * with no known price add nothing to the dollars, so the figure is a lower bound and says so (≥, with what it leaves
 * out on hover), and a cost of which nothing is priced reads "unknown", never $0.00. Every row of a report carries
 * `unpricedTokens`, so the mark never depends on which model list a page has at hand.
 */
import type { TokenTotals } from '../../shared/api.js';
import { formatCost, formatTokens, shortModel } from '../model/format.js';

export interface CostProps {
  usd: number;
  /** Tokens the cost leaves out (responses of models with no known price). */
  unpricedTokens: number;
  /** Which models those are, for the hover, when the row knows them. */
  unpricedModels?: readonly string[];
}

/** The cost of a row of a report, with the models behind its unpriced share when known. */
export function costOf(t: Pick<TokenTotals, 'costUSD' | 'unpricedTokens'>, unpricedModels?: readonly string[]): CostProps {
  return { usd: t.costUSD, unpricedTokens: t.unpricedTokens, unpricedModels };
}

/** True when nothing of the cost is priced: it is unknown rather than the (zero) sum. */
export function isUnknownCost({ usd, unpricedTokens }: CostProps): boolean {
  return unpricedTokens > 0 && usd === 0;
}

function leftOut({ unpricedTokens, unpricedModels }: CostProps): string {
  const models = unpricedModels?.length ? ` of ${unpricedModels.map(shortModel).join(', ')}` : '';
  return `${formatTokens(unpricedTokens)} tokens${models}`;
}

export function Cost(props: CostProps) {
  const { usd, unpricedTokens } = props;
  if (isUnknownCost(props)) {
    return (
      <span className="cost cost-unknown" title={`No known price for ${leftOut(props)}: the cost is unknown, not zero.`}>
        unknown
      </span>
    );
  }
  if (unpricedTokens <= 0) return <span className="cost">{formatCost(usd)}</span>;
  return (
    <span className="cost cost-partial" title={`At least: plus ${leftOut(props)}, which have no known price and are not counted.`}>
      <span className="unpriced-mark">≥</span>
      {formatCost(usd)}
    </span>
  );
}
