/** Cell status bar actions: "Run and spend" after a DP dry run, "Request review" on a placeholder. */
import * as vscode from 'vscode';
import type { PrivetSqlController } from './controller.js';
import { heldIdOf } from './gate.js';

/** Provides the Privet items of each cell's status bar. */
export class PrivetCellStatusBar implements vscode.NotebookCellStatusBarItemProvider {
  /** Fires when items should be re-read. */
  readonly onDidChangeCellStatusBarItems: vscode.Event<void>;

  /** Creates the provider over the controller's pending dry runs. */
  constructor(private readonly controller: PrivetSqlController) {
    this.onDidChangeCellStatusBarItems = controller.onDidChange;
  }

  /** The items for one cell. */
  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const items: vscode.NotebookCellStatusBarItem[] = [];
    if (
      this.controller.pendingDryRuns.get(cell.document.uri.toString()) === cell.document.getText()
    ) {
      const item = new vscode.NotebookCellStatusBarItem(
        '$(flame) Run and spend',
        vscode.NotebookCellStatusBarAlignment.Left,
      );
      item.command = { command: 'privet.runAndSpend', title: 'Run and spend', arguments: [cell] };
      item.tooltip = 'Run this DP query for real: spends the budget shown in the dry run';
      items.push(item);
    }
    if (heldIdOf(cell)) {
      const item = new vscode.NotebookCellStatusBarItem(
        '$(comment-discussion) Request review',
        vscode.NotebookCellStatusBarAlignment.Left,
      );
      item.command = {
        command: 'privet.requestReview',
        title: 'Request review',
        arguments: [cell],
      };
      item.tooltip = 'Send the withheld output to the gateway review queue with a justification';
      items.push(item);
    }
    return items;
  }
}
