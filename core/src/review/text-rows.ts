/**
 * The lines of a text as index spans, and the row tests of the text-table reader run on those
 * spans: a line becomes a string only when it is a table row or borders one (a text has many
 * lines and few tables, so most lines are judged without a copy).
 */
import { isRegexSpace } from './scan-util.js';
import { numberSpan } from './table.js';

/** A body line of a text table: leading labels and trailing numeric values. */
export interface Row {
  labels: string[];
  values: string[];
}

/**
 * Where the first `max` lines of `text` (split at '\n') start, plus one entry past the last line
 * read (its end + 1), so line k is `text.slice(starts[k], starts[k + 1] - 1)`; `more` is true when
 * the text has lines after those.
 */
export function lineStarts(text: string, max: number): { starts: number[]; more: boolean } {
  const starts = [0];
  for (let p = 0; ;) {
    const nl = text.indexOf('\n', p);
    if (nl < 0) {
      starts.push(text.length + 1);
      return { starts, more: false };
    }
    starts.push(nl + 1);
    if (starts.length > max) return { starts, more: true };
    p = nl + 1;
  }
}

/**
 * Where reading the first `max` lines of `text` stops: the lines starting before the returned
 * index are read. It is past the text's end (`text.length + 1`) unless the text has more lines.
 */
export function readStop(text: string, max: number): number {
  if (text.length < max) return text.length + 1; // too short to hold `max` newlines
  let p = 0;
  for (let n = 0; n < max; n++) {
    const nl = text.indexOf('\n', p);
    if (nl < 0) return text.length + 1;
    p = nl + 1;
  }
  return p;
}

/** The end of the line that starts at `a`: its '\n', or the end of the text. */
export function lineEnd(text: string, a: number): number {
  const nl = text.indexOf('\n', a);
  return nl < 0 ? text.length : nl;
}

/** Index of the last character of `s[a..b)` that is not a space, tab or CR (a - 1 if none). */
function lastContent(s: string, a: number, b: number): number {
  let e = b - 1;
  while (e >= a) {
    const c = s.charCodeAt(e);
    if (c !== 32 && c !== 9 && c !== 13) break;
    e--;
  }
  return e;
}

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Cheap necessary condition for `splitRow` to read a row from the line `s[a..b)`: it ends in a
 * digit (or % or "digit.") and its last whitespace-separated word is a number.
 */
export function rowCandidate(s: string, a: number, b: number): boolean {
  const e = lastContent(s, a, b);
  const last = e >= a ? s.charCodeAt(e) : NaN;
  if (
    !isDigitCode(last) &&
    last !== 37 &&
    !(last === 46 && e > a && isDigitCode(s.charCodeAt(e - 1)))
  )
    return false;
  let w = e;
  while (w > a && !isRegexSpace(s.charCodeAt(w - 1))) w--;
  return numberSpan(s, w, e + 1);
}

/** `[start, end)` of the line `s[a..b)` without the spaces (`\s`) around it. */
function trimmed(s: string, a: number, b: number): [number, number] {
  let x = a;
  while (x < b && isRegexSpace(s.charCodeAt(x))) x++;
  let y = b;
  while (y > x && isRegexSpace(s.charCodeAt(y - 1))) y--;
  return [x, y];
}

/** The line `s[a..b)` trimmed, as a string. */
export function trimmedLine(s: string, a: number, b: number): string {
  const [x, y] = trimmed(s, a, b);
  return s.slice(x, y);
}

/**
 * Where `fields` puts its [start, end) pairs: one array reused by every split (a split reads its
 * fields before the next one starts), so no array is allocated per line.
 */
const cuts: number[] = [];
/** Longest `cuts` kept between splits. */
const MAX_KEPT_CUTS = 1 << 12;

/**
 * Cuts `s[a..b)` (trimmed, non-empty) into fields as `split(/\s{2,}|\t+/)` does (`wide`: at runs
 * of two or more spaces, or of tabs) or as `split(/\s+/)` does (at every run of spaces); leaves
 * the [start, end) pairs at the start of `cuts` and returns how many numbers they take.
 */
