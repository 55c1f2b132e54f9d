// Why: a view's manifest is read by analysts, and a plain SHA-256 of the raw source file would
// let anyone who knows every row but one confirm guesses of that row offline — a release outside
// any DP accounting. The manifest instead carries a keyed digest (HMAC-SHA256 under the gateway's
// master key): it still changes whenever the source changes, so rebuilds and provenance work, but
// confirms nothing about the content to anyone without the key.
import { createHmac } from 'node:crypto';

/** The keyed version of a source file with plain SHA-256 `fileHash` (hex), as manifests hold it. */
export function sourceVersion(masterKey: Uint8Array, fileHash: string): string {
  return createHmac('sha256', masterKey)
    .update(`privet-source-version\u0000${fileHash}`)
    .digest('hex');
}
