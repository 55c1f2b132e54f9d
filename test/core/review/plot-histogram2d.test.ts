/**
 * Plotly 2-D histograms (`histogram2d`, `histogram2dcontour`: px.density_heatmap,
 * px.density_contour) read as the cells plotly.js draws (plot-histograms2d.ts): each non-empty
 * cell's rows — or count-like `histfunc: 'sum'` sums of `z` — a count, so a cell of one row among
 * 300 is held under small-cell, numeric or categorical; empty cells (drawn as 0) are no counts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotebookOutput } from '@privet/core/review/index';
import { f8, figure, heldOnlyWhenSmall, holding } from './plotly-output.js';

/** A pair of x and y columns. */
type Columns = { x: number[]; y: number[] };

/** 300 rows over a 5 × 5 grid (x and y in 10..50 by 10): 12 rows in every cell. */
const GRID: Columns = {
  x: Array.from({ length: 300 }, (_, i) => 10 * (1 + (i % 5))),
  y: Array.from({ length: 300 }, (_, i) => 10 * (1 + (Math.floor(i / 5) % 5))),
};

/** GRID plus one row at (95, 95): a cell of one row. */
const WITH_OUTLIER: Columns = { x: [...GRID.x, 95], y: [...GRID.y, 95] };

/** 300 rows over categories a/b/c × p/q (50 in each cell); with 'c'/'r' a cell of one row. */
const CATEGORIES = {
  x: Array.from({ length: 300 }, (_, i) => ['a', 'b', 'c'][i % 3]!),
  y: Array.from({ length: 300 }, (_, i) => (i < 150 ? 'p' : 'q')),
};

/** Asserts `make(small)` is held under small-cell only (maybe in several binnings), `make(large)` passes. */
const heldUnderSomeBinning = <T>(make: (v: T) => NotebookOutput, small: T, large: T): void => {
  assert.deepEqual([...new Set(holding(make(small)))], ['small-cell'], 'with a small count');
  assert.deepEqual(holding(make(large)), [], 'without a small count');
};

/** A px.density_heatmap figure as plotly.py sends it (trace and layout keys it writes). */
const densityHeatmap = (
  { x, y }: { x: unknown; y: unknown },
  type = 'histogram2d',
  extra: Record<string, unknown> = {},
): NotebookOutput =>
  figure(
    [
      {
        coloraxis: 'coloraxis',
        hovertemplate: 'age=%{x}<br>income=%{y}<br>count=%{z}<extra></extra>',
        name: '',
        x,
        xaxis: 'x',
        xbingroup: 'x',
        y,
        yaxis: 'y',
        ybingroup: 'y',
        type,
        ...extra,
      },
    ],
    {
      template: { data: {}, layout: {} },
      xaxis: { anchor: 'y', domain: [0, 1], title: { text: 'age' } },
      yaxis: { anchor: 'x', domain: [0, 1], title: { text: 'income' } },
      coloraxis: { colorbar: { title: { text: 'count' } } },
      legend: { tracegroupgap: 0 },
      margin: { t: 60 },
    },
  );

