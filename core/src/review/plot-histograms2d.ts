/**
 * Plotly 2-D histograms (`histogram2d`, `histogram2dcontour`: plotly express `density_heatmap`,
 * `density_contour`) read as the cells plotly.js draws (`histogram2d/calc.js`): the rows up to
 * the shorter of `x` and `y`, each axis binned as plotly.js bins it — numbers on a linear axis by
 * `autoBin` with its 2-D size (plot-bins.ts, `is2d`), `nbinsx`/`nbinsy`, `xbins`/`ybins` —
 * and per cell (x bin, y bin) its rows, or with `histfunc: 'sum'` its count-like sum of `z` (or
 * `marker.color`), a count; empty cells (drawn as 0) are none. What is not followed exactly is
 * read conservatively: each value its own bin (categories; date axes; a `xbins.size` that is no
 * number > 0; values that are not all numbers), or two binnings (a log axis, bins shared with
 * other traces of a bin group: worked out over all their values, and shifted by half a bin).
 * (A `histogram2dcontour`'s automatic bins run one bin further each way: empty, so no counts.)
 */
import { isRecord, show, type Json } from './json-value.js';
import { noCategory, plotlyNumber } from './plot-holes.js';
import {
  binIndices,
  binLabel,
  binOptions,
  binReadings,
  binTotals,
  concatNumbers,
  groupOptions,
  sampleNumbers,
  type BinOptions,
} from './plot-bins.js';
import { axisReading, binGroup2d, isHistogram2d } from './plot-histograms.js';
import { histogramSample, type ArrayOf } from './plot-traces.js';

/** One way of binning an axis: each row's bin (-1 for none) and a bin's label. */
interface AxisBinning {
  index: Float64Array;
  label: (k: number) => string;
}

/** An axis read over numbers: its values, bin options, bin group and whether followed exactly. */
interface NumericAxis {
  numbers: Float64Array;
  options: BinOptions;
  group: string;
  exact: boolean;
}

/** The histogram norms plotly.js accepts (`histnorm`); any other is none. */
const NORMS = ['percent', 'probability', 'density', 'probability density'];

/**
 * The rows of a 2-D histogram's axis: its values, or for a multicategory axis (a list of lists,
 * the first two the outer and inner categories) each row's categories joined.
 */
function axisRows(values: Json[]): Json[] {
  if (values.length < 2 || !values.every(Array.isArray)) return values;
  const [outer, inner] = values as [Json[], Json[]];
  return Array.from({ length: Math.min(outer.length, inner.length) }, (_, i) =>
    noCategory(outer[i]) || noCategory(inner[i]) ? null : `${show(outer[i])} ${show(inner[i])}`,
  );
}

/** Each value its own bin (as a category axis draws it); a null is in none. */
function perValue(rows: readonly Json[]): AxisBinning {
  const ids = new Map<string, number>();
  const index = new Float64Array(rows.length);
  rows.forEach((v, i) => {
    const key = noCategory(v) ? undefined : show(v);
    if (key !== undefined && !ids.has(key)) ids.set(key, ids.size);
    index[i] = key === undefined ? -1 : (ids.get(key) ?? -1);
  });
  const keys = [...ids.keys()];
  return { index, label: (k) => keys[k] ?? '' };
}

/**
 * The axis `dir` of a 2-D histogram over numbers (plotly.js bins it by `autoBin`), or undefined
 * when its values are read one by one: a category or date axis, a string on an axis with
 * `autotypenumbers: 'strict'`, a value that is no number, or an `xbins.size` set to anything but
 * a number > 0 (plotly.js steps its bins by the raw value).
 */
function numericAxis(
  layout: Json | undefined,
  tr: Record<string, Json>,
  dir: 'x' | 'y',
  rows: readonly Json[],
): NumericAxis | undefined {
  const { type, strict, linear, options } = axisReading(layout, tr, dir);
  if (type === 'category' || type === 'multicategory' || type === 'date') return;
  if (strict && rows.some((v) => typeof v === 'string')) return;
  const spec = tr[`${dir}bins`];
  const size = isRecord(spec) && tr[`autobin${dir}`] !== true ? spec.size : undefined;
  if (size && !((plotlyNumber(size) ?? 0) > 0)) return;
  const numbers = sampleNumbers(rows);
  if (!numbers) return;
  return { numbers, options, group: binGroup2d(tr, dir), exact: linear };
}

/** The rows of a 2-D histogram: x and y up to the shorter (none unless both are given). */
function traceRows(arr: ArrayOf): { xs: Json[]; ys: Json[] } {
  const [xs, ys] = [axisRows(arr('x')), axisRows(arr('y'))];
  const n = Math.min(xs.length, ys.length);
  return { xs: xs.slice(0, n), ys: ys.slice(0, n) };
}

/**
 * What a 2-D histogram's cells total per row: with `histfunc: 'sum'` and no `histnorm`, its
 * `z` (or, without `z`, an array `marker.color`) as plotly.js sums it; otherwise undefined (the
 * rows per cell: counts, and the fail-closed reading of averages, extremes and norms).
 */
