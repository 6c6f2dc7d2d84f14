/**
 * The one table component of the dashboard: its columns are declarations (model/columns.ts), its container is
 * measured, the columns that fit are shown and the rest move to the row's detail view. Long tables render only the
 * rows in view (row-window.ts). Rows are memoised: a poll re-renders only the rows whose object changed.
 */
import { Fragment, memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useContainerWidth } from '../container-width.js';
import { fitColumns, type Column } from '../model/columns.js';
import { nearestScroller, useRowWindow } from '../row-window.js';

export type RowKey = string | number;

/** A line of a row's detail view besides the hidden columns. */
export interface DetailEntry {
  label: string;
  value: ReactNode;
  mono?: boolean;
  testId?: string;
}

export interface TableSort {
  key: string;
  direction: 'asc' | 'desc';
}

export interface DataTableProps<Row> {
  /** Names the rows: `<name>-row-<key>` test ids, `<name>-<key>` and `<name>-detail-<key>` element ids. */
  name: string;
  /** Accessible name of the table. */
  label: string;
  /** Must keep its identity between renders (a module constant or useMemo): rows are memoised on it. */
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): RowKey;
  /** More lines for the detail view, after the hidden columns. Stable identity, like `columns`. */
  details?(row: Row): DetailEntry[];
  /** Extra data-* attributes of a row. Stable identity, like `columns`. */
  rowData?(row: Row): Record<`data-${string}`, string>;
  sort?: TableSort;
  onSort?(key: string): void;
  /** The open row, when the caller keeps that state; otherwise the table does. */
  expandedKey?: RowKey | null;
  onToggle?(key: RowKey): void;
  /** A row to bring into view once, highlight and give keyboard focus to. */
  focusKey?: RowKey | null;
  compact?: boolean;
  testId?: string;
  /** Tables longer than this render only the rows in view. */
  windowFrom?: number;
}

interface RowProps<Row> {
  row: Row;
  rowKey: RowKey;
  name: string;
  columns: readonly Column<Row>[];
  /** The column whose cell opens the detail view, when the row has one. */
  toggleColumn: string | null;
  expanded: boolean;
  focused: boolean;
  onToggle(key: RowKey): void;
  rowData: DataTableProps<Row>['rowData'];
}

function cellClass(column: Column<unknown>): string | undefined {
  return column.align === 'end' ? 'num' : undefined;
}

function DataRowImpl<Row>({ row, rowKey, name, columns, toggleColumn, expanded, focused, onToggle, rowData }: RowProps<Row>) {
  return (
    <tr data-testid={`${name}-row-${rowKey}`} id={`${name}-${rowKey}`} className={`data-row ${name}-row${expanded ? ' expanded' : ''}${focused ? ' focused' : ''}`} {...rowData?.(row)}>
      {columns.map((c) => {
        const content = c.render(row);
        return (
          <td key={c.key} data-col={c.key} className={cellClass(c as Column<unknown>)} title={c.title?.(row)} data-value={c.value?.(row)}>
            {c.key === toggleColumn ? (
              <button type="button" className="row-toggle" aria-expanded={expanded} aria-controls={`${name}-detail-${rowKey}`} onClick={() => onToggle(rowKey)}>
                {content}
              </button>
            ) : (
              content
            )}
          </td>
        );
      })}
    </tr>
  );
}
const DataRow = memo(DataRowImpl) as typeof DataRowImpl;

interface DetailProps<Row> {
  row: Row;
  rowKey: RowKey;
  name: string;
  entries: readonly Column<Row>[];
  span: number;
  details: DataTableProps<Row>['details'];
}

function DetailRowImpl<Row>({ row, rowKey, name, entries, span, details }: DetailProps<Row>) {
  return (
    <tr className="detail-row" id={`${name}-detail-${rowKey}`} data-testid={`${name}-detail-${rowKey}`}>
      <td colSpan={span}>
        <dl className="details">
          {entries.map((c) => (
            <Fragment key={c.key}>
              <dt>{c.header}</dt>
              <dd data-col={c.key} data-value={c.value?.(row)}>
                {(c.detail ?? c.render)(row)}
              </dd>
            </Fragment>
          ))}
          {details?.(row).map((d) => (
            <Fragment key={d.label}>
              <dt>{d.label}</dt>
              <dd className={d.mono ? 'mono' : undefined} data-testid={d.testId}>
                {d.value}
              </dd>
            </Fragment>
          ))}
        </dl>
      </td>
    </tr>
  );
}
const DetailRow = memo(DetailRowImpl) as typeof DetailRowImpl;

