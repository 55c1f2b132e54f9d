/**
 * Plotly histograms read as their `histfunc` and `histnorm` draw them, and funnelareas read as the
 * pies plotly.js slices them into: a categorical histogram with `histfunc: 'sum'` draws per-category
 * sums of the other array (read as counts when every summed value is a whole number ≥ 0), one
 * with 'avg' draws no counts (its row counts are read as before), one with `histnorm` draws shares
 * of the row counts (the row counts are read). Each small count is held under small-cell; the
 * same figure without one passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { f8, figure, heldOnlyWhenSmall, holding } from './plotly-output.js';

/** `n` copies of `v`. */
const times = <T>(n: number, v: T): T[] => Array<T>(n).fill(v);

/** 30 North rows, 20 South rows and 21 East rows (every row count large). */
const CATEGORIES = [...times(30, 'North'), ...times(20, 'South'), ...times(21, 'East')];

/** Values per row of CATEGORIES: North rows 10, South rows 20, East rows 20 × 0 then `last`. */
const valuesWithEastLast = (last: number): number[] => [
  ...times(30, 10),
  ...times(20, 20),
  ...times(20, 0),
  last,
];

describe("histfunc 'sum' draws per-category sums", () => {
  test('a small sum is held though every row count is large; large sums pass', () => {
    heldOnlyWhenSmall(
      (y) => figure([{ type: 'histogram', x: CATEGORIES, y, histfunc: 'sum' }]),
      valuesWithEastLast(2),
      valuesWithEastLast(200),
    );
  });

  test('horizontal (sums of x over the categories of y) and over typed arrays', () => {
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'histogram', y: CATEGORIES, x, histfunc: 'sum', orientation: 'h' }]),
      f8(valuesWithEastLast(2)),
      f8(valuesWithEastLast(200)),
    );
  });

  test('pre-aggregated rows (one per category, px.histogram(x=..., y=n)) read as their sums', () => {
    heldOnlyWhenSmall(
      (y) => figure([{ type: 'histogram', x: ['North', 'South', 'East'], y, histfunc: 'sum' }]),
      [1200, 350, 3],
      [1200, 350, 300],
    );
  });

  test('sums under histnorm percent are read as the sums they share out', () => {
    heldOnlyWhenSmall(
      (y) =>
        figure([{ type: 'histogram', x: CATEGORIES, y, histfunc: 'sum', histnorm: 'percent' }]),
      valuesWithEastLast(2),
      valuesWithEastLast(200),
    );
  });

  test('sums that are not count-like fall back to the row counts', () => {
    // A fraction summed: the sums are no counts, the row counts (one East row) are read.
    const x = [...times(30, 'North'), ...times(20, 'South'), 'East'];
    const y = [...times(50, 1000.5), 1000.5];
    assert.deepEqual(holding(figure([{ type: 'histogram', x, y, histfunc: 'sum' }])), [
      'small-cell',
    ]);
  });
});

describe("histfunc 'avg' draws no counts", () => {
  test('small averages over large row counts pass; a small row count is still held', () => {
    // Every average is 1 or 2 (small whole numbers), every category has ≥ 20 rows.
    const y = CATEGORIES.map((c) => (c === 'East' ? 2 : 1));
    assert.deepEqual(
      holding(figure([{ type: 'histogram', x: CATEGORIES, y, histfunc: 'avg' }])),
      [],
    );
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'histogram', x, y: x.map(() => 5000), histfunc: 'avg' }]),
      [...times(30, 'North'), 'East'],
      [...times(30, 'North'), ...times(30, 'East')],
    );
  });
});

describe('histnorm draws shares of the row counts', () => {
  test("histnorm 'percent': a category of few rows is held", () => {
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'histogram', x, histnorm: 'percent' }]),
      [...times(30, 'North'), ...times(20, 'South'), 'East'],
      [...times(30, 'North'), ...times(20, 'South')],
    );
  });
});

describe('funnelareas are sliced as pies', () => {
  test('a small slice is held; without one the funnelarea passes', () => {
    heldOnlyWhenSmall(
      (values) => figure([{ type: 'funnelarea', labels: ['Visit', 'Cart', 'Buy'], values }]),
      [1200, 350, 4],
      [1200, 350, 100],
    );
  });

  test('labels without values count one each; typed array values', () => {
    heldOnlyWhenSmall(
      (labels) => figure([{ type: 'funnelarea', labels }]),
      [...times(30, 'Visit'), ...times(20, 'Cart'), 'Buy'],
      [...times(30, 'Visit'), ...times(20, 'Cart')],
    );
    heldOnlyWhenSmall(
      (values) => figure([{ type: 'funnelarea', labels: ['Visit', 'Cart', 'Buy'], values }]),
      f8([1200, 350, 4]),
      f8([1200, 350, 100]),
    );
  });
});
