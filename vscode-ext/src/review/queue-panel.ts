/**
 * "Privet: Open Review Queue": a webview panel listing review requests with the redacted preview,
 * findings, cell code, views used, the experiment's purpose and the justification, and (for
 * reviewers) approve / reject / request changes with a comment. Strict CSP: no inline script, only
 * media/review.js with a fresh nonce; localResourceRoots limited to media/. Refreshed after every
 * decision and on every session change.
 */
import * as vscode from 'vscode';
import { errorText } from '../client/error-text.js';
import { GatewayError } from '../client/gateway.js';
import type { Session } from '../session.js';
import { groupFindings, previewIsPartial } from '@privet/core/review/index';
import { decideReview, queueOrder, wholeOutputMessage } from './decide.js';
import { parseFromReviewWebview, type ToReviewWebview } from './messages.js';
import { webviewHtml } from '../webview/html.js';
import { panelIconPath } from '../webview/panel-icon.js';

/** View type of the panel. */
export const REVIEW_PANEL_TYPE = 'privet.reviewQueue';

/** The single review queue panel of the window. */
export class ReviewQueuePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly subscription: vscode.Disposable;

  /** Creates the (not yet shown) panel; `decided` runs after each successful decision. */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: Session,
    private readonly decided: () => void,
  ) {
    this.subscription = session.onDidChange(() => void this.update());
  }

  /** Shows the panel (creating it once) and loads the queue. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.update();
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(
      REVIEW_PANEL_TYPE,
      'Privet: Review Queue',
      vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: false },
    );
    this.panel = panel;
    panel.iconPath = panelIconPath(this.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, media, 'review', 'Privet review queue');
    panel.onDidDispose(() => (this.panel = undefined));
    panel.webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parseFromReviewWebview(raw);
      if (!message) return;
      if (message.type === 'output') return this.sendOutput(message.id);
      if (message.type !== 'decide') return this.update();
      await this.decide(message.id, message.decision, message.comment);
    });
  }

  /** Reads the whole output of request `id` from the gateway and sends it to the webview. */
  private async sendOutput(id: string): Promise<void> {
    const signedIn = this.session.signedIn;
    if (!signedIn) return this.post({ type: 'signedOut' });
    await this.post(await wholeOutputMessage(signedIn.client, id));
  }

  private async decide(
    id: string,
    decision: 'approve' | 'reject' | 'request_changes',
    comment: string,
  ): Promise<void> {
    const signedIn = this.session.signedIn;
    if (!signedIn) return this.post({ type: 'signedOut' });
    try {
      const r = await decideReview(signedIn.client, id, decision, comment);
      this.decided();
      await this.update(`${r.id} is now ${r.state.replace('_', ' ')}`);
    } catch (error) {
      const text = errorText(error);
      void vscode.window.showErrorMessage(`Privet: the review decision failed: ${text}`);
      await this.update(`decision on ${id} failed: ${text}`);
    }
  }

  /** Re-reads the queue from the gateway and posts it. */
  async update(notice?: string): Promise<void> {
    if (!this.panel) return;
    const signedIn = this.session.signedIn;
    if (!signedIn) return this.post({ type: 'signedOut' });
    try {
      const { reviews } = await signedIn.client.listReviews();
      await this.post({
        type: 'queue',
        user: signedIn.user,
        reviewer: signedIn.roles.includes('reviewer'),
        // Each finding once, however many readings of the output found it (with how many).
        reviews: queueOrder(reviews).map((r) => ({ ...r, findings: groupFindings(r.findings) })),
        partial: reviews.filter((r) => previewIsPartial(r)).map((r) => r.id),
        ...(notice ? { notice } : {}),
      });
    } catch (error) {
      if (error instanceof GatewayError)
        return this.post({ type: 'error', message: error.message, fix: error.fix });
      return this.post({
        type: 'error',
        message: `the review queue could not be read (${String(error)})`,
        fix: 'check privet.gatewayUrl and sign in again',
      });
    }
  }

  private async post(message: ToReviewWebview): Promise<void> {
    await this.panel?.webview.postMessage(message);
  }

  /** Closes the panel and stops listening. */
  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }
}
