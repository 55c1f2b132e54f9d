// Why: the synthesizer works on codes, but raw tables hold strings and numbers. Categorical
// domains come from the policy when declared (public); otherwise they are *discovered* with DP
// thresholding: each observed value's count gets discrete Gaussian noise and only values whose
// noisy count clears τ = 1 + ⌈σ·√(2 ln(1/δ₀))⌉ are kept. A value held by one person survives
// only if the noise reaches τ − 1, probability ≤ δ₀ (the discrete Gaussian is σ-sub-Gaussian,
// CKS 2020), which is the δ the ledger records; values seen in both neighbours are covered by the
// Gaussian mechanism's ρ = 1/(2σ²). Dropped values become the public label OTHER_LABEL. Numeric
// columns are binned by their declared public bounds — or, when none are declared, by bounds
// estimated with DP (bounds.ts: a noisy histogram over public power-of-two buckets, charged to the
// same ledger) — and decoded uniformly within the bin.
// A missing value (null) is never read as a value ('' → 0, year 1900, the text ''): it gets a null
// code that decodes to null. A numeric column always has one (after its bins: a public domain, the
// column's catch-all, so it is never generated from noise alone); a discovered categorical column
// has one only when its nulls, counted as one more candidate, clear the threshold like any value;
// otherwise (and with public categories) nulls fall in the catch-all, which decodes to null except
// in string columns ("(other)").
import type { RandomSource } from '../dp/random.js';
import { Rational } from '../dp/rational.js';
import type { SourceColumn } from '../policy/schema.js';
import { rhoForEpsilonDelta, sigma2For, SynthLedger } from './budget.js';
import { SynthError } from './errors.js';
import { noisyCounts } from './noise.js';
import type { DiscreteColumn } from './table.js';

/** Label of the catch-all category for values not in the (declared or discovered) domain. */
export const OTHER_LABEL = '(other)';

/** Report label of a column's null code (missing values); the code itself decodes to null. */
export const NULL_LABEL = '(null)';

/** How a raw column becomes codes. */
export type ColumnSpec =
  | { name: string; kind: 'categorical'; categories?: string[] }
  | {
      name: string;
      kind: 'numeric';
      /** Public bounds; when absent they are estimated with DP before encoding (bounds.ts). */
      bounds?: [number, number];
      bins: number;
      integer?: boolean;
    };

/** A column's codes plus what is needed to decode them. */
export interface EncodedColumn {
  column: DiscreteColumn;
  spec: ColumnSpec;
  /** Category label of each code (categorical columns). */
  labels?: string[];
  /** Code of missing values (null in the raw column), decoded back to null; absent: no such code. */
  nullCode?: number;
}

/** A ColumnSpec from a policy source column (categories/bounds are public); default 32 bins. */
export function specFromSourceColumn(name: string, col: SourceColumn, bins = 32): ColumnSpec {
  if ((col.type === 'integer' || col.type === 'number') && col.bounds) {
    return { name, kind: 'numeric', bounds: col.bounds, bins, integer: col.type === 'integer' };
  }
  if ((col.type === 'integer' || col.type === 'number') && !col.categories) {
    return { name, kind: 'numeric', bins, integer: col.type === 'integer' };
  }
  return col.categories
    ? { name, kind: 'categorical', categories: col.categories.map(String) }
    : { name, kind: 'categorical' };
}

/**
 * A numeric column's bounds [lo, hi] (declared, or filled in by the DP estimate); throws when they
 * are missing or not finite lo < hi, or the bins are not a positive whole number — never a default.
 */
export function numericBounds(spec: Extract<ColumnSpec, { kind: 'numeric' }>): [number, number] {
  const [lo, hi] = spec.bounds ?? [NaN, NaN];
  if (
    !(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) ||
    !Number.isInteger(spec.bins) ||
    spec.bins < 1
  ) {
    throw new SynthError(
      'domain.bad-bounds',
      `Column "${spec.name}" needs finite bounds lo < hi and a whole number of bins`,
      'fix its bounds in the policy',
    );
  }
  return [lo, hi];
}

