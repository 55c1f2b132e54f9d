/**
 * Plotly traces that draw values as a table or as labelled numbers, read as tables for the table
 * rules: `table` traces (plot-table-trace.ts), indicators, waterfalls and polar bars.
 *
 * - An indicator's `value` is drawn big (mode 'number', also in 'gauge'; a gauge alone draws it as
 *   a bar on a scale): a count drawn as a label, read as one count. Its `delta.reference` is read
 *   as a count too (the earlier count the change is drawn against; every export carries it), and
 *   with 'delta' in its mode the change it draws, |value − reference|, unless it is drawn
 *   `relative` (a percentage): a small change between two counts is a small group by differencing.
 *   Each is read as `number.valueformat` (or `delta.valueformat`) draws it, a percentage when the
 *   number's suffix starts with '%'. The table holds only the drawn numbers under fixed labels, so
 *   no finding carries a value.
 * - Waterfall and barpolar bars are read as plot-tables.ts reads `bar` traces: a series (label,
 *   value) whose whole-number values over categories are a count plot unless the axis says
 *   otherwise. A waterfall's orientation is a bar's (only `x` draws horizontal bars); a 'relative'
 *   bar (the default) draws its change, read by its size (a drop of 2 is 2 rows gone), an
 *   'absolute' bar its value, a 'total' bar the running sum (drawn even where its value is a hole).
 *   A barpolar draws `r` over `theta`; its radial axis title is not known here, so its values are
 *   named 'count' when whole (fail closed).
 * - Choropleths (`choropleth`, `choroplethmapbox`, `choroplethmap`: px.choropleth of a count) draw
 *   one value per location as its colour: read as bars over the locations, the value column named
 *   by the trace's colour bar title, else 'count' when every value is whole (fail closed).
 */
import { show, type Json, isRecord } from './json-value.js';
import { barNumber, plotlyNumber } from './plot-holes.js';
import { formatNumber } from './plot-number-format.js';
import { tableTraceTable } from './plot-table-trace.js';
import { barSeries, type ArrayOf } from './plot-traces.js';
import { seriesTable } from './count-tables.js';
import type { ListOf } from './typed-arrays.js';
import { gridToTable, type GridCell, type Table } from './table.js';

/**
 * The tables a trace of `type` draws as values ([] for any other type); `names`: axis titles;
 * `listOf` reads lists nested in the trace (the figure's typed-array decoder).
 */
export function drawnValueTables(
  mime: string,
  type: string,
  tr: Record<string, Json>,
  arr: ArrayOf,
  ctx: string,
  names: [string, string],
  listOf: ListOf,
): Table[] {
  let t: Table | undefined;
  if (type === 'table') t = tableTraceTable(mime, tr, ctx, listOf);
  else if (type === 'indicator') t = indicatorTable(mime, tr, ctx);
  else if (type === 'waterfall') t = waterfallTable(mime, tr, arr, ctx, names);
  else if (CHOROPLETHS.has(type)) {
    // A value per location, drawn as its colour (and hovered): a count map unless titled otherwise.
    const locations = arr('locations');
    const regions = arr('z').map((v, i): [Json, number | undefined] => [
      locations[i] ?? i,
      barNumber(v),
    ]);
    t = barsTable(mime, [show(tr.name), colorbarTitle(tr)], regions, ctx);
  } else if (type === 'barpolar') {
    const theta = arr('theta');
    const bars = arr('r').map((v, i): [Json, number | undefined] => [theta[i] ?? i, barNumber(v)]);
    t = barsTable(mime, [show(tr.name), ''], bars, ctx);
  }
  return t ? [t] : [];
}

/** Map traces drawing one value per location (`locations`, `z`). */
const CHOROPLETHS = new Set(['choropleth', 'choroplethmapbox', 'choroplethmap']);

/** The title of a trace's own colour bar, '' when it has none (a shared coloraxis's is not read). */
function colorbarTitle(tr: Record<string, Json>): string {
  const bar = isRecord(tr.colorbar) ? tr.colorbar : {};
  return show(isRecord(bar.title) ? bar.title.text : bar.title);
}

/** The text plotly draws for `v` under `format` (none: as written), '%' added for a '%' suffix. */
function drawnNumber(v: number, format: Json | undefined, suffix: Json | undefined): string {
  const text = typeof format === 'string' && format !== '' ? formatNumber(format, v) : show(v);
  return typeof suffix === 'string' && suffix.trimStart().startsWith('%') ? `${text}%` : text;
}

/** An indicator's drawn numbers (value, reference, change) as one count column. */
function indicatorTable(mime: string, tr: Record<string, Json>, ctx: string): Table | undefined {
  const mode = typeof tr.mode === 'string' ? tr.mode.split('+') : ['number'];
  const number = isRecord(tr.number) ? tr.number : {};
  const delta = isRecord(tr.delta) ? tr.delta : {};
  const value = plotlyNumber(tr.value);
  const reference = plotlyNumber(delta.reference);
  const rows: [string, string][] = [];
  if (value !== undefined)
    rows.push(['value', drawnNumber(value, number.valueformat, number.suffix)]);
  if (reference !== undefined)
    rows.push(['reference', drawnNumber(reference, number.valueformat, number.suffix)]);
  if (value !== undefined && reference !== undefined && mode.includes('delta') && !delta.relative)
    rows.push([
      'change',
      drawnNumber(Math.abs(value - reference), delta.valueformat, delta.suffix),
    ]);
  const title = isRecord(tr.title) ? show(tr.title.text) : '';
  const grid: GridCell[][] = [
    [
      { text: '', header: true },
      { text: 'count', header: true },
    ],
  ];
  for (const [label, text] of rows)
    grid.push([
      { text: label, header: true },
      { text, header: false },
    ]);
  return gridToTable(mime, grid, 1, `${ctx} ${title}`, 1);
}

/** A waterfall's bars as drawn: each bar's change, value or running total, per `measure`. */
function waterfallTable(
  mime: string,
  tr: Record<string, Json>,
  arr: ArrayOf,
  ctx: string,
  [xt, yt]: [string, string],
): Table | undefined {
  const s = barSeries(tr, 'bar', arr);
  const measure = arr('measure');
  const bars: [Json, number | undefined][] = [];
  let sum = 0;
  for (let i = 0; i < Math.max(s.values.length, measure.length); i++) {
    const v = barNumber(s.values[i]);
    const m = measure[i];
    if (m === 'total') bars.push([s.labels[i] ?? i, sum]);
    else if (m === 'absolute') {
      if (v !== undefined) sum = v;
      bars.push([s.labels[i] ?? i, v]);
    } else {
      if (v !== undefined) sum += v;
      bars.push([s.labels[i] ?? i, v === undefined ? v : Math.abs(v)]);
    }
  }
  return barsTable(mime, s.horizontal ? [yt, xt] : [xt, yt], bars, ctx);
}

/**
 * A series of drawn bars (label, number; undefined for a hole, which draws nothing) as a table,
 * as plot-tables.ts builds its series: holes left out, the value column named 'count' when it has
 * no name and every value is a whole number (count-tables.ts `seriesTable`).
 */
function barsTable(
  mime: string,
  [labelName, name]: [string, string],
  bars: [Json, number | undefined][],
  ctx: string,
): Table | undefined {
  const drawn = bars.filter((b): b is [Json, number] => b[1] !== undefined);
  const valueName =
    name === '' && drawn.length > 0 && drawn.every(([, v]) => Number.isInteger(v)) ? 'count' : name;
  return seriesTable(mime, [labelName, valueName], drawn, ctx);
}
