// Why: every column's 1-way marginal is measured first; it drives compression, coarse binning,
// the row-count estimate and the raking targets. Column a gets ρ ∝ size^(2/3) of the 1-way share:
// that minimizes Σ size·σ (the total expected L1 error) for a fixed Σρ, and sizes are public.
// Each noisy histogram is then denoised by wavelet shrinkage (wavelet.ts) before anything uses it.
// Everything after the noisy counts is post-processing.
import type { RandomSource } from '../dp/random.js';
import { Rational } from '../dp/rational.js';
import { sigma2For, type SynthLedger } from './budget.js';
import { compressDomain, compressVector, type Compression } from './compress.js';
import { noisyCounts } from './noise.js';
import { denoiseHistogram } from './wavelet.js';
import { projectSimplex } from './project.js';
import type { DiscreteTable } from './table.js';

/** Inputs of `measureOneWays`. */
export interface OneWayOptions {
  ledger: SynthLedger;
  rng: RandomSource;
  /** ρ for all 1-way measurements together. */
  rho: Rational;
  /** Compression threshold in noise standard deviations. */
  compress: number;
  onProgress: (stage: 'one-way', fraction: number) => void;
}

/** The released 1-way information: row-count estimate, compressions, and distributions. */
export interface OneWayEstimates {
  total: number;
  compressions: Compression[];
  /** Each column's estimated distribution over its compressed cells (sums to 1). */
  node: Float64Array[];
  /** Each column's raw noisy counts summed into its compressed cells (for the model fit). */
  noisy: Float64Array[];
  /** Noise standard deviation of each column's 1-way measurement. */
  sd: number[];
}

/** Measures every 1-way marginal with discrete Gaussian noise and post-processes the results. */
export function measureOneWays(table: DiscreteTable, o: OneWayOptions): OneWayEstimates {
  const { ledger, rng } = o;
  const d = table.columns.length;
  const names = table.columns.map((c) => c.name);
  const rho1All = o.rho;
  const weights = table.columns.map((c) =>
    BigInt(Math.max(1, Math.round(1000 * c.size ** (2 / 3)))),
  );
  const weightSum = weights.reduce((x, y) => x + y, 0n);
  const sd1: number[] = [];
  const raw1 = table.columns.map((col, a) => {
    const rho1 = rho1All.mul(Rational.of(weights[a]!, weightSum));
    const sigma1 = sigma2For(rho1);
    sd1.push(Math.sqrt(sigma1.toNumber()));
    ledger.charge({ kind: 'one-way', attrs: [names[a]!], rho: rho1, sigma2: sigma1 });
    const counts = new Float64Array(col.size);
    for (const code of col.codes) counts[code]!++;
    o.onProgress('one-way', (a + 1) / d);
    return noisyCounts(counts, sigma1, rng);
  });
  // Wavelet shrinkage of each noisy histogram (post-processing with the public σ, total kept).
  const noisy1 = raw1.map((v, a) => denoiseHistogram(v, sd1[a]!, table.columns[a]!.catchAll));
  let num = 0;
  let den = 0;
  noisy1.forEach((v, a) => {
    let s = 0;
    for (const x of v) s += x;
    const variance = v.length * sd1[a]! ** 2; // inverse-variance weights: Var(Σ) = size·σ²
    num += s / variance;
    den += 1 / variance;
  });
  const total = Math.max(1, num / den);
  const compressions = noisy1.map((v, a) =>
    compressDomain(v, o.compress * sd1[a]!, table.columns[a]!.catchAll),
  );
  const node = noisy1.map((v, a) => {
    const p = projectSimplex(compressVector(compressions[a]!, v), total);
    compressions[a]!.empty.forEach((e, cell) => e && (p[cell] = 0));
    let mass = 0;
    for (const x of p) mass += x;
    return p.map((x) => (mass > 0 ? x / mass : 1 / p.length));
  });
  const noisy = noisy1.map((v, a) => compressVector(compressions[a]!, v));
  return { total, compressions, node, noisy, sd: sd1 };
}
