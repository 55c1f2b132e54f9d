/**
 * Extracts tables from plain text: markdown pipe tables and pandas-style aligned tables
 * (`print(df)`, `value_counts()`, crosstabs). A block is a run of lines that end in the same
 * number of numeric tokens after non-numeric labels; the line(s) above give column labels and
 * index names, the line below (e.g. `Name: count, dtype: int64`) gives context.
 */
import { gridToTable, isNumeric, type GridCell, type OnPartial, type Table } from './table.js';

const MAX_LINES = 200_000;

/** The text's first MAX_LINES lines; tells `onPartial` when it has more. */
function linesOf(text: string, onPartial?: OnPartial): string[] {
  const lines = text.split('\n', MAX_LINES);
  if (lines.length === MAX_LINES && onPartial) {
    let read = MAX_LINES - 1; // the newlines between the lines read
    for (const line of lines) read += line.length;
    if (read < text.length)
      onPartial(`tables after line ${MAX_LINES.toLocaleString('en')} of a text`);
  }
  return lines;
}

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

/** Index of the last character of `line` that is not a space, tab or CR (-1 if none). */
function lastContentIndex(line: string): number {
  let e = line.length - 1;
  while (
    e >= 0 &&
    (line.charCodeAt(e) === 32 || line.charCodeAt(e) === 9 || line.charCodeAt(e) === 13)
  )
    e--;
  return e;
}

const WHITESPACE = /\s/;
const isSpaceAt = (line: string, k: number): boolean => {
  const c = line.charCodeAt(k);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && WHITESPACE.test(line.charAt(k)));
};

/**
 * Cheap necessary condition for `splitRow(line) !== undefined`: the line ends in a digit (or % or
 * "digit.") and its last whitespace-separated word is a number. Avoids splitting prose and logs.
 */
function rowCandidate(line: string): boolean {
  const e = lastContentIndex(line);
  const last = line.charCodeAt(e);
  if (
    !(last >= 48 && last <= 57) &&
    last !== 37 &&
    !(last === 46 && e > 0 && line.charCodeAt(e - 1) >= 48 && line.charCodeAt(e - 1) <= 57)
  )
    return false;
  let a = e;
  while (a > 0 && !isSpaceAt(line, a - 1)) a--;
  return isNumeric(line.slice(a, e + 1));
}

/** Splits a line into leading labels and trailing numeric values (labels must be non-numeric). */
function splitRow(line: string): Row | undefined {
  // Fast reject: a table row ends in a number (or a percentage).
  if (!rowCandidate(line)) return undefined;
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
  if (!headerPossible(line)) return false;
  const w = words(line);
  return w.length >= width && w.length <= width + 3;
}

/** `headerLike` for some width: names only (no number), not ending like a sentence. */
function headerPossible(line: string): boolean {
  const e = lastContentIndex(line);
  const last = line.charCodeAt(e);
  if (last === 46 || last === 59 || last === 33 || last === 63) return false;
  // Any numeric word rules the line out (looked for from the end, where logs put numbers);
  // only words of digits and [,.%eE+-] can be numeric.
  let words = 0;
  let k = line.length;
  while (k > 0) {
    while (k > 0 && isSpaceAt(line, k - 1)) k--;
    if (k === 0) break;
    const end = k;
    let digit = false;
    let numberChars = true;
    while (k > 0 && !isSpaceAt(line, k - 1)) {
      const c = line.charCodeAt(--k);
      if (c >= 48 && c <= 57) digit = true;
      else if (!(c === 44 || c === 46 || c === 37 || c === 43 || c === 45 || (c | 32) === 101))
        numberChars = false;
    }
    words++;
    if (digit && numberChars && isNumeric(line.slice(k, end))) return false;
  }
  return words > 0 && !/[.;!?]$/.test(line.trim());
}

/** Aligned-text tables in `text`; `onPartial` hears of what the caps left unread. */
export function textTables(text: string, mime: string, onPartial?: OnPartial): Table[] {
  const tables: Table[] = [];
  forEachTextTable(text, mime, (t) => tables.push(t), onPartial);
  return tables;
}

/**
 * `textTables` one table at a time: each goes to `onTable` as soon as it is read, in order, so a
 * text of many tables is never held as a whole list; `onPartial` hears first (before any table).
 */
