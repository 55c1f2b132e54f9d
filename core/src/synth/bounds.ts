// Why: a numeric column without declared bounds cannot be binned for free: its range is private.
// So it is estimated with DP, as a noisy histogram over *public* buckets that do not depend on the
// data — zero, and ±[2^k, 2^(k+1)) for k in −10..62 — each row adding one to exactly one bucket
// (L2 sensitivity 1, discrete Gaussian, ρ = 1/(2σ²), charged to the synthesis ledger as a 'domain'
// measurement). The bounds are the outer edges of the lowest and highest buckets whose noisy count
// clears τ = σ·√(2·ln(2B/0.05)) (no empty bucket of the B clears it in 95% of runs), so a value
// held by a handful of people does not stretch the range. Everything after the noisy counts is
// post-processing; fail closed when no bucket clears τ.
import type { RandomSource } from '../dp/random.js';
import type { Rational } from '../dp/rational.js';
import { sigma2For, type SynthLedger } from './budget.js';
import type { ColumnSpec } from './encode.js';
import { SynthError } from './errors.js';
import { noisyCounts } from './noise.js';

/** Smallest and largest binary exponents of the public buckets. */
const MIN_EXP = -10;
const MAX_EXP = 62;
const PER_SIGN = MAX_EXP - MIN_EXP + 1;
/** Buckets: negative magnitudes (largest first), the zero bucket, positive magnitudes. */
const BUCKETS = 2 * PER_SIGN + 1;
const ZERO = PER_SIGN;

/** The public bucket of a finite value. */
export function boundsBucket(x: number): number {
  const m = Math.abs(x);
  if (m < 2 ** MIN_EXP) return ZERO;
  const k = Math.min(MAX_EXP, Math.max(MIN_EXP, Math.floor(Math.log2(m))));
  return x > 0 ? ZERO + 1 + (k - MIN_EXP) : ZERO - 1 - (k - MIN_EXP);
}

/** The edges of bucket `b` (the range it stands for, as closed bounds). */
export function bucketEdges(b: number): [number, number] {
  if (b === ZERO) return [-(2 ** MIN_EXP), 2 ** MIN_EXP];
  const k = (b > ZERO ? b - ZERO - 1 : ZERO - 1 - b) + MIN_EXP;
  return b > ZERO ? [2 ** k, 2 ** (k + 1)] : [-(2 ** (k + 1)), -(2 ** k)];
}

/** Settings of `estimateBounds`. */
export interface BoundsOptions {
  ledger: SynthLedger;
  rng: RandomSource;
  /** ρ of this estimate. */
  rho: Rational;
}

/** Returns `spec` with DP-estimated bounds (the ledger is charged first). */
export function estimateBounds(
  spec: Extract<ColumnSpec, { kind: 'numeric' }>,
  values: readonly unknown[],
  o: BoundsOptions,
): Extract<ColumnSpec, { kind: 'numeric' }> & { bounds: [number, number] } {
  const sigma2 = sigma2For(o.rho);
  o.ledger.charge({ kind: 'domain', attrs: [spec.name], rho: o.rho, sigma2 });
  const counts = new Float64Array(BUCKETS);
  for (const v of values) {
    const x = typeof v === 'number' ? v : Number(v);
    if (v !== null && v !== undefined && v !== '' && Number.isFinite(x)) counts[boundsBucket(x)]!++;
  }
  const noisy = noisyCounts(counts, sigma2, o.rng);
  const tau = Math.sqrt(sigma2.toNumber()) * Math.sqrt(2 * Math.log((2 * BUCKETS) / 0.05));
  let first = -1;
  let last = -1;
  for (let b = 0; b < BUCKETS; b++) {
    if (noisy[b]! < tau) continue;
    if (first < 0) first = b;
    last = b;
  }
  if (first < 0) {
    throw new SynthError(
      'domain.bounds-unknown',
      `Column "${spec.name}" has no declared bounds and too few rows to estimate them privately`,
      'declare bounds: [low, high] for it in the policy, or raise epsilon',
    );
  }
  let lo = bucketEdges(first)[0];
  let hi = bucketEdges(last)[1];
  if (spec.integer) {
    lo = Math.floor(lo);
    hi = Math.max(lo + 1, Math.ceil(hi));
  }
  return { ...spec, bounds: [lo, hi] };
}
