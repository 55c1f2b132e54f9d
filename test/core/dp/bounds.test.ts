import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ceilTo,
  expBounds,
  floorTo,
  ln2Bounds,
  lnBounds,
  sqrtBounds,
  type Bounds,
} from '@privet/core/dp/bounds';
import { Rational } from '@privet/core/dp/rational';
import { DpError } from '@privet/core/dp/errors';

const R = (x: string | number) => Rational.from(x);

/** The enclosure contains the float reference (within float error) and is tight. */
function encloses(b: Bounds, ref: number, what: string): void {
  const tol = Math.abs(ref) * 1e-15 + 1e-300;
  assert.ok(b.lower.lte(b.upper), `${what}: lower > upper`);
  assert.ok(
    b.lower.toNumber() <= ref + tol && b.upper.toNumber() >= ref - tol,
    `${what} misses ${ref}`,
  );
  const width = b.upper.sub(b.lower).toNumber();
  assert.ok(width <= Math.abs(ref) * 1e-30 + 1e-30, `${what}: width ${width}`);
}

describe('certified bounds', () => {
  test('ln encloses the true value across magnitudes, including below 1', () => {
    for (const x of [
      '1e-6',
      '0.75',
      '0.5',
      '1.25',
      '1.5',
      '1.6',
      '2',
      '3',
      '1e6',
      '123456789/1000',
    ]) {
      encloses(lnBounds(R(x)), Math.log(R(x).toNumber()), `ln ${x}`);
    }
    encloses(ln2Bounds(), Math.LN2, 'ln 2');
    const one = lnBounds(R(1));
    assert.ok(one.lower.isZero() && one.upper.isZero());
    assert.throws(() => lnBounds(R(0)), DpError);
  });

  test('ln bounds are consistent: ln(a) + ln(b) encloses ln(ab)', () => {
    const a = lnBounds(R('1e-6'));
    const b = lnBounds(R('1e6'));
    assert.ok(a.lower.add(b.lower).lte(0n) && a.upper.add(b.upper).gte(0n));
  });

  test('exp encloses the true value for positive and negative arguments', () => {
    for (const x of ['0', '1', '-1/3', '2.5', '-20', '100']) {
      encloses(expBounds(R(x)), Math.exp(R(x).toNumber()), `exp ${x}`);
    }
    const far = expBounds(R(-5000));
    assert.ok(far.lower.isZero() && far.upper.isPositive() && far.upper.toNumber() < 1e-300);
    assert.throws(() => expBounds(R(5000)), DpError);
  });

  test('sqrt is exact on perfect squares and encloses otherwise', () => {
    const four = sqrtBounds(R('6.25'));
    assert.ok(four.lower.equals('2.5') && four.upper.equals('2.5'));
    encloses(sqrtBounds(R(2)), Math.SQRT2, 'sqrt 2');
    assert.throws(() => sqrtBounds(R(-1)), DpError);
  });

  test('directed rounding to a readable grid', () => {
    assert.equal(
      ceilTo(R(1).div(3n), 1000n).toString(),
      '333/1000'.replace('333', '167').replace('/1000', '/500'),
    );
    assert.equal(floorTo(R(2).div(3n), 100n).toString(), '33/50');
    assert.equal(ceilTo(R(-1).div(3n), 10n).toString(), '-3/10');
  });
});
