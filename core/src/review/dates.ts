/**
 * Dates in a digit run, read by hand: `dateShaped` is exactly where the DATE regex of the
 * identifier scan matches, and `plausibleDateEnd` reads the groups that regex would capture (no
 * match array per date: logs carry a timestamp on every line).
 */
import { endsNumber, isDigit } from './scan-util.js';
import { plausibleDate } from './validators.js';

const isDateSep = (c: number): boolean => c === 45 || c === 47 || c === 46;
const digitAt = (s: string, k: number): boolean => isDigit(s.charCodeAt(k));

/**
 * Exactly where `/(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{1,2})([-/.])(\d{1,2})\6(\d{4})/y` matches
 * at p: yyyy S m{1,2} S d{1,2}, or d{1,2} S m{1,2} S yyyy, with the same separator S twice.
 */
export function dateShaped(s: string, p: number): boolean {
  if (!digitAt(s, p)) return false;
  const sep4 = s.charCodeAt(p + 4);
  if (digitAt(s, p + 1) && digitAt(s, p + 2) && digitAt(s, p + 3) && isDateSep(sep4)) {
    if (digitAt(s, p + 5)) {
      const k = digitAt(s, p + 6) ? p + 7 : p + 6;
      if (s.charCodeAt(k) === sep4 && digitAt(s, k + 1)) return true;
    }
  }
  const q = digitAt(s, p + 1) ? p + 2 : p + 1;
  const sep = s.charCodeAt(q);
  if (!isDateSep(sep) || !digitAt(s, q + 1)) return false;
  const r = digitAt(s, q + 2) ? q + 3 : q + 2;
  return (
    s.charCodeAt(r) === sep &&
    digitAt(s, r + 1) &&
    digitAt(s, r + 2) &&
    digitAt(s, r + 3) &&
    digitAt(s, r + 4)
  );
}

/** The number the ASCII digits `s[a..b)` spell. */
function digitsValue(s: string, a: number, b: number): number {
  let v = 0;
  for (let k = a; k < b; k++) v = v * 10 + s.charCodeAt(k) - 48;
  return v;
}

/**
 * Where the match of `/(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{1,2})([-/.])(\d{1,2})\6(\d{4})/y`
 * at p ends, if it ends the number and is a plausible date (y-m-d; else d-m-y or m-d-y); else -1.
 * Read by hand after `dateShaped`: the groups are maximal digit runs, as the regex's
 * backtracking leaves them, and the first alternative wins whenever it matches.
 */
export function plausibleDateEnd(s: string, p: number): number {
  if (!dateShaped(s, p)) return -1;
  const sep4 = s.charCodeAt(p + 4);
  const fourDigits = digitAt(s, p + 1) && digitAt(s, p + 2) && digitAt(s, p + 3);
  if (fourDigits && isDateSep(sep4) && digitAt(s, p + 5)) {
    const k = digitAt(s, p + 6) ? p + 7 : p + 6;
    if (s.charCodeAt(k) === sep4 && digitAt(s, k + 1)) {
      // yyyy S m S d
      const end = digitAt(s, k + 2) ? k + 3 : k + 2;
      const year = digitsValue(s, p, p + 4);
      const ok = plausibleDate(year, digitsValue(s, p + 5, k), digitsValue(s, k + 1, end));
      return ok && endsNumber(s, end) ? end : -1;
    }
  }
  // d S m S yyyy (the shape holds, so the second alternative matched)
  const q = digitAt(s, p + 1) ? p + 2 : p + 1;
  const r = digitAt(s, q + 2) ? q + 3 : q + 2;
  const end = r + 5;
  const year = digitsValue(s, r + 1, end);
  const a = digitsValue(s, p, q);
  const b = digitsValue(s, q + 1, r);
  return (plausibleDate(year, b, a) || plausibleDate(year, a, b)) && endsNumber(s, end) ? end : -1;
}