function fields(s: string, a: number, b: number, wide: boolean): number {
  // Written by index: setting the array's length on every split costs more than the split.
  if (cuts.length > MAX_KEPT_CUTS) cuts.length = 0; // a huge line's array is not kept
  let length = 0;
  cuts[length++] = a;
  let k = a;
  while (k < b) {
    if (!isRegexSpace(s.charCodeAt(k))) {
      k++;
      continue;
    }
    let r = k + 1;
    while (r < b && isRegexSpace(s.charCodeAt(r))) r++;
    if (!wide || r - k >= 2 || s.charCodeAt(k) === 9) {
      cuts[length++] = k;
      cuts[length++] = r;
    }
    k = r;
  }
  cuts[length++] = b;
  return length;
}

/** True if the field `s[a..b)` can only be a label of a row: `/\d\s+\d/` matches or it ends in ':'. */
function badLabel(s: string, a: number, b: number): boolean {
  if (b > a && s.charCodeAt(b - 1) === 58) return true;
  for (let k = a + 1; k < b; k++) {
    if (!isRegexSpace(s.charCodeAt(k))) continue;
    let r = k + 1;
    while (r < b && isRegexSpace(s.charCodeAt(r))) r++;
    if (isDigitCode(s.charCodeAt(k - 1)) && r < b && isDigitCode(s.charCodeAt(r))) return true;
    k = r;
  }
  return false;
}

/**
 * Splits the line `s[a..b)` into leading labels and trailing numeric values (labels must be
 * non-numeric): fields are cut at wide gaps, or at every space when the line has none.
 */
export function splitRow(s: string, a: number, b: number): Row | undefined {
  // Fast reject: a table row ends in a number (or a percentage).
  return rowCandidate(s, a, b) ? splitCandidate(s, a, b) : undefined;
}

/** `splitRow` of a line `s[a..b)` already known to pass `rowCandidate`. */
export function splitCandidate(s: string, a: number, b: number): Row | undefined {
  const labelCount = cutRow(s, a, b);
  if (labelCount === 0) return undefined;
  const count = cutCount;
  const labels = new Array<string>(labelCount);
  for (let f = 0; f < labelCount; f++) labels[f] = s.slice(cuts[2 * f], cuts[2 * f + 1]);
  const values = new Array<string>(count - labelCount);
  for (let f = labelCount; f < count; f++)
    values[f - labelCount] = s.slice(cuts[2 * f], cuts[2 * f + 1]);
  return { labels, values };
}

/**
 * The rows of a text table as spans of its text, nothing cut out: row r has `labelEnds[r] -
 * labelEnds[r - 1]` labels (0 before the first row), label k at `labels[2k]..labels[2k + 1]`, and
 * `width` values, value c of row r at `values[2(r·width + c)]..` and the index after it. The
 * reader fills one and reuses it from table to table.
 */
export interface RowSpans {
  width: number;
  rows: number;
  labels: number[];
  labelEnds: number[];
  values: number[];
}

/** An empty `RowSpans`. */
export function rowSpans(): RowSpans {
  return { width: 0, rows: 0, labels: [], labelEnds: [], values: [] };
}

/** Longest span arrays a `RowSpans` keeps when it starts over (a huge table's are dropped). */
const MAX_KEPT_SPANS = 1 << 14;

/** Empties `into` for a table of `width` values per row. */
function clearRows(into: RowSpans, width: number): void {
  into.width = width;
  into.rows = 0;
  if (into.labels.length > MAX_KEPT_SPANS) into.labels = [];
  if (into.values.length > MAX_KEPT_SPANS) into.values = [];
  if (into.labelEnds.length > MAX_KEPT_SPANS) into.labelEnds = [];
}

/**
 * `splitCandidate` as spans: the number of values of the row the line `s[a..b)` (known to pass
 * `rowCandidate`) splits into, or -1 if it is not a row. The row is appended to `into` only when
 * it has `into.width` values (`width` -1: any, and `into` is cleared for that width first).
 */
