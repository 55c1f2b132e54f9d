/**
 * The one table model every extractor (HTML, markdown, aligned text, dataresource, JSON records,
 * plot JSON) produces, so the small-cell, row-level and dominance rules are written once.
 */

/** A table found in an output, with row labels (index) separated from data cells. */
export interface Table {
  mime: string;
  /** Names of the label (index) columns, e.g. pandas index names. */
  labelColumns: string[];
  /** Header label of each data column. */
  columns: string[];
  /** Label cells of each body row (one entry per label column). */
  rowLabels: string[][];
  /** Data cells of each body row, as displayed text. */
  cells: string[][];
  /** Text around the table: caption, titles, footer, index names (for count keywords, totals). */
  context: string;
  /** True when label columns are an explicit index (HTML <th>, pandas text), not inferred. */
  indexed: boolean;
  /** For tables read from plain text: the line index of the first body row. */
  firstLine?: number;
}

/**
 * Told when a reader stopped at one of its caps (which bound its memory on hostile input), with
 * what was left unread, e.g. "rows after the first 200,000 cells of an HTML table": never a data
 * value.
 */
export type OnPartial = (unread: string) => void;

/** A table cell as extractors see it before labels are separated. */
export interface GridCell {
  text: string;
  /** True for header-like cells (HTML <th>, JSON string values). */
  header: boolean;
}

/** True if a cell displays a number (optionally with thousands separators or a % sign). */
export function isNumeric(text: string): boolean {
  return numberShaped(text);
}

const digitAt = (t: string, k: number): boolean => {
  const c = t.charCodeAt(k);
  return c >= 48 && c <= 57;
};

/** The code unit of `s` at `k` if `k` is before `b`, else -1 (reads stop at the span's end). */
const codeBefore = (s: string, k: number, b: number): number => (k < b ? s.charCodeAt(k) : -1);

/** `codeBefore` is an ASCII digit. */
const digitBefore = (s: string, k: number, b: number): boolean => {
  const c = codeBefore(s, k, b);
  return c >= 48 && c <= 57;
};

/**
 * Exactly `NUMBER.test(t)` with at least one digit, by hand (this runs on every table cell and on
 * the last word of every text line): [-+], then `d{1,3}(,ddd)+` or `d+` or nothing, then `.d+`,
 * then `[eE][-+]?d+`, then `%`, each optional.
 */
export function numberShaped(t: string): boolean {
  return numberSpan(t, 0, t.length);
}

/** `numberShaped(s.slice(a, b))` without the slice: the span `s[a..b)` displays a number. */
export function numberSpan(s: string, a: number, b: number): boolean {
  let i = a;
  let digits = 0;
  const c0 = codeBefore(s, a, b);
  if (c0 === 43 || c0 === 45) i++;
  const intStart = i;
  while (i < b && digitAt(s, i)) i++;
  digits += i - intStart;
  if (codeBefore(s, i, b) === 44) {
    if (i - intStart < 1 || i - intStart > 3) return false;
    while (codeBefore(s, i, b) === 44) {
      if (!(digitBefore(s, i + 1, b) && digitBefore(s, i + 2, b) && digitBefore(s, i + 3, b)))
        return false;
      i += 4;
      digits += 3;
    }
    if (digitBefore(s, i, b)) return false;
  }
  if (codeBefore(s, i, b) === 46) {
    const f = ++i;
    while (i < b && digitAt(s, i)) i++;
    if (i === f) return false;
    digits += i - f;
  }
  const e = codeBefore(s, i, b);
  if (e === 101 || e === 69) {
    i++;
    const sign = codeBefore(s, i, b);
    if (sign === 43 || sign === 45) i++;
    const f = i;
    while (i < b && digitAt(s, i)) i++;
    if (i === f) return false;
    digits += i - f;
  }
  if (codeBefore(s, i, b) === 37) i++;
  return i === b && digits > 0;
}

/**
 * The integer a cell displays ("12", "1,234", "3.0"), or undefined if it is not integer-valued:
 * exactly `Number` of the text (commas removed) where `/^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?$/`
 * matches, read by hand (this runs on every cell of every candidate count column).
 */
