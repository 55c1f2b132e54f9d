import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rational } from '@privet/core/dp/rational';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesize } from '@privet/core/synth/synthesize';
import type { DiscreteTable } from '@privet/core/synth/table';

/** 20,000 rows where c = a XOR b: every pair is independent, the triple is fully dependent. */
async function xorTable(): Promise<DiscreteTable> {
  const rng = await seededRandom('xor-table');
  const rows = 20_000;
  const a = new Int32Array(rows);
  const b = new Int32Array(rows);
  const c = new Int32Array(rows);
  const noise = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    a[i] = rng.nextUint32() & 1;
    b[i] = rng.nextUint32() & 1;
    c[i] = a[i]! ^ b[i]!;
    noise[i] = rng.nextUint32() % 4;
  }
  return {
    rows,
    columns: [
      { name: 'a', size: 2, codes: a },
      { name: 'b', size: 2, codes: b },
      { name: 'c', size: 2, codes: c },
      { name: 'noise', size: 4, codes: noise },
    ],
  };
}

describe('extra AIM-style rounds', () => {
  test('a 3-way interaction no pair shows is selected, measured, accounted and reproduced', async () => {
    const table = await xorTable();
    const run = synthesize(table, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('xor-run'),
      rows: table.rows,
      tuning: { maxTripleCells: 8, extraRounds: 3 },
    });
    const triples = run.measurements.filter((m) => m.kind === 'marginal' && m.attrs.length === 3);
    assert.ok(
      triples.some((m) => ['a', 'b', 'c'].every((x) => m.attrs.includes(x))),
      'the XOR triple is measured',
    );
    const sum = run.measurements.reduce((s, m) => s.add(m.rho), Rational.of(0n));
    assert.ok(sum.equals(run.rhoSpent) && sum.lte(run.rhoTotal), 'within the budget');
    const [a, b, c] = run.table.columns.map((col) => col.codes);
    let xor = 0;
    for (let i = 0; i < run.table.rows; i++) if ((a![i]! ^ b![i]!) === c![i]!) xor++;
    assert.ok(xor / run.table.rows > 0.9, `XOR holds in ${xor} of ${run.table.rows} rows`);
  });

  test('with pairs only the same table keeps no 3-way dependence (the triple path is what helps)', async () => {
    const table = await xorTable();
    const run = synthesize(table, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('xor-run'),
      rows: table.rows,
    });
    assert.ok(run.measurements.every((m) => m.attrs.length <= 2));
    const [a, b, c] = run.table.columns.map((col) => col.codes);
    let xor = 0;
    for (let i = 0; i < run.table.rows; i++) if ((a![i]! ^ b![i]!) === c![i]!) xor++;
    assert.ok(Math.abs(xor / run.table.rows - 0.5) < 0.05, `XOR holds in ${xor} rows`);
  });
});
