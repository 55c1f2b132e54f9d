/** Hex encodings the project shares: digests, random ids (Web Crypto only, so core stays pure). */

/** Lower-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** SHA-256 (lower-case hex) of a text's UTF-8 bytes, via Web Crypto. */
export async function sha256Hex(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  return bytesToHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
}

/** `n` random bytes from Web Crypto as lower-case hex (ids; not for keys). */
export function randomHex(n: number): string {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(n)));
}
