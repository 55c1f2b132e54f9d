import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { trainTestF1 } from '@privet/core/synth/classifier';
import {
  associationDifference,
  columnDistributions,
  cramersV,
  dcrShare,
  exactCopyShare,
} from '@privet/core/synth/metrics';
import type { DiscreteTable } from '@privet/core/synth/table';
import { combinations, marginalTvd, meanTvd } from '@privet/core/synth/tvd';

function table(cols: Record<string, [number, number[]]>): DiscreteTable {
  const columns = Object.entries(cols).map(([name, [size, codes]]) => ({
    name,
    size,
    codes: Int32Array.from(codes),
  }));
  return { columns, rows: columns[0]!.codes.length };
}

describe('fidelity metrics', () => {
  test('TVD: 0 for equal distributions, 1 for disjoint, size-normalized', () => {
    const a = table({ x: [3, [0, 0, 1, 2]] });
    const b = table({ x: [3, [0, 0, 0, 0, 1, 1, 2, 2]] });
    const c = table({ x: [3, [2, 2, 2, 2]] });
    assert.equal(marginalTvd(a, b, [0]), 0);
    assert.equal(marginalTvd(a, c, [0]), 0.75);
    assert.equal(
      meanTvd(table({ x: [2, [0]], y: [2, [0]] }), table({ x: [2, [1]], y: [2, [1]] }), 2),
      1,
    );
    assert.equal(combinations(14, 3).length, 364);
  });

  test("Cramér's V: 1 for copies, 0 for independent columns", () => {
    const t = table({ a: [2, [0, 0, 1, 1]], b: [2, [0, 0, 1, 1]], c: [2, [0, 1, 0, 1]] });
    assert.ok(Math.abs(cramersV(t, 0, 1) - 1) < 1e-12);
    assert.equal(cramersV(t, 0, 2), 0);
    const u = table({ a: [2, [0, 0, 1, 1]], b: [2, [0, 1, 0, 1]], c: [2, [0, 1, 0, 1]] });
    assert.ok(Math.abs(associationDifference(t, u).max - 1) < 1e-12);
    assert.equal(columnDistributions(t, u)[1]!.tvd, 0);
  });

  test('exact copies and distance to closest record', () => {
    const train = table({ a: [4, [0, 1, 2, 3]], b: [4, [0, 1, 2, 3]] });
    const hold = table({ a: [4, [3, 2, 1, 0]], b: [4, [0, 1, 2, 3]] });
    const copies = table({ a: [4, [0, 1, 2, 3]], b: [4, [0, 1, 2, 3]] });
    const near = table({ a: [4, [3, 2, 1, 0]], b: [4, [0, 1, 2, 3]] });
    assert.equal(exactCopyShare(train, copies), 1);
    assert.equal(exactCopyShare(train, hold), 0);
    assert.equal(
      dcrShare(train, hold, copies),
      1,
      'copies of training rows are closer to training',
    );
    assert.equal(dcrShare(train, hold, near), 0, 'copies of holdout rows are closer to holdout');
    const mixed = table({ a: [4, [0, 3]], b: [4, [0, 0]] });
    assert.equal(
      dcrShare(train, hold, mixed),
      0.5,
      'a row at distance 0 from both counts one half',
    );
  });

  test('train-on-X, test-on-Y F1 of naive Bayes', () => {
    // y is a copy of feature a: perfectly learnable; on a table where y is independent it is not.
    const n = 400;
    const a = Array.from({ length: n }, (_, i) => i % 2);
    const noise = Array.from({ length: n }, (_, i) => Math.floor(i / 2) % 3);
    const good = table({ a: [2, a], z: [3, noise], y: [2, a] });
    const shuffled = table({
      a: [2, a],
      z: [3, noise],
      y: [2, a.map((_, i) => Math.floor(i / 4) % 2)],
    });
    assert.equal(trainTestF1(good, good, 'y'), 1);
    assert.ok(trainTestF1(shuffled, good, 'y') < 0.8);
  });
});
