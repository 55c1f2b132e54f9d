/**
 * Small counts stated in prose or logs ("n = 3", "count: 4", "only 3 patients", "2.5% of 200"),
 * which tables-only checks miss.
 */
import { UNITS } from './labels.js';
import { isDigit, isRegexSpace } from './scan-util.js';
import { statedTotal } from './table-rules.js';
import type { ReviewSettings } from './types.js';

const PERCENT = /(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?%/g;

/** A hit on a span of normalized text. */
export interface SpanHit {
  start: number;
  end: number;
  message: string;
}

// The identifier scan reports every stand-alone 1–3 digit number; only those below the
// threshold get their context checked here, so prose costs nothing extra.
const KEY_BEFORE = new RegExp(
  `\\b(?:n|count|counts|freq|frequency|(?:number|no\\.) of (?:[a-z]+ )?(?:${UNITS})|${UNITS})\\s*(?:[:=]|\\bwas|\\bwere|\\bis|\\bare)[ \\t]*$`,
  'i',
);
/** The nouns a count may be stated before ("3 patients"). */
const NOUNS_AFTER =
  'patients?|people|persons?|individuals?|participants?|respondents?|subjects?|cases?|deaths?|customers?|employees?|students?|households?';
const NOUN_AFTER = new RegExp(`^[ \\t]+(?:${NOUNS_AFTER})\\b`, 'i');

/**
 * Exactly `/^(?:\.0*[1-9]|[.,]\d|\s?%)/` on the text after a number ending at `b` (a decimal
 * or thousands part, or a percent sign), for the separators the caller lets through.
 */
function badAfter(text: string, b: number): boolean {
  const c = text.charCodeAt(b);
  if (c === 46 || c === 44) return isDigit(text.charCodeAt(b + 1));
  if (c === 37) return true;
  return (c === 32 || c === 9) && text.charCodeAt(b + 1) === 37;
}

/** The words of an alternation of `word` and `word?` items (`a|bs?` gives a, b and bs). */
function wordsOf(alternation: string): string[] {
  return alternation
    .split('|')
    .flatMap((w) => (w.endsWith('?') ? [w.slice(0, -2), w.slice(0, -1)] : [w]));
}
/** Words KEY_BEFORE can end its key with (lower case): the names of counts, and the units. */
const KEY_WORDS = new Set(['n', 'count', 'counts', 'freq', 'frequency', ...wordsOf(UNITS)]);
/** The verbs KEY_BEFORE accepts between the key and the number. */
const KEY_VERBS = new Set(['was', 'were', 'is', 'are']);
/** The nouns NOUN_AFTER accepts (lower case), and their first letters' codes. */
const NOUNS = new Set(wordsOf(NOUNS_AFTER));
const NOUN_INITIALS = new Set([...NOUNS].map((w) => w.charCodeAt(0)));

const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/** The run of ASCII letters of `text` ending at `end` (back to `from` at most), lower-cased. */
function lettersBefore(text: string, from: number, end: number): string {
  let a = end;
  while (a > from && isAsciiLetter(text.charCodeAt(a - 1))) a--;
  return text.slice(a, end).toLowerCase();
}

/**
 * False when KEY_BEFORE cannot match `text[from..)` up to `last` (then only spaces or tabs): its
 * key is the last word before a ':' or '=' (spaces between), or the word before one of its verbs.
 * Keys and verbs are ASCII words after a word boundary, so each is a whole run of ASCII letters
 * (cut at `from`, where the regex's slice starts).
 */
function keyMayEnd(text: string, from: number, last: number): boolean {
  let k = last + 1;
  const c = text.charCodeAt(last);
  if (c === 58 || c === 61) k = last;
  else {
    const verb = lettersBefore(text, from, k);
    if (!KEY_VERBS.has(verb)) return false;
    k -= verb.length;
  }
  while (k > from && isRegexSpace(text.charCodeAt(k - 1))) k--;
  return KEY_WORDS.has(lettersBefore(text, from, k));
}

/**
 * False when NOUN_AFTER cannot match `text[b..b + 24)`: after spaces or tabs, the run of ASCII
 * letters there (cut where that slice ends) must be one of its nouns.
 */
function nounMayFollow(text: string, b: number): boolean {
  const end = Math.min(text.length, b + 24);
  let k = b;
  while (k < end && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  if (k === b || !NOUN_INITIALS.has(text.charCodeAt(k) | 32)) return false;
  let e = k;
  while (e < end && isAsciiLetter(text.charCodeAt(e))) e++;
  return NOUNS.has(text.slice(k, e).toLowerCase());
}
// Sticky: tried only at the digits just before each '%' (see percentOfMatches).
const PERCENT_OF =
  /(\d{1,3}(?:\.\d+)?)\s?%\s+(?:of\s+)?(?:the\s+)?(?:[a-z]+\s+){0,3}?\(?(?:n\s*=\s*|out of\s+|of\s+)(\d{1,3}(?:,\d{3})+|\d+)/iy;

/**
 * False when no PERCENT_OF match can have its '%' at `pct`. Between that '%' and the stated total
 * a match reads only spaces (`\s`), ASCII letters, '(' and '=' (its words, "n =", "out of"), and
 * begins with a space: so the total starts at the first character after `pct` outside those, which
 * must be a digit after '=' or "of" (any case) and spaces. That walk stops at the next '%' at the
 * latest, so all of them together read the text once.
 */
function percentOfMayEnd(text: string, pct: number): boolean {
  if (!isRegexSpace(text.charCodeAt(pct + 1))) return false;
  let q = pct + 1;
  for (let c = text.charCodeAt(q); ; c = text.charCodeAt(++q)) {
    if (!(isRegexSpace(c) || isAsciiLetter(c) || c === 40 || c === 61)) break;
  }
  if (!isDigit(text.charCodeAt(q))) return false;
  let e = q;
  while (isRegexSpace(text.charCodeAt(e - 1))) e--;
  const last = text.charCodeAt(e - 1);
  return last === 61 || ((last | 32) === 102 && (text.charCodeAt(e - 2) | 32) === 111);
}

/**
 * Every match of PERCENT_OF as a global regex would find them (leftmost, non-overlapping), found
 * from the '%' signs: a match ends its number part at the first '%' after its start, so only the
 * digits, dots and one space just before each '%' can start one, and only where
 * `percentOfMayEnd` allows. `visit` returns false to stop.
 */
export function percentOfMatches(text: string, visit: (m: RegExpExecArray) => boolean): void {
  let lastEnd = 0;
  for (let pct = text.indexOf('%'); pct >= 0;) {
    if (!percentOfMayEnd(text, pct)) {
      pct = text.indexOf('%', Math.max(pct + 1, lastEnd));
      continue;
    }
    let k = pct;
    if (k > 0 && isRegexSpace(text.charCodeAt(k - 1))) k--;
    while (k > 0 && (isDigit(text.charCodeAt(k - 1)) || text.charCodeAt(k - 1) === 46)) k--;
    for (let p = Math.max(k, lastEnd); p < pct; p++) {
      if (!isDigit(text.charCodeAt(p))) continue;
      PERCENT_OF.lastIndex = p;
      const m = PERCENT_OF.exec(text);
      if (m !== null) {
        lastEnd = PERCENT_OF.lastIndex;
        if (!visit(m)) return;
        break;
      }
    }
    pct = text.indexOf('%', Math.max(pct + 1, lastEnd));
  }
}

/** Small counts written in running text; `small` holds [start, end] pairs of short numbers. */
export function textCounts(text: string, s: ReviewSettings, small: readonly number[]): SpanHit[] {
  const th = s.small_cell_threshold;
  const hits: SpanHit[] = [];
  const push = (start: number, end: number, what: string): void => {
    if (hits.length < 100)
      hits.push({ start, end, message: `${what} below the threshold of ${th}` });
  };
  for (let k = 0; k + 1 < small.length && hits.length < 100; k += 2) {
    const a = small[k] ?? 0;
    const b = small[k + 1] ?? 0;
    let v = 0; // the hook only collects runs of ASCII digits
    for (let k = a; k < b; k++) v = v * 10 + text.charCodeAt(k) - 48;
    if (!(v > 0 && v < th)) continue;
    const nextCode = text.charCodeAt(b);
    // What follows the number matters only after one of these (the text after it is then read).
    const follows =
      nextCode === 46 || nextCode === 44 || nextCode === 32 || nextCode === 37 || nextCode === 9;
    if (follows && badAfter(text, b)) continue;
    let j = a - 1;
    while (j >= 0 && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j--;
    const prev = text.charCodeAt(j);
    const from = Math.max(0, a - 48);
    // ':' or '=', or the last letter of a verb KEY_BEFORE accepts in any case (was, were, is, are).
    const keyed =
      (prev === 58 || prev === 61 || (prev | 32) === 115 || (prev | 32) === 101) &&
      j >= from &&
      keyMayEnd(text, from, j) &&
      KEY_BEFORE.test(text.slice(from, a));
    if (keyed || (follows && nounMayFollow(text, b) && NOUN_AFTER.test(text.slice(b, b + 24)))) {
      push(a, b, 'a count stated in text');
    }
  }
  if (text.indexOf('%') < 0) return hits;
  const total = statedTotal(text);
  if (total !== undefined) {
    PERCENT.lastIndex = 0;
    for (let m = PERCENT.exec(text); m !== null && hits.length < 100; m = PERCENT.exec(text)) {
      const share = Number(m[1]) / 100;
      const n = Math.round(share * total);
      if (share > 0 && share < 1 && n < th)
        push(m.index, m.index + m[0].length, 'a percentage of the stated total');
    }
  } else {
    percentOfMatches(text, (m) => {
      if (hits.length >= 100) return false;
      const share = Number(m[1]) / 100;
      const total = Number((m[2] ?? '').replace(/,/g, ''));
      const n = Math.round(share * total);
      if (share > 0 && share < 1 && n < th)
        push(m.index, m.index + m[0].length, 'a percentage of a stated total');
      return true;
    });
  }
  return hits;
}
