/**
 * DP provenance: values in Privet's DP-release MIME type are exempt from the small-cell rule only
 * when the ledger committed a release with their id and exactly their content (`knownRelease`,
 * which the gateway answers from the SHA-256 it stored with the charge). A release-shaped object
 * anywhere else, or with an unknown id or changed content, is an imitation: it is flagged and
 * checked like any other output.
 */
import { canonicalJson } from '../record/canonical.js';
import type { JsonValue } from '../record/types.js';
import { sha256Hex } from '../hex.js';

/** Privet's own MIME type for differentially private releases. */
export const DP_RELEASE_MIME = 'application/vnd.privet.dp-release+json';

/** The release id a DP-release-shaped value carries, if any. */
export function releaseIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const id = v.release_id ?? v.releaseId ?? v.release;
  if (typeof id === 'string' && id.length > 0) return id;
  if (typeof v.id === 'string' && ('epsilon' in v || 'mechanism' in v || 'privacy' in v))
    return v.id;
  return undefined;
}

/** True if a value in a non-DP MIME type looks like a DP release (id plus privacy parameters). */
export function looksLikeRelease(value: unknown): boolean {
  if (releaseIdOf(value) === undefined) return false;
  const v = value as Record<string, unknown>;
  return (
    ['epsilon', 'mechanism', 'delta', 'rho', 'privacy', 'noise', 'budget'].some((k) => k in v) ||
    'release_id' in v ||
    'releaseId' in v
  );
}

/** The canonical JSON text of a release value (keys sorted): what a release's digest hashes. */
export function releaseContentText(value: unknown): string {
  return canonicalJson(JSON.parse(JSON.stringify(value ?? null)) as JsonValue);
}

/** SHA-256 (hex) of `releaseContentText(value)`, via Web Crypto: the digest the ledger stores. */
export async function releaseDigest(value: unknown): Promise<string> {
  return digestOfContent(releaseContentText(value));
}

/** SHA-256 (hex) of a text (a release's content text, a cache key), via Web Crypto. */
export async function digestOfContent(content: string): Promise<string> {
  return sha256Hex(content);
}