export function forEachTextTable(
  text: string,
  mime: string,
  onTable: (table: Table) => void,
  onPartial?: OnPartial,
): void {
  const lines = linesOf(text, onPartial);
  let i = 0;
  let nextCandidate = lines.length > 0 && rowCandidate(lines[0] ?? '');
  while (i < lines.length) {
    const candidate = nextCandidate;
    nextCandidate = i + 1 < lines.length && rowCandidate(lines[i + 1] ?? '');
    // A row alone needs a header line above it; skip the split when neither can hold.
    if (!candidate || (!nextCandidate && !headerPossible(lines[i - 1] ?? ''))) {
      i++;
      continue;
    }
    const first = splitRow(lines[i] ?? '');
    if (first === undefined) {
      i++;
      continue;
    }
    const rows: Row[] = [first];
    let j = i + 1;
    while (j < lines.length) {
      const r = splitRow(lines[j] ?? '');
      if (r === undefined || r.values.length !== first.values.length) break;
      rows.push(r);
      j++;
    }
    if (rows.length >= 2 || headerLike(lines[i - 1] ?? '', first.values.length))
      onTable(buildTable(lines, i, j, rows, mime));
    i = j;
    nextCandidate = i < lines.length && rowCandidate(lines[i] ?? '');
  }
}

/**
 * The table of body lines `start..end-1` (split into `rows`): column labels and index names from
 * the line(s) above, context from those and the line below. Built directly (what `gridToTable`
 * gives for this grid with `labelWidth` label columns, without the grid in between).
 */
function buildTable(lines: string[], start: number, end: number, rows: Row[], mime: string): Table {
  const width = rows[0]?.values.length ?? 0;
  let labelWidth = 0; // a loop: spreading many rows as arguments overflows the stack
  for (const r of rows) if (r.labels.length > labelWidth) labelWidth = r.labels.length;
  const above1 = (lines[start - 1] ?? '').trim();
  const above2 = (lines[start - 2] ?? '').trim();
  const footer = (lines[end] ?? '').trim();
  const { header, indexNames } = headerAbove(above1, above2, footer, width, labelWidth);
  const colLabels = header.slice(-width);
  const labelColumns = new Array<string>(labelWidth);
  for (let c = 0; c < labelWidth; c++) labelColumns[c] = indexNames[c] ?? '';
  const columns = new Array<string>(width);
  for (let c = 0; c < width; c++) columns[c] = colLabels[c] ?? '';
  const rowLabels = new Array<string[]>(rows.length);
  const cells = new Array<string[]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Row;
    rowLabels[r] = padded(row.labels, labelWidth);
    cells[r] = row.values;
  }
  const context = `${above2} ${above1} ${footer}`;
  return {
    mime,
    labelColumns,
    columns,
    rowLabels,
    cells,
    context,
    indexed: true,
    firstLine: start,
  };
}

/** `labels` (a fresh array) with '' appended up to `width` entries. */
function padded(labels: string[], width: number): string[] {
  while (labels.length < width) labels.push('');
  return labels;
}

/**
 * Column labels (`header`) and index names read from the two trimmed lines above a text table
 * (pandas: "   count" then "sex" directly above the body) and, for a Series, its footer.
 */
function headerAbove(
  above1: string,
  above2: string,
  footer: string,
  width: number,
  labelWidth: number,
): { header: string[]; indexNames: string[] } {
  const t1 = words(above1);
  const series =
    width === 1 && /^(?:Name: .*)?dtype: /.test(footer.replace(/^Name: ([^,]*), /, 'Name: $1, '));
  if (series) {
    // A pandas Series: the line above is the index name; "Name: x" names the values.
    const header = [/^Name: ([^,]+),/.exec(footer)?.[1] ?? ''];
    return { header, indexNames: t1.length <= labelWidth ? t1 : [] };
  }
  if (t1.length > 0 && t1.length <= labelWidth) {
    // Only here can the second line above be the header (read only when needed).
    const t2 = words(above2);
    if (t2.length >= width && !t2.some(isNumeric)) return { header: t2, indexNames: t1 };
  }
  if (t1.length >= width && !t1.every(isNumeric)) return { header: t1, indexNames: [] };
  if (t1.length > 0 && t1.length <= labelWidth) return { header: [], indexNames: t1 };
  return { header: [], indexNames: [] };
}

/** A pipe table's delimiter row: one or more dashes per cell (GFM; markdown-it draws `|-|-|`). */
const PIPE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function pipeCells(line: string): string[] {
  let t = line.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|')) t = t.slice(0, -1);
  return t.split('|').map((c) => c.trim().replace(/^\*\*(.*)\*\*$/, '$1'));
}

/** Markdown pipe tables in `text`; `onPartial` hears of what the caps left unread. */
export function markdownTables(text: string, mime: string, onPartial?: OnPartial): Table[] {
  if (text.indexOf('|') < 0) return [];
  const lines = linesOf(text, onPartial);
  const tables: Table[] = [];
  for (let i = 1; i < lines.length; i++) {
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
 * integer index (values may be text). Used by the row-level rule, which needs every column;
 * `onPartial` hears of what the caps left unread.
 */
export function alignedTables(text: string, mime: string, onPartial?: OnPartial): Table[] {
  const lines = linesOf(text, onPartial);
  const tables: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
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
    if (table !== undefined) tables.push({ ...table, firstLine: i + 1 });
    i = j - 1;
  }
  return tables;
}
