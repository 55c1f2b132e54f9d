/**
 * Why: every text part is asked "any character outside ASCII?" before Unicode folding, and on a
 * long output a regex pass for it costs as much as several of the rules. The platform's UTF-8
 * encoder answers the same question several times faster: ASCII is the one case where it writes
 * exactly one byte per UTF-16 code unit read.
 */

const NON_ASCII = /[\u0080-\uffff]/;
/** Below this length the regex is as cheap as a call to the encoder. */
const SHORT = 256;
/** Code units encoded per step (at most this many bytes of the text are ever held here). */
const CHUNK = 1 << 14;

const encoder = new TextEncoder();
const scratch = new Uint8Array(CHUNK);

/**
 * Exactly `!/[\u0080-\uffff]/.test(text)`: true when every code unit is below 0x80. Any other
 * code unit (a lone surrogate too, written as U+FFFD) takes two or more bytes, so the encoder
 * writes more bytes than it reads code units. The scratch bytes are zeroed before returning:
 * nothing of the text stays in memory.
 */
export function isAscii(text: string): boolean {
  if (text.length < SHORT) return !NON_ASCII.test(text);
  let ascii = true;
  for (let k = 0; k < text.length;) {
    const { read, written } = encoder.encodeInto(k === 0 ? text : text.slice(k), scratch);
    if (written !== read || read === 0) {
      ascii = false;
      break;
    }
    k += read;
  }
  scratch.fill(0);
  return ascii;
}