/** True for a raw numeric value that is missing: null, empty text, or not a number at all. */
function isMissingNumber(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  return Number.isNaN(typeof v === 'number' ? v : Number(v));
}

/**
 * Encodes one numeric column by its public bounds (values clamped into them); a missing value gets
 * the null code after the bins (code `bins`), always in the domain and the column's catch-all.
 */
export function encodeNumeric(
  spec: Extract<ColumnSpec, { kind: 'numeric' }>,
  values: readonly unknown[],
): EncodedColumn {
  const [lo, hi] = numericBounds(spec);
  const nullCode = spec.bins;
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (isMissingNumber(v)) {
      codes[i] = nullCode;
      return;
    }
    const x = typeof v === 'number' ? v : Number(v);
    const t = (Math.min(hi, Math.max(lo, x)) - lo) / (hi - lo);
    codes[i] = Math.min(spec.bins - 1, Math.floor(t * spec.bins));
  });
  return {
    column: { name: spec.name, size: spec.bins + 1, codes, catchAll: nullCode },
    spec,
    nullCode,
  };
}

/** Options of DP domain discovery. */
export interface DiscoveryOptions {
  ledger: SynthLedger;
  rng: RandomSource;
  /** ρ to spend on this column. */
  rho: Rational;
  /** δ₀: chance that a value held by one person is released. */
  delta: number;
}

/** Encodes one categorical column: public categories, or DP-thresholded discovered values. */
export function encodeCategorical(
  spec: Extract<ColumnSpec, { kind: 'categorical' }>,
  values: readonly unknown[],
  discovery?: DiscoveryOptions,
): EncodedColumn {
  let labels: string[];
  let nullCode: number | undefined;
  if (spec.categories) {
    labels = [...spec.categories];
  } else {
    if (!discovery) {
      throw new SynthError(
        'domain.private',
        `Column "${spec.name}" has no public categories`,
        'declare categories in the policy or allow DP domain discovery',
      );
    }
    const found = discoverCategories(spec.name, values, discovery);
    // The nulls' code comes first, where their candidate was counted.
    labels = found.nulls ? [NULL_LABEL, ...found.values] : found.values;
    if (found.nulls) nullCode = 0;
  }
  const index = new Map<string, number>();
  labels.forEach((l, i) => {
    if (i !== nullCode) index.set(l, i);
  });
  let other = index.get(OTHER_LABEL);
  if (other === undefined) {
    other = labels.length;
    labels.push(OTHER_LABEL);
  }
  const codes = new Int32Array(values.length);
  values.forEach(
    (v, i) => (codes[i] = v == null ? (nullCode ?? other) : (index.get(String(v)) ?? other)),
  );
  return {
    column: { name: spec.name, size: labels.length, codes, catchAll: other },
    spec,
    labels,
    ...(nullCode !== undefined ? { nullCode } : {}),
  };
}

/** What DP discovery released: the values that cleared the threshold, and whether the nulls did. */
interface Discovered {
  values: string[];
  nulls: boolean;
}

/**
 * The observed values whose noisy count clears the threshold, sorted (never data order). Nulls, if
 * any, are one more candidate counted first, apart from every value (the text '' included).
 */