export function appendCandidate(
  s: string,
  a: number,
  b: number,
  into: RowSpans,
  width: number,
): number {
  const labelCount = cutRow(s, a, b);
  if (labelCount === 0) return -1;
  const count = cutCount;
  const values = count - labelCount;
  if (width < 0) clearRows(into, values);
  else if (values !== width) return values;
  const r = into.rows++;
  const labels = into.labels;
  let l = r === 0 ? 0 : (into.labelEnds[r - 1] ?? 0);
  for (let f = 0; f < labelCount; f++, l++) {
    labels[2 * l] = cuts[2 * f] ?? 0;
    labels[2 * l + 1] = cuts[2 * f + 1] ?? 0;
  }
  into.labelEnds[r] = l;
  const out = into.values;
  let v = 2 * r * values;
  for (let f = labelCount; f < count; f++) {
    out[v++] = cuts[2 * f] ?? 0;
    out[v++] = cuts[2 * f + 1] ?? 0;
  }
  return values;
}

/** How many fields the last `cutRow` left in `cuts`. */
let cutCount = 0;

/**
 * Cuts the line `s[a..b)` (known to pass `rowCandidate`) into the fields of a row, leaving their
 * [start, end) pairs in `cuts` (`cutCount` of them): returns how many lead as labels, or 0 if
 * the line is not a row.
 */
function cutRow(s: string, a: number, b: number): number {
  const [x, y] = trimmed(s, a, b);
  let length = fields(s, x, y, true);
  if (length < 4) {
    // single-space separated, e.g. "F 5"
    length = fields(s, x, y, false);
    if (length < 4) return 0;
  }
  const count = length / 2;
  let k = count;
  while (k > 0 && numberSpan(s, cuts[2 * k - 2] ?? 0, cuts[2 * k - 1] ?? 0)) k--;
  if (k === count) return 0;
  // A leading integer index (RangeIndex) counts as a label.
  const labelCount = k === 0 ? 1 : k;
  for (let f = 0; f < labelCount; f++)
    if (badLabel(s, cuts[2 * f] ?? 0, cuts[2 * f + 1] ?? 0)) return 0;
  cutCount = count;
  return labelCount;
}

/** `headerLike` for some width: the line `s[a..b)` holds names only (no number), not ending like a sentence. */
export function headerPossible(s: string, a: number, b: number): boolean {
  return headerWords(s, a, b) > 0;
}

/**
 * The number of words of the line `s[a..b)` if it can head a table: names only (no numeric word,
 * looked for from the end, where logs put numbers) and not ending like a sentence; else 0.
 */
export function headerWords(s: string, a: number, b: number): number {
  const e = lastContent(s, a, b);
  const last = e >= a ? s.charCodeAt(e) : NaN;
  if (last === 46 || last === 59 || last === 33 || last === 63) return 0;
  // Only words of digits and [,.%eE+-] can be numeric.
  let words = 0;
  let k = b;
  while (k > a) {
    while (k > a && isRegexSpace(s.charCodeAt(k - 1))) k--;
    if (k === a) break;
    const end = k;
    let digit = false;
    let numberChars = true;
    while (k > a && !isRegexSpace(s.charCodeAt(k - 1))) {
      const c = s.charCodeAt(--k);
      if (isDigitCode(c)) digit = true;
      else if (!(c === 44 || c === 46 || c === 37 || c === 43 || c === 45 || (c | 32) === 101))
        numberChars = false;
    }
    words++;
    if (digit && numberChars && numberSpan(s, k, end)) return 0;
  }
  // Like `/[.;!?]$/` on the trimmed line: its last character that is not a space.
  const t = trimmed(s, a, b)[1] - 1;
  const c = s.charCodeAt(t);
  if (t >= a && (c === 46 || c === 59 || c === 33 || c === 63)) return 0;
  return words;
}
