/**
 * Keyed tokenization as a DuckDB SQL expression: HMAC-SHA-256 written out with the inner and outer
 * padded keys as hex literals, so hashing runs vectorized inside native DuckDB instead of one
 * JavaScript call per value. HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), K zero-padded to the
 * 64-byte SHA-256 block. The SQL text therefore contains key material: callers must never log it
 * or echo a database error raised while running it.
 */
import { toHex } from './sql.js';

const BLOCK_BYTES = 64;

/** Hex chars kept from the HMAC: 32 = 128-bit tokens (the minimum), 64 = the full digest. */
export type TokenHexChars = 32 | 64;

/** The 64-byte padded key XORed with `pad` (0x36 inner, 0x5c outer), as hex. */
function paddedKeyHex(key: Uint8Array, pad: number): string {
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(key);
  for (let i = 0; i < BLOCK_BYTES; i++) block[i] = (block[i] ?? 0) ^ pad;
  return toHex(block);
}

/**
 * SQL computing the lower-case hex HMAC-SHA-256 of `CAST(<valueSql> AS VARCHAR)` (UTF-8 bytes)
 * under `key`. NULL stays NULL. Keys of 32..64 bytes only (derived keys are 32).
 */
export function hmacSha256Sql(
  valueSql: string,
  key: Uint8Array,
  hexChars: TokenHexChars = 32,
): string {
  if (key.length < 32 || key.length > BLOCK_BYTES) {
    throw new RangeError(`token key must be 32 to 64 bytes, got ${key.length}`);
  }
  const inner = `sha256(unhex('${paddedKeyHex(key, 0x36)}') || encode(CAST(${valueSql} AS VARCHAR)))`;
  const outer = `sha256(unhex('${paddedKeyHex(key, 0x5c)}') || unhex(${inner}))`;
  return hexChars === 64 ? outer : `left(${outer}, ${hexChars})`;
}
