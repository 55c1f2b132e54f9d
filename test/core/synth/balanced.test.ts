import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fillBalanced, randomPermutation, stratifiedOrder } from '@privet/core/synth/balanced';
import { fillByGroup } from '@privet/core/synth/sample';
import { seededRandom } from '@privet/core/synth/seeded-random';

/** Rows × (group, stratum) test columns: group in 0..1, stratum in 0..9, each row's pair at random. */
async function fixture(rows: number): Promise<{ group: Int32Array; stratum: Int32Array }> {
  const rng = await seededRandom('balanced-fixture');
  const group = Int32Array.from({ length: rows }, () => rng.nextUint32() % 2);
  const stratum = Int32Array.from({ length: rows }, () => rng.nextUint32() % 10);
  return { group, stratum };
}

/** Largest |count(stratum s, value v) − share| over all cells, within one group. */
function worstImbalance(
  group: Int32Array,
  stratum: Int32Array,
  values: Int32Array,
  weights: number[],
  g: number,
): number {
  const cells = new Float64Array(10 * weights.length);
  const sizes = new Float64Array(10);
  for (let i = 0; i < values.length; i++) {
    if (group[i] !== g) continue;
    cells[stratum[i]! * weights.length + values[i]!]!++;
    sizes[stratum[i]!]!++;
  }
  let worst = 0;
  for (let s = 0; s < 10; s++)
    weights.forEach((w, v) => {
      worst = Math.max(worst, Math.abs(cells[s * weights.length + v]! - sizes[s]! * w));
    });
  return worst;
}

describe('balanced sampling', () => {
  test('stratified order is a permutation with groups, then strata, contiguous', async () => {
    const rows = 5000;
    const { group, stratum } = await fixture(rows);
    const rng = await seededRandom('order');
    const order = stratifiedOrder(group, 2, [stratum], [10], [0], randomPermutation(rows, rng));
    assert.deepEqual(Array.from(order.groupStart), [0, group.filter((g) => g === 0).length, rows]);
    assert.deepEqual(
      Array.from(order.order).sort((a, b) => a - b),
      Array.from({ length: rows }, (_, i) => i),
    );
    for (let i = 1; i < rows; i++) {
      const [a, b] = [order.order[i - 1]!, order.order[i]!];
      const before = group[a]! * 10 + stratum[a]!;
      const after = group[b]! * 10 + stratum[b]!;
      assert.ok(before <= after, `row ${i} breaks the (group, stratum) order`);
    }
  });

  test('each group gets its systematic allocation, spread evenly over every stratum', async () => {
    const rows = 20_000;
    const { group, stratum } = await fixture(rows);
    const weights = [
      [0.5, 0.3, 0.2],
      [0.1, 0.1, 0.8],
    ];
    const w = Float64Array.from(weights.flat());
    const rng = await seededRandom('fill');
    const order = stratifiedOrder(group, 2, [stratum], [10], [0], randomPermutation(rows, rng));
    const balanced = new Int32Array(rows);
    fillBalanced(order, 3, w, balanced, rng);
    const shuffled = new Int32Array(rows);
    fillByGroup(group, 2, 3, w, undefined, shuffled, rng);
    for (const g of [0, 1]) {
      const n = group.filter((x) => x === g).length;
      const counts = [0, 0, 0];
      for (let i = 0; i < rows; i++) if (group[i] === g) counts[balanced[i]!]!++;
      counts.forEach((c, v) => assert.ok(Math.abs(c - n * weights[g]![v]!) < 1, `group ${g}`));
      // Even interleaving: every (stratum, value) cell within 2 of its share; a shuffle is not.
      assert.ok(worstImbalance(group, stratum, balanced, weights[g]!, g) <= 2);
      assert.ok(worstImbalance(group, stratum, shuffled, weights[g]!, g) > 5);
    }
  });

  test('the same seed gives the same rows', async () => {
    const rows = 3000;
    const { group, stratum } = await fixture(rows);
    const w = Float64Array.of(0.25, 0.75, 0.6, 0.4);
    const draw = async (): Promise<number[]> => {
      const rng = await seededRandom('same');
      const order = stratifiedOrder(group, 2, [stratum], [10], [0], randomPermutation(rows, rng));
      const out = new Int32Array(rows);
      fillBalanced(order, 2, w, out, rng);
      return Array.from(out);
    };
    assert.deepEqual(await draw(), await draw());
  });
});
