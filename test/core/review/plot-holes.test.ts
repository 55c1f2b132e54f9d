/**
 * Holes in plotly data: a value plotly.js draws no bar, slice or cell for (null — plotly.py's NaN
 * and a FigureWidget edit `'y[1]': null` —, a typed array's NaN, a string that is no number) must
 * not stop the values drawn beside it from reading as counts, is never itself a small count, and
 * never hides one (a hole whose label repeats a drawn bar's label).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';

const PLOTLY = 'application/vnd.plotly.v1+json';

/** A plotly figure output of `traces` (no axis titles unless `layout` gives them). */
const figure = (traces: unknown[], layout: Record<string, unknown> = {}): NotebookOutput => ({
  output_type: 'display_data',
  data: { [PLOTLY]: { data: traces, layout } },
  metadata: {},
});

/** Where small-cell findings point: [row, column] per finding. */
const smallCellsAt = (o: NotebookOutput): [number, number][] =>
  checkOutput(o)
    .findings.filter((f) => f.rule === 'small-cell')
    .map((f) => ('row' in f.location ? [f.location.row, f.location.column] : [-1, -1]));

/** Rule ids of the findings that hold the output (not info). */
const holding = (o: NotebookOutput): string[] =>
  checkOutput(o)
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => f.rule);

/** base64 of a Float64Array's bytes (little-endian on every machine these tests run on). */
const f8 = (xs: number[]): { dtype: string; bdata: string } => {
  const a = new Float64Array(xs);
  return { dtype: 'f8', bdata: Buffer.from(a.buffer).toString('base64') };
};

const REGIONS = ['North', 'South', 'East'];

describe('plotly bars with holes', () => {
  test('a bar of [1200, null, 4] with no axis title is held for the 4', () => {
    const o = figure([{ type: 'bar', x: REGIONS, y: [1200, null, 4] }]);
    assert.deepEqual(holding(o), ['small-cell']);
    assert.deepEqual(smallCellsAt(o), [[1, 0]]);
  });

  test('the same bar without the small value passes: the hole is no small count', () => {
    assert.deepEqual(holding(figure([{ type: 'bar', x: REGIONS, y: [1200, null, 400] }])), []);
    assert.deepEqual(holding(figure([{ type: 'bar', x: REGIONS, y: [null, null, null] }])), []);
  });

  test('strings plotly draws no bar for are holes; numeric strings are drawn counts', () => {
    for (const hole of ['NaN', 'nan', '', 'n/a', 'Infinity', true, { v: 1 }])
      assert.deepEqual(
        holding(figure([{ type: 'bar', x: REGIONS, y: [1200, hole, 4] }])),
        ['small-cell'],
        JSON.stringify(hole),
      );
    assert.deepEqual(holding(figure([{ type: 'bar', x: REGIONS, y: ['1,200', '350', '4'] }])), [
      'small-cell',
    ]);
  });

  test('a hole whose label repeats a drawn bar does not hide that bar', () => {
    const o = figure([{ type: 'bar', x: ['North', 'East', 'East'], y: [1200, null, 4] }]);
    assert.deepEqual(holding(o), ['small-cell']);
  });

  test('a horizontal bar (x as values) with a hole', () => {
    const o = figure([{ type: 'bar', orientation: 'h', y: REGIONS, x: [1200, null, 4] }]);
    assert.deepEqual(holding(o), ['small-cell']);
    const large = figure([{ type: 'bar', orientation: 'h', y: REGIONS, x: [1200, null, 400] }]);
    assert.deepEqual(holding(large), []);
  });

  test('a funnel with a hole', () => {
    assert.deepEqual(holding(figure([{ type: 'funnel', x: REGIONS, y: [1200, null, 4] }])), [
      'small-cell',
    ]);
  });

  test('a typed f8 array decoding a NaN (numpy NaN, as plotly.py 6 writes it)', () => {
    const o = figure([{ type: 'bar', x: REGIONS, y: f8([1200, NaN, 4]) }]);
    assert.deepEqual(holding(o), ['small-cell']);
    assert.deepEqual(holding(figure([{ type: 'bar', x: REGIONS, y: f8([1200, NaN, 400]) }])), []);
    const h = figure([{ type: 'bar', orientation: 'h', y: REGIONS, x: f8([NaN, 1200, 4]) }]);
    assert.deepEqual(holding(h), ['small-cell']);
  });

  test('a whole-number check still reads the values drawn: a fraction is no count', () => {
    assert.deepEqual(holding(figure([{ type: 'bar', x: REGIONS, y: [1200.5, null, 4] }])), []);
  });
});

describe('plotly pies with holes', () => {
  test('a pie with a null is held for its small slice, and passes without one', () => {
    const pie = (values: unknown): NotebookOutput =>
      figure([{ type: 'pie', labels: REGIONS, values }]);
    assert.deepEqual(holding(pie([1200, null, 4])), ['small-cell']);
    assert.deepEqual(holding(pie([1200, null, 400])), []);
    assert.deepEqual(holding(pie(f8([1200, NaN, 4]))), ['small-cell']);
  });

  test('a hole whose label repeats a drawn slice does not hide that slice', () => {
    const o = figure([{ type: 'pie', labels: ['North', 'East', 'East'], values: [1200, null, 4] }]);
    assert.deepEqual(holding(o), ['small-cell']);
  });
});

describe('plotly histograms and heatmaps with holes', () => {
  test('a null in a categorical histogram is counted in no category', () => {
    const x = [...Array<string>(30).fill('North'), ...Array<string>(20).fill('South'), null];
    assert.deepEqual(holding(figure([{ type: 'histogram', x }])), []);
    assert.deepEqual(holding(figure([{ type: 'histogram', x: [...x, 'East'] }])), ['small-cell']);
  });

  test('a NaN in a heatmap of counts does not stop it reading as a crosstab', () => {
    const heat = (z: unknown): NotebookOutput =>
      figure([{ type: 'heatmap', x: ['A', 'B'], y: ['F', 'M'], z }]);
    const nan = { ...f8([40, NaN, 22, 3]), shape: '2, 2' };
    assert.deepEqual(holding(heat(nan)), ['small-cell']);
    assert.deepEqual(
      holding(
        heat([
          [40, null],
          [22, 3],
        ]),
      ),
      ['small-cell'],
    );
    assert.deepEqual(holding(heat({ ...f8([40, NaN, 22, 51]), shape: '2, 2' })), []);
  });
});
