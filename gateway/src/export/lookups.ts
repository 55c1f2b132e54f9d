// Why: an export's rule check and content hashes take tens of milliseconds per megabyte, too long
// for the gateway's event loop, so the whole filter runs in the output-check worker. The worker
// has no database: what the filter asks the stores (which DP releases the ledger committed, which
// contents a reviewer approved) is read here first, on the main thread, for this notebook and
// experiment only, and handed over with it. A release the snapshot misses is not exempt (fail
// closed); an approval made after the snapshot counts from the next export.
import type { OutputLeakItem, Policy } from '@privet/core';
import type { ViewUsed } from '@privet/core/review/index';
import { committedReleases, knownReleaseIn } from '../review/release-snapshot.js';
import { filterNotebook, type FilteredNotebook } from './filter.js';

/** What filtering an export needs from the gateway's stores, read before it starts. */
export interface ExportLookups {
  /** The policy's export rules. */
  exportRules: Policy['export'];
  /** `id digest` of each DP release in the notebook that the ledger committed with that content. */
  releases: string[];
  /** [content hash, review id] of each content the newest request in the experiment approved. */
  approved: [string, string][];
  /** The views the row-level rule knows (`reviewedViews`), as the hosts check with. */
  viewsUsed: readonly ViewUsed[];
}

/** The stores' answers ExportLookups are read from. */
export interface ExportStores {
  /** True when the ledger committed release `id` with content of SHA-256 `digest`. */
  releaseCommitted: (id: string, digest: string) => boolean;
  /** Every content hash approved in the experiment, with its review id. */
  approved: () => Map<string, string>;
  /** The views the row-level rule knows. */
  views: () => readonly ViewUsed[];
}

/** Every output of `notebook`'s cells (none when it has no cell list). */
export function notebookOutputs(notebook: unknown): unknown[] {
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) return [];
  return cells.flatMap((cell) => {
    const outputs = (cell as { outputs?: unknown } | null)?.outputs;
    return Array.isArray(outputs) ? (outputs as unknown[]) : [];
  });
}

/** Reads what filtering `notebook` will ask the stores. */
export function exportLookups(
  notebook: unknown,
  exportRules: Policy['export'],
  stores: ExportStores,
): ExportLookups {
  return {
    exportRules,
    releases: committedReleases(notebookOutputs(notebook), stores.releaseCommitted),
    approved: [...stores.approved()],
    viewsUsed: stores.views(),
  };
}

/** Filters `notebook` with answers read beforehand (in the worker, or in a one-shot CLI). */
export function filterWithLookups(
  notebook: unknown,
  lookups: ExportLookups,
  rawValues: (items: OutputLeakItem[]) => Promise<boolean[]>,
): Promise<FilteredNotebook> {
  const approved = new Map(lookups.approved);
  return filterNotebook(notebook, {
    exportRules: lookups.exportRules,
    knownRelease: knownReleaseIn(lookups.releases),
    approvedReviewId: (hash) => approved.get(hash),
    viewsUsed: lookups.viewsUsed,
    rawValues,
  });
}
