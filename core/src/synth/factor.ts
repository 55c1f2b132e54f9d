// Why: the graphical-model estimator works on dense tables over small attribute sets (cliques,
// separators, measured marginals). Every operation it needs — summing a clique table onto a
// subset, broadcasting a subset table back, reading a measured (possibly coarsened) marginal off a
// clique — is one pass over the clique's cells through a precomputed index map, so the maps are
// built once per (clique, target) pair and the passes stay allocation-free typed-array loops.

/** Row-major index of every cell of `sizes` (over `attrs`) in a target table over `targetAttrs`. */
export function projectionIndex(
  attrs: readonly number[],
  sizes: readonly number[],
  targetAttrs: readonly number[],
  maps?: readonly (Int32Array | undefined)[],
  targetSizes?: readonly number[],
): Int32Array {
  let cells = 1;
  for (const s of sizes) cells *= s;
  const out = new Int32Array(cells);
  const stride = new Array<number>(attrs.length).fill(0);
  const map = new Array<Int32Array | undefined>(attrs.length).fill(undefined);
  let step = 1;
  for (let j = targetAttrs.length - 1; j >= 0; j--) {
    const pos = attrs.indexOf(targetAttrs[j]!);
    if (pos < 0) throw new RangeError('projection target is not a subset of the table');
    stride[pos] = step;
    map[pos] = maps?.[j];
    step *= targetSizes?.[j] ?? sizes[pos]!;
  }
  const digits = new Int32Array(attrs.length);
  for (let i = 0; i < cells; i++) {
    let idx = 0;
    for (let a = 0; a < attrs.length; a++) {
      const m = map[a];
      idx += stride[a]! * (m ? m[digits[a]!]! : digits[a]!);
    }
    out[i] = idx;
    for (let a = attrs.length - 1; a >= 0; a--) {
      if (++digits[a]! < sizes[a]!) break;
      digits[a] = 0;
    }
  }
  return out;
}

/** Sums `values` (linear scale) into `out` through `index` (out is zeroed first). */
export function sumInto(values: Float64Array, index: Int32Array, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < values.length; i++) out[index[i]!]! += values[i]!;
}

/** Log-sum-exp of log-scale `values` into `out` through `index`, stable per target cell. */
export function logSumInto(
  values: Float64Array,
  index: Int32Array,
  out: Float64Array,
  scratch: Float64Array,
): void {
  scratch.fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const t = index[i]!;
    if (values[i]! > scratch[t]!) scratch[t] = values[i]!;
  }
  out.fill(0);
  for (let i = 0; i < values.length; i++) {
    const t = index[i]!;
    out[t]! += Math.exp(values[i]! - scratch[t]!);
  }
  for (let t = 0; t < out.length; t++) out[t] = Math.log(out[t]!) + scratch[t]!;
}

/** Adds `sign`·small[index[i]] to every cell i of `values` (broadcast of a subset table). */
export function addBroadcast(
  values: Float64Array,
  index: Int32Array,
  small: Float64Array,
  sign: 1 | -1,
): void {
  for (let i = 0; i < values.length; i++) values[i]! += sign * small[index[i]!]!;
}
