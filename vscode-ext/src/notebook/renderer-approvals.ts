/**
 * The extension host's half of the gate renderer's messaging: the renderer asks whether an item
 * (MIME type and text) may be drawn. The host says yes when the item passes its own check — with
 * every view the user may see, which the webview does not know (so a masked view's rows are
 * held) — or when a reviewer approved the whole content of an output in the editor's notebook
 * holding exactly that item (signed in, experiment selected). A DP release (asked by the release
 * renderer) passes only when the ledger vouches for its id and content. Anything else — views
 * unknown after a short wait, no such output, a gateway failure — answers "no" (fail closed).
 * When what the answers depend on changes (sign-in, the stored token restored at start-up, views
 * loaded), every renderer is told to ask again about the items it holds.
 */
import * as vscode from 'vscode';
import type { Session } from '../session.js';
import {
  GATE_RENDERER_ID,
  isApprovalQuery,
  type ApprovalAnswer,
  type RecheckNotice,
} from '../shared/gate-messages.js';
import { outputOfItem } from '../shared/output-items.js';
import type { Approvals } from './approvals.js';
import { fromCellOutput } from './convert.js';
import type { UnknownReleases } from '@privet/core/client/index';
import { checkAsDrawnWith } from './drawn-check.js';
import type { GatewayViews } from './views-context.js';

/** How long an answer may wait for the views to load (the renderer waits 5 s in all). */
const VIEWS_WAIT_MS = 3000;

/** Changes closer together than this lead to one recheck notice (sign-in, then views loaded). */
const RECHECK_COALESCE_MS = 100;

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
  private readonly subscriptions: vscode.Disposable[] = [];
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;

  /** Starts answering. */
  constructor(
    private readonly approvals: Approvals,
    private readonly session: Session,
    private readonly views: GatewayViews,
  ) {
    this.subscriptions.push(
      session.onDidChange(() => this.recheckSoon()),
      views.onDidChange(() => this.recheckSoon()),
    );
    const answering = this.messaging.onDidReceiveMessage(({ editor, message }) => {
      if (!isApprovalQuery(message)) return;
      void this.shows(editor.notebook, message.mime, message.text).then((approved) => {
        const answer: ApprovalAnswer = {
          type: 'privet.approval',
          requestId: message.requestId,
          approved,
        };
        return this.messaging.postMessage(answer, editor);
      });
    });
    this.subscriptions.push(answering);
  }

  /** Tells every renderer, once changes settle, to ask again about the items it holds. */
  private recheckSoon(): void {
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => {
      const notice: RecheckNotice = { type: 'privet.recheck' };
      void this.messaging.postMessage(notice);
    }, RECHECK_COALESCE_MS);
  }

  /** True when the item passes the host's check or its output was approved. */
  private async shows(
    notebook: vscode.NotebookDocument,
    mime: string,
    text: string,
  ): Promise<boolean> {
    return (await this.passes(mime, text)) || this.approved(notebook, mime, text);
  }

  /**
   * True when the item passes review with every view (a possible table fails while unknown) and
   * the DP releases the ledger vouches for (Privet's controller's, or verified with the gateway).
   */
  private async passes(mime: string, text: string): Promise<boolean> {
    const views = await this.views.whenKnown(VIEWS_WAIT_MS);
    try {
      const output = outputOfItem(mime, text);
      const releases = this.approvals.releases;
      const unknown: UnknownReleases = new Map();
      if (checkAsDrawnWith(output, views, releases.lookup(unknown)).verdict === 'pass') return true;
      const client = this.session.signedIn?.client;
      if (unknown.size === 0 || !client || !(await releases.verify(client, unknown))) return false;
      return checkAsDrawnWith(output, views, releases.lookup()).verdict === 'pass';
    } catch {
      return false; // content the check cannot read is not drawn
    }
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
    clearTimeout(this.recheckTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
