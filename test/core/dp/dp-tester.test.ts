import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianRho, laplaceEpsilon, pureLoss, zcdpLoss } from '@privet/core/dp/accounting';
import { DiscreteGaussianSampler } from '@privet/core/dp/discrete-gaussian';
import { sampleDiscreteLaplace } from '@privet/core/dp/discrete-laplace';
import { chain, Measurement, type UnitRow } from '@privet/core/dp/measurement';
import { makeNoisyCount, makeNoisySum, type NoiseBudget } from '@privet/core/dp/mechanisms';
import { Rational } from '@privet/core/dp/rational';
import { makeClampedSum, makeCount } from '@privet/core/dp/transformations';
import type { RandomSource } from '@privet/core/dp/random';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { histogram, pureEpsilonLowerBound, renyiLowerBound } from './dp-tester.js';

const N = 100_000;
const R = (x: string | number) => Rational.from(x);

// Neighbouring datasets: D has 15 units × 2 rows; D' adds one unit with 2 rows at the upper bound.
const D: UnitRow[] = [];
for (let u = 0; u < 15; u++)
  for (let r = 0; r < 2; r++) D.push({ unit: `u${u}`, value: (u + r) % 6 });
const Dplus: UnitRow[] = [...D, { unit: 'new', value: 5 }, { unit: 'new', value: 5 }];
const bounds = { lower: R(0), upper: R(5) };

type M = Measurement<readonly UnitRow[], bigint>;
const asInteger = (m: Measurement<readonly UnitRow[], Rational>): M =>
  // Sums are released as Rationals (resolution 1 here): compare them as integers.
  new Measurement(
    m.inputDomain,
    m.inputMetric,
    m.outputMeasure,
    (x, rng) => m.invoke(x, rng).floor(),
    m.privacyMap,
  );

// Each check draws from a seeded ChaCha20 stream named after it, so the histograms (and the bounds
// asserted on) are the same every run; with the system CSPRNG a 4.5-σ bound or a power margin
// could be crossed by chance.
function pureCheck(m: M, rng: RandomSource): { claimed: number; lower: number } {
  const loss = m.privacyMap(R(1));
  assert.equal(loss.kind, 'pure');
  const claimed = loss.kind === 'pure' ? loss.epsilon.toNumber() : NaN;
  const p = histogram(N, () => m.invoke(Dplus, rng));
  const q = histogram(N, () => m.invoke(D, rng));
  return { claimed, lower: pureEpsilonLowerBound(p, q) };
}

function zcdpCheck(m: M, rng: RandomSource): { claimed: number; lower: number } {
  const loss = m.privacyMap(R(1));
  assert.equal(loss.kind, 'zcdp');
  const rho = loss.kind === 'zcdp' ? loss.rho.toNumber() : NaN;
  const p = histogram(N, () => m.invoke(Dplus, rng));
  const q = histogram(N, () => m.invoke(D, rng));
  return { claimed: 2 * rho, lower: renyiLowerBound(p, q, N, 2) }; // zCDP: D_2 ≤ 2ρ
}

const laplace: NoiseBudget = { mechanism: 'laplace', epsilon: R(1) };
const gaussian: NoiseBudget = { mechanism: 'gaussian', rho: R('0.5') };

describe('empirical DP tester: correct mechanisms pass', () => {
  test('discrete Laplace count (ε = 1, m = 2)', async () => {
    const r = pureCheck(
      makeNoisyCount(2, laplace).measurement,
      await seededRandom('discrete Laplace count (ε = 1, m = 2)'),
    );
    assert.ok(r.lower <= r.claimed, `exhibited ε ≥ ${r.lower.toFixed(3)} > claimed ${r.claimed}`);
    assert.ok(r.lower > 0.8 * r.claimed, `tester lacks power: ${r.lower.toFixed(3)}`);
  });
  test('discrete Laplace clamped sum (ε = 1, bounds [0, 5], m = 2)', async () => {
    const r = pureCheck(
      asInteger(makeNoisySum(2, bounds, laplace).measurement),
      await seededRandom('discrete Laplace clamped sum (ε = 1, bounds [0, 5], m = 2)'),
    );
    assert.ok(r.lower <= r.claimed, `exhibited ε ≥ ${r.lower.toFixed(3)} > claimed ${r.claimed}`);
  });
  test('discrete Gaussian count (ρ = 0.5, m = 2)', async () => {
    const r = zcdpCheck(
      makeNoisyCount(2, gaussian).measurement,
      await seededRandom('discrete Gaussian count (ρ = 0.5, m = 2)'),
    );
    assert.ok(r.lower <= r.claimed, `exhibited D₂ ≥ ${r.lower.toFixed(3)} > claimed ${r.claimed}`);
    assert.ok(r.lower > 0.7 * r.claimed, `tester lacks power: ${r.lower.toFixed(3)}`);
  });
  test('discrete Gaussian clamped sum (ρ = 0.5, bounds [0, 5], m = 2)', async () => {
    const r = zcdpCheck(
      asInteger(makeNoisySum(2, bounds, gaussian).measurement),
      await seededRandom('discrete Gaussian clamped sum (ρ = 0.5, bounds [0, 5], m = 2)'),
    );
    assert.ok(r.lower <= r.claimed, `exhibited D₂ ≥ ${r.lower.toFixed(3)} > claimed ${r.claimed}`);
  });
});

