/**
 * "Privet: Check Review Status" (palette, and the "Review pending" item of a cell's status bar):
 * asks the gateway now, with progress in the status bar, whether reviewers approved the outputs
 * withheld in this window, and says what came of it in words that match the case: signed out or
 * no experiment (with the button that fixes it), nothing withheld, or how many outputs are still
 * waiting, rejected, or not sent for review yet. When the gateway cannot be asked (down, or the
 * sign-in expired) it says that, with the fix, instead of "nothing approved".
 */
import * as vscode from 'vscode';
import type { SignedIn } from '../session.js';
import { SELECT_EXPERIMENT, warnWithFix } from '../shared/fix-actions.js';
import { errorText } from '../client/error-text.js';
import { showError, type ErrorLog } from '../shared/show-error.js';
import type { HeldOutputs } from './held.js';

/**
 * What the command needs of the restorer: one check, resolving to how many outputs it restored,
 * or rejecting with the gateway's error when the review status could not be asked.
 */
export interface ReviewCheck {
  check(): Promise<number>;
}

/** "2 outputs" / "1 output". */
function outputs(n: number): string {
  return `${n} output${n === 1 ? '' : 's'}`;
}

/** Why none of `held` was restored: how many wait, were rejected, need changes, or were never sent. */
export function notApprovedText(held: HeldOutputs): string {
  const all = held.entries().map(([, h]) => h);
  const count = (state: string | undefined): number =>
    all.filter((h) => h.submitted && (h.submitted.state ?? 'pending') === state).length;
  const parts = [
    [count('pending'), 'waiting for a reviewer'],
    [count('changes_requested'), 'with changes requested (see "Review Comments" on the cell)'],
    [count('rejected'), 'rejected'],
    [
      all.filter((h) => !h.submitted).length,
      'not sent for review (use "Request Review" on the cell)',
    ],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${outputs(n)} ${what}`);
  return `Privet: no withheld output in this window is approved yet: ${said.join('; ')}.`;
}

/** What failed, in the error notification of a check the gateway did not answer. */
export const CHECK_FAILED = 'checking review status with the gateway';

/**
 * Runs the check for the command and tells the user the outcome; a failed check is shown as an
 * error (logged to `log`, with "Show Log", when given).
 */
export async function checkReviewsNow(
  signedIn: SignedIn | undefined,
  held: HeldOutputs,
  restorer: ReviewCheck,
  log?: ErrorLog,
): Promise<void> {
  if (!signedIn) {
    await vscode.commands.executeCommand('privet.signIn');
    return;
  }
  if (!signedIn.experiment) {
    await warnWithFix(
      'Privet: review status is checked per experiment, and no experiment is selected. Fix: select the experiment your cells run in.',
      SELECT_EXPERIMENT,
    );
    return;
  }
  if (held.entries().length === 0) {
    void vscode.window.showInformationMessage(
      'Privet: no output is withheld in this window, so there is no review to check.',
    );
    return;
  }
  let restored: number;
  try {
    restored = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Privet: checking review status…' },
      () => restorer.check(),
    );
  } catch (error) {
    // Withheld outputs stay withheld; the user learns the check did not happen, and why.
    if (log) void showError(log, CHECK_FAILED, error);
    else void vscode.window.showErrorMessage(`Privet: ${CHECK_FAILED} failed: ${errorText(error)}`);
    return;
  }
  // The restorer says itself how many it restored.
  if (restored === 0) void vscode.window.showInformationMessage(notApprovedText(held));
}
