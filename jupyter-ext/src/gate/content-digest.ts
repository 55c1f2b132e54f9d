/**
 * Why: the save filter runs inside the notebook model's synchronous `toJSON`, so it cannot await
 * Web Crypto, yet it must look up what the gateway said of each output's content without keeping a
 * second copy of every output's text in memory. SHA-256 over the UTF-8 bytes comes from the
 * audited @noble/hashes (synchronous); the first 128 bits name a content (collision-resistant, so
 * one content cannot pass for another that the gateway cleared).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** SHA-256 of `text`'s UTF-8 bytes, as 64 hex digits (synchronous). */
export function sha256HexSync(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** The name of a content in the gate's memory of verdicts: the first 128 bits of its SHA-256. */
export function contentDigest(text: string): string {
  return sha256HexSync(text).slice(0, 32);
}
