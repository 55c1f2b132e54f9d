/**
 * A plotly `table` trace (go.Table, `ff.create_table`) read as the table it draws, as plotly.js
 * lays it out (`table/data_preparation_helper.js`, `table/plot.js`): `header.values` and
 * `cells.values` are lists of COLUMNS, a column a list (a header's: its header rows) or one value;
 * columns of unequal length are padded with blanks; each column drawn at its `columnorder`
 * position; a cell drawn as `prefix + value (under format) + suffix` (each one value, a list per
 * column, or a list of lists per column and row, the last repeating), text with plotly's tags
 * (`<b>`, `<br>` …) drawn as plotly draws it, LaTeX (`$…$`) as written.
 *
 * Nested typed arrays (`cells.values` given as one 2-D `{dtype, bdata, shape}`, or a column as a
 * typed array) are decoded here with a decoder of this module's own: the `arr` the trace reader is
 * given reads top-level keys only. A spec that does not decode is read as no values here; it still
 * holds the output, as the identifier scan (json-table.ts) decodes every typed array of a figure
 * through the figure's shared decoder, which reports it.
 */
import { isRecord, show, type Json } from './json-value.js';
import { formatNumber } from './plot-number-format.js';
import { drawnString } from './plot-text.js';
import { gridToTable, type GridCell, type Table } from './table.js';
import type { ListOf } from './typed-arrays.js';

/** A grid of columns as plotly squares it: every column a list (one value wrapped). */
function columnsOf(listOf: ListOf, v: Json | undefined): Json[][] {
  const outer = listOf(v) ?? [];
  return outer.map((c) => listOf(c) ?? [c]);
}

/** plotly.js's `gridPick`: a value, a list per column, or a list of lists per column and row. */
function gridPick(
  listOf: ListOf,
  spec: Json | undefined,
  col: number,
  row: number,
): Json | undefined {
  const columns = listOf(spec);
  if (columns === undefined) return spec;
  const column = columns[Math.min(col, columns.length - 1)];
  const rows = listOf(column);
  return rows === undefined ? column : rows[Math.min(row, rows.length - 1)];
}

/** A prefix or suffix as drawn: a string or number, '' for none (plotly's `|| ''`). */
const affix = (v: Json | undefined): string =>
  typeof v === 'string' || (typeof v === 'number' && v !== 0 && Number.isFinite(v))
    ? String(v)
    : '';

/** plotly.js's LaTeX check: such a cell is drawn without prefix, suffix or format. */
const LATEX = /^\$.*\$$/s;

/** The text plotly draws for cell (`col`, `row`) of `part` (a trace's `header` or `cells`). */
function cellText(
  listOf: ListOf,
  part: Record<string, Json>,
  value: Json | undefined,
  col: number,
  row: number,
): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && LATEX.test(value)) return value.trim();
  const format = gridPick(listOf, part.format, col, row);
  const body =
    typeof format === 'string' && format !== '' ? formatNumber(format, value) : show(value);
  const text =
    affix(gridPick(listOf, part.prefix, col, row)) +
    body +
    affix(gridPick(listOf, part.suffix, col, row));
  return drawnString(text).trim();
}

/**
 * The drawn order of `width` columns: column i at position `columnorder[i]` (a number), any
 * column it does not place at its own index, ties kept in spec order.
 */
function drawnOrder(order: Json[], width: number): number[] {
  const at = (i: number): number => {
    const p = order[i];
    return typeof p === 'number' && Number.isFinite(p) ? p : i;
  };
  const cols = Array.from({ length: width }, (_, i) => i);
  return cols.sort((a, b) => at(a) - at(b) || a - b);
}

/**
 * The table a `table` trace draws: its header rows over its cells, in drawn column order;
 * `listOf` reads its nested lists (the figure's typed-array decoder).
 */
export function tableTraceTable(
  mime: string,
  tr: Record<string, Json>,
  ctx: string,
  listOf: ListOf,
): Table | undefined {
  const header = isRecord(tr.header) ? tr.header : {};
  const cells = isRecord(tr.cells) ? tr.cells : {};
  const heads = columnsOf(listOf, header.values);
  const body = columnsOf(listOf, cells.values);
  const width = Math.max(heads.length, body.length);
  let headerRows = 0;
  let rows = 0;
  for (const h of heads) headerRows = Math.max(headerRows, h.length);
  for (const c of body) rows = Math.max(rows, c.length);
  const order = drawnOrder(listOf(tr.columnorder) ?? [], width);
  const grid: GridCell[][] = [];
  for (let r = 0; r < headerRows; r++)
    grid.push(
      order.map((c) => ({ text: cellText(listOf, header, heads[c]?.[r], c, r), header: true })),
    );
  for (let r = 0; r < rows; r++)
    grid.push(
      order.map((c) => ({ text: cellText(listOf, cells, body[c]?.[r], c, r), header: false })),
    );
  return gridToTable(mime, grid, headerRows, ctx);
}
