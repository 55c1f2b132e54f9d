/**
 * Why: one hand-written pass over the normalized text finds candidate anchors ('@', digit runs,
 * ':' between hex) and only then runs small sticky regexes and check-digit validators at those
 * anchors. This keeps scanning linear and fast (no backtracking over the whole text) and lets
 * every pattern insist on validation (Luhn, mod-97, SSN ranges, NANP plausibility) so that
 * timestamps, versions, UUIDs and hashes in logs do not look like identifiers.
 */
import { maskEmail, maskIp } from './mask.js';
import { iban, matchAt } from './numbers.js';
import { isAlnum, isAlpha, isDigit, isHex, isSep, MAX_SPANS, type IdSpan } from './scan-util.js';
import { emailValid, ipv6Personal, IBAN_LENGTHS } from './validators.js';

export type { IdSpan } from './scan-util.js';
export { findBirthDates } from './birth-dates.js';

const LOCAL = new Uint8Array(128);
const DOMAIN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  LOCAL[c] = alnum || "._%+-'".includes(ch) ? 1 : 0;
  DOMAIN[c] = alnum || '.-'.includes(ch) ? 1 : 0;
}

/** Anchor characters: ASCII digits, '@' and ':' (all below 65). */
const ANCHOR = new Uint8Array(65);
for (const ch of '0123456789@:') ANCHOR[ch.charCodeAt(0)] = 1;
const ANCHOR_RE = /[0-9@:]/g;
/** Anchor-free characters walked by hand before the regex takes over the skipping. */
const WALK = 24;

/** 1 at `26 * first + second` (letters a=0…z=25) for the IBAN country codes. */
const IBAN_COUNTRY = new Uint8Array(26 * 26);
for (const cc of Object.keys(IBAN_LENGTHS))
  IBAN_COUNTRY[(cc.charCodeAt(0) - 65) * 26 + cc.charCodeAt(1) - 65] = 1;

/** True if the two ASCII letters at `a` and `a + 1` name an IBAN country (any case). */
function ibanCountryAt(s: string, a: number): boolean {
  return IBAN_COUNTRY[((s.charCodeAt(a) | 32) - 97) * 26 + (s.charCodeAt(a + 1) | 32) - 97] === 1;
}

/** Where the small-count text rule wants its candidates: numbers in 1..`below`-1. */
export interface SmallNumbers {
  below: number;
  /** [start, end] pairs of stand-alone numbers of 1–3 digits whose value is in range. */
  found: number[];
}

/**
 * The small numbers of the scan under way, as [start, end] pairs, copied to `small.found` in one
 * step at its end: an array grown pair by pair to tens of thousands of entries (a digit-dense
 * log) is reallocated and copied many times, about a tenth of the whole scan's time.
 */
let smallPairs = new Int32Array(1024);
let smallLength = 0;

/** Adds one small number's [start, end] to the scan's pairs. */
function addSmall(a: number, b: number): void {
  if (smallLength + 2 > smallPairs.length) {
    const grown = new Int32Array(smallPairs.length * 2);
    grown.set(smallPairs);
    smallPairs = grown;
  }
  smallPairs[smallLength++] = a;
  smallPairs[smallLength++] = b;
}

/** Appends the scan's pairs to `found` (sized once, then filled) and empties them. */
function flushSmall(found: number[]): void {
  const base = found.length;
  found.length = base + smallLength;
  for (let k = 0; k < smallLength; k++) found[base + k] = smallPairs[k] ?? 0;
  smallLength = 0;
  if (smallPairs.length > 1 << 20) smallPairs = new Int32Array(1024); // keep no large buffer
}

/**
 * Scans normalized text for direct identifiers (not date-of-birth context; see `findBirthDates`).
 * Jumps from anchor to anchor ('@', digits, ':'); nothing else in the text is looked at twice.
 * `dates` collects [start, end] pairs of dates, `small` the short stand-alone numbers.
 */
export function scanIdentifiers(s: string, dates?: number[], small?: SmallNumbers): IdSpan[] {
  const out: IdSpan[] = [];
  const n = s.length;
  let i = 0;
  smallLength = 0;
  while (i < n && out.length < MAX_SPANS) {
    let c = s.charCodeAt(i);
    if (c > 64 || ANCHOR[c] === 0) {
      // Walk a few characters by hand; after a long anchor-free stretch (prose) the regex jumps:
      // it skips such text several times faster, and the walk wins where anchors are dense.
      const stop = i + WALK < n ? i + WALK : n;
      do i++;
      while (i < stop && ((c = s.charCodeAt(i)) > 64 || ANCHOR[c] === 0));
      if (i === stop) {
        if (i >= n) break;
        ANCHOR_RE.lastIndex = i;
        if (!ANCHOR_RE.test(s)) break;
        i = ANCHOR_RE.lastIndex - 1;
        c = s.charCodeAt(i);
      }
    }
    let next: number;
    if (c === 64) next = email(s, i, out);
    else if (c === 58) next = i > 0 && isHex(s.charCodeAt(i - 1)) ? ipv6(s, i, out) : i + 1;
    else {
      // The digit run at i: digits, and separators (isSep) that a digit follows, directly or
      // after one of '( )'. It ends after a digit, at `j`.
      let j = i + 1;
      let digitCount = 1;
      let dateSeps = 0; // '-', '.' and '/' inside the run
      while (j < n) {
        const d = s.charCodeAt(j);
        if (isDigit(d)) {
          digitCount++;
          j++;
        } else if (isSep(d) && j + 1 < n) {
          const e = s.charCodeAt(j + 1);
          if (
            isDigit(e) ||
            ((e === 40 || e === 32 || e === 41) && j + 2 < n && isDigit(s.charCodeAt(j + 2)))
          ) {
            if (d >= 45) dateSeps++; // of the separators only '-', '.', '/' are ≥ 45
            j++;
          } else break;
        } else break;
      }
      const before = i > 0 ? s.charCodeAt(i - 1) : 32;
      // IBAN: two letters glued before the first digits (e.g. "GB82 WEST 1234 …"), and nothing
      // glued before them (`iban` rules that out too; tested here first, as hex ids fail it).
      const ibanEnd =
        i >= 2 &&
        isAlpha(before) &&
        isAlpha(s.charCodeAt(i - 2)) &&
        !(i >= 3 && isAlnum(s.charCodeAt(i - 3))) &&
        ibanCountryAt(s, i - 2)
          ? iban(s, i - 2, out)
          : -1;
      if (ibanEnd > 0) next = ibanEnd;
      else if (digitCount <= 3) {
        // stand-alone short numbers ("n = 3", "3 patients"); the text rule checks their context
        if (small !== undefined && !isAlnum(before) && before !== 46 && before !== 44)
          smallNumber(s, i, j, small.below);
        next = j;
      } else next = digitRun(s, i, j, before, digitCount, dateSeps, out, dates);
    }
    i = next > i ? next : i + 1;
  }
  if (small !== undefined) flushSmall(small.found);
  return out;
}

