// Why: a noisy histogram over a large domain (age, hours per week, fnlwgt bins) carries σ of noise
// in every cell, yet neighbouring cells of real histograms are close, apart from a few spikes
// (40 hours a week). Wavelet shrinkage (Donoho–Johnstone SureShrink) removes most of that noise
// and keeps the spikes: an orthonormal (unbalanced) Haar transform turns i.i.d. N(0, σ²) cell noise into
// i.i.d. N(0, σ²) coefficient noise, and each level's detail coefficients are soft-thresholded at
// the level's SURE-optimal threshold (0 included, so a level that is all signal is kept). The
// coarsest sums are kept, so the total is unchanged. Post-processing of released counts with the
// public σ: it reads no raw data. Cycle spinning (averaging over shifts) removes the blockiness of
// a single Haar grid.

/** Soft-thresholds `d` in place at the threshold minimizing Stein's unbiased risk estimate. */
function sureShrink(d: Float64Array, sigma: number): void {
  const n = d.length;
  if (n === 0) return;
  const squares = Float64Array.from(d, (x) => x * x).sort();
  const s2 = sigma * sigma;
  // risk(t) = n·σ² − 2σ²·#{|d| ≤ t} + Σ min(d², t²); candidates t ∈ {0} ∪ {|d_i|}.
  let best = 0;
  let bestRisk = n * s2; // t = 0: the identity, whose risk is n·σ²
  let below = 0;
  for (let k = 0; k < n; k++) {
    below += squares[k]!;
    const t2 = squares[k]!;
    const risk = n * s2 - 2 * s2 * (k + 1) + below + (n - k - 1) * t2;
    if (risk < bestRisk) {
      bestRisk = risk;
      best = Math.sqrt(t2);
    }
  }
  if (best === 0) return;
  for (let i = 0; i < n; i++) {
    const x = d[i]!;
    d[i] = Math.sign(x) * Math.max(0, Math.abs(x) - best);
  }
}

/**
 * One shrinkage pass over `v` with the unbalanced Haar transform (any length): blocks of n₁ and n₂
 * cells with sums S₁, S₂ merge into S₁ + S₂ and the detail (n₂S₁ − n₁S₂)/√(n₁n₂(n₁+n₂)), which is
 * orthonormal, so each detail carries exactly σ² of noise and the total is untouched. An odd last
 * block passes up a level unchanged.
 */
function haarShrink(v: Float64Array, sigma: number): Float64Array {
  const levels: { details: Float64Array; counts: Int32Array }[] = [];
  let sums = Float64Array.from(v);
  let counts = new Int32Array(v.length).fill(1);
  while (sums.length >= 2) {
    const half = sums.length >> 1;
    const carry = sums.length % 2 === 1;
    const nextSums = new Float64Array(half + (carry ? 1 : 0));
    const nextCounts = new Int32Array(nextSums.length);
    const details = new Float64Array(half);
    for (let i = 0; i < half; i++) {
      const [n1, n2] = [counts[2 * i]!, counts[2 * i + 1]!];
      const [s1, s2] = [sums[2 * i]!, sums[2 * i + 1]!];
      nextSums[i] = s1 + s2;
      nextCounts[i] = n1 + n2;
      details[i] = (n2 * s1 - n1 * s2) / Math.sqrt(n1 * n2 * (n1 + n2));
    }
    if (carry) {
      nextSums[half] = sums[sums.length - 1]!;
      nextCounts[half] = counts[counts.length - 1]!;
    }
    sureShrink(details, sigma);
    levels.push({ details, counts });
    sums = nextSums;
    counts = nextCounts;
  }
  for (let l = levels.length - 1; l >= 0; l--) {
    const { details, counts: below } = levels[l]!;
    const up = new Float64Array(below.length);
    for (let i = 0; i < details.length; i++) {
      const [n1, n2] = [below[2 * i]!, below[2 * i + 1]!];
      const part = Math.sqrt((n1 * n2) / (n1 + n2)) * details[i]!;
      up[2 * i] = (n1 * sums[i]!) / (n1 + n2) + part;
      up[2 * i + 1] = (n2 * sums[i]!) / (n1 + n2) - part;
    }
    if (below.length % 2 === 1) up[below.length - 1] = sums[details.length]!;
    sums = up;
  }
  return sums;
}

/**
 * Denoises a histogram of counts carrying i.i.d. Gaussian noise of standard deviation `sigma`
 * (Haar SureShrink with cycle spinning); the total is preserved. Domains under 4 cells pass.
 * The `keep` cell (a catch-all code) is left as measured and takes no part in the smoothing, so no
 * mass from its neighbours flows into it.
 */
export function denoiseHistogram(
  values: Float64Array,
  sigma: number,
  keep?: number,
  shifts = 8,
): Float64Array {
  if (keep !== undefined && keep >= 0 && keep < values.length) {
    const rest = values.filter((_, i) => i !== keep);
    const smooth = denoiseHistogram(rest, sigma, undefined, shifts);
    const out = new Float64Array(values.length);
    for (let i = 0, j = 0; i < values.length; i++) out[i] = i === keep ? values[i]! : smooth[j++]!;
    return out;
  }
  const n = values.length;
  if (n < 4 || !(sigma > 0)) return values;
  const out = new Float64Array(n);
  const spins = Math.min(shifts, n);
  for (let k = 0; k < spins; k++) {
    // Rotate by k, shrink, rotate back.
    const rotated = new Float64Array(n);
    for (let i = 0; i < n; i++) rotated[i] = values[(i + k) % n]!;
    const shrunk = haarShrink(rotated, sigma);
    for (let i = 0; i < n; i++) out[(i + k) % n]! += shrunk[i]! / spins;
  }
  return out;
}
