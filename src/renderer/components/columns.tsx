/** Column declarations more than one table uses: token counts and costs, formatted and aligned the same everywhere. */
import type { ClaudeCodeCost as Figure, TokenTotals } from '../../shared/api.js';
import type { Column } from '../model/columns.js';
import { formatCount, formatTokens } from '../model/format.js';
import { ClaudeCodeCost, NotInTranscripts } from './ClaudeCodeCost.js';
import { Cost, type CostProps } from './Cost.js';
import { LOCAL_MACHINE } from '../../core/fleet/combined.js';

export const TOKEN_WIDTH = 76;
export const COST_WIDTH = 108;

export function tokenColumn<Row>(key: string, header: string, get: (row: Row) => number, priority: number): Column<Row> {
  return { key, header, priority, minWidth: key === 'cacheWrite' || key === 'cacheRead' ? 104 : TOKEN_WIDTH, align: 'end', render: (r) => formatTokens(get(r)), value: get };
}

export function costColumn<Row>(cost: (row: Row) => CostProps, priority = 1, header = 'Cost', key = 'cost'): Column<Row> {
  return { key, header, priority, minWidth: COST_WIDTH, align: 'end', render: (r) => <Cost {...cost(r)} />, value: (r) => cost(r).usd };
}

/**
 * Claude Code's own figure and what it adds to the transcripts ("not in transcripts"), as two columns: the figure
 * beside TCE's cost (`priority`), the difference when there is room for it (`differencePriority`).
 */
export function claudeCodeColumns<Row>(get: (row: Row) => Figure | null, priority: number, differencePriority: number): Array<Column<Row>> {
  return [
    { key: 'claudeCode', header: 'Claude Code', priority, minWidth: 118, align: 'end', render: (r) => <ClaudeCodeCost cc={get(r)} />, value: (r) => get(r)?.costUSD },
    {
      key: 'notInTranscripts',
      header: 'Not in transcripts',
      priority: differencePriority,
      minWidth: 140,
      align: 'end',
      render: (r) => <NotInTranscripts cc={get(r)} />,
      value: (r) => get(r)?.notInTranscriptsUSD,
    },
  ];
}

/** Web search requests, priced per request (in the cost). */
export function searchesColumn<Row extends Pick<TokenTotals, 'webSearchRequests'>>(priority: number): Column<Row> {
  return { key: 'searches', header: 'Searches', priority, minWidth: 84, align: 'end', render: (r) => formatCount(r.webSearchRequests), value: (r) => r.webSearchRequests };
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

/** The machine a row is from: a remote one by its name in the settings, else this machine. */
export function machineColumn<Row extends { machine?: string }>(priority = 1): Column<Row> {
  return {
    key: 'machine',
    header: 'Machine',
    priority,
    minWidth: 112,
    abbreviated: true,
    render: (r) => (r.machine === undefined ? <span className="muted">{LOCAL_MACHINE}</span> : r.machine),
    title: (r) => r.machine ?? LOCAL_MACHINE,
    detail: (r) => r.machine ?? LOCAL_MACHINE,
    value: (r) => r.machine ?? '',
  };
}
