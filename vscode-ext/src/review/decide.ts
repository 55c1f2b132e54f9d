/**
 * A reviewer's decision, free of the VS Code API: checks the comment rule before asking the
 * gateway (a comment is required to reject or request changes), then POST /reviews/:id/decision.
 */
import type { ReviewDecision, ReviewRequest } from '@privet/core/protocol';
import { outputParts } from '@privet/core/review/index';
import { errorText } from '../client/error-text.js';
import type { GatewayClient } from '../client/gateway.js';
import type { ToReviewWebview } from './messages.js';

/** Decides review request `id`; throws with a fix when the comment is missing. */
export async function decideReview(
  client: GatewayClient,
  id: string,
  decision: ReviewDecision,
  comment: string,
): Promise<ReviewRequest> {
  const text = comment.trim();
  if (decision !== 'approve' && text === '') {
    throw new Error(
      `a comment is required to ${decision === 'reject' ? 'reject' : 'request changes on'} ${id}. ` +
        'Fix: write what the analyst should change or why it is refused',
    );
  }
  return client.decideReview(id, text === '' ? { decision } : { decision, comment: text });
}

/** Pending requests first, then the newest. */
export function queueOrder(reviews: readonly ReviewRequest[]): ReviewRequest[] {
  return [...reviews].sort(
    (a, b) =>
      Number(b.state === 'pending') - Number(a.state === 'pending') ||
      b.createdAt.localeCompare(a.createdAt),
  );
}

/** The whole output of request `id` as the queue webview shows it, or why it could not be read. */
export async function wholeOutputMessage(
  client: GatewayClient,
  id: string,
): Promise<ToReviewWebview> {
  try {
    const { output } = await client.reviewOutput(id);
    return { type: 'output', id, parts: outputParts(output) };
  } catch (error) {
    return { type: 'outputError', id, message: errorText(error) };
  }
}
