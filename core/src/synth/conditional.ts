// Why: the table arithmetic behind each network step — counting a (parents, column) marginal,
// folding fine cells into coarse ones, and raking a conditional so the column's implied 1-way
// marginal matches its estimate. Pure post-processing helpers, split out of fit.ts to keep it small.
import { compressVector, type Compression } from './compress.js';

/** Counts of the marginal [parent key][c] for real codes (key from `parentKeys`). */
export function countWithKey(
  key: Int32Array,
  codes: Int32Array,
  k: number,
  groups: number,
): Float64Array {
  const out = new Float64Array(groups * k);
  for (let i = 0; i < key.length; i++) out[key[i]! * k + codes[i]!]!++;
  return out;
}

/** Sums a distribution over fine cells into its coarse cells. */
export function aggregate(p: Float64Array, z: Compression): Float64Array {
  return compressVector(z, p);
}

/** Sums each row of a [groups][fine] table into coarse cells. */
export function aggregateRows(t: Float64Array, groups: number, z: Compression): Float64Array {
  const k = z.size;
  const m = z.compressedSize;
  const out = new Float64Array(groups * m);
  for (let g = 0; g < groups; g++)
    for (let x = 0; x < k; x++) out[g * m + z.map[x]!]! += t[g * k + x]!;
  return out;
}

/** Rescales the columns of row-stochastic `cond` ([groups][k]) so Σ_g mix(g)·cond(g,·) ≈ target. */
export function rakeConditional(
  cond: Float64Array,
  mix: Float64Array,
  target: Float64Array,
  k: number,
  iterations: number,
): void {
  const groups = mix.length;
  let mass = 0;
  for (const m of mix) mass += m;
  if (mass <= 0) return;
  const implied = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    implied.fill(0);
    for (let g = 0; g < groups; g++) {
      const w = mix[g]! / mass;
      if (w === 0) continue;
      for (let x = 0; x < k; x++) implied[x]! += w * cond[g * k + x]!;
    }
    for (let g = 0; g < groups; g++) {
      let s = 0;
      for (let x = 0; x < k; x++) {
        const f = implied[x]! > 0 ? target[x]! / implied[x]! : 0;
        const v = cond[g * k + x]! * f;
        cond[g * k + x] = v;
        s += v;
      }
      if (s > 0) for (let x = 0; x < k; x++) cond[g * k + x]! /= s;
    }
  }
}

/**
 * L1 distance between true counts [g][x] and the integer-rounded model counts modelP(g)·pc(x).
 * An integer whose value moves by ≤ 1 when one row is added or removed (the model is public).
 */
export function independenceL1(
  counts: Float64Array,
  modelP: Float64Array,
  pc: Float64Array,
  groups: number,
  k: number,
): number {
  let l1 = 0;
  for (let g = 0; g < groups; g++) {
    const mg = modelP[g]!;
    for (let x = 0; x < k; x++) l1 += Math.abs(counts[g * k + x]! - Math.round(mg * pc[x]!));
  }
  return l1;
}

/** Every non-empty subset of `members` with at most `max` elements (ascending, by size). */
export function subsetsUpTo(members: readonly number[], max: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, cur: number[]): void => {
    if (cur.length > 0) out.push([...cur]);
    if (cur.length === max) return;
    for (let i = start; i < members.length; i++) rec(i + 1, [...cur, members[i]!]);
  };
  rec(0, []);
  return out.sort((a, b) => a.length - b.length);
}

/**
 * For a joint table [key over parents (row-major, sizes `ps`)][k], the prior of each key row:
 * the mean over parents j of P(x | parent j = its value), each read from the table by summing out
 * the other parents. Undefined for fewer than two parents (the caller uses the 1-way estimate).
 */
export function backoffPriors(
  joint: Float64Array,
  ps: number[],
  k: number,
): Float64Array | undefined {
  if (ps.length < 2) return undefined;
  const groups = ps.reduce((a, b) => a * b, 1);
  const strides = ps.map((_, j) => ps.slice(j + 1).reduce((a, b) => a * b, 1));
  const margins = ps.map((size) => new Float64Array(size * k));
  for (let g = 0; g < groups; g++) {
    ps.forEach((size, j) => {
      const v = Math.floor(g / strides[j]!) % size;
      const m = margins[j]!;
      for (let x = 0; x < k; x++) m[v * k + x]! += joint[g * k + x]!;
    });
  }
  for (const m of margins) {
    for (let v = 0; v < m.length / k; v++) {
      let s = 0;
      for (let x = 0; x < k; x++) s += m[v * k + x]!;
      for (let x = 0; x < k; x++) m[v * k + x] = s > 0 ? m[v * k + x]! / s : 1 / k;
    }
  }
  const out = new Float64Array(groups * k);
  for (let g = 0; g < groups; g++) {
    ps.forEach((size, j) => {
      const v = Math.floor(g / strides[j]!) % size;
      for (let x = 0; x < k; x++) out[g * k + x]! += margins[j]![v * k + x]! / ps.length;
    });
  }
  return out;
}
