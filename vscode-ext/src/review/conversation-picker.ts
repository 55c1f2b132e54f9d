/**
 * "Privet: Review Comments": the conversation on a cell's review request in a quick pick (state in
 * the title, one line per comment, a placeholder saying what to do, "No comments yet" as a
 * separator that cannot be picked), and "Reply to the reviewer…", which asks for a reply in an input
 * box titled Privet: Reply to Review (and the id), sends it, and shows the conversation again.
 */
import * as vscode from 'vscode';
import type { GatewayClient } from '../client/gateway.js';
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

/** Shows the review's comments until closed; a failure goes to `showError` ("what", error). */
export async function showConversation(
  client: GatewayClient,
  reviewId: string,
  showError: (what: string, error: unknown) => void,
): Promise<void> {
  try {
    let conversation = await loadConversation(client, reviewId);
    for (;;) {
      const reply: vscode.QuickPickItem = { label: REPLY_LABEL, description: '', detail: '' };
      const empty = conversation.lines.length === 0 ? [NO_COMMENTS] : [];
      const picked = await vscode.window.showQuickPick([...conversation.lines, ...empty, reply], {
        title: `Privet: ${conversation.title}`,
        placeHolder: conversationPlaceholder(conversation),
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      if (picked !== reply) return;
      const text = await vscode.window.showInputBox({
        title: replyTitle(reviewId),
        prompt: 'Your answer to the reviewer (what you changed, or why the output is safe)',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Write a reply first' : undefined),
      });
      if (!text) return;
      conversation = await sendReply(client, reviewId, text);
    }
  } catch (error) {
    showError('loading or answering the review comments', error);
  }
}
