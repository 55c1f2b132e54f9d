// Why: a noisy m×n pair marginal spends most of its noise on the interaction part (what is left
// after the row and column totals), yet real interactions are close to low rank (age × hours is
// mostly "young and old work less"). So, as post-processing, the interaction matrix
// R = Y − r·cᵀ/T is replaced by its singular value decomposition with every singular value passed
// through the Gavish–Donoho optimal shrinker for known noise σ (Frobenius loss): components below
// the noise bulk edge vanish, the others shrink towards their true size. R has zero row and column
// sums, so the result keeps Y's totals exactly. The noise σ is public; no raw data is read.
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Optimal singular value shrinker for an (m−1)×(n−1) interaction with i.i.d. noise σ: maps an
 * observed singular value `s` to its estimate (0 below the bulk edge (1+√β)·√(n−1)·σ).
 */
export function shrinkSingularValue(s: number, m: number, n: number, sigma: number): number {
  const big = Math.max(m, n) - 1;
  const beta = (Math.min(m, n) - 1) / big;
  const scale = Math.sqrt(big) * sigma;
  const y = s / scale;
  if (!(y > 1 + Math.sqrt(beta))) return 0;
  return (Math.sqrt((y * y - beta - 1) ** 2 - 4 * beta) / y) * scale;
}

/** Denoises the interaction of a noisy m×n table (row-major) with noise σ; tables under 3×3 pass. */
export function denoiseInteraction(
  values: Float64Array,
  m: number,
  n: number,
  sigma: number,
): Float64Array {
  if (m < 3 || n < 3 || !(sigma > 0)) return values;
  const rows = new Float64Array(m);
  const cols = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const v = values[i * n + j]!;
      rows[i]! += v;
      cols[j]! += v;
      total += v;
    }
  if (!(total > 0)) return values;
  const residual = new Matrix(m, n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      residual.set(i, j, values[i * n + j]! - (rows[i]! * cols[j]!) / total);
  const svd = new SingularValueDecomposition(residual, { autoTranspose: true });
  const u = svd.leftSingularVectors;
  const v = svd.rightSingularVectors;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) out[i * n + j] = (rows[i]! * cols[j]!) / total;
  svd.diagonal.forEach((s, k) => {
    const kept = shrinkSingularValue(s, m, n, sigma);
    if (kept <= 0) return;
    for (let i = 0; i < m; i++) {
      const ui = kept * u.get(i, k);
      for (let j = 0; j < n; j++) out[i * n + j]! += ui * v.get(j, k);
    }
  });
  return out;
}
