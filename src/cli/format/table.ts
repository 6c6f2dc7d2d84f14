/**
 * Plain-text tables for the CLI: columns padded by display width, narrowed to fit the terminal where they may be.
 * Commands import this module only when they print a table (`await import`): --json output never loads string-width.
 */
import { displayWidth, pad, truncateEnd, truncateStart, wrap } from './text-width.js';

export type Align = 'left' | 'right';

/**
 * How a column gives way when the table is wider than the output: `wrap` onto more lines (lists such as the models),
 * `truncate-start` (paths: the end names the project) or `truncate-end` (names, prompts). Columns without it (numbers,
 * dates) never change.
 */
export type Fit = 'wrap' | 'truncate-start' | 'truncate-end';

export interface Column {
  title: string;
  align?: Align;
  fit?: Fit;
  /** Narrowest this column gets when it gives way; default its title's width, at least 8. */
  minWidth?: number;
  /** Widest it ever gets, whatever the output's width (a first prompt, say). */
  maxWidth?: number;
}

export interface TableOptions {
  /** A last row under a rule (totals). */
  footer?: string[];
  /** Width of the output in columns (text-width.ts: outputWidth); default no limit. */
  width?: number;
  /** A rule of dashes under the header; default true. */
  rule?: boolean;
  /** Styles the header line (bold in `tce status`). */
  header?: (line: string) => string;
}

const GAP = 2;

/** Each column's width: its widest cell, then the columns that may give way narrowed (widest first) to fit `width`. */
function columnWidths(columns: Column[], all: string[][], width: number): number[] {
  const widths = columns.map((c, i) => {
    const natural = Math.max(displayWidth(c.title), ...all.map((r) => displayWidth(r[i] ?? '')));
    return c.maxWidth === undefined ? natural : Math.min(natural, Math.max(c.maxWidth, displayWidth(c.title)));
  });
  let excess = widths.reduce((sum, w) => sum + w, 0) + GAP * (columns.length - 1) - width;
  const floor = (i: number) => columns[i]?.minWidth ?? Math.max(8, displayWidth(columns[i]?.title ?? ''));
  while (excess > 0) {
    // The widest column that can still give way loses one column at a time, so wide ones shrink first.
    let widest = -1;
    for (let i = 0; i < columns.length; i++) {
      if (!columns[i]?.fit || (widths[i] as number) <= floor(i)) continue;
      if (widest < 0 || (widths[i] as number) > (widths[widest] as number)) widest = i;
    }
    // Only fixed columns are left: the terminal wraps what does not fit.
    if (widest < 0) break;
    widths[widest] = (widths[widest] as number) - 1;
    excess -= 1;
  }
  return widths;
}

/** A cell as the lines it takes in a column of `width`. */
function cellLines(cell: string, column: Column, width: number): string[] {
  if (displayWidth(cell) <= width) return [cell];
  switch (column.fit) {
    case 'wrap':
      return wrap(cell, width);
    case 'truncate-start':
      return [truncateStart(cell, width)];
    case 'truncate-end':
      return [truncateEnd(cell, width)];
    default:
      return [cell];
  }
}

/** Columns two spaces apart, a rule under the header, and one above a footer row. */
export function table(columns: Column[], rows: string[][], options: TableOptions = {}): string {
  const { footer, width = Infinity, rule = true } = options;
  const all = footer ? [...rows, footer] : rows;
  const widths = columnWidths(columns, all, width);
  const lines = (cells: string[]): string[] => {
    const parts = columns.map((c, i) => cellLines(cells[i] ?? '', c, widths[i] as number));
    const height = Math.max(1, ...parts.map((p) => p.length));
    const out: string[] = [];
    for (let n = 0; n < height; n++) {
      out.push(
        columns
          .map((c, i) => pad(parts[i]?.[n] ?? '', widths[i] as number, c.align))
          .join(' '.repeat(GAP))
          .trimEnd(),
      );
    }
    return out;
  };
  const dashes = widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP));
  const head = lines(columns.map((c) => c.title)).map(options.header ?? ((l) => l));
  const out = [...head, ...(rule ? [dashes] : []), ...rows.flatMap(lines)];
  if (footer) out.push(dashes, ...lines(footer));
  return `${out.join('\n')}\n`;
}

/**
 * How wide the output may be: the terminal's width when writing to one, else `COLUMNS` when it is set, else no limit.
 * Piped output (a file, grep, a pager) keeps one row per line: wrapping it to a guessed width would split the rows
 * that tools read line by line.
 */
export function outputWidth(stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  if (stdout.isTTY && typeof stdout.columns === 'number' && stdout.columns > 0) return stdout.columns;
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return Infinity;
}
