// Why: the rule check exempts a DP release from the small-cell rule only when the ledger committed
// it with exactly that content. The output-check worker has no database, so the releases an
// output (or a notebook's outputs) carries are looked up here first, on the main thread, and the
// worker answers the check's questions from that snapshot. A release the snapshot lacks is not
// exempt: it is checked like any other output (fail closed).
import { createHash } from 'node:crypto';
import { DP_RELEASE_MIME, releaseContentText, releaseIdOf } from '@privet/core/review/index';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** `id digest`: one committed release with exactly that content. */
const releaseKey = (id: string, digest: string): string => `${id} ${digest}`;

/** The DP-release values among `outputs` (as the rule check reads them: objects or JSON text). */
function releaseValues(outputs: readonly unknown[]): unknown[] {
  const values: unknown[] = [];
  for (const output of outputs) {
    const data = (output as { data?: unknown } | null)?.data;
    if (typeof data !== 'object' || data === null || !(DP_RELEASE_MIME in data)) continue;
    const raw = (data as Record<string, unknown>)[DP_RELEASE_MIME];
    if (typeof raw !== 'string') values.push(raw);
    else
      try {
        values.push(JSON.parse(raw) as unknown);
      } catch {
        // Not a release: the rule check holds it as malformed.
      }
  }
  return values;
}

/** [id, content digest] of every DP release in `outputs` (read where the outputs are parsed). */
export function releaseClaimsOf(outputs: readonly unknown[]): [string, string][] {
  const claims = new Map<string, [string, string]>();
  for (const value of releaseValues(outputs)) {
    const id = releaseIdOf(value);
    if (id === undefined) continue;
    const digest = sha256(releaseContentText(value));
    claims.set(releaseKey(id, digest), [id, digest]);
  }
  return [...claims.values()];
}

/** `id digest` keys of the `claims` the ledger committed with that content. */
export function committedClaims(
  claims: readonly (readonly [string, string])[],
  committed: (id: string, digest: string) => boolean,
): string[] {
  return claims.filter(([id, digest]) => committed(id, digest)).map(([id, d]) => releaseKey(id, d));
}

/** `id digest` keys of the DP releases in `outputs` the ledger committed with that content. */
export function committedReleases(
  outputs: readonly unknown[],
  committed: (id: string, digest: string) => boolean,
): string[] {
  return committedClaims(releaseClaimsOf(outputs), committed);
}

/** The rule check's `knownRelease`, answered from `committedReleases` keys. */
export function knownReleaseIn(keys: readonly string[]): (id: string, content: string) => boolean {
  const known = new Set(keys);
  return (id, content) => known.has(releaseKey(id, sha256(content)));
}
