import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decodeColumn, encodeNumeric, specFromSourceColumn } from '@privet/core/synth/encode';
import { seededRandom } from '@privet/core/synth/seeded-random';

describe('numeric binning', () => {
  test('values are binned by the declared bounds and clamped into them', () => {
    const e = encodeNumeric(
      { name: 'age', kind: 'numeric', bounds: [0, 100], bins: 10 },
      [0, 9.99, 10, 55, 100, 250, -3],
    );
    assert.deepEqual(Array.from(e.column.codes), [0, 0, 1, 5, 9, 9, 0]);
    // 10 bins, then the null code (missing values).
    assert.equal(e.column.size, 11);
  });

  test('decoded values fall inside their bin (reals and integers)', async () => {
    const rng = await seededRandom('bins');
    const real = encodeNumeric({ name: 'x', kind: 'numeric', bounds: [-1, 1], bins: 4 }, []);
    const codes = Int32Array.from({ length: 400 }, (_, i) => i % 4);
    decodeColumn(real, codes, rng).forEach((v, i) => {
      const lo = -1 + 0.5 * codes[i]!;
      assert.ok(typeof v === 'number' && v >= lo && v < lo + 0.5);
    });
    const ints = encodeNumeric(
      { name: 'n', kind: 'numeric', bounds: [0, 10], bins: 3, integer: true },
      [0, 3, 4, 10],
    );
    assert.deepEqual(Array.from(ints.column.codes), [0, 0, 1, 2]);
    const seen = new Set<number>();
    decodeColumn(
      ints,
      Int32Array.from({ length: 300 }, (_, i) => i % 3),
      rng,
    ).forEach((v, i) => {
      assert.ok(Number.isInteger(v));
      const bin = i % 3;
      assert.equal(
        Math.min(2, Math.floor(((v as number) / 10) * 3)),
        bin,
        `value ${v} outside bin ${bin}`,
      );
      seen.add(v as number);
    });
    assert.equal(seen.size, 11, 'every integer 0..10 is reachable');
  });

  test('refuses inverted bounds', () => {
    assert.throws(
      () => encodeNumeric({ name: 'x', kind: 'numeric', bounds: [5, 1], bins: 3 }, [1]),
      /bounds/,
    );
  });

  test('policy columns become specs (bounds → numeric, categories → public domain)', () => {
    assert.deepEqual(specFromSourceColumn('age', { type: 'integer', bounds: [0, 120] }, 12), {
      name: 'age',
      kind: 'numeric',
      bounds: [0, 120],
      bins: 12,
      integer: true,
    });
    assert.deepEqual(specFromSourceColumn('s', { type: 'string', categories: ['a', 1] }), {
      name: 's',
      kind: 'categorical',
      categories: ['a', '1'],
    });
    assert.deepEqual(specFromSourceColumn('z', { type: 'string' }), {
      name: 'z',
      kind: 'categorical',
    });
  });
});
