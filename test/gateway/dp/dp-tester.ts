/**
 * A small black-box DP tester in the style of Google's stochastic tester: sample a mechanism on
 * two neighbouring datasets and compare the probabilities of output events — buckets and the
 * tail events {X ≥ t}, {X ≤ t} — over events with enough samples in both. Any event is
 * post-processing, so a correct ε-DP mechanism keeps every ratio ≤ e^ε up to sampling error;
 * tails make the comparison sharp (for Laplace noise the tail ratio is exactly e^ε).
 */

/** Largest |ln(P_a(E) / P_b(E))| over buckets and tails E with ≥ minCount samples in both. */
export function empiricalEpsilon(
  a: number[],
  b: number[],
  bucketWidth: number,
  minCount: number,
): { epsilon: number; events: number } {
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  const below = (s: number[], t: number) => {
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((s[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo; // count of values < t
  };
  let epsilon = 0;
  let events = 0;
  const consider = (ca: number, cb: number) => {
    if (ca < minCount || cb < minCount) return;
    events++;
    epsilon = Math.max(epsilon, Math.abs(Math.log(ca / a.length / (cb / b.length))));
  };
  const lo = Math.floor(Math.min(sa[0] ?? 0, sb[0] ?? 0) / bucketWidth);
  const hi = Math.ceil(Math.max(sa[sa.length - 1] ?? 0, sb[sb.length - 1] ?? 0) / bucketWidth);
  for (let k = lo; k <= hi && k - lo < 100_000; k++) {
    const t0 = k * bucketWidth;
    const t1 = t0 + bucketWidth;
    const [a0, a1, b0, b1] = [below(sa, t0), below(sa, t1), below(sb, t0), below(sb, t1)];
    consider(a1 - a0, b1 - b0); // bucket [t0, t1)
    consider(a0, b0); // tail X < t0
    consider(sa.length - a0, sb.length - b0); // tail X ≥ t0
  }
  return { epsilon, events };
}
