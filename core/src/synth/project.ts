// Why: noisy counts are negative and inconsistent; the Euclidean projection onto
// {x ≥ 0, Σx = total} (sort-based, Duchi et al. 2008) subtracts one constant and clips, which
// wipes out the noise floor of empty cells instead of keeping it as spurious mass (plain clipping
// at 0 would).

/** Euclidean projection of v onto the scaled simplex {x ≥ 0, Σx = total} (new array). */
export function projectSimplex(v: Float64Array, total: number): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (!(total > 0)) return out;
  const sorted = Float64Array.from(v).sort().reverse();
  let cum = 0;
  let theta = 0;
  for (let i = 0; i < n; i++) {
    cum += sorted[i]!;
    const t = (cum - total) / (i + 1);
    if (i === n - 1 || sorted[i + 1]! <= t) {
      theta = t;
      break;
    }
  }
  for (let i = 0; i < n; i++) out[i] = Math.max(0, v[i]! - theta);
  return out;
}
