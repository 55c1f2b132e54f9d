import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  approxLoss,
  compose,
  formatLoss,
  gaussianRho,
  gaussianSigma2For,
  laplaceEpsilon,
  laplaceScaleFor,
  pureLoss,
  pureToZcdp,
  toApprox,
  zcdpLoss,
  zcdpToEpsilon,
  zcdpToEpsilonSimple,
} from '@privet/core/dp/accounting';
import { BudgetExceededError, Odometer } from '@privet/core/dp/odometer';
import { Rational } from '@privet/core/dp/rational';
import { DpError } from '@privet/core/dp/errors';

const R = (x: string | number) => Rational.from(x);

/** Independent float evaluation of the CKS 2020 bound: dense grid over α, then local refinement. */
function cksFloat(rho: number, delta: number): number {
  const f = (x: number) => {
    const a = 1 + Math.exp(x);
    return a * rho + (Math.log(1 / delta) + (a - 1) * Math.log1p(-1 / a) - Math.log(a)) / (a - 1);
  };
  let bestX = 0;
  for (let i = 0; i <= 20_000; i++) {
    const x = -12 + (i * 24) / 20_000;
    if (f(x) < f(bestX)) bestX = x;
  }
  let lo = bestX - 0.01;
  let hi = bestX + 0.01;
  for (let i = 0; i < 200; i++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (f(m1) < f(m2)) hi = m2;
    else lo = m1;
  }
  return f((lo + hi) / 2);
}

describe('privacy maps of the mechanisms (exact)', () => {
  test('discrete Laplace: ε = Δ/b and back', () => {
    assert.equal(laplaceEpsilon(R(1), R(3)).toString(), '1/3');
    assert.equal(laplaceScaleFor(R(2), R('0.5')).toString(), '4');
  });
  test('discrete Gaussian: ρ = Δ²/(2σ²) and back', () => {
    assert.equal(gaussianRho(R(1), R(2)).toString(), '1/4');
    assert.equal(gaussianRho(R(3), R('4.5')).toString(), '1');
    assert.equal(gaussianSigma2For(R(1), R('0.125')).toString(), '4');
  });
  test('pure ε → ρ = ε²/2', () => {
    assert.equal(pureToZcdp(R(1)).toString(), '1/2');
    assert.equal(pureToZcdp(R('0.1')).toString(), '1/200');
  });
});

describe('ρ-zCDP → (ε, δ)', () => {
  for (const [rho, delta] of [
    [1, 1e-6],
    [0.5, 1e-5],
    [0.01, 1e-9],
    [10, 1e-6],
  ] as const) {
    test(`ρ=${rho}, δ=${delta}: simple bound is a tight upper bound of ρ + 2√(ρ ln 1/δ)`, () => {
      const exact = rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
      const got = zcdpToEpsilonSimple(R(rho), R(delta)).toNumber();
      assert.ok(got >= exact - 1e-12 && got <= exact + 2e-12, `${got} vs ${exact}`);
    });
    test(`ρ=${rho}, δ=${delta}: CKS bound is ≥ the true optimum, within 1e-6, and tighter`, () => {
      const reference = cksFloat(rho, delta);
      const got = zcdpToEpsilon(R(rho), R(delta));
      assert.ok(got.toNumber() >= reference - 1e-10, `${got.toNumber()} < ${reference}`);
      assert.ok(got.toNumber() <= reference + 1e-6, `${got.toNumber()} ≫ ${reference}`);
      assert.ok(got.lt(zcdpToEpsilonSimple(R(rho), R(delta))));
    });
  }

  test('known value: ρ=1, δ=1e-6 → simple 8.4338…, CKS 7.7662…', () => {
    assert.equal(zcdpToEpsilonSimple(R(1), R('1e-6')).toDecimalString(4), '8.4338');
    assert.equal(zcdpToEpsilon(R(1), R('1e-6')).toDecimalString(4), '7.7662');
  });

  test('refuses δ outside (0, 1)', () => {
    for (const d of ['0', '1', '-1e-6', '2']) {
      assert.throws(() => zcdpToEpsilon(R(1), R(d)), DpError);
    }
  });
});

describe('composition', () => {
  test('sequential composition adds parameters exactly', () => {
    const c = compose(approxLoss(R('0.1'), R('1e-7')), approxLoss(R('0.2'), R('2e-7')));
    assert.equal(formatLoss(c), 'ε=0.3, δ=3e-7');
    assert.equal(formatLoss(compose(zcdpLoss(R('1/3')), zcdpLoss(R('1/6')))), 'ρ=0.5');
    assert.throws(() => compose(pureLoss(R(1)), zcdpLoss(R(1))), DpError);
  });

  test('toApprox: pure → (ε, 0); zCDP needs a δ', () => {
    assert.equal(toApprox(pureLoss(R(2))).delta.toString(), '0');
    assert.throws(() => toApprox(zcdpLoss(R(1))), DpError);
    const a = toApprox(zcdpLoss(R(1)), R('1e-6'));
    assert.ok(a.epsilon.equals(zcdpToEpsilon(R(1), R('1e-6'))));
  });
});

