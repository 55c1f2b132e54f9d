/**
 * Why: the aligned-text table finder looks at every line of every plain-text output, and in logs
 * and prose almost none is a table row. Splitting the text into line strings cost more than the
 * tests on them, so lines are kept as offsets and the cheap tests (does the line end in a number;
 * can it be a header) read the text in place; a line becomes a string only when it may be a row.
 */
import { isRegexSpace } from './scan-util.js';
import { isNumeric } from './table.js';

/** The lines of a text as offsets: exactly the pieces of `text.split('\n', max)`. */
export class TextLines {
  /** Start offset of each line. */
  readonly starts: number[] = [];
  /** End offset (its '\n', or the end of the text) of each line. */
  readonly ends: number[] = [];
  constructor(
    readonly text: string,
    max: number,
  ) {
    let a = 0;
    while (this.starts.length < max) {
      const nl = text.indexOf('\n', a);
      this.starts.push(a);
      this.ends.push(nl < 0 ? text.length : nl);
      if (nl < 0) break;
      a = nl + 1;
    }
  }

  /** Number of lines. */
  get count(): number {
    return this.starts.length;
  }

  /** Line `k` as a string ('' before the first line or after the last, like `lines[k] ?? ''`). */
  line(k: number): string {
    if (k < 0 || k >= this.starts.length) return '';
    return this.text.slice(this.starts[k], this.ends[k]);
  }

  /** `rowCandidate` of line `k` (false outside the text). */
  rowCandidate(k: number): boolean {
    if (k < 0 || k >= this.starts.length) return false;
    return rowCandidateIn(this.text, this.starts[k] ?? 0, this.ends[k] ?? 0);
  }

  /** `headerPossible` of line `k` (false outside the text: an empty line cannot head a table). */
  headerPossible(k: number): boolean {
    if (k < 0 || k >= this.starts.length) return false;
    return headerPossibleIn(this.text, this.starts[k] ?? 0, this.ends[k] ?? 0);
  }
}

/** Index of the last character of `s[a..b)` that is not a space, tab or CR (a - 1 if none). */
function lastContentIndex(s: string, a: number, b: number): number {
  let e = b - 1;
  while (e >= a && (s.charCodeAt(e) === 32 || s.charCodeAt(e) === 9 || s.charCodeAt(e) === 13)) e--;
  return e;
}

const WHITESPACE = /\s/;
const isSpaceAt = (s: string, k: number): boolean => {
  const c = s.charCodeAt(k);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && WHITESPACE.test(s.charAt(k)));
};

/**
 * Cheap necessary condition for a line `s[a..b)` to split into a table row: it ends in a digit
 * (or % or "digit.") and its last whitespace-separated word is a number. Rules out prose and logs.
 */
export function rowCandidateIn(s: string, a: number, b: number): boolean {
  const e = lastContentIndex(s, a, b);
  if (e < a) return false;
  const last = s.charCodeAt(e);
  if (
    !(last >= 48 && last <= 57) &&
    last !== 37 &&
    !(last === 46 && e > a && s.charCodeAt(e - 1) >= 48 && s.charCodeAt(e - 1) <= 57)
  )
    return false;
  let w = e;
  while (w > a && !isSpaceAt(s, w - 1)) w--;
  return isNumeric(s.slice(w, e + 1));
}

/** True if a line `s[a..b)` can head a table: names only (no number), not ending like a sentence. */
export function headerPossibleIn(s: string, a: number, b: number): boolean {
  const e = lastContentIndex(s, a, b);
  const last = e < a ? NaN : s.charCodeAt(e);
  if (last === 46 || last === 59 || last === 33 || last === 63) return false;
  // Any numeric word rules the line out (looked for from the end, where logs put numbers);
  // only words of digits and [,.%eE+-] can be numeric.
  let words = 0;
  let k = b;
  while (k > a) {
    while (k > a && isSpaceAt(s, k - 1)) k--;
    if (k === a) break;
    const end = k;
    let digit = false;
    let numberChars = true;
    while (k > a && !isSpaceAt(s, k - 1)) {
      const c = s.charCodeAt(--k);
      if (c >= 48 && c <= 57) digit = true;
      else if (!(c === 44 || c === 46 || c === 37 || c === 43 || c === 45 || (c | 32) === 101))
        numberChars = false;
    }
    words++;
    if (digit && numberChars && isNumeric(s.slice(k, end))) return false;
  }
  if (words === 0) return false;
  // Not `/[.;!?]$/` on the trimmed line: its last character that is not `\s`.
  let t = b - 1;
  while (t >= a && isRegexSpace(s.charCodeAt(t))) t--;
  const c = s.charCodeAt(t);
  return !(c === 46 || c === 59 || c === 33 || c === 63);
}
