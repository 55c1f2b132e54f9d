/**
 * The bins plotly.js draws for a histogram over numbers on a linear axis, worked out as plotly.js
 * works them out (written anew here, following plotly.js 2.x/3.x):
 * - `src/plots/cartesian/axes.js` `autoBin`: the bin size from `nbins` ((max − min) / nbins) or,
 *   with neither size nor nbins, max(the rounded-down smallest gap between distinct values,
 *   2 × stdev / n^0.4, or n^0.25 for a 2-D histogram's axis: `is2d`) (n counts the holes too, as
 *   `data.length` does), made "nice" by
 *   `autoTicks` (1, 2, 5 × 10^k, rounded up); the first edge one bin below `tickFirst` of the
 *   range [min, max] (nudged by 1e-4 of the span); `autoShiftNumericBins` (all whole numbers: half
 *   a unit down; most values on an edge and few mid-bin: half a bin); the end one bin past max;
 * - `src/lib/search.js` `distinctVals`, `roundUp`, `findBin` (bin ⌊(v − start) / size + 1e-9⌋,
 *   so a value within 1e-9 bin of an edge falls in the upper bin), `src/lib/stats.js` `stdev`
 *   and `aggNums`, `src/lib/increment_numeric.js` (the bin edges are stepped with its rounding);
 * - `src/traces/histogram/calc.js` `calc` and `calcAllAutoBins`: an explicit `xbins.start`/`end`
 *   (a number or numeric string) replaces the automatic one, an explicit `xbins.size` replaces
 *   the automatic size (the start then still shifted as above), bins run from start while below
 *   end − size / 1e6, a value outside them is drawn in no bin; `bin_functions.js` `sum` adds the
 *   other array's numbers (`fast-isnumeric`) per bin.
 * What is not followed exactly is read conservatively: see `binReadings`.
 */
import type { Json } from './json-value.js';
import { plotlyNumber } from './plot-holes.js';

/** Uniform histogram bins: bin k is [start + k·size, start + (k+1)·size), up to `end`. */
export interface Bins {
  start: number;
  end: number;
  size: number;
}

/** What a trace (or its bin group) sets of its bins; each undefined when not set. */
export interface BinOptions {
  start?: number;
  end?: number;
  size?: number;
  nbins?: number;
}

/** Most bins whose totals are kept in an array indexed by bin (beyond: a Map). */
const DENSE_BINS = 1 << 20;

/** Most bins counted one by one as plotly.js steps them; beyond, the bin count is estimated. */
const STEPPED_BINS = 10_000;

/**
 * The numbers a linear axis reads from a histogram's sample (NaN for a hole: null, NaN, a missing
 * item), or undefined when some value is not a number plotly.js's `fast-isnumeric` accepts (a
 * category, a boolean …): the caller then reads the sample as categories.
 */
export function sampleNumbers(sample: readonly Json[]): Float64Array | undefined {
  const out = new Float64Array(sample.length);
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i];
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
      out[i] = NaN;
      continue;
    }
    const n = typeof v === 'number' || typeof v === 'string' ? plotlyNumber(v) : undefined;
    if (n === undefined) return undefined;
    out[i] = n;
  }
  return out;
}

/** `Lib.roundUp`: the first of the sorted `set` above `val` (last if none); `below`: last ≤ it. */
function roundUp(val: number, set: readonly number[], below = false): number {
  let [low, high] = [0, set.length - 1];
  while (low < high) {
    const mid = below ? Math.ceil((low + high) / 2) : Math.floor((low + high) / 2);
    if ((set[mid] ?? 0) <= val) low = below ? mid : mid + 1;
    else high = below ? mid - 1 : mid;
  }
  return set[low] ?? 1;
}

/** `Lib.increment`: x + delta on whole-number steps, rounded to 12 digits when it drifted. */
export function incrementNumber(x: number, delta: number): number {
  if (!delta) return x;
  const scale = Math.max(1, 1 / Math.abs(delta));
  const next = (scale * x + scale * delta) / scale;
  if (String(next).length > String(x).length + String(delta).length)
    return Number(next.toPrecision(12));
  return next;
}

/** The smallest gap between distinct values (`Lib.distinctVals` minDiff, rounding errors lumped). */
function smallestGap(finite: Float64Array): number {
  const sorted = finite.slice().sort();
  const last = sorted.length - 1;
  let minDiff = sorted[last]! - sorted[0]! || 1;
  const errDiff = minDiff / (last || 1) / 10000;
  let prev = sorted[0]!;
  for (let i = 1; i <= last; i++) {
    const diff = sorted[i]! - prev;
    if (diff > errDiff) {
      minDiff = Math.min(minDiff, diff);
      prev = sorted[i]!;
    }
  }
  return minDiff;
}

/** `autoTicks` on a linear axis: the rough size rounded up to 1, 2 or 5 × 10^k (1 for none). */
function niceSize(rough: number): number {
  const base = Math.pow(10, Math.floor(Math.log(rough) / Math.LN10));
  const size = base * roundUp(rough / base, [2, 5, 10]);
  return size === 0 || !Number.isFinite(size) ? 1 : size;
}

