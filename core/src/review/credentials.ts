/**
 * Why: "Use in notebook" hands the kernel the analyst's gateway token (it fetches views with it),
 * so a printed environment, request object or variable can carry the token into an output, a
 * saved notebook or an export. A token is a credential, not data: an output showing one is
 * blocked like a card number. Gateway tokens are `pvt_` and 43 base64url characters (32 bytes).
 */
import type { IdSpan } from './scan-util.js';

/** Prefix of every gateway token. */
const PREFIX = 'pvt_';
/** Characters of a token after its prefix (32 random bytes in base64url). */
const BODY = 43;

function isBase64Url(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95
  );
}

/** Spans of gateway tokens in `text` (a `pvt_` prefix and at least 43 base64url characters). */
export function credentialSpans(text: string): IdSpan[] {
  const out: IdSpan[] = [];
  for (let at = text.indexOf(PREFIX); at >= 0; at = text.indexOf(PREFIX, at + 1)) {
    let end = at + PREFIX.length;
    while (end < text.length && isBase64Url(text.charCodeAt(end))) end++;
    if (end - at - PREFIX.length < BODY) continue;
    out.push({ rule: 'credential', start: at, end, masked: 'a Privet gateway token' });
    at = end - 1;
  }
  return out;
}
