/**
 * Restores withheld outputs once a reviewer approved exactly their content: asks the gateway
 * (POST /reviews/status by content hash) on every session change, on "Privet: Check Review Status",
 * and every 15 s while a submitted original is still waiting (no polling otherwise). The
 * placeholder is replaced by the held original in its cell, and the original is forgotten (only
 * while the session still uses the sign-in and experiment that asked). The
 * output gate uses the same step for an original the gateway cleared after its placeholder went in
 * (approved content, a DP release the ledger vouches for) or that passes once the views are known.
 * Until then, the placeholder of a sent original says its review state (ReviewPlaceholders, which
 * the restorer starts: it rewrites the placeholder when a review is requested or its state changes).
 */
import * as vscode from 'vscode';
import type { NotebookOutput } from '@privet/core';
import type { Session } from '../session.js';
import type { ApprovedHeld, Approvals } from './approvals.js';
import { heldIdsOf, replaceOutputsEdit, toCellOutput } from './convert.js';
import type { HeldOutputs } from './held.js';
import { errorText } from '../client/error-text.js';
import { logFailure, type FailureLog } from '../shared/show-error.js';
import { ReviewPlaceholders } from './review-placeholders.js';

/** How often waiting review requests are re-checked. */
const POLL_MS = 15_000;

/**
 * Replaces, in one edit, every output that is the placeholder of held id `heldId` with `output`;
 * resolves to how many it replaced (0 when the edit did not apply).
 */
export async function replaceHeldPlaceholder(
  heldId: string,
  output: NotebookOutput,
): Promise<number> {
  let replaced = 0;
  const edit = new vscode.WorkspaceEdit();
  for (const notebook of vscode.workspace.notebookDocuments) {
    const edits: vscode.NotebookEdit[] = [];
    for (const cell of notebook.getCells()) {
      const at = heldIdsOf(cell).indexOf(heldId);
      if (at < 0) continue;
      const outputs = cell.outputs.map((o, i) => (i === at ? toCellOutput(output) : o));
      edits.push(replaceOutputsEdit(cell, outputs));
      replaced += 1;
    }
    if (edits.length > 0) edit.set(notebook.uri, edits);
  }
  if (replaced === 0 || !(await vscode.workspace.applyEdit(edit))) return 0;
  return replaced;
}

/**
 * Puts a held original back wherever its placeholder (held id `heldId`) is shown, in one edit;
 * the original is forgotten once the edit applied. Resolves to how many placeholders it replaced.
 */
export async function restoreHeldOriginal(
  held: HeldOutputs,
  heldId: string,
  output: NotebookOutput,
): Promise<number> {
  const restored = await replaceHeldPlaceholder(heldId, output);
  if (restored > 0) held.drop(heldId);
  return restored;
}

/** "a reviewer approved 1 withheld output" / "reviewers approved 3 withheld outputs" notice. */
export function restoredText(restored: number): string {
  return restored === 1
    ? 'Privet: a reviewer approved 1 withheld output; it is restored in the notebook.'
    : `Privet: reviewers approved ${restored} withheld outputs; they are restored in the notebook.`;
}

/** Watches for approvals of held outputs and puts the originals back. */
export class ApprovedOutputRestorer implements vscode.Disposable {
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly checked = new vscode.EventEmitter<void>();
  /** Fires after every check (review states of submitted outputs may have changed). */
  readonly onDidCheck = this.checked.event;
  private readonly subscription: vscode.Disposable;
  /** Keeps the placeholders of sent originals saying their review state. */
  private readonly reviewPlaceholders: ReviewPlaceholders;
  private running: Promise<number> | undefined;
  /** The last background failure logged (the poll logs a lasting failure once, not every 15 s). */
  private lastFailure: string | undefined;

  /**
   * Starts listening to the session and the poll timer; a background check that fails (gateway
   * down) is written to `log` and tried again at the next poll.
   */
  constructor(
    private readonly session: Session,
    private readonly held: HeldOutputs,
    private readonly approvals: Approvals,
    private readonly log?: FailureLog,
  ) {
    this.subscription = session.onDidChange(() => this.checkInBackground());
    this.reviewPlaceholders = new ReviewPlaceholders(held, replaceHeldPlaceholder);
    this.timer = setInterval(() => {
      if (this.held.entries().some(([, h]) => h.submitted)) this.checkInBackground();
    }, POLL_MS);
  }

  /** A check nobody waits for: a failure is logged once until a check succeeds again. */
  checkInBackground(): void {
    this.check().then(
      () => (this.lastFailure = undefined),
      (error: unknown) => {
        const text = errorText(error);
        if (!this.log || text === this.lastFailure) return;
        this.lastFailure = text;
        logFailure(this.log, 'checking review status in the background', error);
      },
    );
  }

  /**
   * Checks now; resolves to how many outputs were restored (one check at a time), or rejects with
   * the gateway's error when the review status could not be asked.
   */
  check(): Promise<number> {
    this.running ??= this.checkOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async checkOnce(): Promise<number> {
    const signedIn = this.session.signedIn;
    if (!signedIn?.experiment) return 0;
    // Answers (and failures) of a sign-in or experiment the session no longer uses count for nothing.
    const stale = (): boolean =>
      this.session.signedIn?.client !== signedIn.client ||
      this.session.signedIn.experiment !== signedIn.experiment;
    let approved: ApprovedHeld[];
    try {
      approved = await this.approvals.approvedHeld(signedIn.client, signedIn.experiment, this.held);
    } catch (error) {
      if (stale()) return 0;
      throw error;
    }
    if (stale()) return 0;
    let restored = 0;
    for (const a of approved) restored += await restoreHeldOriginal(this.held, a.heldId, a.output);
    this.checked.fire();
    if (restored > 0) {
      void vscode.window.showInformationMessage(restoredText(restored));
    }
    return restored;
  }

  /** Stops the timer and the listener. */
  dispose(): void {
    this.checked.dispose();
    this.reviewPlaceholders.dispose();
    clearInterval(this.timer);
    this.subscription.dispose();
  }
}