function summedValues(tr: Record<string, Json>, arrOf: (tr: Record<string, Json>) => ArrayOf) {
  if (tr.histfunc !== 'sum' || NORMS.includes(show(tr.histnorm))) return undefined;
  if (tr.z !== undefined && tr.z !== null) return arrOf(tr)('z');
  const marker = tr.marker;
  if (!isRecord(marker) || marker.color === undefined) return undefined;
  const colors = arrOf(marker)('color');
  return colors.length > 0 ? colors : undefined;
}

/**
 * The cells of one x binning and one y binning: per cell "x bin / y bin" → its rows, or the
 * count-like sums of `summed` (plot-bins.ts `binTotals`, else the rows: fail closed).
 */
function cellCounts(
  x: AxisBinning,
  y: AxisBinning,
  summed: readonly Json[] | undefined,
  prefix: string,
  out: Map<string, number>,
): void {
  let ny = 0;
  for (const k of y.index) if (k + 1 > ny) ny = k + 1;
  const cells = new Float64Array(x.index.length);
  for (let i = 0; i < cells.length; i++) {
    const [kx, ky] = [x.index[i]!, y.index[i]!];
    cells[i] = kx < 0 || ky < 0 ? -1 : kx * ny + ky;
  }
  const totals = (summed ? binTotals(cells, summed) : undefined) ?? binTotals(cells) ?? new Map();
  for (const [cell, n] of [...totals].sort(([a], [b]) => a - b))
    out.set(`${prefix}${x.label(Math.floor(cell / ny))} / ${y.label(cell % ny)}`, n);
}

/** An axis of a 2-D histogram: its rows, and how it is read over numbers (undefined: per value). */
interface AxisReading {
  rows: Json[];
  numeric: NumericAxis | undefined;
}

/** The values and bin options of the traces of a bin group. */
interface GroupMembers {
  numbers: Float64Array[];
  options: BinOptions[];
}

/**
 * The cells the 2-D histograms among `traces` draw, by trace index: "x bin / y bin" → its count
 * (rows, or count-like sums), read under each binning of its axes ("binning n" names one when
 * there are several).
 */
export function histogram2dCells(
  traces: readonly Json[],
  layout: Json | undefined,
  arrOf: (tr: Record<string, Json>) => ArrayOf,
): Map<number, Map<string, number>> {
  const found: { at: number; tr: Record<string, Json>; axes: AxisReading[] }[] = [];
  const groups = new Map<string, GroupMembers>();
  const join = (group: string, numbers: Float64Array, options: BinOptions): void => {
    const members = groups.get(group) ?? { numbers: [], options: [] };
    members.numbers.push(numbers);
    members.options.push(options);
    groups.set(group, members);
  };
  traces.forEach((tr, at) => {
    if (!isHistogram2d(tr)) return;
    const { xs, ys } = traceRows(arrOf(tr));
    if (xs.length === 0) return;
    const axes = (['x', 'y'] as const).map((dir) => {
      const rows = dir === 'x' ? xs : ys;
      const numeric = numericAxis(layout, tr, dir, rows);
      if (numeric && numeric.group !== '') join(numeric.group, numeric.numbers, numeric.options);
      return { rows, numeric };
    });
    found.push({ at, tr, axes });
  });
  // 1-D histograms of a bingroup a 2-D axis is in share its bins (their values bin with it).
  for (const tr of traces) {
    if (!isRecord(tr) || tr.type !== 'histogram' || typeof tr.bingroup !== 'string') continue;
    if (!groups.has(tr.bingroup)) continue;
    const { sample, horizontal } = histogramSample(tr, arrOf(tr));
    const numbers = sampleNumbers(sample) ?? new Float64Array();
    join(tr.bingroup, numbers, binOptions(tr, horizontal ? 'y' : 'x'));
  }
  const out = new Map<number, Map<string, number>>();
  for (const { at, tr, axes } of found) {
    const [xb = [], yb = []] = axes.map(({ rows, numeric }) => axisBinnings(rows, numeric, groups));
    const summed = summedValues(tr, arrOf);
    const cells = new Map<string, number>();
    const several = xb.length * yb.length > 1;
    let r = 0;
    for (const x of xb)
      for (const y of yb) cellCounts(x, y, summed, several ? `binning ${++r} ` : '', cells);
    out.set(at, cells);
  }
  return out;
}

/**
 * The binnings an axis is read under: each value its own bin, or the bins plotly.js draws
 * (`binReadings` with `is2d`), worked out over the values of its whole bin group when it shares
 * one (then, as plotly's sharing is not followed exactly, also shifted by half a bin).
 */
function axisBinnings(
  rows: Json[],
  numeric: NumericAxis | undefined,
  groups: ReadonlyMap<string, GroupMembers>,
): AxisBinning[] {
  if (!numeric) return [perValue(rows)];
  const members = groups.get(numeric.group);
  const shared = members !== undefined && members.numbers.length > 1;
  const values = shared ? concatNumbers(members.numbers) : numeric.numbers;
  const options = shared ? groupOptions(members.options) : numeric.options;
  return binReadings(values, options, numeric.exact && !shared, true).map((bins) => ({
    index: binIndices(numeric.numbers, bins),
    label: (k) => binLabel(bins, k),
  }));
}
