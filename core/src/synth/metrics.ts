// Why: fidelity and privacy checks every synthetic view reports. They are plain functions over
// discrete tables so the gateway, tests and benchmarks compute them the same way. Pairwise
// association uses Cramér's V (valid for nominal codes, unlike Pearson on arbitrary codes), and
// distance to closest record uses Hamming distance over the discrete columns.
import { SynthError } from './errors.js';
import { countMarginal, type DiscreteTable } from './table.js';
import { marginalTvd } from './tvd.js';

/** One column's real and synthetic distributions and their TVD. */
export interface ColumnDistribution {
  name: string;
  tvd: number;
  real: Float64Array;
  synthetic: Float64Array;
}

function assertSameSchema(a: DiscreteTable, b: DiscreteTable): void {
  const same =
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => c.name === b.columns[i]!.name && c.size === b.columns[i]!.size);
  if (!same) {
    throw new SynthError(
      'metrics.mismatch',
      'The two tables have different columns or domains',
      'compare tables with the same schema',
    );
  }
}

function normalized(v: Float64Array, n: number): Float64Array {
  return v.map((x) => x / Math.max(1, n));
}

/** Per-column distributions (probabilities) and their TVD. */
export function columnDistributions(
  real: DiscreteTable,
  synth: DiscreteTable,
): ColumnDistribution[] {
  assertSameSchema(real, synth);
  return real.columns.map((c, a) => ({
    name: c.name,
    tvd: marginalTvd(real, synth, [a]),
    real: normalized(countMarginal(real, [a]), real.rows),
    synthetic: normalized(countMarginal(synth, [a]), synth.rows),
  }));
}

/** Cramér's V of columns a and b of a table (0 = independent, 1 = fully associated). */
export function cramersV(t: DiscreteTable, a: number, b: number): number {
  const ka = t.columns[a]!.size;
  const kb = t.columns[b]!.size;
  const joint = countMarginal(t, [a, b]);
  const n = t.rows;
  if (n === 0) return 0;
  const ra = new Float64Array(ka);
  const rb = new Float64Array(kb);
  for (let i = 0; i < ka; i++)
    for (let j = 0; j < kb; j++) {
      ra[i]! += joint[i * kb + j]!;
      rb[j]! += joint[i * kb + j]!;
    }
  let chi2 = 0;
  for (let i = 0; i < ka; i++)
    for (let j = 0; j < kb; j++) {
      const e = (ra[i]! * rb[j]!) / n;
      if (e > 0) chi2 += (joint[i * kb + j]! - e) ** 2 / e;
    }
  const usedA = ra.filter((x) => x > 0).length;
  const usedB = rb.filter((x) => x > 0).length;
  const m = Math.min(usedA, usedB) - 1;
  return m > 0 ? Math.sqrt(chi2 / (n * m)) : 0;
}

/** Mean and max |ΔCramér's V| over all column pairs. */
export function associationDifference(
  real: DiscreteTable,
  synth: DiscreteTable,
): { mean: number; max: number } {
  assertSameSchema(real, synth);
  let sum = 0;
  let max = 0;
  let pairs = 0;
  const d = real.columns.length;
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++) {
      const diff = Math.abs(cramersV(real, a, b) - cramersV(synth, a, b));
      sum += diff;
      max = Math.max(max, diff);
      pairs++;
    }
  return { mean: pairs > 0 ? sum / pairs : 0, max };
}

function rowKey(t: DiscreteTable, i: number): string {
  let s = '';
  for (const c of t.columns) s += `${c.codes[i]!},`;
  return s;
}

/** Share of `query` rows that equal some row of `reference` (exact copies). */
export function exactCopyShare(reference: DiscreteTable, query: DiscreteTable): number {
  assertSameSchema(reference, query);
  if (query.rows === 0) return 0;
  const seen = new Set<string>();
  for (let i = 0; i < reference.rows; i++) seen.add(rowKey(reference, i));
  let hits = 0;
  for (let i = 0; i < query.rows; i++) if (seen.has(rowKey(query, i))) hits++;
  return hits / query.rows;
}

/** Hamming distance to the closest reference row: exact matches by hash, else a row-major scan. */
class NearestIndex {
  private readonly exact = new Set<string>();
  private readonly packed: Int32Array;
  private readonly d: number;
  /** Columns in scan order: most distinct values first, so mismatches accumulate fast. */
  private readonly order: number[];

  constructor(
    ref: DiscreteTable,
    private readonly rows: number,
  ) {
    this.d = ref.columns.length;
    this.order = ref.columns
      .map((c, i) => [c.size, i] as const)
      .sort((x, y) => y[0] - x[0])
      .map(([, i]) => i);
    this.packed = new Int32Array(rows * this.d);
    for (let r = 0; r < rows; r++) {
      this.order.forEach((c, j) => (this.packed[r * this.d + j] = ref.columns[c]!.codes[r]!));
      this.exact.add(rowKey(ref, r));
    }
  }

  /** Hamming distance from row i of q to its closest reference row. */
  distance(q: DiscreteTable, i: number): number {
    if (this.exact.has(rowKey(q, i))) return 0;
    const d = this.d;
    const row = Int32Array.from(this.order, (c) => q.columns[c]!.codes[i]!);
    const p = this.packed;
    let best = d + 1;
    for (let r = 0, base = 0; r < this.rows && best > 1; r++, base += d) {
      let dist = 0;
      for (let j = 0; j < d && dist < best; j++) if (p[base + j] !== row[j]) dist++;
      if (dist < best) best = dist;
    }
    return best;
  }
}

/**
 * Distance-to-closest-record share: the fraction of synthetic rows strictly closer (Hamming) to
 * the training rows than to an equal-size holdout, ties counted as one half. ≈ 0.5 means the
 * generator does not sit on its training rows. `limit` caps the synthetic rows examined.
 */
export function dcrShare(
  train: DiscreteTable,
  holdout: DiscreteTable,
  synth: DiscreteTable,
  limit = 1000,
): number {
  assertSameSchema(train, synth);
  assertSameSchema(holdout, synth);
  const m = Math.min(limit, synth.rows);
  if (m === 0) return 0.5;
  const tr = new NearestIndex(train, train.rows);
  const ho = new NearestIndex(holdout, holdout.rows);
  let score = 0;
  for (let i = 0; i < m; i++) {
    const dt = tr.distance(synth, i);
    const dh = ho.distance(synth, i);
    score += dt < dh ? 1 : dt === dh ? 0.5 : 0;
  }
  return score / m;
}
