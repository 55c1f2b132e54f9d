/**
 * Per-column token keys: HKDF-SHA-256 (RFC 5869) from the gateway's master key with Web Crypto, so
 * the same code runs in Node and browsers. Salt is empty (the master key is already uniformly
 * random, RFC 5869 §3.1); the `info` string binds the key to its use. Columns in one join group
 * share `privet-token|join|<group>` so their tokens match across tables; any other column gets
 * `privet-token-column|<length>:<source>|<column>` — its own prefix and a length-prefixed source,
 * so no source or column name can spell a join group's or another column's string — and equal
 * values in unrelated columns never get equal tokens.
 */

/** Length of every derived token key, in bytes (256 bits). */
export const TOKEN_KEY_BYTES = 32;

/** The HKDF info string for a tokenized column. */
export function tokenKeyInfo(source: string, column: string, joinGroup?: string): string {
  return joinGroup === undefined
    ? `privet-token-column|${source.length}:${source}|${column}`
    : `privet-token|join|${joinGroup}`;
}

/** Derives a 32-byte token key from the master key (≥ 32 bytes) for an HKDF info string. */
export async function deriveTokenKey(master: Uint8Array, info: string): Promise<Uint8Array> {
  if (master.length < 32) {
    throw new RangeError(`master key must be at least 32 bytes (256 bits), got ${master.length}`);
  }
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', new Uint8Array(master), 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(info),
    },
    base,
    TOKEN_KEY_BYTES * 8,
  );
  return new Uint8Array(bits);
}
