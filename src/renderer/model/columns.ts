/**
 * The column system every dashboard table shares. A table is a list of column declarations; which of them are shown
 * depends only on the width of the table's container: columns are taken in priority order while their minimum widths
 * fit, and the rest move to the row's detail view. Adding a column to a table is adding one declaration.
 */
import type { ReactNode } from 'react';

export interface Column<Row> {
  /** Stable id: React key, `data-col` on every cell, the sort key when `sortable`. */
  key: string;
  /** Header text, also the label of the value in the detail view. */
  header: string;
  /** 1 is the most important. Columns of priority 1 are always shown; the others in priority order while they fit. */
  priority: number;
  /** Narrowest the column may be, in CSS pixels (padding included). */
  minWidth: number;
  /** Share of the width left over once every shown column has its minimum (0 or absent: stays at its minimum). */
  grow?: number;
  /** 'end' for numbers: right-aligned, so digits line up (the table uses tabular figures). */
  align?: 'start' | 'end';
  render(row: Row): ReactNode;
  /** Full text of an abbreviated value, shown on hover. */
  title?(row: Row): string | undefined;
  /** Exact value behind the formatted one, as `data-value` (for tests and copy-paste tools). */
  value?(row: Row): string | number | undefined;
  /** How the value reads in the detail view (default: `render`). */
  detail?(row: Row): ReactNode;
  /** The cell may cut the value short (a path, a list, a summary): the detail view always shows it in full. */
  abbreviated?: boolean;
  /** The header sorts the table by this column. */
  sortable?: boolean;
  /** This cell holds the button that opens and closes the row's detail view (default: the first shown column). */
  toggle?: boolean;
}

/** What `fitColumns` needs of a column. */
export interface ColumnSize {
  key: string;
  priority: number;
  minWidth: number;
  grow?: number;
  abbreviated?: boolean;
}

export interface ColumnFit<C extends ColumnSize> {
  /** In declaration order. */
  visible: C[];
  /** In priority order. */
  hidden: C[];
  /** What the row's detail view lists, in priority order: the hidden columns and the shown but abbreviated ones. */
  inDetail: C[];
  /** Width in pixels of each visible column, same order as `visible`; their sum never exceeds the width given. */
  widths: number[];
}

/**
 * The columns that fit in `width` pixels. Columns are taken by priority (declaration order breaks ties) until the
 * first that does not fit, so a wider container never hides a column a narrower one shows. Priority-1 columns are
 * always shown; if even they do not fit they are shrunk in proportion rather than overflow.
 */
export function fitColumns<C extends ColumnSize>(columns: readonly C[], width: number): ColumnFit<C> {
  const available = Math.max(0, Math.floor(width));
  const ranked = columns.map((column, index) => ({ column, index })).sort((a, b) => a.column.priority - b.column.priority || a.index - b.index);
  const shown = new Set<C>();
  let used = 0;
  let full = false;
  for (const { column } of ranked) {
    const essential = column.priority <= 1;
    if (!essential && (full || used + column.minWidth > available)) {
      full = true;
      continue;
    }
    shown.add(column);
    used += column.minWidth;
  }
  const visible = columns.filter((c) => shown.has(c));
  const hidden = ranked.map((r) => r.column).filter((c) => !shown.has(c));
  const inDetail = ranked.map((r) => r.column).filter((c) => !shown.has(c) || c.abbreviated);
  let widths: number[];
  if (used > available) {
    const scale = used > 0 ? available / used : 0;
    widths = visible.map((c) => Math.floor(c.minWidth * scale));
  } else {
    const spare = available - used;
    const growTotal = visible.reduce((sum, c) => sum + (c.grow ?? 0), 0);
    // Without a growing column the spare width goes to the last one, so the table still spans its container.
    widths = visible.map((c, i) => {
      if (growTotal > 0) return c.minWidth + Math.floor((spare * (c.grow ?? 0)) / growTotal);
      return i === visible.length - 1 ? c.minWidth + spare : c.minWidth;
    });
  }
  return { visible, hidden, inDetail, widths };
}
