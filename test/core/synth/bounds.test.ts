import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { boundsBucket, bucketEdges, estimateBounds } from '@privet/core/synth/bounds';
import { rhoForEpsilonDelta, SynthLedger } from '@privet/core/synth/budget';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesizeView, type RawValues } from '@privet/core/synth/view';

describe('DP-estimated bounds of numeric columns without declared bounds', () => {
  test('public power-of-two buckets: every value falls inside its bucket', () => {
    for (const x of [0, 1e-4, 0.5, 1, 3, 100, 999, 2 ** 40 + 5, -1, -7.5, -(2 ** 30)]) {
      const [lo, hi] = bucketEdges(boundsBucket(x));
      assert.ok(lo <= x && x <= hi, `${x} in [${lo}, ${hi}]`);
    }
    assert.ok(boundsBucket(-3) < boundsBucket(0) && boundsBucket(0) < boundsBucket(3));
  });

  test('the range covers the bulk, a value held by one person never stretches it (20 seeds)', async () => {
    const values: number[] = Array.from({ length: 4000 }, (_, i) => 100 + (i % 801));
    values[17] = 1e9; // one person's extreme value
    for (let run = 0; run < 20; run++) {
      const ledger = new SynthLedger(rhoForEpsilonDelta(1, 1e-6));
      const rho = ledger.total.div(20n);
      const spec = estimateBounds(
        { name: 'income', kind: 'numeric', bins: 16, integer: true },
        values,
        { ledger, rng: await seededRandom(`bounds-${run}`), rho },
      );
      assert.deepEqual(spec.bounds, [64, 1024], `run ${run}`);
      const [m] = ledger.measurements();
      assert.deepEqual(
        [m?.kind, m?.attrs, m?.rho.equals(rho)],
        ['domain', ['income'], true],
        'charged to the ledger as a domain measurement',
      );
    }
  });

  test('too few rows to see any bucket above the noise → a clear refusal (20 seeds)', async () => {
    // The threshold lets an empty bucket through with probability ≤ 5% (union bound), so a run may
    // find a range by chance: seeded runs keep the test deterministic, and nearly all refuse.
    let refused = 0;
    for (let run = 0; run < 20; run++) {
      const ledger = new SynthLedger(rhoForEpsilonDelta(1, 1e-6));
      try {
        estimateBounds({ name: 'tiny', kind: 'numeric', bins: 4 }, [1, 2, 3], {
          ledger,
          rng: await seededRandom(`tiny-${run}`),
          rho: ledger.total.div(100n),
        });
      } catch (err) {
        assert.match(
          (err as Error).message,
          /"tiny" has no declared bounds and too few rows.*declare bounds/s,
        );
        refused++;
      }
    }
    assert.ok(refused >= 18, `${refused} of 20 runs refused`);
  });

  test('a view with an unbounded numeric column: values inside the estimated range, budget accounted', async () => {
    const n = 3000;
    const raw: RawValues[] = [
      Array.from({ length: n }, (_, i) => 20 + (i % 50)),
      Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'a' : 'b')),
    ];
    raw[0] = [...raw[0]!];
    (raw[0] as number[])[5] = 5_000_000;
    const out = synthesizeView(
      [
        { spec: { name: 'age', kind: 'numeric', bins: 8, integer: true }, output: 'integer' },
        { spec: { name: 'group', kind: 'categorical', categories: ['a', 'b'] }, output: 'string' },
      ],
      raw,
      { epsilon: 1, delta: 1e-6, rng: await seededRandom('view-bounds') },
    );
    for (const v of out.values[0]!) assert.ok(typeof v === 'number' && v >= 16 && v <= 128);
    // 8 bins, then the null code every numeric column has.
    assert.equal(out.labels[0]!.length, 9);
    assert.equal(out.labels[0]!.at(-1), '(null)');
    assert.deepEqual(
      out.measurements.filter((m) => m.kind === 'domain').map((m) => m.attrs[0]),
      ['age'],
    );
    assert.ok(!out.rhoSpent.gt(out.rhoTotal));
  });
});