function SortHeader({ column, sort, onSort }: { column: Column<never>; sort: TableSort | undefined; onSort: (key: string) => void }) {
  const active = sort?.key === column.key;
  // Before a right-aligned header, so the label still lines up with the numbers below it.
  const mark = (
    <span aria-hidden="true" className="sort-mark">
      {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
    </span>
  );
  return (
    <th scope="col" data-col={column.key} className={cellClass(column as Column<unknown>)} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
        {column.align === 'end' ? mark : null}
        {column.header}
        {column.align === 'end' ? null : mark}
      </button>
    </th>
  );
}

export function DataTable<Row>({
  name,
  label,
  columns,
  rows,
  rowKey,
  details,
  rowData,
  sort,
  onSort,
  expandedKey,
  onToggle,
  focusKey = null,
  compact,
  testId,
  windowFrom = 60,
}: DataTableProps<Row>) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const width = useContainerWidth(wrapRef);
  const fit = useMemo(() => (width === null ? null : fitColumns(columns, width)), [columns, width]);
  const win = useRowWindow(bodyRef, rows.length, fit !== null && rows.length > windowFrom);

  const [ownExpanded, setOwnExpanded] = useState<RowKey | null>(null);
  const controlled = onToggle !== undefined;
  const expanded = controlled ? (expandedKey ?? null) : ownExpanded;
  const toggle = useMemo(() => onToggle ?? ((key: RowKey) => setOwnExpanded((open) => (open === key ? null : key))), [onToggle]);
  const expandable = fit !== null && (fit.inDetail.length > 0 || details !== undefined);
  // The declared toggle column, else the first shown: a row with details can always be opened.
  const toggleColumn = expandable ? (fit.visible.find((c) => c.toggle) ?? fit.visible[0])?.key ?? null : null;

  // A focus request: bring the row into view once (scrolling first when it is outside the rendered window).
  const focusDone = useRef<RowKey | null>(null);
  useEffect(() => {
    if (focusKey === null) {
      focusDone.current = null;
      return;
    }
    if (focusDone.current === focusKey) return;
    const index = rows.findIndex((r) => rowKey(r) === focusKey);
    const body = bodyRef.current;
    if (index >= 0 && body && (index < win.first || index >= win.last)) {
      const scroller = nearestScroller(body);
      const bodyTop = body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      scroller.scrollTo({ top: bodyTop + index * win.rowHeight - scroller.clientHeight / 2 });
      return; // the row renders after the scroll and this effect runs again
    }
    const row = document.getElementById(`${name}-${focusKey}`);
    if (!row) return;
    focusDone.current = focusKey;
    row.scrollIntoView({ block: 'center' });
    row.querySelector<HTMLButtonElement>('.row-toggle')?.focus();
  }, [focusKey, rows, rowKey, name, win]);

  return (
    <div className="table-wrap" ref={wrapRef}>
      {fit ? (
        <table className={`table${compact ? ' compact' : ''}`} aria-label={label} data-testid={testId} data-hidden-columns={fit.hidden.map((c) => c.key).join(' ')}>
          <colgroup>
            {fit.visible.map((c, i) => (
              <col key={c.key} style={{ width: fit.widths[i] }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {fit.visible.map((c) =>
                c.sortable && onSort ? (
                  <SortHeader key={c.key} column={c as Column<never>} sort={sort} onSort={onSort} />
                ) : (
                  <th key={c.key} scope="col" data-col={c.key} className={cellClass(c as Column<unknown>)}>
                    {c.header}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {win.first > 0 ? <tr className="spacer-row" aria-hidden="true" style={{ height: win.first * win.rowHeight }} /> : null}
            {rows.slice(win.first, win.last).map((row) => {
              const key = rowKey(row);
              const open = expandable && expanded === key;
              return (
                <Fragment key={key}>
                  <DataRow
                    row={row}
                    rowKey={key}
                    name={name}
                    columns={fit.visible}
                    toggleColumn={toggleColumn}
                    expanded={open}
                    focused={focusKey === key}
                    onToggle={toggle}
                    rowData={rowData}
                  />
                  {open ? <DetailRow row={row} rowKey={key} name={name} entries={fit.inDetail} span={fit.visible.length} details={details} /> : null}
                </Fragment>
              );
            })}
            {win.last < rows.length ? <tr className="spacer-row" aria-hidden="true" style={{ height: (rows.length - win.last) * win.rowHeight }} /> : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
