// Why: sensitivity must come from declared bounds, never from the data. Each transformation here
// bounds what one privacy unit can change — at most m rows per unit, each value clamped to [L, U]
// and rounded to a declared resolution (fixed point, so sums stay integers and can take exact
// discrete noise) — and its stability map states that bound. Malformed values (null, NaN,
// unparseable text) contribute 0 instead of throwing: an error that depends on one row's value
// would itself leak it.
import { DpError } from './errors.js';
import {
  checkDistance,
  Transformation,
  type Metric,
  type RowValue,
  type UnitRow,
} from './measurement.js';
import { Rational, parseRational } from './rational.js';

/** Bounds and resolution of a clamped sum: values are clamped to [lower, upper] in steps of resolution. */
export interface ClampSpec {
  /** Smallest value a row can contribute (a multiple of resolution). */
  lower: Rational;
  /** Largest value a row can contribute (a multiple of resolution). */
  upper: Rational;
  /** Fixed-point step, e.g. 1 for integers or 1/100 for cents; defaults to 1. */
  resolution?: Rational;
}

/** Integer fixed-point bounds of a clamp spec, validated. */
export interface FixedPoint {
  resolution: Rational;
  lowerQ: bigint;
  upperQ: bigint;
  /** max(|lowerQ|, |upperQ|): the most one row can move the integer sum. */
  perRow: bigint;
}

/** Validates bounds (L ≤ U, both multiples of the resolution) and returns their integer form. */
export function fixedPoint(spec: ClampSpec): FixedPoint {
  const resolution = spec.resolution ?? Rational.of(1);
  if (!resolution.isPositive()) {
    throw new DpError(
      'sum.bad-resolution',
      'The resolution of a sum must be positive',
      'use e.g. 1 or 0.01',
    );
  }
  const l = spec.lower.div(resolution);
  const u = spec.upper.div(resolution);
  if (!l.isInteger() || !u.isInteger()) {
    throw new DpError(
      'sum.bounds-off-grid',
      `Bounds [${spec.lower.toDisplayString()}, ${spec.upper.toDisplayString()}] are not multiples of the resolution ${resolution.toDisplayString()}`,
      'choose bounds that are whole multiples of the resolution',
    );
  }
  if (l.gt(u)) {
    throw new DpError(
      'sum.bounds-reversed',
      'The lower bound of a sum is above the upper bound',
      'swap them',
    );
  }
  const lowerQ = l.num;
  const upperQ = u.num;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  return {
    resolution,
    lowerQ,
    upperQ,
    perRow: abs(lowerQ) > abs(upperQ) ? abs(lowerQ) : abs(upperQ),
  };
}

/** Converts one raw value to its clamped fixed-point integer (0 for null/NaN/unreadable). */
export function toFixedPoint(value: RowValue, fp: FixedPoint): bigint {
  let q: bigint;
  if (value === null) return 0n;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 0n;
    if (value === Infinity) return fp.upperQ;
    if (value === -Infinity) return fp.lowerQ;
    const scaled = Math.round(value / fp.resolution.toNumber());
    if (scaled >= Number(fp.upperQ)) return fp.upperQ;
    if (scaled <= Number(fp.lowerQ)) return fp.lowerQ;
    q = BigInt(scaled);
  } else {
    let r: Rational;
    try {
      r = typeof value === 'bigint' ? Rational.of(value) : parseRational(value);
    } catch {
      return 0n;
    }
    q = r.div(fp.resolution).round();
  }
  return q < fp.lowerQ ? fp.lowerQ : q > fp.upperQ ? fp.upperQ : q;
}

function positiveBound(m: bigint | number, what: string): bigint {
  const b = BigInt(m);
  if (b < 1n) {
    throw new DpError(
      'sum.bad-contribution-bound',
      `${what} must be at least 1`,
      `declare ${what} in the policy`,
    );
  }
  return b;
}

function unitKey(unit: UnitRow['unit']): string {
  return `${typeof unit}:${String(unit)}`;
}

