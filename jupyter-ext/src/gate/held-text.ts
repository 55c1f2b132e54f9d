/**
 * The state line of the placeholder shown instead of a held output (HeldOutput.tsx), apart from
 * React so it is tested in Node: what the placeholder knows of the output's review, and what to do.
 */
import { RAW_VALUE_CHECKING_TEXT, RAW_VALUE_TEXT, rawValueUnavailableText } from './raw-value.js';
import type { Finding } from '@privet/core/review/index';
import { GatewayError } from '@privet/core/client/index';
import { signInRefusal } from './sign-in-refusal.js';
import { ViewsUnavailableError } from './views-unavailable.js';

/** What the placeholder knows about the held output's review. */
export type HeldState =
  | 'checking'
  | 'none'
  | 'pending'
  | 'rejected'
  | 'changes_requested'
  | 'signed-out'
  | 'no-experiment'
  | 'unavailable'
  /** Passes alone, but another part of the same stream in this cell is held. */
  | 'with-stream'
  /** Waiting for the gateway's raw-value verdict (nothing is shown before it). */
  | 'checking-raw'
  /** Shows a value of the raw data's identifier columns: no review can approve it. */
  | 'raw-value'
  /** The gateway could not check it against the raw data (see `unavailable`). */
  | 'raw-unavailable';

/** True when the gateway could not be asked (reviews or raw values): "Check again" asks again. */
export function canRecheck(state: HeldState): boolean {
  return state === 'unavailable' || state === 'raw-unavailable';
}

/** What the placeholder is told about asking the gateway again (HeldOutputProps' part). */
export interface RecheckProps {
  /** Why the gateway could not check it against the raw data ('raw-unavailable'). */
  unavailable?: { reason: string; fix: string };
  /** Asks the gateway again. */
  onRecheck?: () => void;
}

/**
 * The placeholder's recheck props for a held output (GatedOutput.hold): `onRecheck` whenever
 * asking again can help (canRecheck: also a review lookup that failed, which has no
 * `unavailable`), and `unavailable` when the raw-value check said why.
 */
export function recheckProps(
  held: { state: HeldState; unavailable?: { reason: string; fix: string } },
  recheck: () => void,
): RecheckProps {
  return {
    ...(held.unavailable ? { unavailable: held.unavailable } : {}),
    ...(canRecheck(held.state) ? { onRecheck: recheck } : {}),
  };
}

/** What the state line reads from the placeholder's props. */
export interface HeldStateProps {
  state: HeldState;
  findings: readonly Finding[];
  reviewId?: string;
  /** The stream a 'with-stream' part belongs to (stdout or stderr). */
  stream?: string;
  /**
   * Why the gateway could not check it against the raw data ('raw-unavailable'), or why its
   * review state could not be learned ('unavailable', from approvalLookupProblem).
   */
  unavailable?: { reason: string; fix: string };
}

/**
 * Why asking whether a held output was approved failed, and what to do (ending in "Check again"),
 * for its placeholder ('unavailable'):
 * the views being unknown, or the gateway's own error (its message and fix never hold data).
 * Undefined for any other error, which the placeholder answers with its general text.
 */
export function approvalLookupProblem(error: unknown): { reason: string; fix: string } | undefined {
  if (error instanceof ViewsUnavailableError) {
    return {
      reason: `${error.problem.reason}, so outputs that may be tables stay hidden and a review would not release them`,
      fix: `${error.problem.fix}, or choose Check again`,
    };
  }
  if (error instanceof GatewayError) {
    const fix = error.fix.trim().replace(/[.\s]+$/, '');
    return {
      reason: `the gateway could not be asked whether it was approved (${error.message.replace(/[.\s]+$/, '')})`,
      fix: `${fix || 'check that the gateway is running (npm start)'}, then choose Check again`,
    };
  }
  return undefined;
}

/** What the placeholder's state line says (never the output's content). */
export function heldStateText(props: HeldStateProps): string {
  return (signInRefusal.refused && refusedText(props)) || stateText(props);
}

/**
 * The state line of a review that cannot be checked because the gateway refused the sign-in
 * (sign-in-refusal.ts), or '' for states the sign-in does not matter to.
 */
function refusedText(props: HeldStateProps): string {
  const why =
    'your sign-in is no longer accepted. Fix: sign out and sign in again (Privet data panel).';
  if (props.state === 'pending') {
    return `Review requested (${props.reviewId ?? 'pending'}), but Privet cannot check whether it was approved: ${why}`;
  }
  if (props.state === 'unavailable') {
    return `The gateway could not be asked whether this output was approved, so it stays hidden: ${why}`;
  }
  return '';
}

/** The state line when the sign-in is accepted. */
function stateText(props: HeldStateProps): string {
  switch (props.state) {
    case 'checking':
      return 'Checking whether a reviewer approved this output…';
    case 'none':
      return 'Not reviewed. Request a review to have it released.';
    case 'pending':
      return `Review requested (${props.reviewId ?? 'pending'}); it appears here once approved.`;
    case 'rejected':
      return 'A reviewer rejected this output; it stays hidden.';
    case 'changes_requested':
      return 'A reviewer asked for changes: change the code, run it again and request a new review.';
    case 'signed-out':
      return 'Sign in to Privet (data panel) to see whether it was approved or to request a review.';
    case 'no-experiment':
      return 'Select an experiment in the Privet data panel to request a review.';
    case 'unavailable':
      return props.unavailable
        ? `This output stays hidden: ${props.unavailable.reason}. Fix: ${props.unavailable.fix}.`
        : 'The gateway could not be asked whether this output was approved, so it stays hidden. Fix: check that the gateway is running (npm start), then choose Check again.';
    case 'with-stream':
      return props.findings.some((f) => f.rule === 'raw-value')
        ? `Another part of this cell's ${props.stream ?? 'output'} is held (output on the other stream split it into parts) on the raw data's identifier columns, which no review can approve; this part stays hidden with it. Fix: remove the value and run the cell again.`
        : `Another part of this cell's ${props.stream ?? 'output'} is held (output on the other stream split it into parts); this part shows once that part is approved.`;
    case 'checking-raw':
      return RAW_VALUE_CHECKING_TEXT;
    case 'raw-value':
      return RAW_VALUE_TEXT;
    case 'raw-unavailable':
      return rawValueUnavailableText(
        props.unavailable?.reason ?? 'the gateway did not answer',
        props.unavailable?.fix ?? 'check that the gateway is running, then run the cell again',
      );
  }
}