/**
 * The automatic bin size (before `autoTicks`) for `finite` of `total` values (holes included);
 * `is2d`: an axis of a 2-D histogram, whose size falls slower with n (n^0.25, not n^0.4).
 */
function roughSize(
  finite: Float64Array,
  total: number,
  [min, max]: [number, number],
  nbins: number | undefined,
  is2d: boolean,
) {
  if (nbins) return (max - min) / nbins;
  const gap = smallestGap(finite);
  const gapExp = Math.pow(10, Math.floor(Math.log(gap) / Math.LN10));
  const minSize = gapExp * roundUp(gap / gapExp, [0.9, 1.9, 4.9, 9.9], true);
  let sum = 0;
  for (const v of finite) sum += v;
  const mean = sum / finite.length;
  let squares = 0;
  for (const v of finite) squares += (v - mean) * (v - mean);
  const spread = 2 * Math.sqrt(squares / finite.length);
  const size = Math.max(minSize, spread / Math.pow(total, is2d ? 0.25 : 0.4));
  return Number.isFinite(size) ? size : 1;
}

/** `autoShiftNumericBins`: the start moved so whole numbers, or values on edges, sit mid-bin. */
function shiftStart(start: number, finite: Float64Array, size: number, min: number, max: number) {
  const nearEdge = (v: number): boolean => (1 + ((v - start) * 100) / size) % 100 < 2;
  let [edges, mids, wholes] = [0, 0, 0];
  for (const v of finite) {
    if (v % 1 === 0) wholes++;
    if (nearEdge(v)) edges++;
    if (nearEdge(v + size / 2)) mids++;
  }
  const n = finite.length;
  if (wholes === n) {
    if (size < 1) return min - 0.5 * size;
    const down = start - 0.5;
    return down + size < min ? down + size : down;
  }
  if (mids < n * 0.1 && (edges > n * 0.3 || nearEdge(min) || nearEdge(max))) {
    const half = size / 2;
    return start + half < min ? start + half : start - half;
  }
  return start;
}

/** `values` without its holes (NaN), in one pass (a typed array's `filter` is far slower). */
function withoutHoles(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) out[n++] = values[i]!;
  return n === values.length ? out : out.subarray(0, n);
}

/**
 * The bins plotly.js draws for `values` (NaN for holes) with the options set: automatic
 * (`axes.autoBin` on a linear axis) where an option is not set; `is2d` for an axis of a 2-D
 * histogram (`histogram2d/calc.js` calls `autoBin` with '2d'). Undefined when no value is a
 * number (plotly draws no bar).
 */
export function histogramBins(
  values: Float64Array,
  options: BinOptions = {},
  is2d = false,
): Bins | undefined {
  const finite = withoutHoles(values);
  if (finite.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const size =
    options.size ?? niceSize(roughSize(finite, values.length, [min, max], options.nbins, is2d));
  // tickFirst: the first multiple of size (tick0 = 0) at or above the range start nudged down.
  const first = Math.ceil((min * 1.0001 - max * 0.0001) / size) * size;
  const start = shiftStart(incrementNumber(first, -size), finite, size, min, max);
  const end = start + (1 + Math.floor((max - start) / size)) * size;
  return { start: options.start ?? start, end: options.end ?? end, size };
}

/**
 * How many bins plotly.js draws: stepped from start while below end − size / 1e6. Past
 * STEPPED_BINS the count is estimated one high and not capped at plotly's 1e6 (a bin plotly
 * would not draw may be counted: fail closed).
 */
export function binCount({ start, end, size }: Bins): number {
  const stop = end - size / 1e6;
  const estimate = Math.ceil((stop - start) / size);
  if (!(size > 0) || !(estimate > 0)) return 0;
  if (estimate > STEPPED_BINS) return estimate + 1;
  let n = 0;
  for (let at = start; at < stop; n++) {
    const next = incrementNumber(at, size);
    if (next <= at) return n + 1;
    at = next;
  }
  return n;
}

/** The bin (`Lib.findBin`) of each value, -1 for a hole or a value outside the bins drawn. */
export function binIndices(values: Float64Array, bins: Bins): Float64Array {
  const count = binCount(bins);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const k = Math.floor((values[i]! - bins.start) / bins.size + 1e-9);
    out[i] = k >= 0 && k < count ? k : -1;
  }
  return out;
}

/**
 * The heights of the bins drawn, bin → total: the rows per bin, or with `summed` (the other array
 * of `histfunc: 'sum'`) its numbers (`fast-isnumeric`) summed per bin when every one summed is a
 * whole number ≥ 0 (count-like); otherwise undefined, and the caller reads the rows per bin (fail
 * closed, as `categorySums`). Empty bins are left out (they draw no bar); bins in ascending order.
 */
