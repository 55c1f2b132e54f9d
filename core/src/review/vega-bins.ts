/**
 * The bins vega-lite draws for a binned field (`bin: true`, `bin: {…}`, a `bin` transform), worked
 * out as vega works them out (written anew here, following vega 5 / vega-lite 5):
 * - vega-lite `src/bin.ts` `autoMaxBins` and `src/channeldef.ts` `normalizeBin`: without
 *   `maxbins` or `step`, maxbins is 6 for row, column, shape, size and the colour/opacity
 *   channels, 4 for strokeDash, 10 for the others (and for a `bin` transform);
 * - vega-lite `src/compile/data/bin.ts`: the extent is the field's data extent (an `extent`
 *   transform) unless `bin.extent` is given;
 * - vega `packages/vega-transforms/src/Extent.js`: the extent skips null and '' and compares the
 *   values as numbers (`toNumber`), an infinite extent binning nothing;
 * - vega `packages/vega-statistics/src/bin.js` (the step from span, maxbins, base, divide, steps,
 *   minstep; `nice` rounds start down and stop up to the step) and
 *   `packages/vega-transforms/src/Bin.js` `_bins` (stop a whole number of steps from start,
 *   `anchor` shifts both; a value below start or above stop goes to a ∓Infinity bin, one in the
 *   last step is clamped into the last bin, bins floor((v − start) / step + 1e-14)).
 */
import { isRecord, type Json } from './json-value.js';

/** A binning: bin k is [start + k·step, start + (k+1)·step), up to stop. */
export interface VegaBins {
  start: number;
  stop: number;
  step: number;
}

/** The bin options vega reads (vega-lite's `BinParams` without `binned`). */
export interface VegaBinParams {
  maxbins: number;
  base?: number;
  divide?: readonly number[];
  step?: number;
  steps?: readonly number[];
  minstep?: number;
  nice?: boolean;
  anchor?: number;
  extent?: readonly [number, number];
}

/** vega's Bin.js epsilon bias against floating point error (vega#1737). */
const EPSILON = 1e-14;

const SIX_BINS = new Set([
  'row',
  'column',
  'shape',
  'size',
  'color',
  'fill',
  'stroke',
  'strokeWidth',
  'opacity',
  'fillOpacity',
  'strokeOpacity',
]);

/** vega-lite's default maxbins for a channel (`autoMaxBins`); undefined (a transform) is 10. */
export function autoMaxBins(channel: string | undefined): number {
  if (channel !== undefined && SIX_BINS.has(channel)) return 6;
  return channel === 'strokeDash' ? 4 : 10;
}

