/**
 * Extracts tables from plain text: markdown pipe tables and pandas-style aligned tables
 * (`print(df)`, `value_counts()`, crosstabs). A block is a run of lines that end in the same
 * number of numeric tokens after non-numeric labels; the line(s) above give column labels and
 * index names, the line below (e.g. `Name: count, dtype: int64`) gives context.
 */
import { gridToTable, isNumeric, type GridCell, type Table } from './table.js';
import { headerPossibleIn, rowCandidateIn, TextLines } from './text-lines.js';

const MAX_LINES = 200_000;
const MAX_TABLES = 100;

interface Row {
  labels: string[];
  values: string[];
}

function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s{2,}|\t+/);
}

function words(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Splits a line into leading labels and trailing numeric values (labels must be non-numeric). */
function splitRow(line: string): Row | undefined {
  // Fast reject: a table row ends in a number (or a percentage).
  if (!rowCandidateIn(line, 0, line.length)) return undefined;
  let toks = tokens(line);
  if (toks.length < 2) {
    // single-space separated, e.g. "F 5"
    toks = line.trim().split(/\s+/);
    if (toks.length < 2) return undefined;
  }
  let k = toks.length;
  while (k > 0 && isNumeric(toks[k - 1] ?? '')) k--;
  if (k === toks.length) return undefined;
  let labels = toks.slice(0, k);
  let values = toks.slice(k);
  if (k === 0) {
    // a leading integer index (RangeIndex) counts as a label
    labels = [values[0] ?? ''];
    values = values.slice(1);
    if (values.length === 0) return undefined;
  }
  if (labels.some((l) => /\d\s+\d/.test(l) || l.endsWith(':'))) return undefined;
  return { labels, values };
}

/** A line that can head a one-row table: only names, at least one per value column. */
function headerLike(line: string, width: number): boolean {
  if (!headerPossibleIn(line, 0, line.length)) return false;
  const w = words(line);
  return w.length >= width && w.length <= width + 3;
}

/** Aligned-text tables in `text`. */
export function textTables(text: string, mime: string): Table[] {
  const lines = new TextLines(text, MAX_LINES);
  const count = lines.count;
  const tables: Table[] = [];
  let i = 0;
  let nextCandidate = lines.rowCandidate(0);
  while (i < count && tables.length < MAX_TABLES) {
    const candidate = nextCandidate;
    nextCandidate = lines.rowCandidate(i + 1);
    // A row alone needs a header line above it; skip the split when neither can hold.
    if (!candidate || (!nextCandidate && !lines.headerPossible(i - 1))) {
      i++;
      continue;
    }
    const first = splitRow(lines.line(i));
    if (first === undefined) {
      i++;
      continue;
    }
    const rows: Row[] = [first];
    let j = i + 1;
    while (j < count) {
      const r = lines.rowCandidate(j) ? splitRow(lines.line(j)) : undefined;
      if (r === undefined || r.values.length !== first.values.length) break;
      rows.push(r);
      j++;
    }
    if (rows.length >= 2 || headerLike(lines.line(i - 1), first.values.length)) {
      const table = buildTable(lines, i, j, rows, mime);
      if (table !== undefined) tables.push(table);
    }
    i = j;
    nextCandidate = lines.rowCandidate(i);
  }
  return tables;
}

function buildTable(
  lines: TextLines,
  start: number,
  end: number,
  rows: Row[],
  mime: string,
): Table | undefined {
  const width = rows[0]?.values.length ?? 0;
  const labelWidth = Math.max(...rows.map((r) => r.labels.length));
  const above1 = lines.line(start - 1).trim();
  const above2 = lines.line(start - 2).trim();
  let header: string[] = [];
  let indexNames: string[] = [];
  // pandas: "   count" then "sex" (index names) directly above the body.
  const t1 = words(above1);
  const t2 = words(above2);
  const footerLine = lines.line(end).trim();
  const series =
    width === 1 &&
    /^(?:Name: .*)?dtype: /.test(footerLine.replace(/^Name: ([^,]*), /, 'Name: $1, '));
  if (series) {
    // A pandas Series: the line above is the index name; "Name: x" names the values.
    indexNames = t1.length <= labelWidth ? t1 : [];
    header = [/^Name: ([^,]+),/.exec(footerLine)?.[1] ?? ''];
  } else if (
    t1.length > 0 &&
    t1.length <= labelWidth &&
    t2.length >= width &&
    !t2.some(isNumeric)
  ) {
    indexNames = t1;
    header = t2;
  } else if (t1.length >= width && !t1.every(isNumeric)) {
    header = t1;
  } else if (t1.length > 0 && t1.length <= labelWidth) {
    indexNames = t1;
  }
  const colLabels = header.slice(-width);
  const grid: GridCell[][] = [];
  grid.push([
    ...Array.from({ length: labelWidth }, (_, c) => ({ text: indexNames[c] ?? '', header: true })),
    ...Array.from({ length: width }, (_, c) => ({ text: colLabels[c] ?? '', header: true })),
  ]);
  for (const r of rows) {
    const labels = Array.from({ length: labelWidth }, (_, c) => ({
      text: r.labels[c] ?? '',
      header: true,
    }));
    grid.push([...labels, ...r.values.map((v) => ({ text: v, header: false }))]);
  }
  const footer = lines.line(end).trim();
  const ctx = [above2, above1, footer].join(' ');
  return gridToTable(mime, grid, 1, ctx, labelWidth);
}

const PIPE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function pipeCells(line: string): string[] {
  let t = line.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|')) t = t.slice(0, -1);
  return t.split('|').map((c) => c.trim().replace(/^\*\*(.*)\*\*$/, '$1'));
}

/** Markdown pipe tables in `text`. */
export function markdownTables(text: string, mime: string): Table[] {
  if (text.indexOf('|') < 0) return [];
  const lines = text.split('\n', MAX_LINES);
  const tables: Table[] = [];
  for (let i = 1; i < lines.length && tables.length < MAX_TABLES; i++) {
    if (!PIPE_SEP.test(lines[i] ?? '') || (lines[i - 1] ?? '').indexOf('|') < 0) continue;
    const grid: GridCell[][] = [
      pipeCells(lines[i - 1] ?? '').map((t) => ({ text: t, header: true })),
    ];
    let j = i + 1;
    while (j < lines.length && (lines[j] ?? '').indexOf('|') >= 0) {
      grid.push(pipeCells(lines[j] ?? '').map((t) => ({ text: t, header: false })));
      j++;
    }
    const ctx = [lines[i - 3] ?? '', lines[i - 2] ?? '', lines[j] ?? '', lines[j + 1] ?? ''].join(
      ' ',
    );
    const table = gridToTable(mime, grid, 1, ctx, grid[0]?.[0]?.text === '' ? 1 : undefined);
    if (table !== undefined) tables.push(table);
    i = j;
  }
  return tables;
}

/**
 * Row-level `print(df)` tables: a header of names, then rows of the same width plus a leading
 * integer index (values may be text). Used by the row-level rule, which needs every column.
 */
export function alignedTables(text: string, mime: string): Table[] {
  const lines = text.split('\n', MAX_LINES);
  const tables: Table[] = [];
  for (let i = 0; i + 1 < lines.length && tables.length < MAX_TABLES; i++) {
    const head = words(lines[i] ?? '');
    if (head.length < 2 || head.some(isNumeric)) continue;
    const grid: GridCell[][] = [
      [{ text: '', header: true }, ...head.map((h) => ({ text: h, header: true }))],
    ];
    let j = i + 1;
    while (j < lines.length) {
      const row = words(lines[j] ?? '');
      if (row.length !== head.length + 1 || !/^\d+$/.test(row[0] ?? '')) break;
      grid.push(row.map((x, c) => ({ text: x, header: c === 0 })));
      j++;
    }
    if (grid.length < 2) continue;
    const table = gridToTable(mime, grid, 1, lines[j] ?? '', 1);
    if (table !== undefined) tables.push(table);
    i = j - 1;
  }
  return tables;
}
