/**
 * How a submitted output's review state reads in its cell's status bar (pure, so it is tested
 * without VS Code).
 */
import type { ReviewState } from '@privet/core/protocol';

/** The status bar text of a submitted output's review state (undefined: not asked yet). */
export function reviewStateText(state: ReviewState | undefined): string {
  if (state === 'rejected') return '$(circle-slash) Review rejected';
  if (state === 'changes_requested') return '$(edit) Changes requested';
  return '$(watch) Review pending';
}

/** What the state means for the withheld output (tooltip text). */
export function reviewStateTooltip(state: ReviewState | undefined): string {
  if (state === 'rejected') return 'a reviewer rejected it; the output stays withheld.';
  if (state === 'changes_requested')
    return 'a reviewer asked for changes: see the comments, change the code and run it again.';
  return 'waiting for a reviewer; the output appears here once approved.';
}
