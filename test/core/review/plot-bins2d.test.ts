/**
 * The automatic bin size of an axis of a 2-D histogram (plot-bins.ts `is2d`): plotly.js's
 * `histogram2d/calc.js` calls `axes.autoBin` with '2d', so the spread term is 2 × stdev / n^0.25
 * (n^0.4 for a 1-D histogram). Start, end and sizes worked out by hand for each case.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binReadings, histogramBins } from '@privet/core/review/plot-bins';

const bins2d = (xs: number[], options = {}) => histogramBins(Float64Array.from(xs), options, true);
const bins1d = (xs: number[], options = {}) => histogramBins(Float64Array.from(xs), options);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** 200 ages: 20..59, five of each. */
const AGES = Array.from({ length: 200 }, (_, i) => 20 + (i % 40));

describe('automatic 2-D bins (axes.autoBin with is2d)', () => {
  test('200 ages 20..59: size 10 in 2-D where a 1-D histogram draws 5', () => {
    // stdev 11.54: 2·11.54 / 200^0.25 = 6.14 → nice 10 (1-D: / 200^0.4 = 2.77 → 5). First tick
    // ceil((20·1.0001 − 59·0.0001) / 10)·10 = 20, start 10, all whole: 9.5, and 9.5 + 10 < 20 →
    // 19.5; end 19.5 + (1 + ⌊39.5 / 10⌋)·10 = 59.5.
    assert.deepEqual(bins2d(AGES), { start: 19.5, end: 59.5, size: 10 });
    assert.deepEqual(bins1d(AGES), { start: 19.5, end: 59.5, size: 5 });
  });

  test('integers 0..99: size 20 (1-D: 10)', () => {
    // stdev 28.87: 2·28.87 / 100^0.25 = 18.26 → nice 20. First tick 0, start −20, all whole:
    // −20.5, and −20.5 + 20 < 0 → −0.5; end −0.5 + (1 + ⌊99.5 / 20⌋)·20 = 99.5.
    assert.deepEqual(bins2d(range(0, 99)), { start: -0.5, end: 99.5, size: 20 });
    assert.deepEqual(bins1d(range(0, 99)), { start: -0.5, end: 99.5, size: 10 });
  });

  test('holes count in n, as data.length does in plotly.js', () => {
    // 100 values and 1500 holes: n = 1600, 2·28.87 / 1600^0.25 = 9.13 → nice 10 (not 20).
    const withHoles = Float64Array.from([...range(0, 99), ...Array<number>(1500).fill(NaN)]);
    assert.deepEqual(histogramBins(withHoles, {}, true), { start: -0.5, end: 99.5, size: 10 });
  });

  test('the smallest gap still bounds the size: 10000 values 0..9 → size 1', () => {
    // stdev 2.87: 2·2.87 / 10000^0.25 = 0.57 < the smallest gap 1 rounded down to 0.9 → nice 1;
    // first tick 0 → start −1, whole: −1.5, and −1.5 + 1 < 0 → −0.5; end −0.5 + 10 = 9.5.
    const digits = Array.from({ length: 10_000 }, (_, i) => i % 10);
    assert.deepEqual(bins2d(digits), { start: -0.5, end: 9.5, size: 1 });
  });

  test('nbins and an explicit size are the same in 2-D as in 1-D', () => {
    assert.deepEqual(bins2d(AGES, { nbins: 4 }), bins1d(AGES, { nbins: 4 }));
    assert.deepEqual(bins2d(AGES, { size: 2 }), bins1d(AGES, { size: 2 }));
    assert.deepEqual(bins2d(AGES, { start: 0, end: 100 }), { start: 0, end: 100, size: 10 });
  });

  test('binReadings passes is2d on: exact, or the same bins and their half shift', () => {
    const values = Float64Array.from(AGES);
    assert.deepEqual(binReadings(values, {}, true, true), [{ start: 19.5, end: 59.5, size: 10 }]);
    assert.deepEqual(binReadings(values, {}, false, true), [
      { start: 19.5, end: 59.5, size: 10 },
      { start: 14.5, end: 64.5, size: 10 },
    ]);
    assert.deepEqual(binReadings(values, {}, true), [{ start: 19.5, end: 59.5, size: 5 }]);
  });
});
