// Why: converting ρ-zCDP to (ε, δ), sizing noise for an accuracy target and computing interval
// widths all involve √, ln and exp, which have no exact rational value. Instead of floats we
// compute *certified* rational bounds [lower, upper] (series with explicit remainder terms, every
// rounding directed outward on a 2^-PRECISION grid), so a privacy cost can always be rounded *up*
// and an accuracy claim rounded to the safe side.
import { DpError } from './errors.js';
import { isqrt } from './discrete-gaussian.js';
import { ONE, Rational, ZERO } from './rational.js';

/** Bits of the dyadic grid that intermediate bounds are rounded to (outward). */
export const PRECISION = 128;

/** A certified enclosure lower ≤ true value ≤ upper. */
export interface Bounds {
  lower: Rational;
  upper: Rational;
}

const SCALE = 1n << BigInt(PRECISION);
const TINY = Rational.of(1n, SCALE << 16n); // series terms below this no longer matter

/** Largest multiple of 2^-PRECISION that is ≤ x. */
export function roundDown(x: Rational): Rational {
  return Rational.of(x.mul(SCALE).floor(), SCALE);
}

/** Smallest multiple of 2^-PRECISION that is ≥ x. */
export function roundUp(x: Rational): Rational {
  return Rational.of(x.mul(SCALE).ceil(), SCALE);
}

/** Smallest multiple of 1/den that is ≥ x (e.g. den = 10^12 for a readable upper bound). */
export function ceilTo(x: Rational, den: bigint): Rational {
  return Rational.of(x.mul(den).ceil(), den);
}

/** Largest multiple of 1/den that is ≤ x. */
export function floorTo(x: Rational, den: bigint): Rational {
  return Rational.of(x.mul(den).floor(), den);
}

function requirePositive(x: Rational, fn: string): void {
  if (!x.isPositive()) {
    throw new DpError(
      'bounds.domain',
      `${fn} needs a positive argument, got ${x.toString()}`,
      'pass a value > 0',
    );
  }
}

/** Certified bounds on √x for x ≥ 0. */
export function sqrtBounds(x: Rational): Bounds {
  if (x.isNegative()) {
    throw new DpError('bounds.domain', `sqrt of negative ${x.toString()}`, 'pass a value ≥ 0');
  }
  // √(p/q) = √(p·q·4^P) / (q·2^P); isqrt gives the floor of the numerator.
  const root = isqrt(x.num * x.den * SCALE * SCALE);
  const den = x.den * SCALE;
  const lower = Rational.of(root, den);
  const upper = root * root === x.num * x.den * SCALE * SCALE ? lower : Rational.of(root + 1n, den);
  return { lower, upper };
}

/** Bounds on atanh-series 2·Σ z^(2j+1)/(2j+1) = ln((1+z)/(1−z)) for a rational 0 ≤ z ≤ 1/3. */
function lnSeries(z: Rational): Bounds {
  let lower = ZERO;
  const z2 = z.mul(z);
  let power = z; // z^(2j+1), kept exact-ish by outward rounding below
  let j = 0;
  for (; j < 200; j++) {
    const term = power.div(2 * j + 1);
    lower = lower.add(roundDown(term));
    power = roundDown(power.mul(z2));
    if (term.lt(TINY)) break;
  }
  // Remainder Σ_{i>j} z^(2i+1)/(2i+1) ≤ z^(2j+3)/(1 − z²), computed exactly. Each of the j+1
  // summed terms lost < 2^-P to its own rounding plus < 2^-P carried from rounding `power`.
  const tail = z.pow(2 * j + 3).div(ONE.sub(z2));
  const slack = Rational.of(BigInt(2 * (j + 1)), SCALE);
  const sumUpper = lower.add(roundUp(tail)).add(slack);
  return { lower: lower.mul(2n), upper: sumUpper.mul(2n) };
}

let ln2Cache: Bounds | undefined;

/** Certified bounds on ln 2 (= 2·atanh(1/3)). */
export function ln2Bounds(): Bounds {
  ln2Cache ??= lnSeries(Rational.of(1, 3));
  return ln2Cache;
}

