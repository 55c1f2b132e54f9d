/**
 * Plotly figures as tables: bar/pie/funnel/funnelarea traces as count series, categorical
 * histograms as the counts or count-like sums they draw, numeric histograms as the counts or sums
 * of the bins plotly.js draws (plot-histograms.ts), 2-D histograms as the counts of the cells it
 * draws (plot-histograms2d.ts), and histogram samples and scatter points as row-level tables.
 * Vega-lite charts are read by vega-counts.ts.
 */
import { isRecord, show, type Json } from './json-value.js';
import { barNumber, isVoid, noCategory, sliceNumber } from './plot-holes.js';
import { binCounts, countsEachValue, numericHistograms } from './plot-histograms.js';
import { histogram2dCells } from './plot-histograms2d.js';
import { hierarchyTables } from './plot-hierarchy.js';
import { drawnValueTables } from './plot-drawn-values.js';
import { notePlotText } from './plot-text.js';
import {
  barSeries,
  categorySums,
  histogramFunc,
  histogramSample,
  pieSlices,
  type ArrayOf,
} from './plot-traces.js';
import { countTable, seriesTable, tallyTable } from './count-tables.js';
import { gridToTable, type GridCell, type Table } from './table.js';
import { TypedArrays, type ListOf } from './typed-arrays.js';

/** The figure's title as shown, '' when it has none. */
function layoutTitle(layout: Json | undefined): string {
  return isRecord(layout) ? show(isRecord(layout.title) ? layout.title.text : layout.title) : '';
}

/**
 * What of a layout the tables of `plotlyTables` depend on (its title and axis titles), as one
 * string: traces read with two layouts of the same context give the same tables.
 */
export function tableContext(layout: Json | undefined): string {
  return `${layoutTitle(layout)}\u0000${axisTitle(layout, 'xaxis')}\u0000${axisTitle(layout, 'yaxis')}`;
}

/** True for a whole number. */
const isWhole = (n: number | undefined): boolean => n !== undefined && Number.isInteger(n);

function axisTitle(layout: Json | undefined, axis: string): string {
  if (!isRecord(layout)) return '';
  const a = layout[axis];
  if (!isRecord(a)) return '';
  const t = a.title;
  return typeof t === 'string' ? t : isRecord(t) ? show(t.text) : '';
}

/**
 * The traces a plotly figure draws: its data, then the traces of its animation frames (each drawn
 * when the slider reaches it) over the data trace they update, so a frame that gives only `y`
 * keeps its trace's type and categories.
 */
function drawnTraces(root: Record<string, Json>): Json[] {
  const data = Array.isArray(root.data) ? root.data : [];
  if (!Array.isArray(root.frames)) return data;
  const traces: Json[] = [...data];
  for (const frame of root.frames) {
    if (!isRecord(frame) || !Array.isArray(frame.data)) continue;
    const targets = Array.isArray(frame.traces) ? frame.traces : [];
    frame.data.forEach((tr, k) => {
      const at = targets[k] ?? k;
      const base = typeof at === 'number' ? data[at] : undefined;
      traces.push(isRecord(tr) && isRecord(base) ? { ...base, ...tr } : tr);
    });
  }
  return traces;
}

/**
 * Tables shown by a plotly figure, one per trace (animation frames included); `arrays` decodes
 * the typed arrays (`{dtype, bdata}`) plotly.py ≥ 6 writes for numpy data, as plotly.js does.
 * The text the figure draws is noted for the count rules over it (plot-text.ts).
 */
