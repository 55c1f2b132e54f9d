// Why: an identifier may appear in an output with other case, spacing, zero-width characters or
// compatibility forms, and phone-like values with other separators. Both the index and the check
// reduce a value to the same keys. Short or short-numeric values (counts, small record numbers)
// are not indexed: they would match ordinary numbers in every table and make the check useless.

import { candidateWords } from '@privet/core/review/leak-candidates';
import { foldUnicode } from '@privet/core/review/normalize';

const ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;
const PHONE_LIKE = /^[+\d\s().\-/]+$/;
/** Shortest value (in characters) that is indexed or looked up. */
export const MIN_VALUE_LENGTH = 5;
/** Fewest digits a numeric-only value needs to be indexed (phones, national ids). */
export const MIN_NUMERIC_DIGITS = 7;

/**
 * The lookup keys of one raw value or candidate (none when it is too short to be identifying).
 * Letters are compared folded (case, ß → ss, accents and look-alike letters: "Zoë", "Zoe" and a
 * Cyrillic "Zоë" share a key); numbers by their digits, with and without leading zeros.
 */
export function leakKeys(value: string): string[] {
  const text = value
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length < MIN_VALUE_LENGTH) return [];
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length < MIN_NUMERIC_DIGITS) return [];
    const keys = new Set([`#${digits}`]);
    // A phone written with and without its country code: also key its last ten digits.
    if (digits.length > 10) keys.add(`#${digits.slice(-10)}`);
    // A zero-padded id read back as a number ("0012345678" → 12345678).
    const unpadded = digits.replace(/^0+/, '');
    if (unpadded.length >= MIN_NUMERIC_DIGITS) keys.add(`#${unpadded}`);
    return [...keys];
  }
  const folded = foldUnicode(text).toLowerCase();
  return folded === text ? [`=${text}`] : [`=${text}`, `=${folded}`];
}

/**
 * The keys a raw identifier value is indexed under: the value as it is, and as the candidates
 * read it (`candidateWords`: "O'Brien" → "O Brien"), so punctuation inside a value cannot keep it
 * from matching.
 */
export function rawValueKeys(value: string): string[] {
  const words = candidateWords(value);
  return words === value ? leakKeys(value) : [...new Set([...leakKeys(value), ...leakKeys(words)])];
}
