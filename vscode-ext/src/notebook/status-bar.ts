/**
 * Cell status bar actions: "Run and Spend" after a DP dry run the budget can pay (else "Not
 * affordable" with what is short and the fix), "Request Review" on a placeholder, and "Review
 * pending" plus "Review Comments" (read the reviewer's comments, reply) once the withheld original
 * is in the review queue.
 */
import * as vscode from 'vscode';
import { reviewStateText, reviewStateTooltip } from './review-state.js';
import type { PrivetSqlController } from './controller.js';
import { heldIdOf } from './gate.js';
import type { HeldOutputs } from './held.js';
import { rawValueHold } from './raw-value.js';

/** Provides the Privet items of each cell's status bar. */
export class PrivetCellStatusBar
  implements vscode.NotebookCellStatusBarItemProvider, vscode.Disposable
{
  /** Fires when items should be re-read. */
  readonly onDidChangeCellStatusBarItems: vscode.Event<void>;

  private readonly changed = new vscode.EventEmitter<void>();

  /** Creates the provider over the controller's pending dry runs and the withheld originals. */
  constructor(
    private readonly controller: PrivetSqlController,
    private readonly held: HeldOutputs,
  ) {
    this.onDidChangeCellStatusBarItems = this.changed.event;
    this.listeners = [
      controller.onDidChange(() => this.changed.fire()),
      // A restored (approved) or re-run output changes the cell: re-read its items.
      vscode.workspace.onDidChangeNotebookDocument(() => this.changed.fire()),
    ];
  }

  private readonly listeners: vscode.Disposable[];

  /** Stops listening. */
  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.changed.dispose();
  }

  /** Re-reads every cell's items (after a review request was sent). */
  refresh(): void {
    this.changed.fire();
  }

  /** The items for one cell. */
  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const items: vscode.NotebookCellStatusBarItem[] = [];
    const dryRun = this.controller.currentDryRun(cell);
    if (dryRun?.unaffordable) {
      // Not offered: the gateway would refuse it. What is short and the fix, and the budget view.
      const { message, fix } = dryRun.unaffordable;
      items.push(
        cellItem('$(circle-slash) Not affordable', 'workbench.view.extension.privet', [], {
          title: 'Show the Privet budget',
          tooltip: `This DP query cannot be spent: ${message}. Fix: ${fix}, then run the cell again. Click to see the budget.`,
        }),
      );
    } else if (dryRun !== undefined) {
      items.push(
        cellItem('$(flame) Run and Spend', 'privet.runAndSpend', [cell], {
          title: 'Run and Spend',
          tooltip: 'Run this DP query for real: spends the budget shown in the dry run',
        }),
      );
    }
    const heldId = heldIdOf(cell);
    const original = heldId ? this.held.get(heldId) : undefined;
    const submitted = original?.submitted;
    if (original && rawValueHold(original.review) === 'found') {
      // No review can approve a raw value: the item says so instead of offering one.
      items.push(
        cellItem(
          '$(circle-slash) Raw identifier value: cannot be approved',
          'privet.requestReview',
          [cell],
          {
            title: 'Why this output cannot be reviewed',
            tooltip:
              "The gateway found a value from the raw data's identifier columns in this output. Remove the value from the output and run the cell again.",
          },
        ),
      );
    } else if (submitted) {
      items.push(
        cellItem(reviewStateText(submitted.state), 'privet.checkReviews', [], {
          title: 'Check Review Status',
          tooltip: `Review request ${submitted.reviewId}: ${reviewStateTooltip(submitted.state)} Click to check now.`,
        }),
        cellItem('$(comment) Review Comments', 'privet.reviewConversation', [cell], {
          title: 'Review Comments',
          tooltip: `Read the reviewer's comments on ${submitted.reviewId} and reply`,
        }),
      );
    } else if (heldId) {
      items.push(
        cellItem('$(comment-discussion) Request Review', 'privet.requestReview', [cell], {
          title: 'Request Review',
          tooltip: 'Send the withheld output to the gateway review queue with a justification',
        }),
      );
    }
    return items;
  }
}

/** A left-aligned cell status bar item running `command` with `args`. */
function cellItem(
  text: string,
  command: string,
  args: unknown[],
  o: { title: string; tooltip: string },
): vscode.NotebookCellStatusBarItem {
  const item = new vscode.NotebookCellStatusBarItem(
    text,
    vscode.NotebookCellStatusBarAlignment.Left,
  );
  item.command = { command, title: o.title, ...(args.length > 0 ? { arguments: args } : {}) };
  item.tooltip = o.tooltip;
  return item;
}
