// Why: an export's rule check and content hashes take tens of milliseconds per megabyte, too long
// for the gateway's event loop, so the whole filter runs in the output-check worker. The worker
// has no database: what the filter asks the stores (which DP releases the ledger committed, which
// contents a reviewer approved) is read here first, on the main thread, for this notebook and
// experiment only, and handed over with it. A release the snapshot misses is not exempt (fail
// closed); an approval made after the snapshot counts from the next export.
import { createHash } from 'node:crypto';
import type { OutputLeakItem, Policy } from '@privet/core';
import { DP_RELEASE_MIME, releaseContentText, releaseIdOf } from '@privet/core/review/index';
import { filterNotebook, type FilteredNotebook } from './filter.js';

/** What filtering an export needs from the gateway's stores, read before it starts. */
export interface ExportLookups {
  /** The policy's export rules. */
  exportRules: Policy['export'];
  /** `id digest` of each DP release in the notebook that the ledger committed with that content. */
  releases: string[];
  /** [content hash, review id] of each content the newest request in the experiment approved. */
  approved: [string, string][];
}

/** The stores' answers ExportLookups are read from. */
export interface ExportStores {
  /** True when the ledger committed release `id` with content of SHA-256 `digest`. */
  releaseCommitted: (id: string, digest: string) => boolean;
  /** Every content hash approved in the experiment, with its review id. */
  approved: () => Map<string, string>;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** `id digest`: one committed release with exactly that content. */
const releaseKey = (id: string, digest: string): string => `${id} ${digest}`;

/** Every DP-release value in the outputs of `notebook`'s cells (as the rule check reads them). */
function releaseValues(notebook: unknown): unknown[] {
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) return [];
  const values: unknown[] = [];
  for (const cell of cells) {
    const outputs = (cell as { outputs?: unknown } | null)?.outputs;
    if (!Array.isArray(outputs)) continue;
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
  }
  return values;
}

/** Reads what filtering `notebook` will ask the stores. */
export function exportLookups(
  notebook: unknown,
  exportRules: Policy['export'],
  stores: ExportStores,
): ExportLookups {
  const releases = new Set<string>();
  for (const value of releaseValues(notebook)) {
    const id = releaseIdOf(value);
    if (id === undefined) continue;
    const digest = sha256(releaseContentText(value));
    if (stores.releaseCommitted(id, digest)) releases.add(releaseKey(id, digest));
  }
  return { exportRules, releases: [...releases], approved: [...stores.approved()] };
}

/** Filters `notebook` with answers read beforehand (in the worker, or in a one-shot CLI). */
export function filterWithLookups(
  notebook: unknown,
  lookups: ExportLookups,
  rawValues: (items: OutputLeakItem[]) => Promise<boolean[]>,
): Promise<FilteredNotebook> {
  const releases = new Set(lookups.releases);
  const approved = new Map(lookups.approved);
  return filterNotebook(notebook, {
    exportRules: lookups.exportRules,
    knownRelease: (id, content) => releases.has(releaseKey(id, sha256(content))),
    approvedReviewId: (hash) => approved.get(hash),
    rawValues,
  });
}
