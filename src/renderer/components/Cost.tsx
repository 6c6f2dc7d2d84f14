/**
 * A cost as every table and card shows it. The one place that marks a cost with an unpriced share: a model with no
 * known price adds tokens but no dollars, so the figure is a lower bound and says so (≥, with the models on hover).
 */
import { formatCost, shortModel } from '../model/format.js';

export interface CostProps {
  usd: number;
  /** Models whose share of this cost is not counted (no price known). */
  unpriced?: readonly string[];
  /** Nothing of it is priced: the cost is unknown rather than the (zero) sum. */
  unknown?: boolean;
}

function unpricedNote(models: readonly string[]): string {
  return `Plus usage of ${models.map(shortModel).join(', ')}, which has no known price and is not counted.`;
}

export function Cost({ usd, unpriced, unknown }: CostProps) {
  if (unknown) {
    return (
      <span className="cost cost-unknown" title={unpriced?.length ? `No known price for ${unpriced.join(', ')}.` : 'No known price.'}>
        unknown
      </span>
    );
  }
  if (!unpriced || unpriced.length === 0) return <span className="cost">{formatCost(usd)}</span>;
  return (
    <span className="cost cost-partial" title={unpricedNote(unpriced)}>
      <span className="unpriced-mark">
        ≥
      </span>
      {formatCost(usd)}
    </span>
  );
}
