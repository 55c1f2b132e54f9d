import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dcrShare, exactCopyShare } from '@privet/core/synth/metrics';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesize } from '@privet/core/synth/synthesize';
import type { DiscreteTable } from '@privet/core/synth/table';
import { loadAdult, splitHalves } from './adult-fixture.js';

const COLS = ['capital-gain', 'capital-loss', 'native-country', 'hours-per-week'];

/** Appends `k` unique outlier rows (rare codes in four columns) to a table. */
function plantCanaries(
  t: DiscreteTable,
  k: number,
): { table: DiscreteTable; canaries: number[][] } {
  const canaries: number[][] = [];
  for (let j = 0; j < k; j++) {
    const base = t.columns.map((c) => c.codes[j * 997]!);
    t.columns.forEach((c, a) => {
      const slot = COLS.indexOf(c.name);
      if (slot >= 0) base[a] = c.size - 1 - ((j + slot) % 3);
    });
    canaries.push(base);
  }
  const columns = t.columns.map((c, a) => {
    const codes = new Int32Array(t.rows + k);
    codes.set(c.codes);
    canaries.forEach((row, j) => (codes[t.rows + j] = row[a]!));
    return { ...c, codes };
  });
  return { table: { columns, rows: t.rows + k }, canaries };
}

/** Rows of `t` equal to a canary on all columns, and on its four planted columns. */
function canaryHits(t: DiscreteTable, canaries: number[][]): { exact: number; planted: number } {
  const planted = t.columns.map((c, a) => (COLS.includes(c.name) ? a : -1)).filter((a) => a >= 0);
  let exact = 0;
  let partial = 0;
  for (let i = 0; i < t.rows; i++) {
    for (const row of canaries) {
      if (planted.every((a) => t.columns[a]!.codes[i] === row[a])) {
        partial++;
        if (t.columns.every((c, a) => c.codes[i] === row[a])) exact++;
      }
    }
  }
  return { exact, planted: partial };
}

describe('synthetic Adult privacy checks (slow)', () => {
  test('distance-to-closest-record share ≤ 0.52 and exact copies ≤ chance + 3σ', async () => {
    const { train, holdout } = splitHalves(loadAdult());
    const run = synthesize(train, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('dcr'),
      rows: train.rows,
    });
    const share = dcrShare(train, holdout, run.table, 4000);
    assert.ok(share <= 0.52, `DCR share ${share}`);
    const chance = exactCopyShare(train, holdout);
    const copies = exactCopyShare(train, run.table);
    assert.ok(
      copies <= chance + 3 * Math.sqrt((chance * (1 - chance)) / run.table.rows),
      `copies ${copies}`,
    );
  });

  test('planted canaries are not reproduced beyond the canary-free chance level', async () => {
    const { train } = splitHalves(loadAdult());
    const { table, canaries } = plantCanaries(train, 10);
    assert.equal(canaryHits(train, canaries).planted, 0, 'the canaries are unique outliers');
    let withExact = 0;
    let withPlanted = 0;
    let withoutPlanted = 0;
    for (const seed of ['c1', 'c2', 'c3']) {
      const a = synthesize(table, {
        epsilon: 1,
        delta: 1e-9,
        rng: await seededRandom(seed),
        rows: table.rows,
      });
      const b = synthesize(train, {
        epsilon: 1,
        delta: 1e-9,
        rng: await seededRandom(seed),
        rows: table.rows,
      });
      const ha = canaryHits(a.table, canaries);
      withExact += ha.exact;
      withPlanted += ha.planted;
      withoutPlanted += canaryHits(b.table, canaries).planted;
    }
    assert.equal(withExact, 0, 'no canary row reproduced');
    assert.ok(
      withPlanted <= withoutPlanted + 3 * Math.sqrt(withoutPlanted + 1),
      `${withPlanted} vs chance ${withoutPlanted}`,
    );
  });
});
