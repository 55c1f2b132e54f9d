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
import { releaseText } from '../client/release-format.js';
import type { DpRelease } from '../protocol.js';
import type { NotebookOutput } from './types.js';

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

/**
 * The release an output shows and nothing else — a display output whose only parts are its
 * DP-release part and, optionally, exactly the text fallback the hosts write for it
 * (`releaseText`) — as its id, content text and value; undefined for any other output. Once the
 * ledger vouches for that id and content, the raw-value lookup reads it as `releaseLookupOutput`.
 */
export function wholeRelease(
  output: unknown,
): { id: string; content: string; value: unknown } | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const o = output as { output_type?: unknown; data?: unknown };
  if (o.output_type !== 'display_data' && o.output_type !== 'execute_result') return undefined;
  if (typeof o.data !== 'object' || o.data === null || Array.isArray(o.data)) return undefined;
  const data = o.data as Record<string, unknown>;
  const value = data[DP_RELEASE_MIME];
  const id = releaseIdOf(value);
  if (id === undefined) return undefined;
  for (const [mime, part] of Object.entries(data)) {
    if (mime === DP_RELEASE_MIME) continue;
    if (mime !== 'text/plain' || !isReleaseText(part, value)) return undefined;
  }
  return { id, content: releaseContentText(value), value };
}

/**
 * What the raw-value lookup reads of a committed release: its text — the SQL as the analyst wrote
 * it, column names, group keys, warnings — but not its numbers. The numbers are the DP
 * mechanism's noisy answers and bounds, and a run of them ("1,234,567 [1,100,000, …") reads as a
 * phone-like id to the index, which held paid releases no review could approve.
 */
export function releaseLookupOutput(value: unknown): NotebookOutput {
  const release = value as Partial<DpRelease>;
  const text = {
    sql: typeof release.sql === 'string' ? release.sql : '',
    columns: Array.isArray(release.columns) ? release.columns.map((c) => String(c?.name)) : [],
    keys: Array.isArray(release.rows)
      ? release.rows.map((r) => Object.values(r?.keys ?? {}).map((k) => String(k)))
      : [],
    warnings: Array.isArray(release.warnings) ? release.warnings.map(String) : [],
  };
  return {
    output_type: 'display_data',
    data: { 'application/json': text },
    metadata: {},
  } as unknown as NotebookOutput;
}

/** True when `text` is exactly `releaseText` of `value` (a string or a list of strings). */
function isReleaseText(text: unknown, value: unknown): boolean {
  const joined = Array.isArray(text) ? text.join('') : text;
  if (typeof joined !== 'string') return false;
  try {
    return joined === releaseText(value as DpRelease);
  } catch {
    return false; // not shaped as a release: its fallback cannot be the hosts'
  }
}
