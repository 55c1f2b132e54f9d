// Why: privacy budgets must never drift. Floats round 0.1 + 0.2 to 0.30000000000000004 and let
// a ledger overspend or refuse by an ulp; we keep every budget and noise scale as an exact,
// normalized BigInt fraction and only convert to a float for display.
import { DpError } from './errors.js';

/** Greatest common divisor of two non-negative BigInts. */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Anything `Rational.from` / `parseRational` accepts. */
export type RationalLike = Rational | bigint | number | string;

/** Largest decimal exponent accepted when parsing (keeps "1e999999999" from exhausting memory). */
export const MAX_DECIMAL_EXPONENT = 1000;

/** Most significant digits a parsed number (or each side of a fraction) may have. */
export const MAX_DIGITS = 2000;

/** Rounding direction for `toDecimalString` and integer rounding. */
export type RoundingMode = 'nearest' | 'up' | 'down';

/** An exact rational number num/den: immutable, always normalized (gcd 1, den > 0, zero is 0/1). */
export class Rational {
  /** Numerator (carries the sign). */
  readonly num: bigint;
  /** Denominator, always > 0. */
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
    Object.freeze(this);
  }

  /** Builds num/den and normalizes it; refuses a zero denominator. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    const n = toBigIntStrict(num, 'numerator');
    const d = toBigIntStrict(den, 'denominator');
    if (d === 0n) {
      throw new DpError(
        'rational.zero-denominator',
        'A rational number was built with denominator 0',
        'use a non-zero denominator',
      );
    }
    const sign = d < 0n ? -1n : 1n;
    const g = gcd(n, d);
    if (g === 0n) return ZERO;
    return new Rational((sign * n) / g, (sign * d) / g);
  }

  /** Converts a Rational, bigint, finite number or decimal/fraction string (see `parseRational`). */
  static from(value: RationalLike): Rational {
    return value instanceof Rational ? value : parseRational(value);
  }

  /** this + other. */
  add(other: RationalLike): Rational {
    const o = Rational.from(other);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  /** this − other. */
  sub(other: RationalLike): Rational {
    const o = Rational.from(other);
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  /** this × other. */
  mul(other: RationalLike): Rational {
    const o = Rational.from(other);
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  /** this ÷ other; refuses division by zero. */
  div(other: RationalLike): Rational {
    const o = Rational.from(other);
    if (o.num === 0n) {
      throw new DpError(
        'rational.divide-by-zero',
        'Division by zero',
        'divide by a non-zero value',
      );
    }
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  /** −this. */
  neg(): Rational {
    return Rational.of(-this.num, this.den);
  }

  /** |this|. */
  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }

  /** 1/this; refuses zero. */
  reciprocal(): Rational {
    return ONE.div(this);
  }

  /** this^k for an integer k (negative k uses the reciprocal). */
  pow(k: number): Rational {
    if (!Number.isSafeInteger(k)) {
      throw new DpError(
        'rational.bad-exponent',
        `Exponent ${k} is not an integer`,
        'use an integer exponent',
      );
    }
    const base = k < 0 ? this.reciprocal() : this;
    const e = BigInt(Math.abs(k));
    return Rational.of(base.num ** e, base.den ** e);
  }

  /** −1, 0 or 1 as this is <, = or > other. */
  compare(other: RationalLike): -1 | 0 | 1 {
    const o = Rational.from(other);
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  /** Exact equality. */
  equals(other: RationalLike): boolean {
    return this.compare(other) === 0;
  }

  /** this < other. */
  lt(other: RationalLike): boolean {
    return this.compare(other) < 0;
  }

  /** this ≤ other. */
  lte(other: RationalLike): boolean {
    return this.compare(other) <= 0;
  }

  /** this > other. */
  gt(other: RationalLike): boolean {
    return this.compare(other) > 0;
  }

  /** this ≥ other. */
  gte(other: RationalLike): boolean {
    return this.compare(other) >= 0;
  }

  /** The smaller of this and other. */
  min(other: RationalLike): Rational {
    const o = Rational.from(other);
    return this.lte(o) ? this : o;
  }

  /** The larger of this and other. */
  max(other: RationalLike): Rational {
    const o = Rational.from(other);
    return this.gte(o) ? this : o;
  }

  /** True when this is exactly 0. */
  isZero(): boolean {
    return this.num === 0n;
  }

  /** True when this > 0. */
  isPositive(): boolean {
    return this.num > 0n;
  }

  /** True when this < 0. */
  isNegative(): boolean {
    return this.num < 0n;
  }

  /** True when the denominator is 1. */
  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Largest integer ≤ this. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** Smallest integer ≥ this. */
  ceil(): bigint {
    return -Rational.of(-this.num, this.den).floor();
  }

  /** Rounds to an integer: nearest (ties away from zero), up (toward +∞) or down (toward −∞). */
  round(mode: RoundingMode = 'nearest'): bigint {
    if (mode === 'up') return this.ceil();
    if (mode === 'down') return this.floor();
    const twice = this.abs().mul(2n);
    const r = (twice.num + twice.den) / (2n * twice.den); // floor(|x| + 1/2)
    return this.num < 0n ? -r : r;
  }

  /** Exact text: "3", "-1/3". `parseRational` reads it back. */
  toString(): string {
    return this.den === 1n ? `${this.num}` : `${this.num}/${this.den}`;
  }

  /** JSON form: the exact text of `toString`. */
  toJSON(): string {
    return this.toString();
  }

  /** Decimal text with exactly `digits` fraction digits, rounded per `mode` (default nearest). */
  toDecimalString(digits: number, mode: RoundingMode = 'nearest'): string {
    if (!Number.isSafeInteger(digits) || digits < 0 || digits > MAX_DECIMAL_EXPONENT) {
      throw new DpError(
        'rational.bad-digits',
        `toDecimalString(${digits}) needs a whole number of digits between 0 and ${MAX_DECIMAL_EXPONENT}`,
        'pass a small non-negative integer',
      );
    }
    const scaled = this.mul(10n ** BigInt(digits)).round(mode);
    const neg = scaled < 0n;
    const text = (neg ? -scaled : scaled).toString().padStart(digits + 1, '0');
    const int = text.slice(0, text.length - digits);
    const frac = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
    return `${neg ? '-' : ''}${int}${frac}`;
  }

  /**
   * Short human text: the exact decimal when it has ≤ `maxDigits` fraction digits, else "≈"
   * rounded — in scientific notation when rounding would show a non-zero value as 0 (a δ of 1e-9).
   */
  toDisplayString(maxDigits = 6): string {
    for (let d = 0; d <= maxDigits; d++) {
      const text = this.toDecimalString(d);
      if (parseRational(text).equals(this)) return text;
    }
    const rounded = this.toDecimalString(maxDigits);
    const tiny = /^-?0\.0*$/.test(rounded) ? this.toNumber() : 0;
    return tiny !== 0 ? `≈${tiny.toExponential(2)}` : `≈${rounded}`;
  }

  /** Nearest-ish double, for display and plotting only — never for privacy arithmetic. */
  toNumber(): number {
    const a = this.num < 0n ? -this.num : this.num;
    const limit = 1n << 53n;
    if (a < limit && this.den < limit) return Number(this.num) / Number(this.den);
    // Scale so the integer quotient carries ~64 significant bits, then rescale.
    const shift = BigInt(this.den.toString(2).length - a.toString(2).length + 64);
    const q = shift >= 0n ? (this.num << shift) / this.den : this.num / (this.den << -shift);
    let out = Number(q);
    let s = Number(shift); // rescale in steps so 2^-s itself never under/overflows
    while (s > 1000) [out, s] = [out * 2 ** -1000, s - 1000];
    while (s < -1000) [out, s] = [out * 2 ** 1000, s + 1000];
    return out * 2 ** -s;
  }
}

/** The rational 0. */
export const ZERO: Rational = Rational.of(0n);
/** The rational 1. */
export const ONE: Rational = Rational.of(1n);

function toBigIntStrict(value: bigint | number, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) {
    throw new DpError(
      'rational.not-integer',
      `The ${what} of a rational must be a safe integer, got a non-integer or out-of-range number`,
      'pass a bigint or a safe integer',
    );
  }
  return BigInt(value);
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^([+-]?\d+)\s*\/\s*(\d+)$/;

/**
 * Parses a finite decimal ("0.1", "1e-6", "3.0", "-2.5E+3"), a fraction ("1/3"), a bigint, or a
 * finite JS number exactly. A number is read through its shortest decimal form, so 0.1 → 1/10
 * (what the user typed), not the binary double 3602879701896397/36028797018963968.
 */
export function parseRational(value: string | number | bigint): Rational {
  if (typeof value === 'bigint') return Rational.of(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new DpError(
        'rational.not-finite',
        `Cannot use ${String(value)} as an exact number`,
        'pass a finite number',
      );
    }
    return parseRational(String(value));
  }
  const text = value.trim();
  const frac = FRACTION.exec(text);
  if (frac) {
    refuseTooManyDigits(text, frac[1] ?? '', frac[2] ?? '');
    return Rational.of(BigInt(frac[1] ?? '0'), BigInt(frac[2] ?? '1'));
  }
  const m = DECIMAL.exec(text);
  const intPart = m?.[2] ?? '';
  const fracPart = m?.[3] ?? '';
  if (!m || intPart.length + fracPart.length === 0) {
    throw new DpError(
      'rational.unparseable',
      `Cannot read ${JSON.stringify(text.slice(0, 40))} as a number`,
      'write a finite decimal such as 0.5, 1e-6 or 3, or a fraction such as 1/3',
    );
  }
  refuseTooManyDigits(text, intPart + fracPart);
  const written = Number(m[4] ?? '0');
  const exp = written - fracPart.length;
  // "0.000…1" with a million zeros has few digits but would build 10^1000000: bound the scale too.
  const scaleTooLarge = fracPart.length > MAX_DECIMAL_EXPONENT + MAX_DIGITS;
  if (!Number.isSafeInteger(written) || Math.abs(written) > MAX_DECIMAL_EXPONENT || scaleTooLarge) {
    throw new DpError(
      'rational.exponent-too-large',
      `The exponent of ${JSON.stringify(text.slice(0, 40))} is too large`,
      `keep exponents within ±${MAX_DECIMAL_EXPONENT} and at most ${MAX_DECIMAL_EXPONENT + MAX_DIGITS} digits after the point`,
    );
  }
  const digits = BigInt(intPart + fracPart) * (m[1] === '-' ? -1n : 1n);
  return exp >= 0
    ? Rational.of(digits * 10n ** BigInt(exp))
    : Rational.of(digits, 10n ** BigInt(-exp));
}

/** Throws when any of `parts` (digit strings, sign allowed) has more than MAX_DIGITS significant digits. */
function refuseTooManyDigits(text: string, ...parts: string[]): void {
  for (const part of parts) {
    const significant = part.replace(/^[+-]?0*/, '').length;
    if (significant > MAX_DIGITS) {
      throw new DpError(
        'rational.too-many-digits',
        `${JSON.stringify(text.slice(0, 20) + '…')} has ${significant} digits`,
        `write the number with at most ${MAX_DIGITS} digits (budgets and bounds never need more)`,
      );
    }
  }
}

/** Smallest positive normal double; anything smaller (but > 0) is subnormal and refused as a budget. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Reads a privacy parameter (ε, δ, ρ, a scale…) and refuses anything that is not a finite number
 * strictly greater than 0: 0, −0, negatives, NaN, ±Infinity and subnormal doubles (e.g. 5e-324).
 * `what` names the parameter and where it came from, e.g. "epsilon of query q1".
 */
export function assertPositiveBudget(value: unknown, what: string): Rational {
  const fix = `set ${what} to a positive finite number such as 0.5 or 1e-6`;
  let r: Rational;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      throw new DpError('budget.nan', `${what} is NaN (not a number)`, fix);
    }
    if (!Number.isFinite(value)) {
      throw new DpError('budget.infinite', `${what} is ${value > 0 ? '' : '-'}Infinity`, fix);
    }
    if (Object.is(value, -0) || value === 0) {
      throw new DpError('budget.zero', `${what} is ${Object.is(value, -0) ? '-0' : '0'}`, fix);
    }
    if (value < 0) throw new DpError('budget.negative', `${what} is negative`, fix);
    if (value < MIN_NORMAL) {
      throw new DpError(
        'budget.subnormal',
        `${what} is a subnormal number (below 2.2e-308), too small to be meaningful`,
        fix,
      );
    }
    r = parseRational(value);
  } else if (typeof value === 'string' || typeof value === 'bigint' || value instanceof Rational) {
    try {
      r = Rational.from(value);
    } catch (e) {
      const reason = e instanceof DpError ? e.message.split('. Fix:')[0] : 'unreadable';
      throw new DpError('budget.unparseable', `${what} is not a finite number (${reason})`, fix);
    }
  } else {
    throw new DpError('budget.wrong-type', `${what} must be a number, got ${typeof value}`, fix);
  }
  if (r.isZero()) throw new DpError('budget.zero', `${what} is 0`, fix);
  if (r.isNegative()) throw new DpError('budget.negative', `${what} is negative`, fix);
  return r;
}