export function parseCount(text: string): number | undefined {
  return countSpan(text, 0, text.length);
}

/** `parseCount(s.slice(a, b))` without the slice (reads stop at the span's end). */
export function countSpan(s: string, a: number, b: number): number | undefined {
  let i = a;
  const sign = codeBefore(s, a, b);
  if (sign === 43 || sign === 45) i++;
  const intStart = i;
  let value = 0;
  while (i < b && digitAt(s, i)) value = value * 10 + s.charCodeAt(i++) - 48;
  const digits = i - intStart;
  if (digits === 0) return undefined;
  let grouped = false;
  if (codeBefore(s, i, b) === 44) {
    if (digits > 3) return undefined;
    while (codeBefore(s, i, b) === 44) {
      if (!(digitBefore(s, i + 1, b) && digitBefore(s, i + 2, b) && digitBefore(s, i + 3, b)))
        return undefined;
      i += 4;
    }
    if (digitBefore(s, i, b)) return undefined;
    grouped = true;
  }
  if (codeBefore(s, i, b) === 46) {
    const zeros = ++i;
    while (i < b && s.charCodeAt(i) === 48) i++;
    if (i === zeros) return undefined;
  }
  if (i !== b) return undefined;
  if (grouped || digits > 15) {
    const text = s.slice(a, b);
    return Number(grouped ? text.replace(/,/g, '') : text);
  }
  return sign === 45 ? -value : value; // ≤ 15 digits: the sum is exact, as Number's parse is
}

/** The number a cell displays, ignoring thousands separators and a trailing %. */
export function parseNumber(text: string): number | undefined {
  if (!isNumeric(text)) return undefined;
  const v = Number(text.replace(/[,%]/g, ''));
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Builds a Table from a grid: the first `headerRows` rows are headers; leading label columns are
 * `labelCols` if given, else the leading columns whose body cells are header cells or non-numeric.
 */
export function gridToTable(
  mime: string,
  grid: readonly (readonly GridCell[])[],
  headerRows: number,
  context: string,
  labelCols?: number,
  indexed = labelCols !== undefined,
): Table | undefined {
  const body = grid.slice(headerRows);
  if (body.length === 0) return undefined;
  // A loop, not Math.max(...rows): spreading a table's rows as arguments overflows the stack.
  let width = 0;
  for (const r of grid) width = Math.max(width, r.length);
  if (width === 0) return undefined;
  let labels = labelCols;
  if (labels === undefined) {
    labels = 0;
    for (let c = 0; c < width - 1; c++) {
      let textual = 0;
      let filled = 0;
      for (const row of body) {
        const cell = row[c];
        if (cell === undefined || cell.text === '') continue;
        filled++;
        if (cell.header || !isNumeric(cell.text)) textual++;
      }
      if (filled > 0 && textual * 2 >= filled) labels++;
      else break;
    }
  }
  const headerOf = (c: number): string => {
    const parts: string[] = [];
    for (let r = 0; r < headerRows; r++) {
      const t = grid[r]?.[c]?.text ?? '';
      if (t !== '' && parts[parts.length - 1] !== t) parts.push(t);
    }
    return parts.join(' / ');
  };
  const labelColumns: string[] = [];
  for (let c = 0; c < labels; c++) labelColumns.push(headerOf(c));
  const columns: string[] = [];
  for (let c = labels; c < width; c++) columns.push(headerOf(c));
  return {
    mime,
    labelColumns,
    columns,
    // Arrays of their final size (the grid rows are packed: no holes to skip).
    rowLabels: body.map((r) => {
      const out = new Array<string>(Math.min(r.length, labels));
      for (let c = 0; c < out.length; c++) out[c] = r[c]?.text ?? '';
      return out;
    }),
    cells: body.map((r) => {
      const out = new Array<string>(width - labels);
      for (let c = labels; c < width; c++) out[c - labels] = r[c]?.text ?? '';
      return out;
    }),
    context,
    indexed,
  };
}
