import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SynthLedger } from '@privet/core/synth/budget';
import {
  OTHER_LABEL,
  decodeColumn,
  encodeCategorical,
  planBudget,
} from '@privet/core/synth/encode';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesize } from '@privet/core/synth/synthesize';

const SECRET = 'only-one-person-has-this';

/** A small table: a private categorical column (three common values + one unique) and a public one. */
function smallTable(): { city: string[]; plan: string[] } {
  const city: string[] = [];
  const plan: string[] = [];
  for (let i = 0; i < 600; i++) {
    city.push(['north', 'south', 'east'][i % 3]!);
    plan.push(i % 4 === 0 ? 'gold' : 'basic');
  }
  city[123] = SECRET;
  return { city, plan };
}

describe('DP domain discovery', () => {
  test('a category held by one person surfaces in < 5 of 100 runs at ε=1 (and never in output)', async () => {
    const { city, plan } = smallTable();
    let leaks = 0;
    let commonKept = 0;
    for (let run = 0; run < 100; run++) {
      const rng = await seededRandom(`leak-${run}`);
      const budget = planBudget(1, 1e-6, { discoveries: 1 }, 0.2);
      const encoded = encodeCategorical({ name: 'city', kind: 'categorical' }, city, {
        ledger: budget.ledger,
        rng,
        ...budget.discovery!,
      });
      const planCol = encodeCategorical(
        { name: 'plan', kind: 'categorical', categories: ['basic', 'gold'] },
        plan,
      );
      const result = synthesize(
        { columns: [encoded.column, planCol.column], rows: city.length },
        { epsilon: 1, delta: 1e-6, rng, ledger: budget.ledger },
      );
      const values = decodeColumn(encoded, result.table.columns[0]!.codes, rng);
      if (encoded.labels!.includes(SECRET) || values.includes(SECRET)) leaks++;
      if (['north', 'south', 'east'].every((v) => encoded.labels!.includes(v))) commonKept++;
      assert.ok(result.rhoSpent.lte(budget.ledger.total));
      assert.equal(result.measurements[0]!.kind, 'domain');
    }
    assert.ok(leaks < 5, `the unique category leaked in ${leaks} of 100 runs`);
    assert.ok(commonKept >= 95, `common categories kept in only ${commonKept} runs`);
  });

  test('values outside a public domain map to the catch-all label', () => {
    const e = encodeCategorical({ name: 'c', kind: 'categorical', categories: ['a', 'b'] }, [
      'a',
      'zzz',
      'b',
    ]);
    assert.deepEqual(e.labels, ['a', 'b', OTHER_LABEL]);
    assert.deepEqual(Array.from(e.column.codes), [0, 2, 1]);
  });

  test('a private column without discovery is refused, naming the column only', () => {
    assert.throws(
      () => encodeCategorical({ name: 'secret_col', kind: 'categorical' }, ['x1', 'x2']),
      (e: unknown) => e instanceof Error && /secret_col/.test(e.message) && !/x1/.test(e.message),
    );
  });

  test('the discovery charge is recorded with its δ', async () => {
    const ledger = new SynthLedger(planBudget(1, 1e-6, { discoveries: 1 }).ledger.total);
    const rng = await seededRandom('d');
    const rho = ledger.total.div(10n);
    encodeCategorical({ name: 'c', kind: 'categorical' }, ['a', 'a', 'b'], {
      ledger,
      rng,
      rho,
      delta: 1e-7,
    });
    const [m] = ledger.measurements();
    assert.equal(m!.kind, 'domain');
    assert.equal(m!.delta, 1e-7);
    assert.ok(m!.rho.equals(rho));
  });
});
