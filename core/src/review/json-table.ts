/**
 * Reads JSON outputs: collects every string (keys included) for the identifier scan and finds
 * tables in dataresource, pandas "split" JSON, arrays of records (vega-lite `data.values`,
 * `datasets`), label→number maps, and plotly traces (bar/pie as count series, scatter/histogram
 * as row-level points) — in the plotly MIME type, and wherever a figure appears in other JSON (a
 * figure dict, a plotly FigureWidget's state: plotly-figures.ts).
 */
import { isRecord, show, type Json } from './json-value.js';
import { plotlyTables } from './plot-tables.js';
import { vegaLiteCounts } from './vega-counts.js';
import { gridToTable, type GridCell, type OnPartial, type Table } from './table.js';
import { isFigureShaped, widgetFigures } from './plotly-figures.js';
import { isTypedArraySpec, TypedArrays } from './typed-arrays.js';

const MAX_NODES = 2_000_000;

/** Strings and tables extracted from one JSON value. */
export interface JsonScan {
  /** Every key, string and number, one per line. */
  text: string;
  tables: Table[];
}

/** Short strings near a table: titles, statistic names, queries (count keywords, totals). */
function contextOf(obj: Record<string, Json>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    parts.push(k);
    if (typeof v === 'string' && v.length < 300) parts.push(v);
    else if (typeof v === 'number') parts.push(`${k}=${v}`);
    else if (isRecord(v) && typeof v.text === 'string') parts.push(v.text);
  }
  return parts.join(' ');
}

function recordsTable(
  mime: string,
  rows: readonly Json[],
  ctx: string,
  keyFields?: readonly string[],
): Table | undefined {
  const recs = rows.filter(isRecord);
  if (recs.length === 0 || recs.length < rows.length) return undefined;
  const keys: string[] = [];
  for (const r of recs.slice(0, 50))
    for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  // Whether each key is a label (textual) column, decided once per key.
  const textual = new Set(
    keys.filter((k) =>
      keyFields !== undefined ? keyFields.includes(k) : recs.every((r) => typeof r[k] !== 'number'),
    ),
  );
  const order = [...keys.filter((k) => textual.has(k)), ...keys.filter((k) => !textual.has(k))];
  // The table `gridToTable` builds from the grid of the keys (one header row) and each record's
  // values, with the textual keys as label columns — read straight into its rows (a table of
  // thousands of records would otherwise build a cell object per value first).
  const width = order.length;
  if (width === 0) return undefined;
  const labels = textual.size;
  const rowLabels = new Array<string[]>(recs.length);
  const cells = new Array<string[]>(recs.length);
  for (let r = 0; r < recs.length; r++) {
    const rec = recs[r] as Record<string, Json>;
    const labelRow = new Array<string>(labels);
    for (let c = 0; c < labels; c++) labelRow[c] = show(rec[order[c] ?? '']);
    const dataRow = new Array<string>(width - labels);
    for (let c = labels; c < width; c++) dataRow[c - labels] = show(rec[order[c] ?? '']);
    rowLabels[r] = labelRow;
    cells[r] = dataRow;
  }
  return {
    mime,
    labelColumns: order.slice(0, labels),
    columns: order.slice(labels),
    rowLabels,
    cells,
    context: ctx,
    indexed: keyFields !== undefined,
  };
}

function columnsTable(mime: string, obj: Record<string, Json>, ctx: string): Table | undefined {
  const cols = obj.columns;
  const data = obj.data ?? obj.rows;
  if (!Array.isArray(cols) || !Array.isArray(data) || !data.every(Array.isArray)) return undefined;
  const index = Array.isArray(obj.index) ? obj.index : undefined;
  const grid: GridCell[][] = [
    [
      ...(index ? [{ text: '', header: true }] : []),
      ...cols.map((c) => ({ text: show(c), header: true })),
    ],
  ];
  data.forEach((row, r) => {
    const cells = (row as Json[]).map((v) => ({ text: show(v), header: typeof v === 'string' }));
    grid.push([...(index ? [{ text: show(index[r]), header: true }] : []), ...cells]);
  });
  return gridToTable(mime, grid, 1, ctx, index ? 1 : undefined);
}

