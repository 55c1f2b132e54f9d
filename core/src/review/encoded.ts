/**
 * Encoded identifiers: URL escapes ("john%40example.com"), JavaScript/Python escapes ("\u0040")
 * and padded base64 tokens ("am9obkBleGFtcGxlLmNvbQ==") are decoded before or beside the scan.
 * Why padded only: unpadded base64 is indistinguishable from ordinary words and ids; a padded
 * token that decodes to printable text is a deliberate encoding.
 */
import type { IdSpan } from './scan-util.js';

const URL_ESCAPE = /%([2-7][0-9A-Fa-f])/g;
const CODE_ESCAPE = /\\u00([2-7][0-9A-Fa-f])|\\x([2-7][0-9A-Fa-f])/g;
const PRINTABLE = /^[ -~\t\n\r]+$/;

/** True if a '%' is followed by [2-7][0-9A-Fa-f] (visits only the '%' signs). */
export function hasUrlEscape(t: string): boolean {
  for (let i = t.indexOf('%'); i >= 0; i = t.indexOf('%', i + 1)) {
    const a = t.charCodeAt(i + 1);
    const b = t.charCodeAt(i + 2);
    if (a >= 50 && a <= 55 && ((b >= 48 && b <= 57) || ((b | 32) >= 97 && (b | 32) <= 102)))
      return true;
  }
  return false;
}

/** Decodes printable URL escapes and \u00XX / \xXX escapes (cheap no-op when absent). */
export function decodeEscapes(text: string): string {
  let t = text;
  if (hasUrlEscape(t)) {
    t = t.replace(URL_ESCAPE, (_w, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
  if (t.indexOf('\\u00') >= 0 || t.indexOf('\\x') >= 0) {
    t = t.replace(CODE_ESCAPE, (_w, a: string | undefined, b: string | undefined) =>
      String.fromCharCode(Number.parseInt(a ?? b ?? '20', 16)),
    );
  }
  return t;
}

const B64_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) B64_CHAR[c] = /[A-Za-z0-9+/]/.test(String.fromCharCode(c)) ? 1 : 0;
const isB64 = (c: number): boolean => c < 128 && B64_CHAR[c] === 1;

/**
 * The padded base64 tokens of a text, as [start, end) pairs: a whole run of 12–400 base64
 * characters (none glued before it) followed by exactly one or two '=' (nothing base64 after).
 * Why a hand scan: only the '=' signs are visited, where a regex would try every position.
 */
export function paddedTokens(text: string): number[] {
  const found: number[] = [];
  const n = text.length;
  let eq = text.indexOf('=');
  while (eq >= 0) {
    let e = eq;
    while (e < n && text.charCodeAt(e) === 61) e++;
    // What follows the '=' signs is read first: in logs most '=' are "key=value" assignments,
    // which fail here without the walk back over the key.
    if (e - eq <= 2 && !(e < n && isB64(text.charCodeAt(e)))) {
      let a = eq;
      while (a > 0 && eq - a <= 400 && isB64(text.charCodeAt(a - 1))) a--;
      const len = eq - a;
      const glued = a > 0 && isB64(text.charCodeAt(a - 1));
      if (!glued && len >= 12 && len <= 400) found.push(a, e);
    }
    eq = e < n ? text.indexOf('=', e) : -1;
  }
  return found;
}

/** Identifiers inside padded base64 tokens; spans cover the encoded token. */
export function base64Spans(text: string, scan: (decoded: string) => IdSpan[]): IdSpan[] {
  if (text.indexOf('=') < 0) return [];
  const out: IdSpan[] = [];
  const tokens = paddedTokens(text);
  for (let k = 0; k + 1 < tokens.length && out.length < 100; k += 2) {
    const start = tokens[k] ?? 0;
    const end = tokens[k + 1] ?? 0;
    let decoded: string;
    try {
      decoded = atob(text.slice(start, end));
    } catch {
      continue;
    }
    if (!PRINTABLE.test(decoded)) continue;
    for (const sp of scan(decoded)) {
      out.push({ rule: sp.rule, start, end, masked: `${sp.masked} (base64-encoded)` });
    }
  }
  return out;
}