function discoverCategories(
  name: string,
  values: readonly unknown[],
  o: DiscoveryOptions,
): Discovered {
  if (!(o.delta > 0 && o.delta < 1)) {
    throw new SynthError(
      'domain.bad-delta',
      `Domain discovery for "${name}" needs 0 < δ < 1`,
      'pass a positive delta',
    );
  }
  const sigma2 = sigma2For(o.rho);
  o.ledger.charge({ kind: 'domain', attrs: [name], rho: o.rho, sigma2, delta: o.delta });
  const counts = new Map<string, number>();
  let nulls = 0;
  for (const v of values) {
    if (v == null) {
      nulls++;
      continue;
    }
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort();
  // One row adds 1 to exactly one count (its value's, or the nulls'): sensitivity as before.
  const first = nulls > 0 ? 1 : 0;
  const noisy = noisyCounts(
    Float64Array.from([...(first ? [nulls] : []), ...keys.map((k) => counts.get(k)!)]),
    sigma2,
    o.rng,
  );
  const tau = discoveryThreshold(o.rho, o.delta);
  return {
    values: keys.filter((k, i) => noisy[first + i]! >= tau && k !== OTHER_LABEL),
    nulls: first === 1 && noisy[0]! >= tau,
  };
}

/**
 * The noisy count a value needs to survive DP domain discovery measured with `rho` (ρ-zCDP) and
 * `delta`: 1 + ⌈σ·√(2 ln(1/δ))⌉, so a value held by one row appears with probability below δ.
 */
export function discoveryThreshold(rho: Rational, delta: number): number {
  const sigma = Math.sqrt(sigma2For(rho).toNumber());
  return 1 + Math.ceil(sigma * Math.sqrt(2 * Math.log(1 / delta)));
}

/**
 * Decodes one column's codes back to values: labels, or uniform draws within numeric bins; the
 * null code (and any code past the bins) decodes to null.
 */
export function decodeColumn(
  e: EncodedColumn,
  codes: Int32Array,
  rng: RandomSource,
): (string | number | null)[] {
  const spec = e.spec;
  if (spec.kind === 'categorical')
    return Array.from(codes, (c) => (c === e.nullCode ? null : e.labels![c]!));
  const [lo, hi] = numericBounds(spec);
  const bins = spec.bins;
  const width = (hi - lo) / bins;
  const integer = spec.integer === true;
  return Array.from(codes, (c) => {
    if (c === e.nullCode || c >= bins) return null;
    const u = rng.nextUint32() / 4294967296;
    if (!integer) return lo + (c + u) * width;
    // Integers whose bin is c: from ⌈lo + c·w⌉ up to the last integer below the next edge.
    const first = Math.ceil(lo + c * width);
    const last = c === bins - 1 ? Math.floor(hi) : Math.ceil(lo + (c + 1) * width) - 1;
    return last >= first
      ? first + Math.floor(u * (last - first + 1))
      : Math.round(lo + (c + 0.5) * width);
  });
}

/** A budget plan: the ledger for (ε, δ), each discovery's ρ and δ₀, each bounds estimate's ρ. */
export interface BudgetPlan {
  ledger: SynthLedger;
  discovery?: { rho: Rational; delta: number };
  /** ρ of each DP bounds estimate (numeric columns without declared bounds). */
  bounds?: Rational;
}

/** How many columns need DP domain work before synthesis. */
export interface DomainWork {
  /** Categorical columns whose values are discovered with DP thresholding. */
  discoveries: number;
  /** Numeric columns whose bounds are estimated with DP (default 0). */
  bounds?: number;
}

/**
 * Splits (ε, δ) when columns need DP domain work: categorical discoveries (half of δ goes to their
 * thresholds, δ₀ = δ / (2·m) each) and bounds estimates (pure ρ, no δ). Together they get
 * `discoveryShare` of ρ (default 5%), split evenly. Without any, all of (ε, δ) goes to the
 * synthesizer.
 */
export function planBudget(
  epsilon: number,
  delta: number,
  work: DomainWork,
  discoveryShare = 0.05,
): BudgetPlan {
  const privateColumns = work.discoveries;
  const boundsColumns = work.bounds ?? 0;
  const columns = privateColumns + boundsColumns;
  if (columns === 0) return { ledger: new SynthLedger(rhoForEpsilonDelta(epsilon, delta)) };
  const ledger = new SynthLedger(
    rhoForEpsilonDelta(epsilon, privateColumns > 0 ? delta / 2 : delta),
  );
  const rho = ledger.total
    .mul(Rational.of(BigInt(Math.round(discoveryShare * 1e6)), 1_000_000n))
    .div(BigInt(columns));
  return {
    ledger,
    ...(privateColumns > 0 ? { discovery: { rho, delta: delta / (2 * privateColumns) } } : {}),
    ...(boundsColumns > 0 ? { bounds: rho } : {}),
  };
}
