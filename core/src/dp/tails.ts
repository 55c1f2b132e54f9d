// Why: interval widths and thresholds are decided by tail probabilities of the discrete noise.
// For the discrete Laplace the tail has a closed form, P(Y ≥ t) = r^t/(1 + r) with r = e^{−1/b}
// (t ≥ 1), which we enclose with certified rational bounds. For the discrete Gaussian no closed
// form exists: below σ² = 10^8 we sum the pmf in doubles from the far tail inward (relative error
// ~1e-13, absorbed by a 1e-9 safety margin); above that we use the provable bound
// P(|Y| > k) ≤ erfc(k/(σ√2)), since Σ_{y>k} e^{−y²/2σ²} ≤ ∫_k^∞ and the normalizer Z ≥ √(2π)σ
// (Poisson summation), so the discrete tail never exceeds the continuous one.
import { expBounds } from './bounds.js';
import { ONE, Rational } from './rational.js';

/** Certified bounds on P(Y ≥ t) for discrete Laplace noise with scale b and an integer t. */
export function laplaceUpperTail(scale: Rational, t: bigint): { lower: Rational; upper: Rational } {
  if (t <= 0n) {
    const c = laplaceUpperTail(scale, 1n - t); // P(Y ≥ t) = 1 − P(Y ≤ t − 1) = 1 − P(Y ≥ 1 − t)
    return { lower: ONE.sub(c.upper), upper: ONE.sub(c.lower) };
  }
  const rt = expBounds(Rational.of(-t).div(scale));
  const r = expBounds(Rational.of(-1).div(scale));
  return { lower: rt.lower.div(ONE.add(r.upper)), upper: rt.upper.div(ONE.add(r.lower)) };
}

/** Certified bounds on P(|Y| > k) = 2·P(Y ≥ k + 1) for discrete Laplace noise (k ≥ 0). */
export function laplaceTwoSidedTail(
  scale: Rational,
  k: bigint,
): { lower: Rational; upper: Rational } {
  const one = laplaceUpperTail(scale, k + 1n);
  return { lower: one.lower.mul(2n), upper: one.upper.mul(2n) };
}

/** erfc(x) for x ≥ 0 in doubles: Taylor series of erf below 2, Lentz continued fraction above. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) via modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Largest σ² whose pmf we sum term by term (≈ 9σ terms per tail). */
export const GAUSSIAN_SUM_LIMIT = 1e8;

/** Tail table of the discrete Gaussian: tails[k] = P(|Y| > k), for k up to where it is negligible. */
function gaussianTailTable(sigma2: number): Float64Array {
  const cutoff = Math.ceil(Math.sqrt(sigma2) * 9.5) + 8; // e^{−45} ≈ 3e-20 relative beyond
  const w = new Float64Array(cutoff + 1);
  for (let y = 0; y <= cutoff; y++) w[y] = Math.exp((-y * y) / (2 * sigma2));
  const suffix = new Float64Array(cutoff + 2); // suffix[k] = Σ_{y ≥ k} w[y], summed small-to-large
  for (let y = cutoff; y >= 0; y--) suffix[y] = (suffix[y + 1] as number) + (w[y] as number);
  const z = 2 * (suffix[1] as number) + (w[0] as number);
  const tails = new Float64Array(cutoff + 1);
  for (let k = 0; k <= cutoff; k++) tails[k] = (2 * (suffix[k + 1] as number)) / z;
  return tails;
}

const tableCache = new Map<number, Float64Array>();

/** P(|Y| > k) for discrete Gaussian noise with variance parameter σ² (a safe upper estimate). */
export function gaussianTwoSidedTail(sigma2: number, k: number): number {
  if (k < 0) return 1;
  if (sigma2 > GAUSSIAN_SUM_LIMIT) return Math.min(1, erfc(k / Math.sqrt(2 * sigma2)));
  let table = tableCache.get(sigma2);
  if (!table) {
    table = gaussianTailTable(sigma2);
    if (tableCache.size > 64) tableCache.clear(); // bounded memory
    tableCache.set(sigma2, table);
  }
  return k < table.length ? (table[k] as number) : erfc(k / Math.sqrt(2 * sigma2));
}

/** Relative safety margin applied to float tail estimates before comparing with α. */
export const FLOAT_MARGIN = 1e-9;
