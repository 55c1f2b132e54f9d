/**
 * Why: `stripTags` ends with three regex replaces over the markup (cell tags to tabs, block tags
 * to line breaks, other tags dropped), after one that turns the '<' of a tag meeting another '<'
 * into a space. On a pandas table (a tag every few characters) each pass builds its own copy
 * and match list. `dropTags` does the same in one walk over the '<' signs, writing the result
 * into one reused byte buffer, for ASCII markup; anything else is left to the regexes.
 */

/** Block tags (a line break; BREAK_TAG in normalize.ts); `td`/`th` are cells (a tab); any other tag is dropped. */
export const BREAK_NAMES = [
  'tr',
  'br',
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'caption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  // SVG <text> elements are placed apart; a <tspan> (like an <a>) is drawn inline in its <text>.
  'text',
  'title',
  'g',
  'svg',
  'dt',
  'dd',
  'blockquote',
  'figcaption',
  'desc',
];

/** The block tag names by length (lower case), for a lookup without a slice. */
const BREAKS_BY_LENGTH: string[][] = [];
for (const name of BREAK_NAMES) (BREAKS_BY_LENGTH[name.length] ??= []).push(name);

// Module-local, as imported bindings would be read through accessors in the hot loop under some
// module loaders.
const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
/** A regex word character (`\w` without the `u` flag): ASCII letter, digit or '_'. */
const isWordChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

/** True if `s` spells `word` (lower case letters and digits) at `at`, in any ASCII case. */
function spells(s: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++)
    if ((s.charCodeAt(at + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

// What a tag becomes: nothing, a tab or a line break.
const OTHER = 0;
const CELL = 1;
const BLOCK = 2;

/** CELL, BLOCK or OTHER for the tag whose name (its run of word characters) is `s[a..b)`. */
function tagKind(s: string, a: number, b: number): number {
  const length = b - a;
  if (length === 2 && (s.charCodeAt(a) | 32) === 116) {
    const c = s.charCodeAt(a + 1) | 32;
    if (c === 100 || c === 104) return CELL;
  }
  const names = BREAKS_BY_LENGTH[length];
  if (names !== undefined) for (const name of names) if (spells(s, a, name)) return BLOCK;
  return OTHER;
}

/** The bytes written so far (zeroed after each call: no text stays here); never kept large. */
let buffer = new Uint8Array(1 << 15);
const KEEP = 1 << 20;
const decoder = new TextDecoder();

/**
 * Exactly `s.replace(CELL_TAG, '\t').replace(BREAK_TAG, '\n').replace(ANY_TAG, '')` of
 * normalize.ts, after `s.replace(UNCLOSED, ' ')` when `unclosed` — or undefined where the walk
 * does not answer: `s` holds a character outside ASCII, or (without `unclosed`) a tag meets
 * another '<' before its '>' (a replace there can join a tag the regexes would read differently).
 * Every tag the regexes match is `<`, an optional '/', a letter, then no '<' or '>' up to a '>';
 * replaced or removed, such tags never make a new one, so one walk reads them all.
 */
export function dropTags(s: string, unclosed: boolean): string | undefined {
  const n = s.length;
  if (buffer.length < n) buffer = new Uint8Array(Math.max(n, buffer.length * 2));
  const out = buffer;
  let o = 0;
  let last = 0; // start of the text not yet written
  let codes = 0; // every code unit written, or-ed: ASCII when below 128
  let answered = true;
  for (let i = s.indexOf('<'); i >= 0; i = s.indexOf('<', i + 1)) {
    let a = i + 1;
    if (s.charCodeAt(a) === 47) a++;
    if (!isLetter(s.charCodeAt(a))) continue;
    let b = a + 1;
    while (b < n && isWordChar(s.charCodeAt(b))) b++;
    let j = b;
    let c = 0;
    while (j < n && (c = s.charCodeAt(j)) !== 62 && c !== 60) j++;
    if (j >= n) break; // no '>' and no '<' after: no tag here or later
    for (let k = last; k < i; k++) {
      const d = s.charCodeAt(k);
      codes |= d;
      out[o++] = d;
    }
    if (codes >= 128) {
      answered = false; // a character outside ASCII: the regexes read it
      break;
    }
    if (c === 60) {
      if (!unclosed) {
        answered = false;
        break;
      }
      out[o++] = 32; // the '<' of a tag meeting another '<' reads as a space
      last = i + 1;
      continue;
    }
    const kind = tagKind(s, a, b);
    if (kind !== OTHER) out[o++] = kind === CELL ? 9 : 10;
    last = j + 1;
    i = j;
  }
  let result: string | undefined;
  if (answered && last === 0)
    result = s; // nothing replaced
  else if (answered) {
    for (let k = last; k < n; k++) {
      const d = s.charCodeAt(k);
      codes |= d;
      out[o++] = d;
    }
    if (codes < 128) result = last === 0 ? s : decoder.decode(out.subarray(0, o));
  }
  out.fill(0, 0, o);
  if (buffer.length > KEEP) buffer = new Uint8Array(1 << 15);
  return result;
}
