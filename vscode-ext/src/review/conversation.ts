/**
 * The conversation on one review request as the analyst sees it in VS Code: the request's state
 * and every comment (the reviewer's reasons, the analyst's replies), and sending a reply. Pure
 * logic over the gateway client, so it is tested against a real gateway; the extension shows it in
 * a quick pick with a "Reply…" entry.
 */
import type { ReviewRequest, ReviewState } from '@privet/core/protocol';
import type { GatewayClient } from '../client/gateway.js';

/** One line of the conversation, ready for a quick pick. */
export interface ConversationLine {
  label: string;
  description: string;
  detail: string;
}

/** A review request's state and comments, formatted for display. */
export interface Conversation {
  reviewId: string;
  state: ReviewState;
  /** Title line: the request and what its state means for the withheld output. */
  title: string;
  lines: ConversationLine[];
}

/** What each state means for the withheld output. */
const STATE_TEXT: Record<ReviewState, string> = {
  pending: 'waiting for a reviewer',
  approved: 'approved: the output is restored in its cell',
  rejected: 'rejected: the output stays withheld',
  changes_requested: 'changes requested: change the code, run it again and request a new review',
};

/** Formats a review request's conversation (`formatTime` formats comment times). */
export function conversationOf(
  review: ReviewRequest,
  formatTime: (iso: string) => string = (iso) => new Date(iso).toLocaleString(),
): Conversation {
  return {
    reviewId: review.id,
    state: review.state,
    title: `Review ${review.id}: ${STATE_TEXT[review.state]}`,
    lines: review.comments.map((c) => ({
      label: c.author,
      description: formatTime(c.at),
      detail: c.text,
    })),
  };
}

/** Loads the conversation of review request `reviewId` from the gateway. */
export async function loadConversation(
  client: GatewayClient,
  reviewId: string,
): Promise<Conversation> {
  return conversationOf(await client.getReview(reviewId));
}

/** Sends the analyst's reply; refuses an empty one with a fix. Returns the updated conversation. */
export async function sendReply(
  client: GatewayClient,
  reviewId: string,
  text: string,
): Promise<Conversation> {
  if (text.trim() === '') {
    throw new Error('the reply is empty. Fix: write what you changed or why, then send it');
  }
  return conversationOf(await client.commentReview(reviewId, { text: text.trim() }));
}