/**
 * Keeps at most m rows per privacy unit (the first m in input order). Stability: identity in
 * unit-distance. Sound when removing a unit leaves the other rows in the same relative order.
 */
export function makeBoundContributions(
  maxRowsPerUnit: bigint | number,
): Transformation<readonly UnitRow[], readonly UnitRow[]> {
  const m = positiveBound(maxRowsPerUnit, 'maxRowsPerUnit');
  return new Transformation(
    { kind: 'unit-rows' },
    'unit-distance',
    { kind: 'rows', maxRowsPerUnit: m },
    'unit-distance',
    (rows: readonly UnitRow[]) => {
      const seen = new Map<string, bigint>();
      return rows.filter((row) => {
        const k = unitKey(row.unit);
        const n = seen.get(k) ?? 0n;
        seen.set(k, n + 1n);
        return n < m;
      });
    },
    checkDistance,
  );
}

/** Counts rows. Stability: d units → |Δcount| ≤ d·m. */
export function makeCount(
  maxRowsPerUnit: bigint | number,
): Transformation<readonly UnitRow[], bigint> {
  const m = positiveBound(maxRowsPerUnit, 'maxRowsPerUnit');
  return new Transformation(
    { kind: 'rows', maxRowsPerUnit: m },
    'unit-distance',
    { kind: 'integer' },
    'absolute-distance',
    (rows: readonly UnitRow[]) => BigInt(rows.length),
    (d) => checkDistance(d).mul(m),
  );
}

/** Sums values clamped to [L, U] in fixed point (units of resolution). Stability: d·m·max(|L|,|U|)/res. */
export function makeClampedSum(
  maxRowsPerUnit: bigint | number,
  spec: ClampSpec,
): Transformation<readonly UnitRow[], bigint> {
  const m = positiveBound(maxRowsPerUnit, 'maxRowsPerUnit');
  const fp = fixedPoint(spec);
  return new Transformation(
    { kind: 'rows', maxRowsPerUnit: m },
    'unit-distance',
    { kind: 'integer' },
    'absolute-distance',
    (rows: readonly UnitRow[]) => rows.reduce((s, r) => s + toFixedPoint(r.value, fp), 0n),
    (d) => checkDistance(d).mul(m * fp.perRow),
  );
}

/** A row with a group key, for GROUP BY over declared (public) keys. */
export interface KeyedUnitRow extends UnitRow {
  readonly key: string;
}

/**
 * Counts (or clamped-sums, with `spec`) rows per declared key; rows with undeclared keys are
 * dropped. One unit's ≤ m rows move the vector by ≤ m·perRow in L1, hence also in L2.
 */
export function makeGroupedAggregate(
  maxRowsPerUnit: bigint | number,
  keys: readonly string[],
  metric: Extract<Metric, 'l1-distance' | 'l2-distance'>,
  spec?: ClampSpec,
): Transformation<readonly KeyedUnitRow[], bigint[]> {
  const m = positiveBound(maxRowsPerUnit, 'maxRowsPerUnit');
  const index = new Map(keys.map((k, i) => [k, i]));
  if (index.size !== keys.length) {
    throw new DpError(
      'groupby.duplicate-keys',
      'The declared GROUP BY keys contain duplicates',
      'list each key once',
    );
  }
  const fp = spec ? fixedPoint(spec) : undefined;
  return new Transformation(
    { kind: 'rows', maxRowsPerUnit: m },
    'unit-distance',
    { kind: 'integer-vector', length: keys.length },
    metric,
    (rows: readonly KeyedUnitRow[]) => {
      const out = keys.map(() => 0n);
      for (const r of rows) {
        const i = index.get(r.key);
        if (i !== undefined) out[i] = (out[i] ?? 0n) + (fp ? toFixedPoint(r.value, fp) : 1n);
      }
      return out;
    },
    (d) => checkDistance(d).mul(m * (fp ? fp.perRow : 1n)),
  );
}
