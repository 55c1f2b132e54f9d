// Why: an identifier may appear in an output with other case, spacing, zero-width characters or
// compatibility forms, and phone-like values with other separators. Both the index and the check
// reduce a value to the same keys. Short or short-numeric values (counts, small record numbers)
// are not indexed: they would match ordinary numbers in every table and make the check useless.

const ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;
const PHONE_LIKE = /^[+\d\s().\-/]+$/;
/** Shortest value (in characters) that is indexed or looked up. */
export const MIN_VALUE_LENGTH = 5;
/** Fewest digits a numeric-only value needs to be indexed (phones, national ids). */
export const MIN_NUMERIC_DIGITS = 7;

/** The lookup keys of one raw value or candidate (none when it is too short to be identifying). */
export function leakKeys(value: string): string[] {
  const text = value
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length < MIN_VALUE_LENGTH) return [];
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length < MIN_NUMERIC_DIGITS) return [];
    // A phone written with and without its country code: also key its last ten digits.
    return digits.length > 10 ? [`#${digits}`, `#${digits.slice(-10)}`] : [`#${digits}`];
  }
  return [`=${text}`];
}
