/**
 * Interval half-widths of the integer noise distributions. These describe accuracy, not privacy,
 * so floating point is fine here; every half-width is the smallest integer h with
 * P(|Z| ≤ h) ≥ 1 − alpha under the exact law, so shown intervals never under-cover.
 */
import type { Rational } from '../dp/rational.js';

/** P(|Z| ≤ h) for Z discrete Laplace with scale b: 1 − 2p^{h+1}/(1+p), p = e^{−1/b}. */
export function laplaceCoverage(scale: number, h: number): number {
  const p = Math.exp(-1 / scale);
  return 1 - (2 * Math.pow(p, h + 1)) / (1 + p);
}

/** Smallest integer h with P(|Z| ≤ h) ≥ 1 − alpha for the discrete Laplace with scale b. */
export function laplaceHalfWidth(scale: Rational | number, alpha: number): number {
  const b = typeof scale === 'number' ? scale : scale.toNumber();
  const p = Math.exp(-1 / b);
  let h = Math.max(0, Math.ceil(b * Math.log(2 / (alpha * (1 + p)))) - 1);
  // Float-rounding guard: step to the exact smallest h (a few iterations at most).
  for (let i = 0; i < 8 && h > 0 && laplaceCoverage(b, h - 1) >= 1 - alpha; i++) h--;
  for (let i = 0; i < 8 && laplaceCoverage(b, h) < 1 - alpha; i++) h++;
  return h;
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(q: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const lowTail = (x: number) => {
    const r = Math.sqrt(-2 * Math.log(x));
    return (
      (((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) /
      ((((d0 * r + d1) * r + d2) * r + d3) * r + 1)
    );
  };
  if (q < 0.02425) return lowTail(q);
  if (q > 1 - 0.02425) return -lowTail(1 - q);
  const s = q - 0.5;
  const r = s * s;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * s) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** P(|Z| ≤ h) for the discrete Gaussian N_ℤ(0, σ²), summed exactly in floats for σ ≤ 100. */
export function gaussianCoverage(sigma2: number, h: number): number {
  const sigma = Math.sqrt(sigma2);
  if (sigma > 100) {
    // The discrete Gaussian is within 1e-12 of the rounded normal here.
    const z = (h + 0.5) / sigma;
    return 1 - 2 * normalTail(z);
  }
  const limit = Math.ceil(40 * sigma) + 10;
  let total = 0;
  let inside = 0;
  for (let y = -limit; y <= limit; y++) {
    const w = Math.exp(-(y * y) / (2 * sigma2));
    total += w;
    if (Math.abs(y) <= h) inside += w;
  }
  return inside / total;
}

function normalTail(z: number): number {
  // Upper tail of the standard normal via erfc (Numerical Recipes erfcc, |rel error| < 1.2e-7).
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return (x >= 0 ? y : 2 - y) / 2;
}

/** Smallest integer h with P(|Z| ≤ h) ≥ 1 − alpha for the discrete Gaussian with variance σ². */
export function gaussianHalfWidth(sigma2: Rational | number, alpha: number): number {
  const s2 = typeof sigma2 === 'number' ? sigma2 : sigma2.toNumber();
  let h = Math.max(0, Math.floor(normalQuantile(1 - alpha / 2) * Math.sqrt(s2)) - 2);
  for (let i = 0; i < 64 && gaussianCoverage(s2, h) < 1 - alpha; i++) h++;
  return h;
}
