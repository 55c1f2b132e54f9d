/**
 * The extension host's half of the gate renderer's messaging: the renderer asks whether the
 * output holding an item (MIME type and text) was approved; the host finds the outputs of the
 * editor's notebook with exactly that item and answers from the gateway's approvals of their
 * whole content (signed in, experiment selected). Anything else — no such output, signed out, a
 * gateway failure — answers "no" (fail closed).
 */
import * as vscode from 'vscode';
import type { Session } from '../session.js';
import { GATE_RENDERER_ID, isApprovalQuery, type ApprovalAnswer } from '../shared/gate-messages.js';
import type { Approvals } from './approvals.js';
import { fromCellOutput } from './convert.js';

/**
 * The outputs in `notebook` whose items of this MIME type, joined (VS Code draws a stream appended
 * in pieces as one), are exactly this text.
 */
function outputsWithItem(
  notebook: vscode.NotebookDocument,
  mime: string,
  text: string,
): vscode.NotebookCellOutput[] {
  const decoder = new TextDecoder();
  return notebook
    .getCells()
    .flatMap((cell) => cell.outputs)
    .filter((o) => {
      const parts = o.items.filter((i) => i.mime === mime);
      return parts.length > 0 && parts.map((i) => decoder.decode(i.data)).join('') === text;
    });
}

/** Answers the gate renderer's approval questions. */
export class RendererApprovals implements vscode.Disposable {
  private readonly messaging = vscode.notebooks.createRendererMessaging(GATE_RENDERER_ID);
  private readonly subscription: vscode.Disposable;

  /** Starts answering. */
  constructor(
    private readonly approvals: Approvals,
    private readonly session: Session,
  ) {
    this.subscription = this.messaging.onDidReceiveMessage(({ editor, message }) => {
      if (!isApprovalQuery(message)) return;
      void this.approved(editor.notebook, message.mime, message.text).then((approved) => {
        const answer: ApprovalAnswer = {
          type: 'privet.approval',
          requestId: message.requestId,
          approved,
        };
        return this.messaging.postMessage(answer, editor);
      });
    });
  }

  /** True when a reviewer approved the whole content of an output holding that item. */
  private async approved(
    notebook: vscode.NotebookDocument,
    mime: string,
    text: string,
  ): Promise<boolean> {
    const signedIn = this.session.signedIn;
    if (!signedIn?.experiment) return false;
    for (const output of outputsWithItem(notebook, mime, text)) {
      try {
        const original = fromCellOutput(output);
        if (await this.approvals.isApproved(signedIn.client, signedIn.experiment, original))
          return true;
      } catch {
        // An output that cannot be read or asked about is not approved.
      }
    }
    return false;
  }

  /** Stops answering. */
  dispose(): void {
    this.subscription.dispose();
  }
}
