/**
 * `publish`: materializes every masked and synthetic view of the policy as Parquet + Arrow IPC +
 * manifest (synthetic views also get fidelity.json/.svg). All requested views are staged and
 * verified first; only when every one passed are they fsynced, journaled and swapped in (each by
 * atomic renames; recovery finishes a batch a crash interrupted once its audit entries and charges
 * committed, and drops it otherwise, see prepared.ts), so a failing view leaves every previously
 * published version intact and no temporary folders behind. Synthetic views charge their source's
 * publication budget: reserved before synthesis, committed after staging and before the swap,
 * refunded on failure. A synthetic view whose inputs (view and column declarations, source version)
 * are unchanged is kept as is and charged nothing; one rebuilt into Parquet byte-identical to a
 * release a committed charge paid for (same view, source and inputs) has its reservation refunded
 * (identical-release.ts). Every masked view gets a `publish` audit entry (its Parquet hash and row
 * counts) before the swap, in one transaction with the charges; if the publish fails after that (a
 * swap), every view audited or charged gets a follow-up `publish` entry with step `failed` (see
 * failure.ts), and views already swapped in are put back to their previous version.
 *
 * Where each step lives: publish-views.ts (the run), select-views.ts (which views),
 * stage-masked-view.ts and stage-synthetic-view.ts (staging), kept-view.ts (unchanged synthetic
 * views), commit-batch.ts (journal, audit, charge, swap), repeat-release.ts (refunding repeats),
 * failed-publish.ts (undoing a failure).
 */
export { readManifest, viewFiles, viewsDir, type ViewFiles } from './layout.js';
export { PublishError, UnreadableManifestError } from './errors.js';
export { PublicationLedger, PUBLICATION_KEY } from './charge.js';
export type {
  PublishOptions,
  PublishProgress,
  PublishRecords,
  PublishResult,
} from './publish-types.js';
export { requestedViews } from './select-views.js';
export { upToDate } from './kept-view.js';
export { publishViews } from './publish-views.js';