describe('2-D histograms draw per-cell counts', () => {
  test('numeric: a cell of one row is held; the same grid without it passes', () => {
    heldOnlyWhenSmall((c) => figure([{ type: 'histogram2d', ...c }]), WITH_OUTLIER, GRID);
    heldOnlyWhenSmall((c) => figure([{ type: 'histogram2dcontour', ...c }]), WITH_OUTLIER, GRID);
  });

  test('categorical: a cell of one row is held, on either axis; without it passes', () => {
    const withC = { x: [...CATEGORIES.x, 'c'], y: [...CATEGORIES.y, 'p'] };
    // 'c'/'p' is a cell of 51: fine. A new category 'r' on y makes a cell of one row.
    assert.deepEqual(holding(figure([{ type: 'histogram2d', ...withC }])), []);
    heldOnlyWhenSmall(
      (c) => figure([{ type: 'histogram2d', ...c }]),
      { x: [...CATEGORIES.x, 'c'], y: [...CATEGORIES.y, 'r'] },
      CATEGORIES,
    );
    // Numbers against categories, and numbers on a category axis (each number its own bin).
    heldOnlyWhenSmall(
      (c) => figure([{ type: 'histogram2d', ...c }]),
      { x: [...GRID.x, 30], y: [...GRID.x.map((_, i) => (i % 2 ? 'p' : 'q')), 'r'] },
      { x: GRID.x, y: GRID.x.map((_, i) => (i % 2 ? 'p' : 'q')) },
    );
    heldOnlyWhenSmall(
      (c) => figure([{ type: 'histogram2d', ...c }], { xaxis: { type: 'category' } }),
      { x: [...GRID.x, 31], y: [...GRID.y, 30] },
      GRID,
    );
  });

  test('as px.density_heatmap / density_contour send it, typed arrays, numeric strings', () => {
    heldOnlyWhenSmall((c) => densityHeatmap(c), WITH_OUTLIER, GRID);
    heldOnlyWhenSmall((c) => densityHeatmap(c, 'histogram2dcontour'), WITH_OUTLIER, GRID);
    heldOnlyWhenSmall(({ x, y }) => densityHeatmap({ x: f8(x), y: f8(y) }), WITH_OUTLIER, GRID);
    heldOnlyWhenSmall(
      ({ x, y }) => figure([{ type: 'histogram2d', x: x.map(String), y }]),
      WITH_OUTLIER,
      GRID,
    );
  });

  test('the automatic size is the 2-D one: 200 ages in bins of 10, not the 1-D 5', () => {
    // Ages 20..59 (five each) against y = i % 4: in bins of 10 every cell holds 10 or 15 rows;
    // bins of 5 (a 1-D histogram's) would make cells of 5.
    const ages = Array.from({ length: 200 }, (_, i) => 20 + (i % 40));
    const quarter = ages.map((_, i) => i % 4);
    assert.deepEqual(holding(figure([{ type: 'histogram2d', x: ages, y: quarter }])), []);
    assert.deepEqual(
      [...new Set(holding(figure([{ type: 'histogram2d', x: ages, y: quarter, nbinsx: 8 }])))],
      ['small-cell'],
    );
  });

  test('explicit bins: a row past xbins.end is in no cell; only rows up to the shorter of x, y', () => {
    heldOnlyWhenSmall(
      (xbins) => figure([{ type: 'histogram2d', ...WITH_OUTLIER, xbins }]),
      { start: 5, end: 105, size: 10 },
      { start: 5, end: 55, size: 10 },
    );
    // The outlier's x has no y: plotly.js draws it in no cell.
    assert.deepEqual(holding(figure([{ type: 'histogram2d', x: WITH_OUTLIER.x, y: GRID.y }])), []);
  });

  test('empty cells are no counts: a diagonal passes', () => {
    const d = Array.from({ length: 300 }, (_, i) => 10 * (1 + (i % 5)));
    assert.deepEqual(holding(figure([{ type: 'histogram2d', x: d, y: d }])), []);
  });

  test("histfunc 'sum' with z: count-like sums are counts; others read the rows", () => {
    // Every cell holds 12 rows; z puts a sum of 3 in one cell (others 0 or 120).
    const z = GRID.x.map((x, i) => (x === 10 && GRID.y[i] === 10 ? (i === 0 ? 3 : 0) : 10));
    const sum = (zs: unknown, extra = {}) =>
      figure([{ type: 'histogram2d', ...GRID, z: zs, histfunc: 'sum', ...extra }]);
    heldOnlyWhenSmall(
      sum,
      z,
      GRID.x.map(() => 10),
    );
    heldOnlyWhenSmall(sum, f8(z), f8(GRID.x.map(() => 10)));
    // Not count-like (a fraction): the rows per cell (12) are read instead.
    assert.deepEqual(holding(sum(z.map((v) => v + 0.5))), []);
    // Without z (or under histfunc 'count' / 'avg') the rows are read.
    assert.deepEqual(holding(figure([{ type: 'histogram2d', ...GRID, histfunc: 'sum' }])), []);
    assert.deepEqual(holding(sum(z, { histfunc: 'avg' })), []);
    // marker.color is summed when there is no z, as plotly.js does.
    const colored = figure([
      { type: 'histogram2d', ...GRID, marker: { color: z }, histfunc: 'sum' },
    ]);
    assert.deepEqual(holding(colored), ['small-cell']);
    // Rows that are small stay held whatever is summed.
    const outlierSums = figure([
      { type: 'histogram2d', ...WITH_OUTLIER, z: WITH_OUTLIER.x.map(() => 0.5), histfunc: 'sum' },
    ]);
    assert.deepEqual(holding(outlierSums), ['small-cell']);
  });

  test('histnorm: the rows per cell are read', () => {
    for (const histnorm of ['percent', 'probability', 'density', 'probability density'])
      heldOnlyWhenSmall(
        (c) => figure([{ type: 'histogram2d', ...c, histnorm }]),
        WITH_OUTLIER,
        GRID,
      );
    // A small sum under histnorm is drawn as a share of the sums; the rows (12 each) are read.
    const z = GRID.x.map((_, i) => (i === 0 ? 3 : 0));
    const normed = figure([
      { type: 'histogram2d', ...GRID, z, histfunc: 'sum', histnorm: 'percent' },
    ]);
    assert.deepEqual(holding(normed), []);
  });

  test('shared bins (facets, marginals in the bingroup), log and date axes: fail closed', () => {
    const facets = (c: Columns) =>
      figure([
        { type: 'histogram2d', ...c, xbingroup: 'x', ybingroup: 'y' },
        { type: 'histogram2d', ...GRID, xbingroup: 'x', ybingroup: 'y', xaxis: 'x2', yaxis: 'y2' },
      ]);
    heldUnderSomeBinning(facets, WITH_OUTLIER, GRID);
    const marginal = (c: Columns) =>
      figure([
        { type: 'histogram2d', ...c, xbingroup: 'x', ybingroup: 'y' },
        { type: 'histogram', x: c.x, bingroup: 'x', yaxis: 'y2' },
      ]);
    heldUnderSomeBinning(marginal, WITH_OUTLIER, GRID);
    // A 1-D histogram in a 2-D axis's bin group is read under two binnings too (its bin of one
    // row found in each), not as a lone histogram's exact bins.
    const withMarginal = (xbingroup: string) =>
      figure([
        { type: 'histogram2d', ...GRID, xbingroup },
        { type: 'histogram', x: WITH_OUTLIER.x, bingroup: 'x', xaxis: 'x2', yaxis: 'y2' },
      ]);
    assert.deepEqual(holding(withMarginal('x')), ['small-cell', 'small-cell']);
    assert.deepEqual(holding(withMarginal('other')), ['small-cell']);
    heldUnderSomeBinning(
      (c) => figure([{ type: 'histogram2d', ...c }], { xaxis: { type: 'log' } }),
      WITH_OUTLIER,
      GRID,
    );
    // On a date axis each value is its own bin.
    const day = (d: number): string => `2024-01-${String(d).padStart(2, '0')}`;
    heldOnlyWhenSmall(
      ({ x, y }) =>
        figure([{ type: 'histogram2d', x: x.map((v) => day(v / 10)), y }], {
          xaxis: { type: 'date' },
        }),
      { x: [...GRID.x, 20], y: [...GRID.y, 95] },
      GRID,
    );
  });
});
