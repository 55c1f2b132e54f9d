/**
 * Encoded identifiers: URL escapes ("john%40example.com"), JavaScript/Python escapes ("\u0040")
 * and padded base64 tokens ("am9obkBleGFtcGxlLmNvbQ==") are decoded before or beside the scan.
 * Why padded only: unpadded base64 is indistinguishable from ordinary words and ids; a padded
 * token that decodes to printable text is a deliberate encoding.
 */
import type { IdSpan } from './scan-util.js';

const URL_ESCAPE = /%([2-7][0-9A-Fa-f])/g;
const CODE_ESCAPE = /\\u00([2-7][0-9A-Fa-f])|\\x([2-7][0-9A-Fa-f])/g;
const B64 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{12,400}={1,2}(?![A-Za-z0-9+/=])/g;
const PRINTABLE = /^[ -~\t\n\r]+$/;

/** Decodes printable URL escapes and \u00XX / \xXX escapes (cheap no-op when absent). */
export function decodeEscapes(text: string): string {
  let t = text;
  if (t.indexOf('%') >= 0 && /%[2-7][0-9A-Fa-f]/.test(t)) {
    t = t.replace(URL_ESCAPE, (_w, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
  if (t.indexOf('\\u00') >= 0 || t.indexOf('\\x') >= 0) {
    t = t.replace(CODE_ESCAPE, (_w, a: string | undefined, b: string | undefined) =>
      String.fromCharCode(Number.parseInt(a ?? b ?? '20', 16)),
    );
  }
  return t;
}

/** Identifiers inside padded base64 tokens; spans cover the encoded token. */
export function base64Spans(text: string, scan: (decoded: string) => IdSpan[]): IdSpan[] {
  if (text.indexOf('=') < 0) return [];
  const out: IdSpan[] = [];
  B64.lastIndex = 0;
  for (let m = B64.exec(text); m !== null && out.length < 100; m = B64.exec(text)) {
    let decoded: string;
    try {
      decoded = atob(m[0]);
    } catch {
      continue;
    }
    if (!PRINTABLE.test(decoded)) continue;
    for (const sp of scan(decoded)) {
      out.push({
        rule: sp.rule,
        start: m.index,
        end: m.index + m[0].length,
        masked: `${sp.masked} (base64-encoded)`,
      });
    }
  }
  return out;
}
