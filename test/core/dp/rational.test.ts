import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_DIGITS,
  Rational,
  ONE,
  ZERO,
  assertPositiveBudget,
  parseRational,
} from '@privet/core/dp/rational';
import { DpError } from '@privet/core/dp/errors';

describe('Rational arithmetic', () => {
  test('is exact where floats are not: 0.1 + 0.2 = 0.3', () => {
    const sum = parseRational('0.1').add('0.2');
    assert.equal(sum.toString(), '3/10');
    assert.ok(sum.equals('0.3'));
    assert.notEqual(0.1 + 0.2, 0.3);
  });

  test('normalizes sign and common factors', () => {
    const r = Rational.of(6n, -4n);
    assert.equal(r.num, -3n);
    assert.equal(r.den, 2n);
    assert.equal(Rational.of(0n, -7n).toString(), '0');
    assert.ok(Object.isFrozen(r));
  });

  test('add/sub/mul/div/compare/min/max/isZero', () => {
    const a = Rational.of(1, 3);
    const b = Rational.of(1, 6);
    assert.equal(a.add(b).toString(), '1/2');
    assert.equal(a.sub(b).toString(), '1/6');
    assert.equal(a.mul(b).toString(), '1/18');
    assert.equal(a.div(b).toString(), '2');
    assert.equal(a.compare(b), 1);
    assert.equal(b.compare(a), -1);
    assert.equal(a.compare('2/6'), 0);
    assert.equal(a.min(b), b);
    assert.equal(a.max(b), a);
    assert.ok(a.sub(a).isZero());
    assert.ok(!a.isZero());
    assert.equal(Rational.of(2, 3).pow(-2).toString(), '9/4');
    assert.throws(() => a.div(ZERO), DpError);
    assert.throws(() => Rational.of(1n, 0n), DpError);
  });

  test('floor, ceil and rounding of negatives', () => {
    const x = Rational.of(-7, 2);
    assert.equal(x.floor(), -4n);
    assert.equal(x.ceil(), -3n);
    assert.equal(x.round(), -4n);
    assert.equal(Rational.of(5, 2).round(), 3n);
    assert.equal(Rational.of(7, 3).round('up'), 3n);
    assert.equal(Rational.of(7, 3).round('down'), 2n);
  });

  test('parses decimal strings exactly', () => {
    assert.equal(parseRational('0.1').toString(), '1/10');
    assert.equal(parseRational('1e-6').toString(), '1/1000000');
    assert.equal(parseRational('3.0').toString(), '3');
    assert.equal(parseRational('-2.5E+3').toString(), '-2500');
    assert.equal(parseRational('.5').toString(), '1/2');
    assert.equal(parseRational('1/3').toString(), '1/3');
    assert.equal(parseRational(0.1).toString(), '1/10');
    assert.equal(parseRational(12345678901234567890n).toString(), '12345678901234567890');
    for (const bad of ['', '.', 'abc', 'NaN', 'Infinity', '1e', '0x10', '1e100000']) {
      assert.throws(() => parseRational(bad), DpError, bad);
    }
    assert.throws(() => parseRational(Number.NaN), DpError);
  });

  test('refuses numbers with more digits than any budget needs (no megabyte BigInts)', () => {
    const many = '1'.repeat(MAX_DIGITS + 1);
    for (const bad of [many, `0.${many}`, `${many}/3`, `1/${many}`, `-${many}e-5`]) {
      assert.throws(
        () => parseRational(bad),
        (e: unknown) =>
          e instanceof DpError &&
          e.code === 'rational.too-many-digits' &&
          e.message.length < 200 &&
          /at most \d+ digits/.test(e.fix ?? ''),
        bad.slice(0, 20),
      );
    }
    // Few digits, but a scale of 10^1000000: refused as too large an exponent.
    assert.throws(
      () => parseRational(`0.${'0'.repeat(1_000_000)}1`),
      (e: unknown) => e instanceof DpError && e.code === 'rational.exponent-too-large',
    );
    const most = '7'.repeat(MAX_DIGITS);
    assert.equal(parseRational(`${most}/1${'0'.repeat(MAX_DIGITS - 1)}`).num, BigInt(most));
    assert.equal(parseRational(`0.${most}`).den, 10n ** BigInt(MAX_DIGITS));
    assert.equal(parseRational(` 000${'0'.repeat(MAX_DIGITS)}1.5 `).toString(), '3/2');
  });

  test('toString round-trips and decimal output rounds as asked', () => {
    const third = Rational.of(1, 3);
    assert.ok(parseRational(third.toString()).equals(third));
    assert.equal(third.toDecimalString(4), '0.3333');
    assert.equal(Rational.of(2, 3).toDecimalString(2), '0.67');
    assert.equal(Rational.of(2, 3).toDecimalString(2, 'down'), '0.66');
    assert.equal(Rational.of(-1, 8).toDecimalString(2), '-0.13');
    assert.equal(Rational.of(1, 100).toDecimalString(1, 'up'), '0.1');
    assert.equal(ONE.toDecimalString(0), '1');
    assert.equal(parseRational('0.25').toDisplayString(), '0.25');
    assert.equal(third.toDisplayString(3), '≈0.333');
    // A tiny non-zero value (a δ) is not shown as 0.
    assert.equal(parseRational('1e-9').mul(third).toDisplayString(), '≈3.33e-10');
    assert.equal(parseRational('1e-9').toDisplayString(), '≈1.00e-9');
  });

  test('toNumber is close for display, even for huge numerators and denominators', () => {
    assert.equal(Rational.of(1, 4).toNumber(), 0.25);
    const big = Rational.of(10n ** 400n, 3n * 10n ** 399n);
    assert.ok(Math.abs(big.toNumber() - 10 / 3) < 1e-12);
    const tiny = Rational.of(1n, 10n ** 320n);
    assert.ok(tiny.toNumber() > 0 && tiny.toNumber() < 1e-300);
  });
});

describe('assertPositiveBudget', () => {
  const cases: [unknown, string][] = [
    [0, 'budget.zero'],
    [-0, 'budget.zero'],
    [Number.NaN, 'budget.nan'],
    [Number.POSITIVE_INFINITY, 'budget.infinite'],
    [Number.NEGATIVE_INFINITY, 'budget.infinite'],
    [5e-324, 'budget.subnormal'],
    [1e-310, 'budget.subnormal'],
    [-1, 'budget.negative'],
    ['0', 'budget.zero'],
    ['-0.0', 'budget.zero'],
    ['-1e-3', 'budget.negative'],
    ['NaN', 'budget.unparseable'],
    ['Infinity', 'budget.unparseable'],
    [null, 'budget.wrong-type'],
    [undefined, 'budget.wrong-type'],
  ];
  for (const [value, code] of cases) {
    test(`refuses ${Object.is(value, -0) ? '-0' : (JSON.stringify(value) ?? String(value))}`, () => {
      assert.throws(
        () => assertPositiveBudget(value, 'epsilon of query q1'),
        (e: unknown) =>
          e instanceof DpError &&
          e.code === code &&
          e.message.includes('epsilon of query q1') &&
          e.message.includes('Fix:'),
      );
    });
  }

  test('accepts positive finite values exactly', () => {
    assert.equal(assertPositiveBudget(0.5, 'eps').toString(), '1/2');
    assert.equal(assertPositiveBudget('1e-6', 'delta').toString(), '1/1000000');
    assert.equal(assertPositiveBudget(Rational.of(1, 3), 'rho').toString(), '1/3');
    assert.ok(assertPositiveBudget(2.3e-308, 'tiny normal').isPositive());
  });
});
