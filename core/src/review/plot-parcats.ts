/**
 * Parallel categories (plotly `parcats`, px.parallel_categories) as the counts plotly.js draws
 * (`parcats/calc.js`): a band per category of each dimension and per path (the categories of a row
 * across the dimensions, and its `line.color` when that is an array: plotly.js splits paths by
 * color), each sized by its rows, or by the `counts` weights, and its count shown on hover.
 */
import { isRecord, show, type Json } from './json-value.js';
import { tallyTable } from './count-tables.js';
import { plotlyNumber } from './plot-holes.js';
import type { ArrayOf } from './plot-traces.js';
import { gridToTable, type GridCell, type Table } from './table.js';
import { isTypedArraySpec, type ListOf } from './typed-arrays.js';

/** A category as plotly.js keys it: `String(v)`; an object as its JSON (distinct ones differ). */
const categoryKey = (v: Json | undefined): string =>
  typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);

/** A whole number ≥ 0 plotly.js reads `v` as, else undefined. */
function weight(v: Json | undefined): number | undefined {
  const n = plotlyNumber(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * The weight of each row (`counts`, recycled over the rows as plotly.js does): a number for every
 * row, or a list. Fail closed: weights that are not all whole numbers ≥ 0 are no counts, and
 * each row counts 1 instead (the default).
 */
function rowWeights(tr: Record<string, Json>, arr: ArrayOf, rows: number): (i: number) => number {
  const one = (): number => 1;
  if (!Array.isArray(tr.counts) && !isTypedArraySpec(tr.counts)) {
    const w = weight(tr.counts);
    return w === undefined ? one : () => w;
  }
  const ws = arr('counts');
  if (ws.length === 0) return one;
  const read: number[] = [];
  for (let i = 0; i < Math.min(rows, ws.length); i++) {
    const w = weight(ws[i]);
    if (w === undefined) return one;
    read.push(w);
  }
  return (i) => read[i % read.length] ?? 1;
}

/** A visible dimension: its shown name and values. */
interface Dimension {
  label: string;
  values: Json[];
}

/** The dimensions plotly.js draws: not `visible: false`, with values. */
function visibleDimensions(tr: Record<string, Json>, listOf: ListOf): Dimension[] {
  const out: Dimension[] = [];
  for (const [k, d] of (Array.isArray(tr.dimensions) ? tr.dimensions : []).entries()) {
    if (!isRecord(d) || d.visible === false) continue;
    const values = listOf(d.values) ?? [];
    if (values.length > 0) out.push({ label: show(d.label) || `dimension ${k + 1}`, values });
  }
  return out;
}

/**
 * A parcats trace's counts: one table per dimension (each category's rows or weight) and one of
 * its paths (unless they are the one dimension's categories), keyed by category values (not
 * `ticktext`, which only relabels them). Rows are read up to the shortest dimension, as plotly.js
 * truncates them (`merge_length.js`). `listOf` reads the lists nested in dimensions and `line`
 * (the figure's typed-array decoder).
 */
export function parcatsTables(
  mime: string,
  tr: Record<string, Json>,
  arr: ArrayOf,
  ctx: string,
  listOf: ListOf,
): Table[] {
  const dims = visibleDimensions(tr, listOf);
  if (dims.length === 0) return [];
  let rows = Infinity;
  for (const d of dims) rows = Math.min(rows, d.values.length);
  const weightOf = rowWeights(tr, arr, rows);
  const colors = (isRecord(tr.line) ? listOf(tr.line.color) : undefined) ?? [];
  const perDim = dims.map(() => new Map<string, number>());
  const paths = new Map<string, { cells: string[]; n: number }>();
  for (let i = 0; i < rows; i++) {
    const w = weightOf(i);
    const cells = dims.map((d) => categoryKey(d.values[i]));
    cells.forEach((c, k) => perDim[k]?.set(c, (perDim[k]?.get(c) ?? 0) + w));
    if (colors.length > 0) cells.push(categoryKey(colors[i % colors.length]));
    const key = cells.join('\u0000');
    const path = paths.get(key);
    if (path) path.n += w;
    else paths.set(key, { cells, n: w });
  }
  const drawn = (m: Map<string, number>): Map<string, number> =>
    new Map([...m].filter(([, n]) => n > 0));
  const out = dims.flatMap((d, k) => tallyTable(mime, drawn(perDim[k] ?? new Map()), d.label, ctx));
  // One dimension and one color: its paths are its categories, already read.
  if (dims.length === 1 && colors.length === 0) return out;
  const header = [...dims.map((d) => d.label), ...(colors.length > 0 ? ['color'] : []), 'count'];
  const grid: GridCell[][] = [header.map((text) => ({ text, header: true }))];
  for (const { cells, n } of paths.values())
    if (n > 0)
      grid.push([
        ...cells.map((text) => ({ text, header: true })),
        { text: String(n), header: false },
      ]);
  const t = gridToTable(mime, grid, 1, `${ctx} paths count`, header.length - 1);
  return t ? [...out, t] : out;
}
