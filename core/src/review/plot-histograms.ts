/**
 * Plotly histograms over numbers, read as the bins plotly.js draws (plot-bins.ts): which traces
 * are numeric, the binnings each is read under (per bin group), and the counts per bin.
 */
import { isRecord, type Json } from './json-value.js';
import {
  binGroups,
  binIndices,
  binLabel,
  binOptions,
  binReadings,
  binTotals,
  concatNumbers,
  groupOptions,
  sampleNumbers,
  type BinOptions,
  type BinPlace,
  type Bins,
} from './plot-bins.js';
import { histogramSample, type ArrayOf } from './plot-traces.js';

/** How a histogram is read: over numbers, the bins plotly.js draws (see plot-bins.ts). */
export interface NumericHistogram {
  numbers: Float64Array;
  readings: Bins[];
}

/** The layout of the axis a histogram bins along (`xaxis`, `xaxis2` …), {} when none. */
export function binAxis(layout: Json | undefined, tr: Record<string, Json>, dir: 'x' | 'y') {
  const id = typeof tr[`${dir}axis`] === 'string' ? String(tr[`${dir}axis`]) : dir;
  const ax = isRecord(layout) ? layout[`${dir}axis${id.slice(1)}`] : undefined;
  return isRecord(ax) ? ax : {};
}

/** True for a 2-D histogram trace (`histogram2d`, `histogram2dcontour`). */
export const isHistogram2d = (tr: Json | undefined): tr is Record<string, Json> =>
  isRecord(tr) && (tr.type === 'histogram2d' || tr.type === 'histogram2dcontour');

/**
 * The bin group a 2-D histogram's `dir` axis is in (`histogram/cross_trace_defaults.js`): its
 * `xbingroup`/`ybingroup`, else its `bingroup` + '__x'/'__y'; '' for a group of its own.
 */
export function binGroup2d(tr: Record<string, Json>, dir: 'x' | 'y'): string {
  const own = tr[`${dir}bingroup`];
  if (typeof own === 'string' && own !== '') return own;
  return typeof tr.bingroup === 'string' && tr.bingroup !== '' ? `${tr.bingroup}__${dir}` : '';
}

/**
 * How a histogram's axis `dir` reads numbers: `strict` when strings stay categories
 * (`autotypenumbers: 'strict'`), `linear` when plotly.js's linear binning is followed exactly, and
 * the trace's bin options (a log axis bins the values linearly, but its xbins.start/end are
 * powers of ten).
 */
export function axisReading(
  layout: Json | undefined,
  tr: Record<string, Json>,
  dir: 'x' | 'y',
): { type: Json | undefined; strict: boolean; linear: boolean; options: BinOptions } {
  const axis = binAxis(layout, tr, dir);
  const strict =
    (axis.autotypenumbers ?? (isRecord(layout) ? layout.autotypenumbers : '')) === 'strict';
  const linear = axis.type === undefined || axis.type === '-' || axis.type === 'linear';
  const options = binOptions(tr, dir);
  if (axis.type === 'log')
    for (const k of ['start', 'end'] as const)
      if (options[k] !== undefined) options[k] = Math.pow(10, options[k]);
  return { type: axis.type, strict, linear, options };
}

/**
 * True when a histogram's values are counted one by one: along a category axis plotly.js counts
 * each category; along a date axis it bins by calendar (months, years), not followed here, so
 * each value's count is read instead (every bin drawn holds a value counted at most its height:
 * a small bin has a small value count under it, fail closed).
 */
export function countsEachValue(
  layout: Json | undefined,
  tr: Record<string, Json>,
  horizontal: boolean,
) {
  const type = binAxis(layout, tr, horizontal ? 'y' : 'x').type;
  return type === 'category' || type === 'multicategory' || type === 'date';
}

/**
 * The numeric histograms among `traces` (by index) with the binnings each is read under. A
 * histogram is numeric when every value it bins is a number (or a numeric string, unless
 * `autotypenumbers: 'strict'`) and its axis is not a category axis. Bins are worked out per bin
 * group (plot-bins.ts `binGroups`) over the values of all its traces; only a lone trace on a
 * linear axis, not cumulative, is read exactly (`binReadings`).
 */
export function numericHistograms(
  traces: readonly Json[],
  layout: Json | undefined,
  arrOf: (tr: Record<string, Json>) => ArrayOf,
): Map<number, NumericHistogram> {
  const found: { at: number; numbers: Float64Array; options: BinOptions; exact: boolean }[] = [];
  const places: BinPlace[] = [];
  // A bingroup a 2-D histogram's axis is in too shares its bins with it: not followed exactly.
  const groups2d = new Set(
    traces.filter(isHistogram2d).flatMap((tr) => [binGroup2d(tr, 'x'), binGroup2d(tr, 'y')]),
  );
  traces.forEach((tr, at) => {
    if (!isRecord(tr) || tr.type !== 'histogram') return;
    const { sample, horizontal } = histogramSample(tr, arrOf(tr));
    const dir = horizontal ? 'y' : 'x';
    if (countsEachValue(layout, tr, horizontal)) return;
    const { strict, linear, options } = axisReading(layout, tr, dir);
    if (strict && sample.some((v) => typeof v === 'string')) return;
    const numbers = sampleNumbers(sample);
    if (!numbers) return;
    const cumulative = isRecord(tr.cumulative) && tr.cumulative.enabled === true;
    const bingroup = typeof tr.bingroup === 'string' ? tr.bingroup : '';
    const with2d = bingroup !== '' && groups2d.has(bingroup);
    found.push({ at, numbers, options, exact: linear && !cumulative && !with2d });
    places.push({ dir, axes: `${axisRef(tr.xaxis, 'x')} ${axisRef(tr.yaxis, 'y')}`, bingroup });
  });
  const groups = binGroups(places, isRecord(layout) && layout.barmode === 'overlay');
  const out = new Map<number, NumericHistogram>();
  found.forEach(({ at, numbers, exact }, i) => {
    const members = found.filter((_, j) => groups[j] === groups[i]);
    const values = members.length === 1 ? numbers : concatNumbers(members.map((m) => m.numbers));
    const shared = groupOptions(members.map((m) => m.options));
    out.set(at, { numbers, readings: binReadings(values, shared, exact && members.length === 1) });
  });
  return out;
}

/** A trace's axis reference (`x`, `x2` …), `fallback` when it sets none. */
function axisRef(ref: Json | undefined, fallback: string): string {
  return typeof ref === 'string' && ref !== '' ? ref : fallback;
}

/**
 * A numeric histogram's bars as counts by bin label: the rows per bin, or the count-like sums of
 * `histfunc: 'sum'` (plot-bins.ts `binTotals`); empty bins draw no bar. Read under several
 * binnings, each bin is an entry of its own, its label naming the binning.
 */
export function binCounts(hist: NumericHistogram, summed: Json[] | undefined): Map<string, number> {
  const labelled = new Map<string, number>();
  hist.readings.forEach((bins, r) => {
    const idx = binIndices(hist.numbers, bins);
    const totals = (summed ? binTotals(idx, summed) : undefined) ?? binTotals(idx) ?? new Map();
    const binning = hist.readings.length > 1 ? `binning ${r + 1} ` : '';
    for (const [k, n] of [...totals].sort(([a], [b]) => a - b))
      labelled.set(`${binning}${binLabel(bins, k)}`, n);
  });
  return labelled;
}