export function binTotals(
  bins: Float64Array,
  summed?: readonly Json[],
): Map<number, number> | undefined {
  if (summed?.length === 0) return undefined;
  let top = -1;
  for (let i = 0; i < bins.length; i++) if (bins[i]! > top) top = bins[i]!;
  // Few enough bins (the common case): totals in an array indexed by bin, far cheaper than a Map.
  const dense = top < DENSE_BINS ? new Float64Array(top + 1) : undefined;
  const sparse = new Map<number, number>();
  for (let i = 0; i < bins.length; i++) {
    const k = bins[i]!;
    if (k < 0) continue;
    const add = summed ? (plotlyNumber(summed[i]) ?? 0) : 1;
    if (!Number.isInteger(add) || add < 0) return undefined;
    if (dense) dense[k] = dense[k]! + add;
    else sparse.set(k, (sparse.get(k) ?? 0) + add);
  }
  const totals = new Map<number, number>();
  if (dense) dense.forEach((n, k) => void (n > 0 && totals.set(k, n)));
  else for (const [k, n] of [...sparse].sort(([a], [b]) => a - b)) if (n > 0) totals.set(k, n);
  return totals;
}

/** The edges of bin `k` as drawn in a hover label, "[lo, hi)". */
export function binLabel(bins: Bins, k: number): string {
  const lo = bins.start + k * bins.size;
  const round = (v: number): string => String(Number(v.toPrecision(12)));
  return `[${round(lo)}, ${round(lo + bins.size)})`;
}

/** A number plotly's `cleanBound` keeps (`fast-isnumeric`), else undefined. */
const bound = (v: Json | undefined): number | undefined => plotlyNumber(v);

/**
 * The bin options a histogram sets for its bin direction ('x' or 'y'): `xbins.start`/`end` when
 * numeric, `xbins.size` as `cleanTicks.dtick` reads it on a linear axis (a number > 0; another
 * set value is 1; unset, 0 or '' is automatic), `nbinsx` when a whole number > 0 (moot with a
 * size). `autobinx: true` (plotly.js < 1.42) ignores `xbins`.
 */
export function binOptions(tr: Record<string, Json>, dir: 'x' | 'y'): BinOptions {
  const spec = tr[`${dir}bins`];
  const bins = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? spec : {};
  const explicit = tr[`autobin${dir}`] !== true;
  const rawSize = explicit ? bins.size : undefined;
  const sized = plotlyNumber(rawSize);
  const size = !rawSize ? undefined : sized !== undefined && sized > 0 ? sized : 1;
  const nbins = plotlyNumber(tr[`nbins${dir}`]);
  return {
    start: explicit ? bound(bins.start) : undefined,
    end: explicit ? bound(bins.end) : undefined,
    size,
    nbins:
      size === undefined && nbins !== undefined && Number.isInteger(nbins) && nbins > 0
        ? nbins
        : undefined,
  };
}

/** The options of a bin group: each the first its traces set (`nbins` moot once a size is set). */
export function groupOptions(all: readonly BinOptions[]): BinOptions {
  const first = <K extends keyof BinOptions>(k: K): BinOptions[K] =>
    all.find((o) => o[k] !== undefined)?.[k];
  const size = first('size');
  return {
    start: first('start'),
    end: first('end'),
    size,
    nbins: size === undefined ? first('nbins') : undefined,
  };
}

/** Where a histogram is drawn, for its bin group: bin direction, axes and `bingroup`. */
export interface BinPlace {
  dir: 'x' | 'y';
  axes: string;
  bingroup: string;
}

/**
 * The bin group of each histogram (an id: the index of one of its members), as
 * `histogram/cross_trace_defaults.js` groups them: traces with one bin direction share bins when
 * they set the same `bingroup`, or (unless `barmode: 'overlay'`) are drawn on the same axes.
 */
export function binGroups(places: readonly BinPlace[], overlay: boolean): number[] {
  const group = places.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i]!)));
  places.forEach((p, i) => {
    for (let j = 0; j < i; j++) {
      const q = places[j]!;
      const shared =
        (p.bingroup !== '' && p.bingroup === q.bingroup) || (!overlay && p.axes === q.axes);
      if (p.dir === q.dir && shared) group[root(i)] = root(j);
    }
  });
  return places.map((_, i) => root(i));
}

/** The bins shifted by half a bin (one more bin, so the same values stay inside). */
const halfShifted = (b: Bins): Bins => ({
  start: b.start - b.size / 2,
  end: b.end + b.size / 2,
  size: b.size,
});

/**
 * The binnings a histogram is read under: exactly plotly's when `exact`; otherwise (a log axis,
 * bins shared with other traces of a bin group, `cumulative` — cases plotly bins in ways
 * not followed here) the bins worked out here AND the same bins shifted by half a bin, each read
 * as a count table, so a small bin under either holds the output. Cumulative bars are running
 * totals of the per-bin counts, so a small cumulative bar has small bins under it. `is2d`: an
 * axis of a 2-D histogram (see `histogramBins`).
 */
export function binReadings(
  values: Float64Array,
  options: BinOptions,
  exact: boolean,
  is2d = false,
): Bins[] {
  const bins = histogramBins(values, options, is2d);
  if (!bins) return [];
  return exact ? [bins] : [bins, halfShifted(bins)];
}

/** The numbers of several samples as one. */
export function concatNumbers(all: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(all.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of all) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
