/**
 * Fixed-point encoding of aggregates and their per-row contributions. Every statistic is computed
 * in DuckDB as an exact integer aggregate: a value is clamped to its policy bounds, scaled by a
 * fixed-point factor (1 for integer columns, 1000 for decimals), rounded half away from zero and
 * clamped again in the integer domain, so the largest per-row contribution is known exactly
 * before any data is read.
 */
import { Rational } from '../dp/rational.js';
import type { PlanAggregate, PlanAggregateKind } from './plan.js';

/** Scale factor for `number` columns (three decimals). */
export const DECIMAL_FIXED_POINT = 1000n;
/** Most histogram bins for a DP quantile. */
export const QUANTILE_BINS = 128;

/** Integer-domain encoding of one aggregate's column. */
export interface AggregateEncoding {
  /** Fixed-point factor F: encoded = clamp(round(clamp(x) · F)). */
  fixedPoint: bigint;
  /** Encoded bounds (integers). */
  lo: bigint;
  hi: bigint;
  /** Centre c and half-range H (|encoded − c| ≤ H) for centred sums. */
  centre: bigint;
  half: bigint;
  /** Quantiles: number of equal-width bins over [lo, hi]. */
  bins?: number;
}

/** The noisy measurements an aggregate needs, by part name. */
export type MeasurementPart =
  'count' | 'sum' | 'centred_sum' | 'centred_sum_sq' | 'distinct_units' | 'histogram';

/** Measurement parts per aggregate kind. */
export const PARTS: Record<PlanAggregateKind, MeasurementPart[]> = {
  count: ['count'],
  count_column: ['count'],
  count_distinct_unit: ['distinct_units'],
  sum: ['sum'],
  avg: ['count', 'centred_sum'],
  var_samp: ['count', 'centred_sum', 'centred_sum_sq'],
  var_pop: ['count', 'centred_sum', 'centred_sum_sq'],
  stddev_samp: ['count', 'centred_sum', 'centred_sum_sq'],
  stddev_pop: ['count', 'centred_sum', 'centred_sum_sq'],
  quantile: ['histogram'],
};

/** The encoding of an aggregate (counts get the trivial encoding). */
export function encodeAggregate(agg: PlanAggregate): AggregateEncoding {
  if (!agg.bounds || !agg.column) return { fixedPoint: 1n, lo: 0n, hi: 1n, centre: 0n, half: 1n };
  const f = agg.column.type === 'integer' ? 1n : DECIMAL_FIXED_POINT;
  const lo = agg.bounds[0].mul(f).ceil();
  const hi = agg.bounds[1].mul(f).floor();
  const safeHi = hi < lo ? lo : hi;
  const centre = Rational.of(lo + safeHi, 2n).round('down');
  const half = safeHi - centre > centre - lo ? safeHi - centre : centre - lo;
  const enc: AggregateEncoding = { fixedPoint: f, lo, hi: safeHi, centre, half };
  if (agg.kind === 'quantile') {
    const span = safeHi - lo + 1n;
    enc.bins = span < BigInt(QUANTILE_BINS) ? Number(span) : QUANTILE_BINS;
  }
  return enc;
}

/** Largest |contribution| of one row to a part, in integer units. */
export function perRowBound(part: MeasurementPart, enc: AggregateEncoding): bigint {
  switch (part) {
    case 'count':
    case 'histogram':
    case 'distinct_units':
      return 1n;
    case 'sum': {
      const a = enc.lo < 0n ? -enc.lo : enc.lo;
      const b = enc.hi < 0n ? -enc.hi : enc.hi;
      return a > b ? a : b;
    }
    case 'centred_sum':
      return enc.half;
    case 'centred_sum_sq':
      return enc.half * enc.half;
  }
}