/** Handles an '@' at `at`; returns where scanning continues. */
function email(s: string, at: number, out: IdSpan[]): number {
  let a = at;
  while (a > 0 && at - a < 64) {
    const c = s.charCodeAt(a - 1);
    if (c < 128 && LOCAL[c] === 1) a--;
    else break;
  }
  let b = at + 1;
  while (b < s.length && b - at < 254) {
    const c = s.charCodeAt(b);
    if (c < 128 && DOMAIN[c] === 1) b++;
    else break;
  }
  while (b > at + 1 && (s[b - 1] === '.' || s[b - 1] === '-')) b--;
  while (a < at && "._%+-'".includes(s[a] ?? '')) a++;
  const local = s.slice(a, at);
  const domain = s.slice(at + 1, b);
  if (emailValid(local, domain)) {
    out.push({ rule: 'email', start: a, end: b, masked: `email ${maskEmail(local, domain)}` });
    return b;
  }
  return at + 1;
}

/** Handles a ':' after a hex digit (possible IPv6); returns where scanning continues. */
function ipv6(s: string, colon: number, out: IdSpan[]): number {
  let a = colon;
  while (a > 0 && colon - a < 5 && isHex(s.charCodeAt(a - 1))) a--;
  if (a > 0 && (isAlnum(s.charCodeAt(a - 1)) || s.charCodeAt(a - 1) === 58)) return colon + 1;
  // The candidate is the run of hex digits and colons from `a` (at most 45 characters).
  let len = 0;
  let colons = 0;
  let doubleColon = false;
  while (len < 45 && a + len < s.length) {
    const c = s.charCodeAt(a + len);
    if (c === 58) {
      colons++;
      if (len > 0 && s.charCodeAt(a + len - 1) === 58) doubleColon = true;
    } else if (!isHex(c)) break;
    len++;
  }
  if (colons < 2 || (colons < 7 && !doubleColon)) return a + len;
  let text = s.slice(a, a + len);
  while (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  const end = a + text.length;
  if (end < s.length && isAlnum(s.charCodeAt(end))) return colon + 1;
  if (ipv6Personal(text)) {
    out.push({ rule: 'ip-address', start: a, end, masked: `IPv6 address ${maskIp(text)}` });
    return end;
  }
  return colon + 1;
}

/** Adds the number starting the short run `s[i..runEnd)` if it stands alone and is below `below`. */
function smallNumber(s: string, i: number, runEnd: number, below: number): void {
  let k = i;
  let v = 0;
  while (k < runEnd) {
    const c = s.charCodeAt(k);
    if (!isDigit(c)) break;
    v = v * 10 + c - 48;
    if (v >= below) return; // too large already: more digits only make it larger
    k++;
  }
  if ((k >= s.length || !isAlnum(s.charCodeAt(k))) && v > 0 && v < below) addSmall(i, k);
}

/**
 * Tries the identifiers at the digit groups of the run `s[i..runEnd)` of more than 3 digits
 * (`before` is the character before it); returns where scanning continues.
 */
function digitRun(
  s: string,
  i: number,
  runEnd: number,
  before: number,
  digitCount: number,
  dateSeps: number,
  out: IdSpan[],
  dates?: number[],
): number {
  const n = s.length;
  if (isAlnum(before) || (runEnd < n && isAlpha(s.charCodeAt(runEnd)))) return runEnd;
  // Below 7 digits only a date (two of '-./') or an IPv4 address (three '.') can match, and
  // either lies inside the run: without two such separators no group start can match.
  if (digitCount < 7 && dateSeps < 2) return runEnd;
  let p = i;
  if (before === 43 || before === 40) p = i - 1; // leading '+' or '('
  while (p < runEnd && out.length < MAX_SPANS) {
    // No identifier starts inside a decimal fraction ("52.1234…").
    const fraction = p > i && s.charCodeAt(p - 1) === 46 && isDigit(s.charCodeAt(p - 2));
    const e = fraction ? -1 : matchAt(s, p, runEnd, out, digitCount, dates);
    if (e > p) p = e;
    else {
      // advance to the next digit group
      while (p < runEnd && isDigit(s.charCodeAt(p))) p++;
      while (p < runEnd && !isDigit(s.charCodeAt(p))) p++;
    }
  }
  return runEnd;
}
