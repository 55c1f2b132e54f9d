/**
 * Phone numbers: E.164 / "00" international numbers with a plausible country code, NANP numbers
 * written with separators (plausible NPA/NXX, relaxed for the unmistakable "(212) 555-0134" and
 * "212-555-0134" shapes), and any 7–15 digit number right after a phone keyword.
 */
import { digitsOf, endsNumber, isDigit, isRegexSpace } from './scan-util.js';
import { e164Plausible, nanpValid } from './validators.js';

const NANP = /(?:\+?1[ .-]?)?(?:\(\s?(\d{3})\s?\)[ .-]?|(\d{3})[ ./-])(\d{3})[ ./-]?(\d{4})/y;
const INTL = /(?:\+|00) ?[1-9]\d{0,3}(?:[ ./-]?\(?\d+\)?){1,7}/y;
const LOOSE_PHONE = /\+?\(?\d+\)?(?:[ ./-]?\(?\d+\)?){0,7}/y;
const PHONE_WORD =
  /(?:phone|tel|telephone|mobile|cell|fax|call|contact|whatsapp|sms|ph)\b[^0-9\n]{0,14}$/i;

// Last letters of the PHONE_WORD keywords (phone tel mobile cell fax call contact whatsapp sms ph).
const KEYWORD_LAST = new Set([...'elxtsph'].map((ch) => ch.charCodeAt(0)));

/**
 * False when PHONE_WORD cannot match before `p`: its keyword must end at most 14 characters
 * before `p` with no digit or newline after it, so a keyword's last letter must be found walking
 * back from `p` before any digit or newline.
 */
function keywordMayEnd(s: string, p: number): boolean {
  for (let k = p - 1; k >= 0 && k >= p - 15; k--) {
    const c = s.charCodeAt(k);
    if (isDigit(c) || c === 10) return false;
    if (KEYWORD_LAST.has(c | 32)) return true;
  }
  return false;
}

/**
 * False when NANP cannot match at `p`: a match starts with a digit, '+' or '(', is at most 19
 * characters of digits, spaces and `+ . - / ( )`, and holds at least 10 digits.
 */
export function nanpMayStart(s: string, p: number): boolean {
  const c = s.charCodeAt(p);
  if (!(isDigit(c) || c === 43 || c === 40)) return false;
  let digits = 0;
  for (let k = p; k < p + 19 && k < s.length; k++) {
    const d = s.charCodeAt(k);
    if (isDigit(d)) {
      if (++digits >= 10) return true;
    } else if (!(
      d === 43 ||
      d === 46 ||
      d === 45 ||
      d === 47 ||
      d === 40 ||
      d === 41 ||
      isRegexSpace(d)
    ))
      return false;
  }
  return false;
}

/** Phone number at `p`: E.164/international, NANP with separators, or any number after "phone:". */
export function matchPhone(s: string, p: number): number {
  const c = s.charCodeAt(p);
  const prev = p > 0 ? s.charCodeAt(p - 1) : 32;
  const fresh = !isDigit(prev) && prev !== 46 && prev !== 44;
  if (c === 43 || (fresh && c === 48 && s.charCodeAt(p + 1) === 48)) {
    INTL.lastIndex = p;
    const m = INTL.exec(s);
    if (m !== null) {
      const e = trimPhone(s, p, p + m[0].length);
      const d = digitsOf(s.slice(p, e)).replace(/^00/, '');
      if (e > 0 && e164Plausible(d)) return e;
    }
  }
  NANP.lastIndex = p;
  const m = nanpMayStart(s, p) ? NANP.exec(s) : null;
  if (m !== null && endsNumber(s, NANP.lastIndex)) {
    const ten = `${m[1] ?? m[2] ?? ''}${m[3] ?? ''}${m[4] ?? ''}`;
    // "(212) 555-0134" and "212-555-0134" are phone-shaped enough to relax the exchange rules;
    // space- and dot-separated groups also occur in numeric tables, so they must be plausible.
    const strong =
      m[1] !== undefined ||
      (m[0].indexOf('-') >= 0 && m[0].indexOf('.') < 0 && m[0].indexOf(' ') < 0);
    if (nanpValid(ten) || (strong && /^[2-9]\d\d\d{7}$/.test(ten))) return NANP.lastIndex;
  }
  if (fresh && keywordMayEnd(s, p) && PHONE_WORD.test(s.slice(Math.max(0, p - 30), p))) {
    LOOSE_PHONE.lastIndex = p;
    const l = LOOSE_PHONE.exec(s);
    if (l !== null) {
      const e = trimPhone(s, p, p + l[0].length);
      const d = digitsOf(s.slice(p, e));
      if (e > 0 && d.length >= 7 && d.length <= 15) return e;
    }
  }
  return -1;
}

/** Shrinks a phone match to a number boundary and at most 15 digits; -1 if impossible. */
function trimPhone(s: string, p: number, e: number): number {
  let end = e;
  for (let guard = 0; guard < 8; guard++) {
    if (digitsOf(s.slice(p, end)).length <= 15 && endsNumber(s, end)) return end;
    const cut = s.slice(p, end).search(/[ .()/-][^ .()/-]*$/);
    if (cut <= 0) return -1;
    end = p + cut;
    while (end > p && !isDigit(s.charCodeAt(end - 1))) end--;
  }
  return -1;
}
