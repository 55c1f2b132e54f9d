/**
 * Why a held output's review state is not offered while the views could not be loaded: a review
 * cannot release a table held only because they are unknown (it stays held: fail closed), so the
 * placeholder says why the views are unknown and how to fix it, instead of "Request a review".
 */
import type { ViewsProblem } from '@privet/core/client/index';

/** The gate's answer to "was this output approved?" while the views are unknown. */
export class ViewsUnavailableError extends Error {
  /** Creates the error from why the views are unknown. */
  constructor(readonly problem: ViewsProblem) {
    super(
      `${problem.reason}, so outputs that may be tables stay hidden and a review would not release them. Fix: ${problem.fix}.`,
    );
    this.name = 'ViewsUnavailableError';
  }
}
