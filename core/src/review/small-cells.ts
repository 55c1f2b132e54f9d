/**
 * Small cells: 0 < count < threshold in count columns (labelled, a count context, or an
 * all-integer crosstab), in rows labelled as counts, and percentages of a stated total.
 * Why heuristics: outputs made outside Privet's wrappers carry no provenance, so "is this a
 * count?" is read from labels (count/n/freq…, pandas `Name: count`), shape and context.
 */
import {
  CONTEXT_COUNT,
  cut,
  isCountLabel,
  isCountRowLabel,
  isRangeIndex,
  NAMED_INT_SERIES,
  norm,
  NOT_COUNT,
  PERCENT_LABEL,
  perLabel,
  statedTotal,
  uniqueKeys,
  type CellHit,
} from './labels.js';
import { parseCount, parseNumber, type Table } from './table.js';
import type { ReviewSettings } from './types.js';

/** The label names a statistic other than a count (`NOT_COUNT` on its normalized words). */
const statisticLabel = perLabel((label) => NOT_COUNT.test(norm(label).replace(/[_-]/g, ' ')));
/** The label names a percentage or share. */
export const percentLabel = perLabel((label) => PERCENT_LABEL.test(norm(label)));

/** Data column `c` of `t` holds integers (blank cells aside), at least one; kept in `memo`. */
function integerColumn(t: Table, c: number, memo: (boolean | undefined)[]): boolean {
  return (memo[c] ??=
    t.cells.every((r) => (r[c] ?? '') === '' || parseCount(r[c] ?? '') !== undefined) &&
    t.cells.some((r) => (r[c] ?? '') !== ''));
}

/**
 * Data column `c` of `t` holds at least one integer. Enough for a column labelled as counts: one
 * cell written otherwise ("250*", "n/a") must not exempt the counts beside it.
 */
function hasIntegers(t: Table, c: number): boolean {
  return t.cells.some((r) => parseCount(r[c] ?? '') !== undefined);
}

/** Columns of `t` holding counts (indices), using labels, context and the crosstab shape. */
function countColumns(t: Table): number[] {
  const width = t.columns.length;
  const memo: (boolean | undefined)[] = [];
  const labelled: number[] = [];
  for (let c = 0; c < width; c++)
    if (isCountLabel(t.columns[c] ?? '') && hasIntegers(t, c)) labelled.push(c);
  if (labelled.length > 0) return labelled;
  const ints: number[] = [];
  for (let c = 0; c < width; c++) {
    if (integerColumn(t, c, memo) && !statisticLabel(t.columns[c] ?? '')) ints.push(c);
  }
  if (ints.length === 0) return [];
  const intSeries =
    /dtype: u?int/.test(t.context) &&
    (NAMED_INT_SERIES.test(t.context) || t.labelColumns.some((l) => l !== ''));
  if ((CONTEXT_COUNT.test(t.context) || intSeries) && ints.length === width) return ints;
  // An all-integer crosstab: labelled rows (not a RangeIndex) and ≥ 2 count columns.
  const textRows = !isRangeIndex(t) && t.rowLabels.every((r) => r.some((x) => !/^\d+$/.test(x)));
  const crossLabels =
    t.labelColumns.length > 0 &&
    t.columns.every((l) => !isCountLabel(l) && !/^\d+$/.test(l) === true);
  if (textRows && crossLabels && ints.length === width && width >= 2 && t.cells.length >= 2)
    return ints;
  return [];
}

/** True if a cell of `t` displays a count in 1..`th`-1 (what every count hit needs). */
function someSmallCount(t: Table, th: number): boolean {
  for (const r of t.cells)
    for (let c = 0; c < r.length; c++) {
      const v = parseCount(r[c] ?? '');
      if (v !== undefined && v > 0 && v < th) return true;
    }
  return false;
}

/** Adds a small-cell hit on (row, column) of `t`, up to 200 per table. */
function addHit(
  hits: CellHit[],
  t: Table,
  th: number,
  row: number,
  column: number,
  what: string,
): void {
  if (hits.length < 200)
    hits.push({
      rule: 'small-cell',
      row,
      column,
      message: `${what} below the threshold of ${th} (row ${row + 1}, column ${JSON.stringify(cut(t.columns[column] ?? ''))})`,
    });
}

/** The table has a percent-labelled column or a cell ending in '%'. */
function hasPercent(t: Table): boolean {
  return (
    t.columns.some(percentLabel) ||
    t.cells.some((r) => r.some((x) => x.charCodeAt(x.length - 1) === 37)) // ends with '%'
  );
}

/** Small cells: 0 < count < threshold in count columns, count rows and percentages of a total. */
export function smallCells(
  t: Table,
  s: ReviewSettings,
  outputTotal: () => number | undefined,
): CellHit[] {
  // Every hit is a count in 1..threshold-1 or a percentage: a table with neither (most tables)
  // has none, and is not read further (fast-prefilters.test.ts pins this).
  if (!hasPercent(t) && !someSmallCount(t, s.small_cell_threshold)) return [];
  return smallCellHits(t, s, outputTotal);
}

/** `smallCells` read in full, without its shortcut for tables that cannot have a hit. */
export function smallCellHits(
  t: Table,
  s: ReviewSettings,
  outputTotal: () => number | undefined,
): CellHit[] {
  const hits: CellHit[] = [];
  const th = s.small_cell_threshold;
  const counted = new Set(uniqueKeys(t) ? countColumns(t) : []);
  for (const c of counted) {
    t.cells.forEach((r, ri) => {
      const v = parseCount(r[c] ?? '');
      if (v !== undefined && v > 0 && v < th) addHit(hits, t, th, ri, c, 'a count');
    });
  }
  // Rows labelled as counts (describe() "count" row, transposed tables).
  t.rowLabels.forEach((labels, ri) => {
    if (!labels.some(isCountRowLabel)) return;
    (t.cells[ri] ?? []).forEach((x, c) => {
      const v = parseCount(x);
      if (!counted.has(c) && v !== undefined && v > 0 && v < th)
        addHit(hits, t, th, ri, c, 'a count');
    });
  });
  // Percentages with a stated total.
  const total = hasPercent(t) ? (statedTotal(t.context) ?? outputTotal()) : undefined;
  if (total !== undefined) {
    t.columns.forEach((label, c) => {
      const pctCol = percentLabel(label);
      t.cells.forEach((r, ri) => {
        const x = r[c] ?? '';
        const pct = x.endsWith('%');
        if (!pct && !pctCol) return;
        const v = parseNumber(x);
        if (v === undefined) return;
        const share = pct || v > 1 ? v / 100 : v;
        const n = Math.round(share * total);
        if (share > 0 && share < 1 && n < th)
          addHit(
            hits,
            t,
            th,
            ri,
            c,
            `a percentage of the stated total (≈${n > 0 ? 'a few' : '<1'} units)`,
          );
      });
    });
  }
  return hits;
}