export function plotlyTables(
  mime: string,
  root: Record<string, Json>,
  arrays?: TypedArrays,
): Table[] {
  const out: Table[] = [];
  // The text the figure draws (titles, annotations, trace text …) is noted for the count rules.
  notePlotText(root, arrays);
  const traces = drawnTraces(root);
  const layout = root.layout;
  const title = layoutTitle(layout);
  // A list, or a typed array decoded (`{dtype, bdata}`); anything else draws nothing.
  const arrOf =
    (tr: Record<string, Json>): ArrayOf =>
    (key) => {
      const v = tr[key];
      return Array.isArray(v) ? v : (arrays?.values(v, key) ?? []);
    };
  // Lists nested in a trace (a table's columns, a parcats dimension's values), read by the same
  // decoder as its own attributes (one budget, each typed array decoded once).
  const nested = arrays ?? new TypedArrays();
  const listOf: ListOf = (v) => nested.values(v);
  const numeric = numericHistograms(traces, layout, arrOf);
  const cells2d = histogram2dCells(traces, layout, arrOf);
  for (const [at, tr] of traces.entries()) {
    if (!isRecord(tr)) continue;
    const type = show(tr.type || 'scatter');
    const name = show(tr.name);
    const xt = axisTitle(layout, 'xaxis') || name;
    const yt = axisTitle(layout, 'yaxis') || name;
    const ctx = `${title} ${name} ${type} ${xt} ${yt}`;
    const arr = arrOf(tr);
    let labels: Json[] = [];
    let values: Json[] = [];
    let [labelName, valueName] = [xt, yt];
    // The number drawn for a value; undefined for a hole (no bar or slice drawn).
    let drawn = barNumber;
    if (type === 'pie' || type === 'funnelarea') {
      // Slices as plotly draws them (a funnelarea is sliced as a pie): summed per label, 1 per
      // label when no values are given.
      const slices = pieSlices(tr, arr);
      [labels, values] = [[...slices.keys()], [...slices.values()]];
      [valueName, drawn] = [`count ${name}`, sliceNumber];
    } else if (type === 'bar' || type === 'funnel') {
      const s = barSeries(tr, type, arr);
      [labels, values] = [s.labels, s.values];
      if (s.horizontal) [labelName, valueName] = [yt, xt];
    } else if (type === 'heatmap' && arr('z').every(Array.isArray)) {
      // A heatmap of whole numbers over two categorical axes is a crosstab.
      const xs = arr('x');
      const ys = arr('y');
      const grid: GridCell[][] = [
        [{ text: yt, header: true }, ...xs.map((x) => ({ text: show(x), header: true }))],
      ];
      arr('z').forEach((row, i) => {
        // A NaN (no cell drawn) is a blank cell, as null is: the count rules pass over both.
        const cells = (row as Json[]).map((v) => ({
          text: isVoid(v) ? '' : show(v),
          header: false,
        }));
        grid.push([{ text: show(ys[i] ?? i), header: true }, ...cells]);
      });
      const t = gridToTable(mime, grid, 1, ctx, 1);
      if (t) out.push(t);
      continue;
    } else if (type === 'histogram') {
      const { sample, horizontal } = histogramSample(tr, arr);
      const axis = horizontal ? yt : xt;
      const hist = numeric.get(at);
      if (hist) {
        // Over numbers plotly.js draws bins: each bin's rows (or count-like sums) is a count.
        const summed =
          histogramFunc(tr, horizontal) === 'sum' ? arr(horizontal ? 'x' : 'y') : undefined;
        out.push(...tallyTable(mime, binCounts(hist, summed), axis, `${ctx} bins`));
      } else if (
        sample.some((v) => typeof v === 'string') ||
        countsEachValue(layout, tr, horizontal)
      ) {
        // A categorical histogram displays the count of each category (null is in none), or with
        // `histfunc: 'sum'` the sums of the other array, read as counts when they are count-like.
        // Averages, extremes and sums that are not count-like are no counts: the row counts are
        // read instead (fail closed); so are they under `histnorm` (percent × rows gives them).
        const keys = sample.map((v) => (noCategory(v) ? undefined : show(v)));
        const sums =
          histogramFunc(tr, horizontal) === 'sum'
            ? categorySums(keys, arr(horizontal ? 'x' : 'y'))
            : undefined;
        const rows = keys.filter((k) => k !== undefined);
        out.push(...(sums ? tallyTable(mime, sums, axis, ctx) : countTable(mime, rows, axis, ctx)));
        continue;
      }
      const grid: GridCell[][] = [[{ text: axis, header: true }]];
      for (const v of sample) grid.push([{ text: show(v), header: false }]);
      const t = gridToTable(mime, grid, 1, ctx, 0);
      if (t) out.push(t);
      continue;
    } else {
      // Traces that draw counts of groups, or values as a table or labels; their points are read too.
      out.push(
        ...hierarchyTables(mime, type, tr, arr, ctx, listOf),
        ...drawnValueTables(mime, type, tr, arr, ctx, [xt, yt], listOf),
      );
      // A 2-D histogram draws a count (or count-like sum) per cell; its points are read too.
      const cells = cells2d.get(at);
      if (cells) out.push(...tallyTable(mime, cells, `${xt} / ${yt}`, `${ctx} cells`));
      const xs = arr('x');
      const ys = arr('y');
      const grid: GridCell[][] = [
        [
          { text: xt, header: true },
          { text: yt, header: true },
        ],
      ];
      for (let i = 0; i < Math.max(xs.length, ys.length); i++)
        grid.push([
          { text: show(xs[i]), header: false },
          { text: show(ys[i]), header: false },
        ]);
      const t = gridToTable(mime, grid, 1, ctx, 0);
      if (t) out.push(t);
      continue;
    }
    // Only the bars and slices drawn are read: a hole draws nothing, so it neither stops the
    // values drawn beside it from reading as counts nor takes a row (its label could repeat one).
    const shown: number[] = [];
    values.forEach((v, i) => {
      if (drawn(v) !== undefined) shown.push(i);
    });
    // Bars of whole numbers over categories are a count plot unless the axis says otherwise.
    if (valueName === '' && shown.length > 0 && shown.every((i) => isWhole(drawn(values[i]))))
      valueName = 'count';
    const t = seriesTable(
      mime,
      [labelName, valueName],
      shown.map((i) => [labels[i] ?? i, values[i] ?? null]),
      ctx,
    );
    if (t) out.push(t);
  }
  return out;
}
