// The column system's fitting rule and the dashboard's number and date formats, run under Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitColumns, type ColumnSize } from '../../src/renderer/model/columns.js';
import { formatDay, formatLines, formatTokens, formatWhen } from '../../src/renderer/model/format.js';

// Declared as a table would: display order, with priorities that differ from it.
const COLUMNS: ColumnSize[] = [
  { key: 'project', priority: 1, minWidth: 180, grow: 2 },
  { key: 'started', priority: 1, minWidth: 140 },
  { key: 'duration', priority: 5, minWidth: 84 },
  { key: 'models', priority: 6, minWidth: 140, grow: 1, abbreviated: true },
  { key: 'tokens', priority: 1, minWidth: 76 },
  { key: 'cost', priority: 1, minWidth: 108 },
  { key: 'lines', priority: 7, minWidth: 120 },
  { key: 'summary', priority: 2, minWidth: 220, grow: 3, abbreviated: true },
  { key: 'process', priority: 3, minWidth: 96 },
];
const keys = (columns: ColumnSize[]) => columns.map((c) => c.key);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('fitColumns', () => {
  it('with room for all: every column, in declaration order, the spare width shared by the growing ones', () => {
    const fit = fitColumns(COLUMNS, 1364);
    assert.deepEqual(keys(fit.visible), keys(COLUMNS));
    assert.deepEqual(fit.hidden, []);
    assert.equal(sum(fit.widths), 1364 - 1, 'floored shares: never more than the width');
    // 1364 - 1164 = 200 spare, shared 2:1:3 by project, models and summary.
    assert.deepEqual(fit.widths, [180 + 66, 140, 84, 140 + 33, 76, 108, 120, 220 + 100, 96]);
  });

  it('narrower: the least important go first, and what is shown keeps its order', () => {
    const fit = fitColumns(COLUMNS, 863); // the 900 px window's table
    assert.deepEqual(keys(fit.visible), ['project', 'started', 'tokens', 'cost', 'summary', 'process']);
    assert.deepEqual(keys(fit.hidden), ['duration', 'models', 'lines']);
    assert.ok(sum(fit.widths) <= 863);
  });

  it('stops at the first column that does not fit, so widening never hides a column', () => {
    let before = new Set<string>();
    for (let width = 0; width <= 1600; width += 7) {
      const shown = new Set(keys(fitColumns(COLUMNS, width).visible));
      for (const key of before) assert.ok(shown.has(key), `${key} shown at ${width - 7}px but hidden at ${width}px`);
      before = shown;
    }
    // A narrow, less important column does not jump ahead of a wider one that did not fit.
    const gap = fitColumns([{ key: 'a', priority: 1, minWidth: 100 }, { key: 'wide', priority: 2, minWidth: 300 }, { key: 'thin', priority: 3, minWidth: 10 }], 200);
    assert.deepEqual(keys(gap.visible), ['a']);
  });

  it('priority-1 columns always show; too narrow for them, they shrink in proportion instead of overflowing', () => {
    const fit = fitColumns(COLUMNS, 400);
    assert.deepEqual(keys(fit.visible), ['project', 'started', 'tokens', 'cost']);
    assert.ok(sum(fit.widths) <= 400);
    assert.ok(fit.widths.every((w) => w > 0));
    assert.deepEqual(fitColumns(COLUMNS, 0).widths, [0, 0, 0, 0]);
  });

  it('the detail view lists the hidden and the abbreviated columns, most important first', () => {
    assert.deepEqual(keys(fitColumns(COLUMNS, 863).inDetail), ['summary', 'duration', 'models', 'lines']);
    assert.deepEqual(keys(fitColumns(COLUMNS, 1400).inDetail), ['summary', 'models']);
  });

  it('without a growing column the last one takes the spare width', () => {
    const fit = fitColumns([{ key: 'a', priority: 1, minWidth: 50 }, { key: 'b', priority: 1, minWidth: 50 }], 300);
    assert.deepEqual(fit.widths, [50, 250]);
  });
});

describe('formats', () => {
  it('token counts: exact below 10k, one decimal on every scaled count', () => {
    assert.deepEqual([0, 1500, 9999, 10_000, 60_000, 6_000_000, 65_540_000, 1.2e9].map(formatTokens), ['0', '1,500', '9,999', '10.0k', '60.0k', '6.0M', '65.5M', '1.2B']);
  });

  it('lines changed, or a dash when none were recorded', () => {
    assert.equal(formatLines(1036, 308), '+1,036 −308');
    assert.equal(formatLines(null, null), '—');
    assert.equal(formatLines(5, null), '+5 −0');
  });

  it('dates: the year only when it is not this year; bad input shown as it came', () => {
    const now = new Date('2026-06-15T12:00:00Z');
    assert.doesNotMatch(formatWhen('2026-06-01T12:00:00Z', now), /2026/);
    assert.match(formatWhen('2025-06-01T12:00:00Z', now), /2025/);
    assert.doesNotMatch(formatDay('2026-03-15', now), /2026/);
    assert.match(formatDay('2025-03-15', now), /2025/);
    assert.equal(formatDay('not a day'), 'not a day');
    assert.equal(formatWhen('garbage'), 'garbage');
  });
});
