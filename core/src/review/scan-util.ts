/** Shared pieces of the identifier scanners: the span type and character-class helpers. */
import type { RuleId } from './types.js';

/** An identifier found in a text: span in that text, rule, masked value for messages. */
export interface IdSpan {
  rule: RuleId;
  start: number;
  end: number;
  masked: string;
  /** For date-of-birth: true when the date sits next to another identifier. */
  strong?: boolean;
}

/** Most identifier spans reported per text (bounds work and output on hostile input). */
export const MAX_SPANS = 500;

/** ASCII digit. */
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** ASCII letter. */
export const isAlpha = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
/** ASCII letter, digit or underscore. */
export const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c) || c === 95;
/** Hex digit. */
export const isHex = (c: number): boolean => isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);
/** Separators allowed inside a number: space - . / ( ) + */
export const isSep = (c: number): boolean =>
  c === 32 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41 || c === 43;

/** JavaScript's `\s` (what the regexes mean by a space), for hand-written scans. */
export function isRegexSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** True if a match ending at `e` ends the number (no more digits or digit groups follow). */
export function endsNumber(s: string, e: number): boolean {
  if (e >= s.length) return true;
  const c = s.charCodeAt(e);
  if (isAlnum(c)) return false;
  if ((c === 45 || c === 46 || c === 47) && e + 1 < s.length && isDigit(s.charCodeAt(e + 1)))
    return false;
  return true;
}

/** The digits of a string. */
export function digitsOf(t: string): string {
  return t.replace(/\D+/g, '');
}
