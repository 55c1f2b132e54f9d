/**
 * Turning noisy integers into the released table (pure post-processing, so no privacy cost):
 * counts and sums are rescaled from fixed point; AVG = centre + noisy centred sum / noisy count;
 * VAR/STDDEV from noisy count, centred sum and centred sum of squares; quantiles from a noisy
 * histogram. Intervals of derived statistics combine their parts' intervals (each at alpha/k) by
 * interval arithmetic, so they cover with probability ≥ 1 − alpha (union bound).
 */
import { Rational } from '../dp/rational.js';
import type { AggregateEncoding } from './encode.js';
import type { PlanAggregate } from './plan.js';
import type { DpPricedPlan, PlannedMeasurement } from './price.js';
import { normalQuantile } from './accuracy.js';
import type { DpReleaseCell } from './types.js';

/** A noisy measurement value: one integer, or one per histogram bin. */
export type NoisyValue = bigint | bigint[];

type Range = [number, number];

function scaled(v: bigint, f: bigint): number {
  return Rational.of(v, f).toNumber();
}

function countCell(n: bigint, h: number): DpReleaseCell {
  const v = Number(n);
  return { value: Math.max(0, v), interval: [Math.max(0, v - h), Math.max(0, v + h)] };
}

function ratioRange(s: Range, n: Range): Range {
  const c = [s[0] / n[0], s[0] / n[1], s[1] / n[0], s[1] / n[1]];
  return [Math.min(...c), Math.max(...c)];
}

