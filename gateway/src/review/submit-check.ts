// Why: a review request carries one output of up to 16 MB; its export-mode rule check, content
// hash and raw-value lookup cost tens of milliseconds per megabyte, so the gateway runs them in
// its output-check worker (output-check-worker.ts) rather than on the event loop. What the check
// asks the ledger (the output's DP releases) is read beforehand (release-snapshot.ts).
import type { Policy } from '@privet/core';
import {
  checkOutputAfter,
  approvalHash,
  settingsFromExportRules,
  type NotebookOutput,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core/review/index';
import type { OutputLeakItem } from '@privet/core';
import { knownReleaseIn } from './release-snapshot.js';

/** What checking a submitted output needs: the output, its stream context and the snapshots. */
export interface SubmitCheckInput {
  output: NotebookOutput;
  /** The earlier parts of its stream in the cell ('' when none). */
  streamContext: string;
  exportRules: Policy['export'];
  /** `committedReleases` keys of the output's DP releases. */
  releases: string[];
  /** The views the row-level rule knows (`reviewedViews`), as the hosts check with. */
  viewsUsed: readonly ViewUsed[];
}

/** The submitted output's approval hash (content after its stream context), export-mode check and raw-value verdict. */
export interface SubmitCheck {
  contentHash: string;
  result: ReviewResult;
  /** True when it shows a raw identifier value (the gateway's keyed index). */
  rawValue: boolean;
}

/** Checks a submitted output; `rawValue` answers the index lookup for it. */
export async function checkSubmitted(
  input: SubmitCheckInput,
  rawValue: (item: OutputLeakItem) => boolean,
): Promise<SubmitCheck> {
  const { output, streamContext } = input;
  // A stream part's approval covers the earlier parts of its stream it was checked after.
  const contentHash = await approvalHash(output, streamContext);
  const result = checkOutputAfter(output, streamContext, {
    policy: settingsFromExportRules(input.exportRules),
    viewsUsed: input.viewsUsed,
    mode: 'export',
    knownRelease: knownReleaseIn(input.releases),
  });
  const item: OutputLeakItem =
    streamContext === '' ? { output } : { output, before: streamContext };
  return { contentHash, result, rawValue: rawValue(item) };
}
