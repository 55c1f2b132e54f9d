// A black-box empirical DP tester in the style of Google's stochastic tester / DP-Auditorium (not
// a test file itself). It runs a mechanism many times on two neighbouring datasets, histograms
// the outputs, and computes *lower confidence bounds* on the privacy loss actually exhibited:
// - pure ε: max over well-populated outputs o of |ln(P(o)/Q(o))| − z·se (delta method);
// - ρ-zCDP: the Rényi divergence D_α(P‖Q) = ln Σ P^α Q^{1−α} / (α − 1), which zCDP bounds by αρ.
// A mechanism passes when the bound stays within its claim, and a broken one is caught when the
// bound exceeds it. Sparse outputs are dropped, which can only *lower* the estimates (no false
// alarms from tails; detection relies on the populated bulk).

/** Histogram of n runs of a sampler. */
export function histogram(n: number, run: () => bigint): Map<bigint, number> {
  const h = new Map<bigint, number>();
  for (let i = 0; i < n; i++) {
    const y = run();
    h.set(y, (h.get(y) ?? 0) + 1);
  }
  return h;
}

/** Lower confidence bound on the pure-DP ε exhibited by two output histograms (n draws each). */
export function pureEpsilonLowerBound(
  p: Map<bigint, number>,
  q: Map<bigint, number>,
  minCount = 400,
  z = 4.5,
): number {
  let best = 0;
  for (const [o, a] of p) {
    const c = q.get(o) ?? 0;
    if (a < minCount || c < minCount) continue;
    const lb = Math.abs(Math.log(a / c)) - z * Math.sqrt(1 / a + 1 / c);
    if (lb > best) best = lb;
  }
  return best;
}

/** Lower confidence bound on D_α(P‖Q) from two histograms of n draws each (delta method). */
export function renyiLowerBound(
  p: Map<bigint, number>,
  q: Map<bigint, number>,
  n: number,
  alpha = 2,
  minCount = 20,
  z = 4.5,
): number {
  let s = 0;
  let variance = 0;
  for (const [o, a] of p) {
    const c = q.get(o) ?? 0;
    if (c < minCount) continue;
    const pp = a / n;
    const qq = c / n;
    const term = pp ** alpha * qq ** (1 - alpha);
    s += term;
    // ∂term/∂p = α·term/p, ∂term/∂q = (1 − α)·term/q; Var(p̂) ≈ p/n, Var(q̂) ≈ q/n.
    variance += ((alpha * term) / pp) ** 2 * (pp / n) + (((1 - alpha) * term) / qq) ** 2 * (qq / n);
  }
  const lower = s - z * Math.sqrt(variance);
  return lower <= 0 ? 0 : Math.max(0, Math.log(lower) / (alpha - 1));
}