function clampTo(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function avgCell(
  enc: AggregateEncoding,
  n: bigint,
  hn: number,
  s: bigint,
  hs: number,
): DpReleaseCell {
  const f = enc.fixedPoint;
  const lo = scaled(enc.lo, f);
  const hi = scaled(enc.hi, f);
  const c = Number(enc.centre);
  if (n <= 0n) return { value: (lo + hi) / 2, interval: [lo, hi] };
  const value = clampTo((c + Number(s) / Number(n)) / Number(f), lo, hi);
  if (Number(n) - hn <= 0) return { value, interval: [lo, hi] };
  const r = ratioRange([Number(s) - hs, Number(s) + hs], [Number(n) - hn, Number(n) + hn]);
  return {
    value,
    interval: [clampTo((c + r[0]) / Number(f), lo, hi), clampTo((c + r[1]) / Number(f), lo, hi)],
  };
}

function varCell(kind: string, enc: AggregateEncoding, parts: [bigint, number][]): DpReleaseCell {
  const [[n, hn], [s, hs], [q, hq]] = parts as [
    [bigint, number],
    [bigint, number],
    [bigint, number],
  ];
  const f2 = Number(enc.fixedPoint) ** 2;
  const maxVar = Number(enc.half) ** 2 / f2;
  const sample = kind.endsWith('samp');
  const root = kind.startsWith('stddev');
  const out = (v: number) => (root ? Math.sqrt(v) : v);
  const full: DpReleaseCell = { value: out(maxVar / 2), interval: [0, out(maxVar)] };
  const N = Number(n);
  if (N <= 1) return full;
  const varPop = (Q: number, S: number, M: number) => Math.max(0, Q / M - (S / M) ** 2);
  const adjust = (v: number, M: number) => (sample ? (v * M) / (M - 1) : v);
  // In value units² (sums are fixed-point, f per unit) before it is clamped to the value bound.
  const value = clampTo(adjust(varPop(Math.max(0, Number(q)), Number(s), N), N) / f2, 0, maxVar);
  if (N - hn <= 1) return { value: out(clampTo(value, 0, maxVar)), interval: full.interval };
  const nr: Range = [N - hn, N + hn];
  const qr: Range = [Math.max(0, Number(q) - hq), Math.max(0, Number(q) + hq)];
  const mean = ratioRange([Number(s) - hs, Number(s) + hs], nr);
  const m2: Range =
    mean[0] <= 0 && mean[1] >= 0
      ? [0, Math.max(mean[0] ** 2, mean[1] ** 2)]
      : [Math.min(mean[0] ** 2, mean[1] ** 2), Math.max(mean[0] ** 2, mean[1] ** 2)];
  const q2 = ratioRange(qr, nr);
  const lo = adjust(Math.max(0, q2[0] - m2[1]), nr[1]) / f2;
  const hi = adjust(Math.max(0, q2[1] - m2[0]), nr[0]) / f2;
  return {
    value: out(clampTo(value, 0, maxVar)),
    interval: [out(clampTo(lo, 0, maxVar)), out(clampTo(hi, 0, maxVar))],
  };
}

/** Value at rank r of a (cumulative) histogram over [lo, hi] with linear interpolation in a bin. */
function rankValue(cum: number[], r: number, lo: number, width: number): number {
  const total = cum[cum.length - 1] ?? 0;
  const target = clampTo(r, 0, total);
  let prev = 0;
  for (let i = 0; i < cum.length; i++) {
    const c = cum[i] as number;
    if (c >= target && c > prev) return lo + width * (i + (target - prev) / (c - prev));
    prev = c;
  }
  return lo + width * cum.length;
}

function quantileCell(
  agg: PlanAggregate,
  enc: AggregateEncoding,
  hist: bigint[],
  m: PlannedMeasurement,
  gaussian: boolean,
): DpReleaseCell {
  const f = Number(enc.fixedPoint);
  const lo = Number(enc.lo) / f;
  const hi = Number(enc.hi + 1n) / f;
  const width = (hi - lo) / hist.length;
  const counts = hist.map((v) => Math.max(0, Number(v)));
  const cum: number[] = [];
  counts.reduce((acc, v) => {
    cum.push(acc + v);
    return acc + v;
  }, 0);
  const total = cum[cum.length - 1] ?? 0;
  const top = Number(enc.hi) / f;
  if (total <= 0) return { value: (lo + top) / 2, interval: [lo, top] };
  const p = (agg.p ?? Rational.of(1n, 2n)).toNumber();
  // Approximate rank error: normal approximation of the summed noise of all bins.
  const b = m.scale.toNumber();
  const variance = gaussian ? b : (2 * Math.exp(-1 / b)) / (1 - Math.exp(-1 / b)) ** 2;
  const rankError = normalQuantile(1 - m.alpha / 2) * Math.sqrt(hist.length * variance);
  const value = clampTo(rankValue(cum, p * total, lo, width), lo, top);
  return {
    value,
    interval: [
      clampTo(rankValue(cum, p * total - rankError, lo, width), lo, top),
      clampTo(rankValue(cum, p * total + rankError, lo, width), lo, top),
    ],
  };
}

/** Computes one aggregate's cell from its measurements' noisy values (in PARTS order). */
export function aggregateCell(
  priced: DpPricedPlan,
  index: number,
  values: NoisyValue[],
  measurements: PlannedMeasurement[],
): DpReleaseCell {
  const agg = priced.logical.aggregates[index] as PlanAggregate;
  const enc = priced.encodings[index] as AggregateEncoding;
  const one = (i: number): [bigint, number] => [
    values[i] as bigint,
    (measurements[i] as PlannedMeasurement).halfWidth,
  ];
  switch (agg.kind) {
    case 'count':
    case 'count_column':
    case 'count_distinct_unit':
      return countCell(...one(0));
    case 'sum': {
      const [s, h] = one(0);
      const f = enc.fixedPoint;
      return {
        value: scaled(s, f),
        interval: [scaled(s, f) - h / Number(f), scaled(s, f) + h / Number(f)],
      };
    }
    case 'avg':
      return avgCell(enc, ...one(0), ...one(1));
    case 'quantile':
      return quantileCell(
        agg,
        enc,
        values[0] as bigint[],
        measurements[0] as PlannedMeasurement,
        priced.mechanism === 'discrete_gaussian',
      );
    default:
      return varCell(agg.kind, enc, [one(0), one(1), one(2)]);
  }
}
