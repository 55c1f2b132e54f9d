/**
 * Extracts tables from plain text: markdown pipe tables and pandas-style aligned tables
 * (`print(df)`, `value_counts()`, crosstabs). A block is a run of lines that end in the same
 * number of numeric tokens after non-numeric labels; the line(s) above give column labels and
 * index names, the line below (e.g. `Name: count, dtype: int64`) gives context.
 */
import { isRegexSpace } from './scan-util.js';
import { gridToTable, isNumeric, type GridCell, type OnPartial, type Table } from './table.js';
import {
  headerPossible,
  headerWords,
  lineStarts,
  rowCandidate,
  splitCandidate,
  trimmedLine,
  type Row,
} from './text-rows.js';

const MAX_LINES = 200_000;

/** What `onPartial` hears when a text has more than MAX_LINES lines. */
const partialMessage = (): string =>
  `tables after line ${MAX_LINES.toLocaleString('en')} of a text`;

/** The text's first MAX_LINES lines; tells `onPartial` when it has more. */
function linesOf(text: string, onPartial?: OnPartial): string[] {
  const lines = text.split('\n', MAX_LINES);
  if (lines.length === MAX_LINES && onPartial) {
    let read = MAX_LINES - 1; // the newlines between the lines read
    for (const line of lines) read += line.length;
    if (read < text.length) onPartial(partialMessage());
  }
  return lines;
}

/** The words of a line: `line.trim().split(/\s+/)` (none if blank), cut by hand at the same spaces. */
export function lineWords(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let k = 0;
  while (k < n) {
    while (k < n && isRegexSpace(line.charCodeAt(k))) k++;
    if (k === n) break;
    const a = k;
    while (k < n && !isRegexSpace(line.charCodeAt(k))) k++;
    out.push(line.slice(a, k));
  }
  return out;
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
  const { starts, more } = lineStarts(text, MAX_LINES);
  if (more && onPartial) onPartial(partialMessage());
  const count = starts.length - 1;
  // Line k is text[from(k)..to(k)); lines outside the text are empty.
  const from = (k: number): number => (k >= 0 && k < count ? (starts[k] ?? 0) : 0);
  const to = (k: number): number => (k >= 0 && k < count ? (starts[k + 1] ?? 1) - 1 : 0);
  const candidateAt = (k: number): boolean => k < count && rowCandidate(text, from(k), to(k));
  const line = (k: number): string => trimmedLine(text, from(k), to(k));
  let i = 0;
  let nextCandidate = candidateAt(0);
  while (i < count) {
    const candidate = nextCandidate;
    nextCandidate = candidateAt(i + 1);
    // A row alone needs a header line above it; skip the split when neither can hold.
    if (!candidate || (!nextCandidate && !headerPossible(text, from(i - 1), to(i - 1)))) {
      i++;
      continue;
    }
    const first = splitCandidate(text, from(i), to(i));
    if (first === undefined) {
      i++;
      continue;
    }
    const rows: Row[] = [first];
    let j = i + 1;
    // Whether line j is a row candidate is known for the line after i, and kept for the next turn.
    while (nextCandidate) {
      const r = splitCandidate(text, from(j), to(j));
      if (r === undefined || r.values.length !== first.values.length) break;
      rows.push(r);
      j++;
      nextCandidate = candidateAt(j);
    }
    const width = first.values.length;
    if (rows.length >= 2 || headerLike(headerWords(text, from(i - 1), to(i - 1)), width))
      onTable(buildTable(line(i - 1), line(i - 2), line(j), i, rows, mime));
    i = j;
  }
}

/** A line of `words` names (0: not a header) can head a one-row table of `width` values. */
function headerLike(words: number, width: number): boolean {
  return words >= width && words <= width + 3;
}

/**
 * The table of the body lines from line `start` on (split into `rows`): column labels and index
 * names from the (trimmed) lines `above1` and `above2` over it, context from those and the
 * `footer` line below. Built directly (what `gridToTable` gives for this grid with `labelWidth`
 * label columns, without the grid in between).
 */
function buildTable(
  above1: string,
  above2: string,
  footer: string,
  start: number,
  rows: Row[],
  mime: string,
): Table {
  const width = rows[0]?.values.length ?? 0;
  let labelWidth = 0; // a loop: spreading many rows as arguments overflows the stack
  for (const r of rows) if (r.labels.length > labelWidth) labelWidth = r.labels.length;
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
  const t1 = lineWords(above1);
  const series =
    width === 1 && /^(?:Name: .*)?dtype: /.test(footer.replace(/^Name: ([^,]*), /, 'Name: $1, '));
  if (series) {
    // A pandas Series: the line above is the index name; "Name: x" names the values.
    const header = [/^Name: ([^,]+),/.exec(footer)?.[1] ?? ''];
    return { header, indexNames: t1.length <= labelWidth ? t1 : [] };
  }
  if (t1.length > 0 && t1.length <= labelWidth) {
    // Only here can the second line above be the header (read only when needed).
    const t2 = lineWords(above2);
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
    const head = lineWords(lines[i] ?? '');
    if (head.length < 2 || head.some(isNumeric)) continue;
    const grid: GridCell[][] = [
      [{ text: '', header: true }, ...head.map((h) => ({ text: h, header: true }))],
    ];
    let j = i + 1;
    while (j < lines.length) {
      const row = lineWords(lines[j] ?? '');
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