describe('Odometer', () => {
  test('ten charges of 0.1 spend a budget of 1.0 exactly; one more, however tiny, is refused', () => {
    const o = new Odometer(pureLoss(R('1.0')));
    for (let i = 0; i < 10; i++) o.charge(pureLoss(R('0.1')));
    const left = o.remaining();
    assert.ok(left.kind === 'pure' && left.epsilon.isZero());
    assert.throws(() => o.charge(pureLoss(R('1e-30'))), BudgetExceededError);
  });

  test('refusal names the numbers, costs nothing, and a fitting charge still passes', () => {
    const o = new Odometer(pureLoss(R('3.0')));
    o.charge(pureLoss(R('2.8')));
    assert.throws(
      () => o.charge(pureLoss(R('0.5')), { what: 'query q7' }),
      (e: unknown) =>
        e instanceof BudgetExceededError &&
        e.message.includes('query q7 needs ε=0.5, but only 0.2 is left of 3.0') &&
        e.message.includes('Fix:'),
    );
    const left = o.remaining();
    assert.ok(left.kind === 'pure' && left.epsilon.equals('0.2'));
    o.charge(pureLoss(R('0.2')));
    assert.equal(o.check(pureLoss(R('1e-9'))).ok, false);
  });

  test('(ε, δ) budgets check both parameters', () => {
    const o = new Odometer(approxLoss(R(1), R('1e-6')));
    assert.throws(
      () => o.charge(approxLoss(R('0.5'), R('2e-6'))),
      /needs ε=0.5, δ=2e-6, but only ε=1.0, δ=1e-6 is left/,
    );
    o.charge(approxLoss(R('0.5'), R('1e-6')));
    o.charge(pureLoss(R('0.5')));
    assert.throws(() => o.charge(pureLoss(R('1e-12'))), BudgetExceededError);
  });

  test('zCDP budgets take pure charges as ε²/2 and refuse (ε, δ)', () => {
    const o = new Odometer(zcdpLoss(R('0.5')));
    assert.equal(formatLoss(o.charge(pureLoss(R('0.5')))), 'ρ=0.125');
    assert.throws(() => o.charge(approxLoss(R('0.1'), R('1e-9'))), DpError);
    o.charge(zcdpLoss(R('0.375')));
    assert.throws(() => o.charge(zcdpLoss(R('1e-20'))), BudgetExceededError);
  });

  test('pure budgets refuse zCDP and (ε, δ) costs; (ε, δ) budgets need a δ for zCDP', () => {
    assert.throws(() => new Odometer(pureLoss(R(1))).charge(zcdpLoss(R('0.01'))), DpError);
    const a = new Odometer(approxLoss(R(10), R('1e-5')));
    assert.throws(() => a.charge(zcdpLoss(R('0.01'))), /needs a δ/);
    const c = a.charge(zcdpLoss(R('0.01')), { deltaForZcdp: R('1e-6') });
    assert.ok(c.kind === 'approx' && c.delta.equals('1e-6'));
  });

  test('negative and zero charges are refused (no budget minting)', () => {
    const o = new Odometer(pureLoss(R(1)));
    assert.throws(() => o.charge(pureLoss(R(-1))), /negative/);
    assert.throws(() => o.charge(pureLoss(R(0))), /costs nothing/);
    const left = o.remaining();
    assert.ok(left.kind === 'pure' && left.epsilon.equals(1));
  });

  test('invalid budgets are refused', () => {
    assert.throws(() => new Odometer(pureLoss(R(0))), DpError);
    assert.throws(() => new Odometer(zcdpLoss(R(-1))), DpError);
    assert.throws(() => new Odometer(approxLoss(R(1), R(1))), DpError);
  });

  test('reservations hold budget until refund; committed charges cannot be refunded', () => {
    const o = new Odometer(pureLoss(R(1)));
    const r1 = o.reserve(pureLoss(R('0.6')));
    assert.throws(() => o.reserve(pureLoss(R('0.5'))), BudgetExceededError);
    r1.refund();
    r1.refund(); // idempotent
    const r2 = o.reserve(pureLoss(R('0.5')));
    r2.commit();
    assert.throws(() => r2.refund(), DpError);
    const spent = o.spent();
    assert.ok(spent.kind === 'pure' && spent.epsilon.equals('0.5'));
  });
});
