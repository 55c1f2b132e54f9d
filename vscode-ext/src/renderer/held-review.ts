/**
 * The review state of a withheld output as Privet's placeholders say it: once "Request Review"
 * sent it, its placeholder's second line follows the review (pending, rejected, changes
 * requested) instead of offering "Request Review" again. The state reaches the renderers in two
 * ways — a `review` field of the placeholder item the host wrote, and a `review` field of the
 * host's answer about an item the gate renderer holds — and neither is taken on trust: only a
 * known state is drawn, as this file's own text (nothing the output or a kernel says). No DOM and
 * no VS Code API here, so the host's code uses it too.
 */
import type { ReviewState } from '@privet/core/protocol';
import type { ApprovalAnswer } from '../shared/gate-messages.js';

/** A sent output's review state as its placeholder shows it (approved outputs are restored). */
export type HeldReviewState = 'pending' | 'rejected' | 'changes_requested';

/** Second line of a placeholder per review state (a Record, so every state has its text). */
const REVIEW_HINTS: Record<HeldReviewState, string> = {
  pending:
    'It was sent for review and waits for a reviewer: it appears here once approved, and stays off the notebook until then.',
  rejected: 'A reviewer rejected it, so it stays withheld.',
  changes_requested:
    'A reviewer asked for changes: see the comments ("Review Comments" on the cell), change the code and run the cell again.',
};

/** True for a review state a placeholder can show (anything else is not drawn). */
export function isHeldReviewState(value: unknown): value is HeldReviewState {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REVIEW_HINTS, value);
}

/** The placeholder's second line for a review state. */
export function reviewHint(state: HeldReviewState): string {
  return REVIEW_HINTS[state];
}

/**
 * What a sent output's placeholder shows for the gateway's review state (undefined: not asked
 * yet); an approved one is still "pending" until its original is put back, as the status bar says.
 */
export function heldReviewState(state: ReviewState | undefined): HeldReviewState {
  return state === 'rejected' || state === 'changes_requested' ? state : 'pending';
}

/**
 * Host → gate renderer: an ApprovalAnswer that, for an item held because the outputs holding it
 * are flagged, may say the review state of that content (it was sent for review).
 */
export interface ReviewedApprovalAnswer extends ApprovalAnswer {
  review?: HeldReviewState;
}

/** The review state an answer carries, if it is a known one (else undefined: not drawn). */
export function answerReviewState(message: unknown): HeldReviewState | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const review = (message as { review?: unknown }).review;
  return isHeldReviewState(review) ? review : undefined;
}
