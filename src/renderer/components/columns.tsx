/** Column declarations more than one table uses: token counts and costs, formatted and aligned the same everywhere. */
import type { TokenTotals } from '../../shared/api.js';
import type { Column } from '../model/columns.js';
import { formatTokens } from '../model/format.js';
import { Cost, type CostProps } from './Cost.js';

export const TOKEN_WIDTH = 76;
export const COST_WIDTH = 108;

export function tokenColumn<Row>(key: string, header: string, get: (row: Row) => number, priority: number): Column<Row> {
  return { key, header, priority, minWidth: key === 'cacheWrite' || key === 'cacheRead' ? 104 : TOKEN_WIDTH, align: 'end', render: (r) => formatTokens(get(r)), value: get };
}

export function costColumn<Row>(cost: (row: Row) => CostProps, priority = 1, header = 'Cost', key = 'cost'): Column<Row> {
  return { key, header, priority, minWidth: COST_WIDTH, align: 'end', render: (r) => <Cost {...cost(r)} />, value: (r) => cost(r).usd };
}

/** Input, output, cache write and cache read: the breakdown, less important than the total. */
export function tokenBreakdown<Row extends TokenTotals>(priority: number): Array<Column<Row>> {
  return [
    tokenColumn<Row>('input', 'Input', (r) => r.inputTokens, priority),
    tokenColumn<Row>('output', 'Output', (r) => r.outputTokens, priority),
    tokenColumn<Row>('cacheWrite', 'Cache write', (r) => r.cacheCreationTokens, priority + 1),
    tokenColumn<Row>('cacheRead', 'Cache read', (r) => r.cacheReadTokens, priority + 1),
  ];
}

export function totalTokensColumn<Row extends TokenTotals>(priority = 1, header = 'Tokens'): Column<Row> {
  return tokenColumn<Row>('tokens', header, (r) => r.totalTokens, priority);
}
