import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { Rational } from '@privet/core/dp/rational';
import { rhoForEpsilonDelta, SynthLedger } from '@privet/core/synth/budget';
import { SynthError } from '@privet/core/synth/errors';
import { exactCopyShare } from '@privet/core/synth/metrics';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesize, type SynthesisResult } from '@privet/core/synth/synthesize';
import type { DiscreteTable } from '@privet/core/synth/table';
import { meanTvd } from '@privet/core/synth/tvd';
import { independentBaseline, loadAdult, splitHalves } from './adult-fixture.js';

describe('synthesize on Adult (ε=1, δ=1e-9)', () => {
  let adult: DiscreteTable;
  let train: DiscreteTable;
  let holdout: DiscreteTable;
  let run: SynthesisResult;
  const stages = new Map<string, number>();

  before(async () => {
    adult = loadAdult();
    ({ train, holdout } = splitHalves(adult));
    run = synthesize(train, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('test-adult'),
      rows: train.rows,
      onProgress: (stage, f) => stages.set(stage, Math.max(stages.get(stage) ?? 0, f)),
    });
  });

  test('every measurement is recorded and together they stay within the declared budget', () => {
    const total = rhoForEpsilonDelta(1, 1e-9);
    assert.ok(run.rhoTotal.equals(total));
    const sum = run.measurements.reduce((s, m) => s.add(m.rho), Rational.of(0n));
    assert.ok(sum.equals(run.rhoSpent), 'spent is the exact sum of the measurements');
    assert.ok(sum.lte(total), 'spent ≤ budget');
    assert.ok(sum.gt(total.mul(Rational.of(99n, 100n))), 'the budget is actually used');
    const kinds = new Set(run.measurements.map((m) => m.kind));
    assert.deepEqual([...kinds].sort(), ['marginal', 'one-way', 'select']);
    assert.equal(run.measurements.filter((m) => m.kind === 'one-way').length, 14);
    for (const m of run.measurements)
      if (m.kind !== 'select') assert.ok(m.sigma2?.equals(Rational.of(1n).div(m.rho.mul(2n))));
  });

  test('a ledger without enough budget left refuses the run', async () => {
    const ledger = new SynthLedger(rhoForEpsilonDelta(1, 1e-9));
    ledger.charge({
      kind: 'domain',
      attrs: ['x'],
      rho: ledger.total.sub(Rational.of(1n, 10n ** 14n)),
    });
    // The fit asks for shares of what is left, so it must still fit exactly…
    const ok = synthesize(train, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('l'),
      ledger,
      rows: 10,
    });
    assert.ok(ok.rhoSpent.lte(ok.rhoTotal));
    // …while an explicit overspend is refused.
    assert.throws(
      () => ledger.charge({ kind: 'select', attrs: [], rho: Rational.of(1n, 10n ** 13n) }),
      SynthError,
    );
  });

  test('progress reaches the end of every stage', () => {
    for (const stage of ['one-way', 'select', 'estimate', 'sample'])
      assert.equal(stages.get(stage), 1, stage);
  });

  test('same seed, data and ε give identical output; another seed differs', async () => {
    const again = synthesize(train, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('test-adult'),
      rows: train.rows,
    });
    run.table.columns.forEach((c, i) =>
      assert.deepEqual(again.table.columns[i]!.codes, c.codes, c.name),
    );
    const other = synthesize(train, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('other'),
      rows: 2000,
    });
    assert.notDeepEqual(other.table.columns[0]!.codes, run.table.columns[0]!.codes.slice(0, 2000));
  });

  test('2-way TVD is well below the independent baseline measured in the same run', async () => {
    const rng = await seededRandom('baseline');
    const next = (): number => rng.nextUint32() / 2 ** 32;
    const floor = meanTvd(train, independentBaseline(train, train.rows, next), 2);
    const ours = meanTvd(train, run.table, 2);
    assert.ok(floor > 0.07, `independent baseline ${floor}`);
    assert.ok(ours < 0.06 && ours < floor * 0.8, `ours ${ours} vs independent ${floor}`);
    assert.ok(meanTvd(train, run.table, 1) < 0.02, '1-way TVD');
  });

  test('extra pair rounds are measured and the junction-tree fit beats the network alone', async () => {
    const d = train.columns.length;
    const marginals = run.measurements.filter((m) => m.kind === 'marginal');
    const selects = run.measurements.filter((m) => m.kind === 'select');
    assert.ok(marginals.length > d - 1, `${marginals.length} marginals: extra rounds ran`);
    assert.equal(selects.length, marginals.length, 'one selection per measured marginal');
    assert.ok(run.fitted.graph && run.fitted.graph.length > 0, 'sampled from the junction tree');
    const covered = new Set(run.fitted.graph.flatMap((s) => [...s.given, ...s.fresh]));
    assert.equal(covered.size, d, 'every column is drawn by the junction tree');
    const networkOnly = synthesize(train, {
      epsilon: 1,
      delta: 1e-9,
      rng: await seededRandom('test-adult'),
      rows: train.rows,
      tuning: { extraRounds: 0, iterations: 0 },
    });
    assert.equal(networkOnly.fitted.graph, undefined);
    const ours = meanTvd(train, run.table, 2);
    const net = meanTvd(train, networkOnly.table, 2);
    assert.ok(ours < net, `junction tree ${ours} vs network alone ${net}`);
  });

  test('exact copies of training rows stay within holdout chance + 3σ', () => {
    const chance = exactCopyShare(train, holdout);
    const sigma = Math.sqrt((chance * (1 - chance)) / run.table.rows);
    const copies = exactCopyShare(train, run.table);
    assert.ok(chance > 0.01 && chance < 0.02, `chance ${chance}`);
    assert.ok(copies <= chance + 3 * sigma, `copies ${copies} > ${chance} + 3σ`);
  });

  test('generated codes stay inside every declared domain', () => {
    for (const c of run.table.columns)
      assert.ok(
        c.codes.every((x) => x >= 0 && x < c.size),
        c.name,
      );
  });
});
