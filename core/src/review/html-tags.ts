/**
 * The table tags of an HTML document, read by hand from the '<' signs: the tag walk of
 * `htmlTables` runs once per tag of every HTML output, so it builds no strings and no objects for
 * the tags it skips (and none per tag when the caller reuses one `TagScan`).
 */
import { normalize } from './normalize.js';

/** `<table>` (table tag names are numbers: the walk compares these, not strings). */
export const TABLE = 1;
/** `<thead>`. */
export const THEAD = 2;
/** `<tbody>`. */
export const TBODY = 3;
/** `<tfoot>`. */
export const TFOOT = 4;
/** `<tr>`. */
export const TR = 5;
/** `<td>`. */
export const TD = 6;
/** `<th>`. */
export const TH = 7;
/** `<caption>`. */
export const CAPTION = 8;
/** One of the table tag name numbers above. */
export type TagName = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const NAMES = ['', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption'] as const;

/** A table tag found by `tableTagAt`: its name, whether it closes, where its attributes and it end. */
export interface TagScan {
  name: TagName;
  closing: boolean;
  /** Start of the attribute text (just after the name). */
  attrsStart: number;
  /** Index of the closing '>' (the attribute text ends here). */
  close: number;
}

const isWordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;

/** True if `s` spells `word` (lower case) at `at`, in any ASCII case. */
function spells(s: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++)
    if ((s.charCodeAt(at + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/** The table tag name `src[a..b)` spells (any case), or 0. */
function tableTagName(src: string, a: number, b: number): TagName | 0 {
  const len = b - a;
  if (len === 2) {
    if ((src.charCodeAt(a) | 32) !== 116) return 0; // t…
    const c = src.charCodeAt(a + 1) | 32;
    return c === 114 ? TR : c === 100 ? TD : c === 104 ? TH : 0;
  }
  if (len === 5) {
    if ((src.charCodeAt(a) | 32) !== 116) return 0;
    if (spells(src, a, 'table')) return TABLE;
    if (spells(src, a, 'thead')) return THEAD;
    if (spells(src, a, 'tbody')) return TBODY;
    if (spells(src, a, 'tfoot')) return TFOOT;
    return 0;
  }
  return len === 7 && spells(src, a, 'caption') ? CAPTION : 0;
}

/**
 * If `<(\/?)(table|thead|tbody|tfoot|tr|td|th|caption)\b([^<>]*)>`/i matches at the '<' at `i`,
 * fills `t` and returns true.
 */
export function tableTagAt(src: string, i: number, t: TagScan): boolean {
  let k = i + 1;
  const closing = src.charCodeAt(k) === 47;
  if (closing) k++;
  const nameStart = k;
  while (k < src.length && isWordChar(src.charCodeAt(k))) k++;
  const name = tableTagName(src, nameStart, k);
  if (name === 0) return false;
  let e = k;
  while (e < src.length) {
    const c = src.charCodeAt(e);
    if (c === 60 || c === 62) break;
    e++;
  }
  if (src.charCodeAt(e) !== 62) return false;
  t.name = name;
  t.closing = closing;
  t.attrsStart = k;
  t.close = e;
  return true;
}

/** A table tag: where it starts and ends, its lower-case name, whether it closes, its attributes. */
export interface TagMatch {
  index: number;
  end: number;
  name: string;
  closing: boolean;
  attrs: string;
}

/** The next table tag at or after `from` (what the regex of `tableTagAt` finds next), or undefined. */
export function nextTag(src: string, from: number): TagMatch | undefined {
  const t: TagScan = { name: TABLE, closing: false, attrsStart: 0, close: 0 };
  for (let i = src.indexOf('<', from); i >= 0; i = src.indexOf('<', i + 1)) {
    if (!tableTagAt(src, i, t)) continue;
    return {
      index: i,
      end: t.close + 1,
      name: NAMES[t.name],
      closing: t.closing,
      attrs: src.slice(t.attrsStart, t.close),
    };
  }
  return undefined;
}

/** True if a character needs no normalization: printable ASCII but '<' and '&', tab, LF, CR. */
function plainChar(c: number): boolean {
  return c >= 0x20 && c <= 0x7e ? c !== 0x26 && c !== 0x3c : c === 9 || c === 10 || c === 13;
}

/**
 * True if a cell needs no normalization: only printable ASCII without '<' and '&', tab, newline
 * and CR (`/^[\x20-\x25\x27-\x3b\x3d-\x7e\t\n\r]*$/`, by hand: it runs once per table cell).
 */
export function plainCell(raw: string): boolean {
  for (let k = 0; k < raw.length; k++) if (!plainChar(raw.charCodeAt(k))) return false;
  return true;
}

const isTrimmed = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The text of the cell `src[a..b)`: trimmed as is when short and plain (only the trimmed part is
 * copied), else normalized as markup with spaces collapsed.
 */
export function cellText(src: string, a: number, b: number): string {
  if (b - a < 40) {
    let k = a;
    while (k < b && plainChar(src.charCodeAt(k))) k++;
    if (k === b) {
      // Plain: String.prototype.trim would remove exactly these four characters.
      let x = a;
      let y = b;
      while (x < y && isTrimmed(src.charCodeAt(x))) x++;
      while (y > x && isTrimmed(src.charCodeAt(y - 1))) y--;
      return src.slice(x, y);
    }
  }
  return normalize(src.slice(a, b), { markup: true }).text.replace(/\s+/g, ' ').trim();
}
