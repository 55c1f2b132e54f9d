/**
 * Which of a plotly trace's arrays hold the values it draws, as plotly.js's defaults decide: the
 * orientation of bars, funnels and histograms when none is set (`bar/defaults.js`,
 * `funnel/defaults.js`, `histogram/defaults.js`, positions 0..n-1 from `scatter/xy_defaults.js`
 * when one coordinate is missing), what a histogram's bars total (`histfunc`,
 * `histogram/bin_functions.js`), and the slices of a pie or funnelarea (`pie/calc.js`, which
 * `funnelarea/calc.js` calls: a label without values counts 1, a repeated label sums its values).
 */
import { barNumber, plotlyNumber, sliceNumber } from './plot-holes.js';
import type { Json } from './json-value.js';
import { isTypedArraySpec } from './typed-arrays.js';

/** Reads a trace attribute as the list it draws ([] for none). */
export type ArrayOf = (key: string) => Json[];

/** The positions and values of a bar-like trace, and whether its bars are horizontal. */
export interface BarSeries {
  labels: Json[];
  values: Json[];
  horizontal: boolean;
}

/** True when plotly.js takes `key` as a data array (a list, or a typed array, even empty). */
const given = (tr: Record<string, Json>, key: string): boolean =>
  Array.isArray(tr[key]) || isTypedArraySpec(tr[key]);

/** The orientation set on the trace ('h' or 'v'), else undefined (plotly then infers one). */
const setOrientation = (tr: Record<string, Json>): 'h' | 'v' | undefined =>
  tr.orientation === 'h' || tr.orientation === 'v' ? tr.orientation : undefined;

/** How many entries of `vs` draw a bar. */
const drawnCount = (vs: Json[]): number => vs.filter((v) => barNumber(v) !== undefined).length;

/**
 * A bar or funnel's series: a bar is horizontal when only `x` is given, a funnel unless only `y`
 * is. A missing coordinate is the positions 0..n-1. Fail closed: when the value array draws no
 * number at all (plotly then draws category indices) while the positions hold numbers, those
 * numbers, shown as positions and in hover, are read as the values.
 */
export function barSeries(tr: Record<string, Json>, type: string, arr: ArrayOf): BarSeries {
  const hasX = given(tr, 'x');
  const hasY = given(tr, 'y');
  const inferred = type === 'funnel' ? (hasY && !hasX ? 'v' : 'h') : hasX && !hasY ? 'h' : 'v';
  const horizontal = (setOrientation(tr) ?? inferred) === 'h';
  const [valueKey, positionKey] = horizontal ? ['x', 'y'] : ['y', 'x'];
  const values = arr(valueKey);
  const labels = arr(positionKey);
  if (drawnCount(values) === 0 && drawnCount(labels) > 0)
    return { labels: values, values: labels, horizontal: !horizontal };
  return { labels, values, horizontal };
}

/**
 * The sample a histogram bins and whether it is horizontal: horizontal (binning `y`) when only
 * `y` is given. Fail closed: a sample plotly finds empty (it then draws nothing) falls back to the
 * other array, so the data written is still read.
 */
export function histogramSample(
  tr: Record<string, Json>,
  arr: ArrayOf,
): { sample: Json[]; horizontal: boolean } {
  const inferred = given(tr, 'y') && !given(tr, 'x') ? 'h' : 'v';
  const horizontal = (setOrientation(tr) ?? inferred) === 'h';
  const [own, other] = horizontal ? ['y', 'x'] : ['x', 'y'];
  const sample = arr(own);
  if (sample.length > 0) return { sample, horizontal };
  return { sample: arr(other), horizontal: !horizontal };
}

/** What a histogram's bars draw per bin (`histfunc`): its rows, or a total of the other array. */
export type HistogramFunc = 'count' | 'sum' | 'avg' | 'min' | 'max';

const HISTOGRAM_FUNCS: readonly HistogramFunc[] = ['count', 'sum', 'avg', 'min', 'max'];

/**
 * The `histfunc` a histogram binning `x` (or `y` when `horizontal`) draws with: set only when the
 * other coordinate is given (`histogram/defaults.js`); unset or unknown is 'count'.
 */
export function histogramFunc(tr: Record<string, Json>, horizontal: boolean): HistogramFunc {
  if (!given(tr, horizontal ? 'x' : 'y')) return 'count';
  return HISTOGRAM_FUNCS.find((f) => f === tr.histfunc) ?? 'count';
}

/**
 * The bars of `histfunc: 'sum'` over categories: per category (`keys`, undefined for a row in
 * none), the sum of the other array's numbers (`fast-isnumeric`; anything else adds nothing).
 * Undefined, so the caller falls back to the row counts, unless the sums are count-like totals:
 * the other array is not empty and every number summed is a whole number ≥ 0.
 */
export function categorySums(
  keys: readonly (string | undefined)[],
  others: readonly Json[],
): Map<string, number> | undefined {
  if (others.length === 0) return undefined;
  const sums = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === undefined) continue;
    const v = plotlyNumber(others[i]) ?? 0;
    if (!Number.isInteger(v) || v < 0) return undefined;
    sums.set(key, (sums.get(key) ?? 0) + v);
  }
  return sums;
}

/** A pie's label for item `i` as plotly.js keys it: `String(label)`, the index when blank. */
function sliceLabel(tr: Record<string, Json>, labels: Json[] | undefined, i: number): string {
  if (labels === undefined) {
    const l0 = typeof tr.label0 === 'number' ? tr.label0 : 0;
    const dl = typeof tr.dlabel === 'number' ? tr.dlabel : 1;
    return String(dl ? l0 + i * dl : i);
  }
  const l = labels[i];
  if (l === undefined || l === '') return String(i);
  return typeof l === 'object' && l !== null ? JSON.stringify(l) : String(l);
}

/**
 * The slices a pie (or funnelarea) draws, label → value: with values, each value plotly accepts (a number, not
 * negative) added to its label's slice; without values (none, or an empty list), 1 per label.
 */
export function pieSlices(tr: Record<string, Json>, arr: ArrayOf): Map<string, number> {
  const values = arr('values');
  const labels = given(tr, 'labels') ? arr('labels') : undefined;
  const counted = values.length === 0;
  const slices = new Map<string, number>();
  const n = counted ? (labels?.length ?? 0) : values.length;
  for (let i = 0; i < n; i++) {
    const v = counted ? 1 : sliceNumber(values[i]);
    if (v === undefined) continue;
    const key = sliceLabel(tr, labels, i);
    slices.set(key, (slices.get(key) ?? 0) + v);
  }
  return slices;
}