describe('empirical DP tester: under-noised variants are caught', () => {
  test('Laplace with scale/1.25 but the honest privacy map (actual ε = 1.25 × claimed)', async () => {
    const claimedScale = R(2);
    const broken = new Measurement<bigint, bigint>(
      { kind: 'integer' },
      'absolute-distance',
      'pure',
      (x, rng) => x + sampleDiscreteLaplace(claimedScale.div(R('1.25')), rng),
      (d) => pureLoss(laplaceEpsilon(d, claimedScale)),
    );
    const r = pureCheck(
      chain(makeCount(2), broken),
      await seededRandom(
        'Laplace with scale/1.25 but the honest privacy map (actual ε = 1.25 × claimed)',
      ),
    );
    assert.ok(
      r.lower > r.claimed,
      `missed: exhibited ε ≥ ${r.lower.toFixed(3)}, claimed ${r.claimed}`,
    );
  });

  test('sum whose declared max rows per unit (1) is below the real one (2): actual ε = 2 × claimed', async () => {
    const r = pureCheck(
      asInteger(makeNoisySum(1, bounds, laplace).measurement),
      await seededRandom(
        'sum whose declared max rows per unit (1) is below the real one (2): actual ε = 2 × claimed',
      ),
    );
    assert.ok(
      r.lower > r.claimed,
      `missed: exhibited ε ≥ ${r.lower.toFixed(3)}, claimed ${r.claimed}`,
    );
  });

  test('Gaussian with σ²/1.5625 (actual ρ = 1.5625 ×, ε ≈ 1.25 × claimed)', async () => {
    const claimedSigma2 = R(4);
    const sampler = new DiscreteGaussianSampler(claimedSigma2.div(R('1.5625')));
    const broken = new Measurement<bigint, bigint>(
      { kind: 'integer' },
      'absolute-distance',
      'zcdp',
      (x, rng) => x + sampler.sample(rng),
      (d) => zcdpLoss(gaussianRho(d, claimedSigma2)),
    );
    const r = zcdpCheck(
      chain(makeCount(2), broken),
      await seededRandom('Gaussian with σ²/1.5625 (actual ρ = 1.5625 ×, ε ≈ 1.25 × claimed)'),
    );
    assert.ok(
      r.lower > r.claimed,
      `missed: exhibited D₂ ≥ ${r.lower.toFixed(3)}, claimed ${r.claimed}`,
    );
  });

  test('Gaussian sum with an undeclared second row per unit (actual ρ = 4 × claimed)', async () => {
    const r = zcdpCheck(
      asInteger(makeNoisySum(1, bounds, gaussian).measurement),
      await seededRandom(
        'Gaussian sum with an undeclared second row per unit (actual ρ = 4 × claimed)',
      ),
    );
    assert.ok(
      r.lower > r.claimed,
      `missed: exhibited D₂ ≥ ${r.lower.toFixed(3)}, claimed ${r.claimed}`,
    );
  });
});

describe('the sum pipeline itself', () => {
  test('clamped sum sensitivity is m·max(|L|,|U|) and the transformation cannot be run alone', async () => {
    const t = makeClampedSum(3, { lower: R(-4), upper: R(2) });
    assert.equal(t.stabilityMap(R(1)).toString(), '12');
    assert.equal((t as unknown as { invoke?: unknown }).invoke, undefined);
  });
});
