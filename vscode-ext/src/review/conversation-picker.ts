/**
 * "Privet: Review Comments": the conversation on a cell's review request in a quick pick (state in
 * the title, one line per comment, a placeholder saying what to do, "No comments yet" as a
 * separator that cannot be picked), and "Reply to the reviewer…", which asks for a reply in an input
 * box titled Privet: Reply to Review (and the id), sends it, and shows the conversation again. The
 * pick opens at once, busy, while the conversation loads or the reply is sent.
 */
import * as vscode from 'vscode';
import type { GatewayClient } from '../client/gateway.js';
import { pickWhileLoading, type LoadedPick } from '../shared/busy-pick.js';
import { loadConversation, sendReply, type Conversation } from './conversation.js';

/** The quick pick line that asks for a reply. */
export const REPLY_LABEL = '$(reply) Reply to the reviewer…';

/** The line said when there is no comment: a separator, so picking it cannot close the pick. */
export const NO_COMMENTS: vscode.QuickPickItem = {
  label: 'No comments yet',
  kind: vscode.QuickPickItemKind.Separator,
};

/** The quick pick's placeholder: what to do. */
export function conversationPlaceholder(conversation: Conversation): string {
  return conversation.lines.length === 0
    ? 'Pick "Reply to the reviewer…" to write the first comment, or press Escape to close'
    : 'Comments, oldest first. Pick "Reply to the reviewer…" to answer, or press Escape to close';
}

/** The input box title for a reply on review `reviewId`. */
export function replyTitle(reviewId: string): string {
  return `Privet: Reply to Review ${reviewId}`;
}

/** The pick of `conversation`: its lines ("No comments yet" when none), then `reply`. */
function conversationPick(
  conversation: Conversation,
  reply: vscode.QuickPickItem,
): LoadedPick<vscode.QuickPickItem> {
  const empty = conversation.lines.length === 0 ? [NO_COMMENTS] : [];
  return {
    title: `Privet: ${conversation.title}`,
    placeholder: conversationPlaceholder(conversation),
    items: [...conversation.lines, ...empty, reply],
  };
}

/** Shows the review's comments until closed; a failure goes to `showError` ("what", error). */
export async function showConversation(
  client: GatewayClient,
  reviewId: string,
  showError: (what: string, error: unknown) => void,
): Promise<void> {
  try {
    // The conversation the pick waits for: read first, then the one the gateway answers a reply with.
    let conversation: () => Promise<Conversation> = () => loadConversation(client, reviewId);
    let loadingPlaceholder = `Loading the comments on review ${reviewId}…`;
    let lastReply: Promise<Conversation> | undefined;
    for (;;) {
      const reply: vscode.QuickPickItem = { label: REPLY_LABEL, description: '', detail: '' };
      const picked = await pickWhileLoading(
        {
          title: `Privet: Review ${reviewId}`,
          loadingPlaceholder,
          matchOnDetail: true,
          ignoreFocusOut: true,
        },
        conversation,
        (loaded) => conversationPick(loaded, reply),
      );
      if (picked !== reply) {
        // Closed while a reply was still being sent: a reply that did not reach the reviewer is
        // still reported (only a read is dropped when the user closes the pick).
        if (lastReply) await lastReply;
        return;
      }
      const text = await vscode.window.showInputBox({
        title: replyTitle(reviewId),
        prompt: 'Your answer to the reviewer (what you changed, or why the output is safe)',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Write a reply first' : undefined),
      });
      if (!text) return;
      // Handled at once: the next pick waits for it (and drops it only once closed, see above).
      const sending = sendReply(client, reviewId, text);
      lastReply = sending;
      conversation = () => sending;
      loadingPlaceholder = 'Sending your reply…';
    }
  } catch (error) {
    showError('loading or answering the review comments', error);
  }
}