const num = (v: Json | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

const nums = (v: Json | undefined): number[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((x) => num(x) !== undefined)
    ? (v as number[])
    : undefined;

/**
 * The bin options a `bin` value sets, with vega-lite's defaults for `channel`; undefined when it
 * does not bin (false, 'binned', `binned: true`) or sets what is not read (an extent from a
 * selection parameter: its bins depend on what a reader selects).
 */
export function binParams(
  bin: Json | undefined,
  channel: string | undefined,
): VegaBinParams | undefined {
  if (bin === true) return { maxbins: autoMaxBins(channel) };
  if (!isRecord(bin) || bin.binned === true) return undefined;
  const extent = nums(bin.extent);
  if (bin.extent !== undefined && (extent === undefined || extent.length !== 2)) return undefined;
  const p: VegaBinParams = { maxbins: num(bin.maxbins) ?? autoMaxBins(channel) };
  if (num(bin.base) !== undefined) p.base = num(bin.base);
  const divide = nums(bin.divide);
  if (divide !== undefined) p.divide = divide;
  if (num(bin.step) !== undefined) p.step = num(bin.step);
  const steps = nums(bin.steps);
  if (steps !== undefined) p.steps = steps;
  if (num(bin.minstep) !== undefined) p.minstep = num(bin.minstep);
  if (typeof bin.nice === 'boolean') p.nice = bin.nice;
  if (num(bin.anchor) !== undefined) p.anchor = num(bin.anchor);
  if (extent !== undefined) p.extent = [extent[0] as number, extent[1] as number];
  return p;
}

/** vega-statistics `bin`: start, stop and step for an extent. */
function niceBins(p: VegaBinParams, min0: number, max0: number): VegaBins {
  const maxb = p.maxbins || 20;
  const base = p.base || 10;
  const logb = Math.log(base);
  const div = p.divide ?? [5, 2];
  let min = min0;
  let max = max0;
  const span = max - min || Math.abs(min) || 1;
  let step: number;
  if (p.step) step = p.step;
  else if (p.steps) {
    const v = span / maxb;
    let i = 0;
    while (i < p.steps.length && (p.steps[i] as number) < v) i++;
    step = p.steps[Math.max(0, i - 1)] as number;
  } else {
    const level = Math.ceil(Math.log(maxb) / logb);
    const minstep = p.minstep || 0;
    step = Math.max(minstep, Math.pow(base, Math.round(Math.log(span) / logb) - level));
    while (Math.ceil(span / step) > maxb) step *= base;
    for (const d of div) {
      const v = step / d;
      if (v >= minstep && span / v <= maxb) step = v;
    }
  }
  const lg = Math.log(step);
  const precision = lg >= 0 ? 0 : ~~(-lg / logb) + 1;
  const eps = Math.pow(base, -precision - 1);
  if (p.nice !== false) {
    const v = Math.floor(min / step + eps) * step;
    min = min < v ? v - step : v;
    max = Math.ceil(max / step) * step;
  }
  return { start: min, stop: max === min ? min + step : max, step };
}

/** vega Bin.js `_bins`: the binning over an extent (stop whole steps from start, anchored). */
export function vegaBins(p: VegaBinParams, min: number, max: number): VegaBins | undefined {
  const b = niceBins(p, min, max);
  if (!(b.step > 0) || !Number.isFinite(b.step)) return undefined;
  let start = b.start;
  let stop = start + Math.ceil((b.stop - start) / b.step) * b.step;
  if (p.anchor !== undefined) {
    const d = p.anchor - (start + b.step * Math.floor((p.anchor - start) / b.step));
    start += d;
    stop += d;
  }
  if (!Number.isFinite(start) || !Number.isFinite(stop)) return undefined;
  return { start, stop, step: b.step };
}

/** The start of the bin vega puts `v` in (∓Infinity outside the bins). */
export function binStart(b: VegaBins, v: number): number {
  if (v < b.start) return -Infinity;
  if (v > b.stop) return Infinity;
  const c = Math.max(b.start, Math.min(v, b.stop - b.step));
  return b.start + b.step * Math.floor(EPSILON + (c - b.start) / b.step);
}

/**
 * vega's `toNumber` for a value to bin: null for null, undefined and '' (no bin), the number of a
 * number or numeric string, undefined for anything else (a category, a boolean, a non-finite
 * number, a date string): the caller then does not bin the field.
 */
function binNumber(v: Json | undefined): number | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Each value's bin start (null: in no bin) and the binning (undefined: every value null). */
export interface BinnedValues {
  values: (number | null)[];
  bins?: VegaBins;
}

/**
 * The bin start of each value as vega bins them over their extent (null for a value vega puts in
 * no bin), or undefined when some value is not a number or no binning works out (the caller
 * then counts per value: fail closed).
 */
export function binValues(
  values: readonly (Json | undefined)[],
  p: VegaBinParams,
): BinnedValues | undefined {
  const ns: (number | null)[] = new Array<number | null>(values.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const n = binNumber(values[i]);
    if (n === undefined) return undefined;
    ns[i] = n;
    if (n !== null) {
      if (n < min) min = n;
      if (n > max) max = n;
    }
  }
  const [lo, hi] = p.extent ?? [min, max];
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    return ns.every((n) => n === null) ? { values: ns } : undefined;
  const bins = vegaBins(p, lo, hi);
  if (bins === undefined) return undefined;
  return { values: ns.map((n) => (n === null ? null : binStart(bins, n))), bins };
}
