/**
 * The bins plotly.js draws for numeric histograms (plot-bins.ts), against start/size/end worked
 * out by hand from plotly.js's `axes.autoBin` for each case.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binCount,
  binIndices,
  binOptions,
  binTotals,
  histogramBins,
  incrementNumber,
  sampleNumbers,
} from '@privet/core/review/plot-bins';

const bins = (xs: number[], options = {}) => histogramBins(Float64Array.from(xs), options);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('automatic bins (axes.autoBin)', () => {
  test('integers 0..99: size 10, shifted half a unit down: -0.5 .. 99.5', () => {
    // stdev 28.87, 2·28.87 / 100^0.4 = 9.15 → nice 10; first tick 0, start 0 − 10 = −10, all
    // whole: −10.5, and −10.5 + 10 < 0 → −0.5; end −0.5 + (1 + ⌊99.5 / 10⌋)·10 = 99.5.
    assert.deepEqual(bins(range(0, 99)), { start: -0.5, end: 99.5, size: 10 });
  });

  test('ages 17..90, 32561 rows spread evenly: size 1, centred on whole ages', () => {
    // 74 ages, 440 each (32560) + one more 17. stdev ≈ 21.36, 2·21.36 / 32561^0.4 = 0.67 < the
    // smallest gap 1 rounded down to 0.9 → 0.9 → nice 1. First tick 17 (ceil of 16.9927), start
    // 16, whole numbers: 15.5, and 15.5 + 1 < 17 → 16.5. End 16.5 + (1 + ⌊73.5⌋) = 90.5.
    const ages = [...range(17, 90).flatMap((a) => Array<number>(440).fill(a)), 17];
    assert.deepEqual(bins(ages), { start: 16.5, end: 90.5, size: 1 });
  });

  test('values with decimals (0.05 .. 9.95 by 0.1): size 1, not shifted', () => {
    // 100 values, stdev 2.887, 2·2.887 / 100^0.4 = 0.915 → nice 1 (smallest gap 0.1 → 0.09).
    // First tick ceil(0.05·1.0001 − 9.95·0.0001 = 0.049) = 1 → 1, start 0. No value near an edge
    // (each is 0.05 off one, > 1% of 1): start 0, end 0 + (1 + ⌊9.95⌋) = 10.
    const xs = range(0, 99).map((i) => Number((i / 10 + 0.05).toFixed(2)));
    assert.deepEqual(bins(xs), { start: 0, end: 10, size: 1 });
  });

  test('nbinsx sets the rough size ((max − min) / nbins), made nice', () => {
    // (99 − 0) / 4 = 24.75 → nice 50; first tick 0, start −50, whole: −50.5 → −0.5; end 99.5.
    assert.deepEqual(bins(range(0, 99), { nbins: 4 }), { start: -0.5, end: 99.5, size: 50 });
  });

  test('explicit start, end and size replace the automatic ones', () => {
    assert.deepEqual(bins(range(0, 99), { start: 0, end: 50, size: 5 }), {
      start: 0,
      end: 50,
      size: 5,
    });
    // Size alone: start from the tick code (0 − 5, all whole → −5.5 → −0.5).
    assert.deepEqual(bins(range(0, 99), { size: 5 }), { start: -0.5, end: 99.5, size: 5 });
  });

  test('holes count in n (data.length) but not in the values; no number draws no bins', () => {
    assert.equal(bins([NaN, NaN]), undefined);
    assert.deepEqual(bins([...range(0, 99), NaN]), { start: -0.5, end: 99.5, size: 10 });
  });
});

describe('bins drawn and the bin of each value (calc.js, Lib.findBin)', () => {
  test('bins run from start while below end − size / 1e6', () => {
    assert.equal(binCount({ start: 0, end: 100, size: 10 }), 10);
    assert.equal(binCount({ start: 0, end: 100.000001, size: 10 }), 10);
    assert.equal(binCount({ start: 0, end: 100.0001, size: 10 }), 11);
    assert.equal(binCount({ start: 0, end: 1, size: 0.1 }), 10);
  });

  test('an edge goes to the upper bin (1e-9 bin fuzz); the end and beyond are in no bin', () => {
    const at = binIndices(Float64Array.from([0, 9.9999999999, 10, 99.99, 100, -1, NaN]), {
      start: 0,
      end: 100,
      size: 10,
    });
    assert.deepEqual([...at], [0, 1, 1, 9, -1, -1, -1]);
  });

  test('increments as Lib.increment: 0.1 steps land on 0.3, not 0.30000000000000004', () => {
    assert.equal(incrementNumber(0.2, 0.1), 0.3);
    assert.equal(incrementNumber(-10, 10), 0);
  });

  test('bin totals: rows, or count-like sums; other sums fall back (undefined)', () => {
    const idx = Float64Array.from([0, 0, 1, -1]);
    assert.deepEqual(
      [...binTotals(idx)!],
      [
        [0, 2],
        [1, 1],
      ],
    );
    assert.deepEqual([...binTotals(idx, [3, '4', 0, 9])!], [[0, 7]]);
    assert.equal(binTotals(idx, [1.5, 1, 1, 1]), undefined);
    assert.equal(binTotals(idx, [-1, 1, 1, 1]), undefined);
  });
});

describe('what a trace sets', () => {
  test('numeric strings are numbers, null a hole; a category string is no number', () => {
    assert.deepEqual([...sampleNumbers(['1', 2, null, ' 3 '])!], [1, 2, NaN, 3]);
    assert.equal(sampleNumbers(['1', 'North']), undefined);
  });

  test('xbins/nbinsx as plotly coerces them; autobinx true ignores xbins', () => {
    assert.deepEqual(binOptions({ xbins: { start: '0', end: 50, size: 5 }, nbinsx: 3 }, 'x'), {
      start: 0,
      end: 50,
      size: 5,
      nbins: undefined,
    });
    assert.deepEqual(binOptions({ nbinsy: 20, xbins: { size: 5 } }, 'y'), {
      start: undefined,
      end: undefined,
      size: undefined,
      nbins: 20,
    });
    assert.equal(binOptions({ xbins: { size: -2 } }, 'x').size, 1);
    assert.equal(binOptions({ xbins: { size: 5 }, autobinx: true }, 'x').size, undefined);
  });
});