function mapTable(
  mime: string,
  key: string,
  obj: Record<string, Json>,
  ctx: string,
): Table | undefined {
  const entries = Object.entries(obj);
  if (entries.length < 2 || !entries.every(([, v]) => typeof v === 'number')) return undefined;
  const grid: GridCell[][] = [
    [
      { text: '', header: true },
      { text: key, header: true },
    ],
  ];
  for (const [k, v] of entries)
    grid.push([
      { text: k, header: true },
      { text: show(v), header: false },
    ]);
  return gridToTable(mime, grid, 1, ctx, 1);
}

/**
 * Scans a JSON value: all strings for identifiers, and every table-shaped part; `onPartial` hears
 * of what the caps left unread.
 */
export function scanJson(mime: string, value: unknown, onPartial?: OnPartial): JsonScan {
  const strings: string[] = [];
  const keys = new Set<string>();
  const tables: Table[] = [];
  let nodes = 0;
  const keep = (t: Table | undefined): void => {
    if (t !== undefined) tables.push(t);
  };
  const isPlotly = mime.includes('plotly');
  // plotly.js draws the numbers of typed arrays (`{dtype, bdata}`): both the traces' tables and the
  // identifier scan read them decoded, and a spec that does not decode holds the output. So in
  // the plotly MIME type, and inside every figure found in other JSON (by shape, or the state of
  // a plotly FigureWidget), one budget for the whole output.
  const arrays = new TypedArrays(onPartial);
  if (isPlotly && isRecord(value)) tables.push(...plotlyTables(mime, value, arrays));
  /** The figures `v` draws when it is one (a figure dict, a FigureWidget's state), else undefined. */
  const figuresOf = (v: Record<string, Json>): Record<string, Json>[] | undefined => {
    if (Array.isArray(v.data) && isFigureShaped(v)) return [v];
    return typeof v._model_name === 'string' ? widgetFigures(v, onPartial) : undefined;
  };
  if (mime.includes('vegalite') && isRecord(value))
    tables.push(...vegaLiteCounts(mime, value, onPartial));
  const visit = (
    v: Json,
    key: string,
    parent: Record<string, Json> | undefined,
    inArray = false,
    inFigure = isPlotly,
  ): void => {
    if (++nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1)
        onPartial?.(`values after the first ${MAX_NODES.toLocaleString('en')} of a JSON output`);
      return;
    }
    if (typeof v === 'string') strings.push(v);
    else if (typeof v === 'number') {
      // Only long integers can be identifiers (a phone or card stored as a number).
      if (Number.isInteger(v) && Math.abs(v) >= 1e6) strings.push(String(v));
    } else if (Array.isArray(v)) {
      if (!isPlotly && v.length > 0 && isRecord(v[0]))
        keep(recordsTable(mime, v, `${key} ${parent ? contextOf(parent) : ''}`));
      for (const x of v) visit(x, key, parent, true, inFigure);
    } else if (isRecord(v)) {
      // The decoded numbers, then the spec itself (its bdata string, as before).
      if (inFigure && isTypedArraySpec(v))
        for (const x of arrays.values(v, key) ?? []) visit(x, key, parent, true, inFigure);
      let figure = inFigure;
      if (!inFigure) {
        const figures = figuresOf(v);
        if (figures !== undefined) {
          figure = true;
          for (const f of figures) tables.push(...plotlyTables(mime, f, arrays));
        }
      }
      if (!isPlotly && !inArray) {
        const ctx = contextOf(v);
        const schema = v.schema;
        if (isRecord(schema) && Array.isArray(schema.fields) && Array.isArray(v.data)) {
          const pk = Array.isArray(schema.primaryKey)
            ? schema.primaryKey.map(show)
            : typeof schema.primaryKey === 'string'
              ? [schema.primaryKey]
              : undefined;
          const fields = schema.fields.filter(isRecord);
          const keyFields =
            pk ?? fields.filter((f) => f.type === 'string').map((f) => show(f.name));
          keep(recordsTable(mime, v.data, ctx, keyFields));
          for (const f of fields) strings.push(show(f.name));
          for (const x of v.data) visit(x, 'data', undefined, false, figure);
          return;
        }
        keep(columnsTable(mime, v, ctx));
        keep(mapTable(mime, key, v, `${key} ${parent ? contextOf(parent) : ''}`));
      }
      for (const k of Object.keys(v)) {
        if (!keys.has(k)) {
          keys.add(k);
          strings.push(k);
        }
        visit(v[k] as Json, k, v, false, figure);
      }
    }
  };
  visit(value as Json, '', undefined);
  return { text: strings.join('\n'), tables };
}
