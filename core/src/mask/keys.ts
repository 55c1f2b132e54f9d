/**
 * Per-column token keys: HKDF-SHA-256 (RFC 5869) from the gateway's master key with Web Crypto, so
 * the same code runs in Node and browsers. Salt is empty (the master key is already uniformly
 * random, RFC 5869 §3.1); the `info` string binds the key to its use. Columns in one join group
 * share `privet-token|join|<group>` so their tokens match across tables; any other column gets
 * `privet-token-view|<length>:<view>|<length>:<source>|<column>` — its own prefix and
 * length-prefixed names, so no view, source or column name can spell a join group's or another
 * column's string. Equal values in unrelated columns never get equal tokens, and neither do the
 * same column's values in two views: two views of one source cannot be joined on a token the
 * policy did not declare joinable (a join could undo each view's k-anonymity).
 */

/** Length of every derived token key, in bytes (256 bits). */
export const TOKEN_KEY_BYTES = 32;

/** Where a tokenized column is published: its view, and the source column it reads. */
export interface TokenScope {
  view: string;
  source: string;
  column: string;
}

/** The HKDF info string for a tokenized column (its join group's, when it has one). */
export function tokenKeyInfo({ view, source, column }: TokenScope, joinGroup?: string): string {
  return joinGroup === undefined
    ? `privet-token-view|${view.length}:${view}|${source.length}:${source}|${column}`
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
