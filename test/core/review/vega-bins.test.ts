/**
 * The bins vega draws for a vega-lite binned field (vega-bins.ts), against bins worked out by hand
 * from vega's `bin` (vega-statistics) and `Bin` transform: the step from the span and maxbins,
 * the nice start and stop, vega-lite's maxbins per channel, the extent from the data, values past
 * a given extent, and values that are no number.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autoMaxBins,
  binParams,
  binStart,
  binValues,
  vegaBins,
} from '@privet/core/review/vega-bins';

describe('vega bins', () => {
  test('step and nice extent (vega-statistics bin)', () => {
    assert.deepEqual(vegaBins({ maxbins: 10 }, 0, 100), { start: 0, stop: 100, step: 10 });
    assert.deepEqual(vegaBins({ maxbins: 10 }, 23, 87), { start: 20, stop: 90, step: 10 });
    assert.deepEqual(vegaBins({ maxbins: 20 }, 0, 100), { start: 0, stop: 100, step: 5 });
    assert.deepEqual(vegaBins({ maxbins: 10 }, 20, 195), { start: 20, stop: 200, step: 20 });
    assert.deepEqual(vegaBins({ maxbins: 10, step: 7 }, 0, 20), { start: 0, stop: 21, step: 7 });
    assert.deepEqual(vegaBins({ maxbins: 10, nice: false }, 3, 47), {
      start: 3,
      stop: 48,
      step: 5,
    });
    assert.deepEqual(vegaBins({ maxbins: 10, anchor: 2 }, 0, 100), {
      start: 2,
      stop: 102,
      step: 10,
    });
    // One value: the span is |min|.
    assert.deepEqual(vegaBins({ maxbins: 10 }, 5, 5), { start: 5, stop: 5.5, step: 0.5 });
  });

  test('a value in its bin; the last edge in the last bin; outside a given extent ∓Infinity', () => {
    const b = { start: 0, stop: 100, step: 10 };
    assert.equal(binStart(b, 0), 0);
    assert.equal(binStart(b, 9.99), 0);
    assert.equal(binStart(b, 10), 10);
    assert.equal(binStart(b, 100), 90);
    assert.equal(binStart(b, -1), -Infinity);
    assert.equal(binStart(b, 101), Infinity);
  });

  test("vega-lite's maxbins per channel, and the options a bin sets", () => {
    assert.equal(autoMaxBins('x'), 10);
    assert.equal(autoMaxBins('row'), 6);
    assert.equal(autoMaxBins('color'), 6);
    assert.equal(autoMaxBins('strokeDash'), 4);
    assert.equal(autoMaxBins(undefined), 10);
    assert.deepEqual(binParams(true, 'column'), { maxbins: 6 });
    assert.deepEqual(binParams({ step: 5 }, 'x'), { maxbins: 10, step: 5 });
    assert.deepEqual(binParams({ maxbins: 30, extent: [0, 50] }, 'x'), {
      maxbins: 30,
      extent: [0, 50],
    });
    assert.equal(binParams('binned', 'x'), undefined);
    assert.equal(binParams({ binned: true }, 'x'), undefined);
    assert.equal(binParams({ extent: { param: 'brush' } }, 'x'), undefined);
    assert.equal(binParams(false, 'x'), undefined);
  });

  test('values binned over their extent: numeric strings read, nulls in no bin', () => {
    assert.deepEqual(binValues([0, '55', null, 100, ''], { maxbins: 10 })?.values, [
      0,
      50,
      null,
      90,
      null,
    ]);
    assert.deepEqual(binValues([5, 60], { maxbins: 10, extent: [10, 50] })?.values, [
      -Infinity,
      Infinity,
    ]);
    assert.deepEqual(binValues([null, null], { maxbins: 10 })?.values, [null, null]);
  });

  test('a value that is no number: not binned (the caller counts per value)', () => {
    assert.equal(binValues([1, 2, 'n/a'], { maxbins: 10 }), undefined);
    assert.equal(binValues([1, true], { maxbins: 10 }), undefined);
    assert.equal(binValues([1, { a: 1 }], { maxbins: 10 }), undefined);
  });
});
