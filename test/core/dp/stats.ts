// Statistics helpers shared by the DP sampler tests (not a test file itself).
import type { RandomSource } from '@privet/core/dp/random';

/** Upper quantile of the chi-square distribution with k degrees of freedom (Wilson–Hilferty). */
export function chiSquareCritical(k: number, z = 4.265 /* one-sided p ≈ 1e-5 */): number {
  const c = 2 / (9 * k);
  return k * (1 - c + z * Math.sqrt(c)) ** 3;
}

/** Result of a chi-square goodness-of-fit test. */
export interface ChiSquareResult {
  statistic: number;
  degrees: number;
  critical: number;
}

/**
 * Chi-square of observed integer draws against a pmf; values whose expected count is < 5 are
 * pooled into the two tails (everything ≤ lo, everything ≥ hi).
 */
export function chiSquare(
  counts: Map<bigint, number>,
  n: number,
  pmf: (y: number) => number,
): ChiSquareResult {
  // Central range where expected counts are ≥ 5, found by walking out from 0 (bounded).
  let lo = 0;
  while (lo > -1e6 && n * pmf(lo - 1) >= 5) lo--;
  let hi = 0;
  while (hi < 1e6 && n * pmf(hi + 1) >= 5) hi++;
  let statistic = 0;
  let pLo = 0;
  let pHi = 0;
  let oLo = 0;
  let oHi = 0;
  for (let y = lo + 1; y <= hi - 1; y++) {
    const e = n * pmf(y);
    const o = counts.get(BigInt(y)) ?? 0;
    statistic += (o - e) ** 2 / e;
  }
  for (const [y, c] of counts) {
    if (y <= BigInt(lo)) oLo += c;
    else if (y >= BigInt(hi)) oHi += c;
  }
  let pCentral = 0;
  for (let y = lo + 1; y <= hi - 1; y++) pCentral += pmf(y);
  // Tail masses from symmetry where possible: P(≤ lo) and P(≥ hi) by summing outward (bounded).
  for (let y = lo; y > lo - 100000 && pmf(y) > 1e-300; y--) pLo += pmf(y);
  for (let y = hi; y < hi + 100000 && pmf(y) > 1e-300; y++) pHi += pmf(y);
  const scale = 1 / (pCentral + pLo + pHi); // renormalize float round-off
  statistic += (oLo - n * pLo * scale) ** 2 / (n * pLo * scale);
  statistic += (oHi - n * pHi * scale) ** 2 / (n * pHi * scale);
  const degrees = hi - lo; // (hi − lo − 1) central cells + 2 tails − 1
  return { statistic, degrees, critical: chiSquareCritical(degrees) };
}

/** The discrete Laplace pmf with scale b, P(y) = (1 − r)/(1 + r) · r^|y|, r = e^{−1/b} (float). */
export function laplacePmf(b: number): (y: number) => number {
  const r = Math.exp(-1 / b);
  return (y) => ((1 - r) / (1 + r)) * r ** Math.abs(y);
}

/** The discrete Gaussian pmf with variance parameter σ², normalized numerically (float). */
export function gaussianPmf(sigma2: number): (y: number) => number {
  const cutoff = Math.ceil(Math.sqrt(sigma2) * 40) + 10;
  let z = 0;
  for (let k = -cutoff; k <= cutoff; k++) z += Math.exp((-k * k) / (2 * sigma2));
  return (y) => Math.exp((-y * y) / (2 * sigma2)) / z;
}

/** Draws n values and tallies them. */
export function tally(n: number, draw: () => bigint): Map<bigint, number> {
  const counts = new Map<bigint, number>();
  for (let i = 0; i < n; i++) {
    const y = draw();
    counts.set(y, (counts.get(y) ?? 0) + 1);
  }
  return counts;
}

/** A deterministic (NOT secure) xorshift128 source, only for reproducibility tests. */
export class XorShiftSource implements RandomSource {
  private s = [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321];
  constructor(seed: number) {
    this.s[0] = (this.s[0] as number) ^ seed;
  }
  nextUint32(): number {
    const [a, b, c, d] = this.s as [number, number, number, number];
    let t = a ^ (a << 11);
    t ^= t >>> 8;
    const next = (d ^ (d >>> 19) ^ t) >>> 0;
    this.s = [b, c, d, next];
    return next;
  }
}

/** A source that replays a fixed list of words then repeats the last one (for edge cases). */
export class ScriptedSource implements RandomSource {
  private i = 0;
  constructor(private readonly words: readonly number[]) {}
  nextUint32(): number {
    const w = this.words[Math.min(this.i, this.words.length - 1)] ?? 0;
    this.i++;
    return w;
  }
  /** How many words were consumed. */
  get used(): number {
    return this.i;
  }
}
