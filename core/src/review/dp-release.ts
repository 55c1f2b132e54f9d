/**
 * DP provenance: values in Privet's DP-release MIME type are exempt from the small-cell rule only
 * when their release id is in the ledger (`knownReleaseIds`). A release-shaped object anywhere
 * else, or with an unknown id, is an imitation: it is flagged and checked like any other output.
 */

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
