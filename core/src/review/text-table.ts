/**
 * Extracts tables from plain text: markdown pipe tables and pandas-style aligned tables
 * (`print(df)`, `value_counts()`, crosstabs). A block is a run of lines that end in the same
 * number of numeric tokens after non-numeric labels; the line(s) above give column labels and
 * index names, the line below (e.g. `Name: count, dtype: int64`) gives context.
 */
import { isRegexSpace } from './scan-util.js';
import { gridToTable, isNumeric, type GridCell, type OnPartial, type Table } from './table.js';
import {
  appendCandidate,
  headerPossible,
  headerWords,
  lineEnd,
  readStop,
  rowCandidate,
  rowSpans,
  trimmedLine,
  type RowSpans,
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
 * Told of each text table before it is built, with its column labels (`columns`, as the built
 * table has them) and its rows as spans of `text`: false when the caller knows it would find
 * nothing in that table, which is then neither built nor sent to `onTable`.
 */
export type TableFilter = (columns: readonly string[], text: string, rows: RowSpans) => boolean;

/**
 * `textTables` one table at a time: each goes to `onTable` as soon as it is read, in order, so a
 * text of many tables is never held as a whole list; `onPartial` hears first (before any table,
 * and before `wanted` is asked of the first). `wanted` (optional) may decline a table before it is
 * built (see `TableFilter`).
 * One walk over the lines, nothing kept per line: line i is `text[a0..b0)` and the two above it
 * `[a1..b1)` and `[a2..b2)`; lines before the first and after the last read are `[0..0)`, empty.
 * Lines are read while their index is below MAX_LINES. Whether the text has more is counted only
 * before a first table (`onPartial` must hear first); a text without tables learns it at the end
 * of the walk, for free (a log of many lines and no table is not counted twice). A table's rows
 * are kept as spans of the text (one `RowSpans`, reused) and cut out only when it is built.
 */
export function forEachTextTable(
  text: string,
  mime: string,
  onTable: (table: Table) => void,
  onPartial?: OnPartial,
  wanted?: TableFilter,
): void {
  const n = text.length;
  let told = false;
  /** Tells `onPartial`, before the first table, if the text has lines past the cap. */
  const tellFirst = (): void => {
    told = true;
    if (onPartial && readStop(text, MAX_LINES) <= n) onPartial(partialMessage());
  };
  const header = headerReader();
  const rows = rowSpans();
  let a2 = 0;
  let b2 = 0;
  let a1 = 0;
  let b1 = 0;
  let a0 = 0;
  let b0 = lineEnd(text, 0);
  let candidate = rowCandidate(text, a0, b0);
  for (let i = 0; ;) {
    // Line j, the one after the rows read so far (`[an..bn)`), and whether it is read at all:
    // it exists (a '\n' ends the line before it) and its index is below the cap.
    let end = b0; // the end of the last line read
    let live = b0 < n && i + 1 < MAX_LINES;
    let an = live ? b0 + 1 : 0;
    let bn = live ? lineEnd(text, an) : 0;
    let nextCandidate = live && rowCandidate(text, an, bn);
    // A row alone needs a header line above it; skip the split when neither can hold.
    const width =
      candidate && (nextCandidate || headerPossible(text, a1, b1))
        ? appendCandidate(text, a0, b0, rows, -1)
        : -1;
    let j = i + 1;
    // The two lines above line j.
    let p2 = a1;
    let q2 = b1;
    let p1 = a0;
    let q1 = b0;
    if (width >= 0) {
      while (nextCandidate) {
        if (appendCandidate(text, an, bn, rows, width) !== width) break;
        p2 = p1;
        q2 = q1;
        p1 = an;
        q1 = bn;
        j++;
        end = bn;
        live = bn < n && j < MAX_LINES;
        an = live ? bn + 1 : 0;
        bn = live ? lineEnd(text, an) : 0;
        nextCandidate = live && rowCandidate(text, an, bn);
      }
      if (rows.rows >= 2 || headerLike(headerWords(text, a1, b1), width)) {
        const above1 = trimmedLine(text, a1, b1);
        const above2 = trimmedLine(text, a2, b2);
        const footer = trimmedLine(text, an, bn);
        if (!told) tellFirst();
        const head = tableHead(header, above1, above2, footer, rows);
        if (wanted === undefined || wanted(head.columns, text, rows))
          onTable(buildTable(head, above1, above2, footer, i, text, rows, mime));
      }
    }
    if (!live) {
      // The walk stopped before the text's end only at the cap: there are lines past it.
      if (!told && end < n && onPartial) onPartial(partialMessage());
      return;
    }
    a2 = p2;
    b2 = q2;
    a1 = p1;
    b1 = q1;
    a0 = an;
    b0 = bn;
    candidate = nextCandidate;
    i = j;
  }
}

/** A line of `words` names (0: not a header) can head a one-row table of `width` values. */
function headerLike(words: number, width: number): boolean {
  return words >= width && words <= width + 3;
}

/** The labels of a text table: its label columns and data columns, and how many labels a row has. */
interface TableHead {
  labelColumns: string[];
  columns: string[];
  labelWidth: number;
}

/**
 * The column labels and index names of the text table of `rows`, read from the (trimmed) lines
 * `above1` and `above2` over it (by `header`) and the `footer` line below.
 */
function tableHead(
  header: HeaderReader,
  above1: string,
  above2: string,
  footer: string,
  rows: RowSpans,
): TableHead {
  const width = rows.width;
  let labelWidth = 0; // a loop: spreading many rows as arguments overflows the stack
  let before = 0;
  for (let r = 0; r < rows.rows; r++) {
    const end = rows.labelEnds[r] ?? 0;
    if (end - before > labelWidth) labelWidth = end - before;
    before = end;
  }
  const { names, indexNames } = header(above1, above2, footer, width, labelWidth);
  const labelColumns = new Array<string>(labelWidth);
  for (let c = 0; c < labelWidth; c++) labelColumns[c] = indexNames[c] ?? '';
  // The last `width` names head the columns (`names.slice(-width)`, '' past its end).
  const skip = Math.max(0, names.length - width);
  const columns = new Array<string>(width);
  for (let c = 0; c < width; c++) columns[c] = names[skip + c] ?? '';
  return { labelColumns, columns, labelWidth };
}

/**
 * The table of the body lines from line `start` on (`rows`, spans of `text`) under `head`, with
 * context from the lines `above1` and `above2` over it and the `footer` line below. Built
 * directly (what `gridToTable` gives for this grid with `labelWidth` label columns, without the
 * grid in between).
 */
function buildTable(
  head: TableHead,
  above1: string,
  above2: string,
  footer: string,
  start: number,
  text: string,
  rows: RowSpans,
  mime: string,
): Table {
  const { width, labels, labelEnds, values } = rows;
  const labelWidth = head.labelWidth;
  const rowLabels = new Array<string[]>(rows.rows);
  const cells = new Array<string[]>(rows.rows);
  let l = 0;
  for (let r = 0; r < rows.rows; r++) {
    const end = labelEnds[r] ?? 0;
    const rowLabel = new Array<string>(labelWidth);
    let c = 0;
    for (; l < end; l++, c++) rowLabel[c] = text.slice(labels[2 * l], labels[2 * l + 1]);
    for (; c < labelWidth; c++) rowLabel[c] = '';
    rowLabels[r] = rowLabel;
    const cell = new Array<string>(width);
    for (let v = 0, k = 2 * r * width; v < width; v++, k += 2)
      cell[v] = text.slice(values[k], values[k + 1]);
    cells[r] = cell;
  }
  const context = `${above2} ${above1} ${footer}`;
  return {
    mime,
    labelColumns: head.labelColumns,
    columns: head.columns,
    rowLabels,
    cells,
    context,
    indexed: true,
    firstLine: start,
  };
}

/** Column names and index names read from the lines around a text table; its arrays are only read. */
interface HeaderNames {
  names: readonly string[];
  indexNames: readonly string[];
}

/** `headerAbove` with its words kept for the next table of the same text (see `headerReader`). */
type HeaderReader = (
  above1: string,
  above2: string,
  footer: string,
  width: number,
  labelWidth: number,
) => HeaderNames;

/**
 * `headerAbove` for the tables of one text: the words of a line above a table are reused when the
 * next table has the same line there (tables of a text are often headed alike), so the label
 * rules meet the same strings again and hash each once. Nothing outlives the text's reading.
 */
function headerReader(): HeaderReader {
  const near = wordsMemo();
  const far = wordsMemo();
  return (above1, above2, footer, width, labelWidth) =>
    headerAbove(near(above1), () => far(above2), footer, width, labelWidth);
}

/** `lineWords`, giving the same array again while the line is the same as the call before. */
function wordsMemo(): (line: string) => readonly string[] {
  let last = '';
  let words: readonly string[] = [];
  return (line) => {
    if (line !== last) {
      last = line;
      words = lineWords(line);
    }
    return words;
  };
}

/**
 * Column names and index names read from the two trimmed lines above a text table (pandas:
 * "   count" then "sex" directly above the body), given as the words `t1` of the line just above
 * and `words2` of the one above it, and, for a Series, from its footer.
 */
function headerAbove(
  t1: readonly string[],
  words2: () => readonly string[],
  footer: string,
  width: number,
  labelWidth: number,
): HeaderNames {
  const series =
    width === 1 && /^(?:Name: .*)?dtype: /.test(footer.replace(/^Name: ([^,]*), /, 'Name: $1, '));
  if (series) {
    // A pandas Series: the line above is the index name; "Name: x" names the values.
    const names = [/^Name: ([^,]+),/.exec(footer)?.[1] ?? ''];
    return { names, indexNames: t1.length <= labelWidth ? t1 : [] };
  }
  if (t1.length > 0 && t1.length <= labelWidth) {
    // Only here can the second line above be the header (read only when needed).
    const t2 = words2();
    if (t2.length >= width && !t2.some(isNumeric)) return { names: t2, indexNames: t1 };
  }
  if (t1.length >= width && !t1.every(isNumeric)) return { names: t1, indexNames: [] };
  if (t1.length > 0 && t1.length <= labelWidth) return { names: [], indexNames: t1 };
  return { names: [], indexNames: [] };
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
