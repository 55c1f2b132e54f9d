import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseRational, Rational } from '@privet/core/dp/rational';
import { zcdpToEpsilon } from '@privet/core/dp/accounting';
import {
  emEpsilonFor,
  rhoForEpsilonDelta,
  sigma2For,
  SynthLedger,
  zcdpDelta,
} from '@privet/core/synth/budget';
import { SynthError } from '@privet/core/synth/errors';

describe('synthesis budget', () => {
  test('ρ for (ε=1, δ=1e-9) satisfies the CKS bound and is nearly tight', () => {
    const rho = rhoForEpsilonDelta(1, 1e-9);
    const r = rho.toNumber();
    assert.ok(zcdpDelta(r, 1) <= 1e-9);
    assert.ok(
      zcdpDelta(r * 1.001, 1) > 1e-9,
      'ρ should be within 0.1% of the largest admissible value',
    );
    // CKS is tighter than the classic ε = ρ + 2√(ρ ln 1/δ): it must allow at least as much ρ.
    const classic = (Math.sqrt(Math.log(1e9) + 1) - Math.sqrt(Math.log(1e9))) ** 2;
    assert.ok(r >= classic, `${r} < classic ${classic}`);
    assert.ok(r > 0.0149 && r < 0.0151, `ρ = ${r}`);
  });

  test('each ρ is certified by the ledger’s exact conversion (ρ-zCDP → at most the declared ε)', () => {
    // The search runs in floats; the result must also pass the same certified bound that DP
    // queries are charged with, so the publication budget is never spent on a float's say-so.
    for (const delta of [1e-12, 1e-9, 1e-6, 1e-3])
      for (const epsilon of [0.001, 0.05, 0.3, 1, 3, 10, 50]) {
        const rho = rhoForEpsilonDelta(epsilon, delta);
        const spent = zcdpToEpsilon(rho, parseRational(delta));
        assert.ok(
          spent.lte(parseRational(epsilon)),
          `ε=${epsilon} δ=${delta}: ρ=${rho.toNumber()} certifies ε ≤ ${spent.toNumber()}`,
        );
        // Still nearly the largest ρ: certification shades it by little.
        assert.ok(zcdpDelta(rho.toNumber() * 1.001, epsilon) > delta, `ε=${epsilon} δ=${delta}`);
      }
  });

  test('small ε is usable: each ρ satisfies the bound and beats the classic conversion', () => {
    // δ(α) overflowed to Infinity for small ρ and the search went the wrong way: ε ≤ 0.05 at
    // δ = 1e-9 was refused as "no usable zCDP budget".
    for (const delta of [1e-9, 1e-6])
      for (const epsilon of [0.001, 0.01, 0.03, 0.05, 0.1]) {
        const r = rhoForEpsilonDelta(epsilon, delta).toNumber();
        assert.ok(zcdpDelta(r, epsilon) <= delta, `ε=${epsilon} δ=${delta}`);
        const L = Math.log(1 / delta);
        const classic = (Math.sqrt(L + epsilon) - Math.sqrt(L)) ** 2;
        assert.ok(r >= classic, `ε=${epsilon} δ=${delta}: ρ ${r} < classic ${classic}`);
      }
  });

  test('refuses unusable ε and δ', () => {
    for (const [e, d] of [
      [0, 1e-9],
      [-1, 1e-9],
      [Number.NaN, 1e-9],
      [1, 0],
      [1, 1],
      [Infinity, 1e-9],
    ] as const) {
      assert.throws(() => rhoForEpsilonDelta(e, d), SynthError);
    }
  });

  test('ledger records charges exactly and refuses an overspend with the numbers', () => {
    const ledger = new SynthLedger(Rational.of(1n, 10n));
    const third = Rational.of(1n, 30n);
    ledger.charge({ kind: 'one-way', attrs: ['a'], rho: third, sigma2: sigma2For(third) });
    ledger.charge({ kind: 'one-way', attrs: ['b'], rho: third });
    ledger.charge({ kind: 'marginal', attrs: ['a', 'b'], rho: third });
    assert.ok(ledger.spent().equals(Rational.of(1n, 10n)), 'three thirds of 1/10 are exactly 1/10');
    assert.throws(
      () => ledger.charge({ kind: 'select', attrs: [], rho: Rational.of(1n, 10n ** 15n) }),
      (e: unknown) =>
        e instanceof SynthError && e.code === 'budget.overspend' && /left/.test(e.message),
    );
    assert.equal(ledger.measurements().length, 3);
  });

  test('σ² = 1/(2ρ) and the exponential-mechanism ε fits in its ρ share', () => {
    const rho = Rational.of(3n, 10_000n);
    assert.ok(sigma2For(rho).equals(Rational.of(5000n, 3n)));
    const eps = emEpsilonFor(rho);
    assert.ok(eps.mul(eps).div(8n).lte(rho));
    assert.ok(eps.toNumber() > Math.sqrt(8 * 3e-4) * 0.999);
  });
});
