/** Dates of birth: a date after a birth keyword, or any date next to another identifier. */
import type { IdSpan } from './scan-util.js';
import { MAX_SPANS } from './scan-util.js';

const BIRTH_WORD =
  /\b(?:dob|d\.o\.b\.?|date[ _-]?of[ _-]?birth|birth[ _-]?date|birthdate|birthday|born(?: on)?)\b/gi;
const MONTH_DATE =
  /\b(?:\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,? (?:19|20)\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d\d)\b/iy;
const SHORT_DATE = /\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?!\d)/y;
const NEAR = 160;
const NAME_BEFORE = /\b[A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]+[,;:]?\s*(?:\t|\| )?$/;

const NOT_NAME =
  /\b(?:date|start|end|release[ds]?|report|updated?|created|modified|since|until|from|through|study|period|version|data|time|day|session|run|build|last|first|next|effective|valid|expires?|opened|closed|record)\b/i;

/** A year a living person was plausibly born in (excludes report dates of recent years). */
function birthYear(date: string): boolean {
  const y = /(19\d\d|20[01]\d)/.exec(date);
  return y !== null && Number(y[1]) >= 1915 && Number(y[1]) <= 2012;
}
// One pass for all the hints (ten indexOf scans of a long text cost more than this regex).
const BIRTH_HINT = /irth|IRTH|dob|DOB|Dob|born|Born|BORN|D\.O\.B|d\.o\.b/;

const digitAt = (s: string, k: number): boolean => {
  const c = s.charCodeAt(k);
  return c >= 48 && c <= 57;
};

/** Exactly `/^(?:[ T]\d{1,2}:\d{2}|,? \d{1,2}:\d{2})/` at `b`: a time of day after a date. */
export function timeFollows(s: string, b: number): boolean {
  const c = s.charCodeAt(b);
  let k: number;
  if (c === 32 || c === 84) k = b + 1;
  else if (c === 44 && s.charCodeAt(b + 1) === 32) k = b + 2;
  else return false;
  if (!digitAt(s, k)) return false;
  const colon = digitAt(s, k + 1) ? k + 2 : k + 1;
  return s.charCodeAt(colon) === 58 && digitAt(s, colon + 1) && digitAt(s, colon + 2);
}

/**
 * Dates of birth: a date after a birth keyword, or any date within NEAR characters of another
 * identifier on the same output (strong). `dates` holds [start, end] pairs from `scanIdentifiers`.
 */
export function findBirthDates(
  s: string,
  dates: readonly number[],
  ids: readonly IdSpan[],
): IdSpan[] {
  const out: IdSpan[] = [];
  const seen = new Set<number>();
  const strong = (a: number, b: number): boolean =>
    ids.some((d) => d.rule !== 'date-of-birth' && d.start < b + NEAR && d.end > a - NEAR);
  for (let k = 0; k + 1 < dates.length; k += 2) {
    const a = dates[k] ?? 0;
    const b = dates[k + 1] ?? 0;
    if (timeFollows(s, b)) continue; // a timestamp
    const before = s.slice(Math.max(0, a - 40), a);
    const kw = /(?:dob|birth|born)\b[^\n]{0,30}$/i.test(before);
    // "Jane Roe, 1985-03-12": a birth-year date right after a person-like name.
    const name = NAME_BEFORE.exec(before);
    const named = name !== null && !NOT_NAME.test(name[0]) && birthYear(s.slice(a, b));
    if (kw || named || strong(a, b)) {
      seen.add(a);
      out.push({
        rule: 'date-of-birth',
        start: a,
        end: b,
        masked: 'a date of birth',
        strong: strong(a, b),
      });
    }
  }
  if (!BIRTH_HINT.test(s)) return out;
  BIRTH_WORD.lastIndex = 0;
  for (let m = BIRTH_WORD.exec(s); m !== null && out.length < MAX_SPANS; m = BIRTH_WORD.exec(s)) {
    const from = m.index + m[0].length;
    const window = s.slice(from, from + 40);
    const off = window.search(/[0-9A-Za-z]/);
    if (off < 0) continue;
    const a = from + off;
    if (seen.has(a)) continue;
    MONTH_DATE.lastIndex = a;
    SHORT_DATE.lastIndex = a;
    const md = MONTH_DATE.exec(s) ?? SHORT_DATE.exec(s);
    if (md !== null) {
      out.push({
        rule: 'date-of-birth',
        start: a,
        end: a + md[0].length,
        masked: 'a date of birth',
        strong: strong(a, a + md[0].length),
      });
    }
  }
  return out;
}