/** Certified bounds on ln x for a rational x > 0. */
export function lnBounds(x: Rational): Bounds {
  requirePositive(x, 'ln');
  if (x.equals(ONE)) return { lower: ZERO, upper: ZERO };
  // x = 2^k · m with m ∈ [1, 2): k from bit lengths, then corrected by at most one step each way.
  let k = x.num.toString(2).length - x.den.toString(2).length;
  let m = k >= 0 ? x.div(Rational.of(1n << BigInt(k))) : x.mul(Rational.of(1n << BigInt(-k)));
  if (m.lt(ONE)) [m, k] = [m.mul(2n), k - 1];
  if (m.gte(2n)) [m, k] = [m.div(2n), k + 1];
  if (m.gt(Rational.of(3, 2))) [m, k] = [m.div(2n), k + 1]; // m ∈ [3/4, 3/2]: |z| ≤ 1/5
  const z = m.sub(ONE).div(m.add(ONE));
  // ln m = 2·atanh(z) is odd in z: bound |z| and mirror for m < 1.
  const pos = lnSeries(z.abs());
  const s = z.isNegative() ? { lower: pos.upper.neg(), upper: pos.lower.neg() } : pos;
  const l2 = ln2Bounds();
  const kr = Rational.of(k);
  const kLow = k >= 0 ? l2.lower.mul(kr) : l2.upper.mul(kr);
  const kHigh = k >= 0 ? l2.upper.mul(kr) : l2.lower.mul(kr);
  return { lower: kLow.add(s.lower), upper: kHigh.add(s.upper) };
}

/** Largest |x| for which `expBounds` computes both sides (e^4000 ≈ 2^5771 stays cheap). */
export const MAX_EXP_ARGUMENT = 4000;

/** Certified bounds on e^x for a rational x with |x| ≤ MAX_EXP_ARGUMENT (lower may be 0 beyond). */
export function expBounds(x: Rational): Bounds {
  if (x.isNegative()) {
    if (x.lt(-MAX_EXP_ARGUMENT)) {
      return { lower: ZERO, upper: expBounds(Rational.of(-MAX_EXP_ARGUMENT)).upper };
    }
    const p = expBounds(x.neg());
    // Exact reciprocals: rounding to the 2^-P grid would erase tiny values such as e^-1000.
    return { lower: ONE.div(p.upper), upper: ONE.div(p.lower) };
  }
  if (x.gt(MAX_EXP_ARGUMENT)) {
    throw new DpError(
      'bounds.overflow',
      `exp(${x.toDisplayString()}) is too large to bound`,
      `keep arguments ≤ ${MAX_EXP_ARGUMENT}`,
    );
  }
  // Halve until y = x / 2^s ≤ 1/16, sum the Taylor series, then square s times (outward rounding).
  let s = 0;
  let y = x;
  while (y.gt(Rational.of(1, 16)) && s < 64) [y, s] = [y.div(2n), s + 1];
  let term = ONE;
  let lower = ONE;
  let n = 1;
  for (; n < 60; n++) {
    term = term.mul(y).div(n);
    lower = lower.add(roundDown(term));
    if (term.lt(TINY)) break;
    term = roundDown(term); // keep sizes small; lower stays a lower bound
  }
  // Remainder Σ_{i>n} y^i/i! ≤ 2·y^(n+1)/(n+1)! since y ≤ 1/16 (computed exactly); each of the
  // n summed terms lost < 2·2^-P to rounding (its own plus what it inherited).
  let factorial = 1n;
  for (let i = 2n; i <= BigInt(n + 1); i++) factorial *= i;
  const tail = y
    .pow(n + 1)
    .mul(2n)
    .div(factorial);
  const slack = Rational.of(BigInt(2 * (n + 1)), SCALE);
  let upper = lower.add(tail).add(slack);
  for (let i = 0; i < s; i++) {
    lower = roundDown(lower.mul(lower));
    upper = roundUp(upper.mul(upper));
  }
  return { lower, upper };
}
