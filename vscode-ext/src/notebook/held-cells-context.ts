/**
 * The Interactive Window shows no extension cell status bar items, so "Request Review" is also a
 * cell toolbar action there (`interactive/cell/title`). A menu's `when` clause can only ask about
 * context keys, so this keeps `privet.cellsAwaitingReview`: the URIs of the cells whose withheld
 * output was not yet sent for review (the cells whose status bar offers "Request Review").
 */
import * as vscode from 'vscode';
import { GATED_NOTEBOOK_TYPES, heldIdOf } from './gate.js';
import type { HeldOutputs } from './held.js';
import { rawValueHold } from './raw-value.js';

/** The context key a menu reads as `notebookCellResource in privet.cellsAwaitingReview`. */
export const CELLS_AWAITING_REVIEW_KEY = 'privet.cellsAwaitingReview';

/**
 * URIs of the open cells holding a withheld output that was not sent for review yet (and is not
 * held on a raw value, which no review can approve).
 */
export function cellsAwaitingReview(
  notebooks: readonly vscode.NotebookDocument[],
  held: HeldOutputs,
): string[] {
  const uris: string[] = [];
  for (const notebook of notebooks) {
    if (!GATED_NOTEBOOK_TYPES.has(notebook.notebookType)) continue;
    for (const cell of notebook.getCells()) {
      const id = heldIdOf(cell);
      const original = id ? held.get(id) : undefined;
      // One held on a raw value cannot be approved: no "Request Review" for it.
      const rawValue = original ? rawValueHold(original.review) === 'found' : false;
      if (id && !original?.submitted && !rawValue) uris.push(cell.document.uri.toString());
    }
  }
  return uris;
}

/** Updates the context key whenever the cells' Privet items may have changed. */
export class HeldCellsContext implements vscode.Disposable {
  private last = '';
  private readonly listener: vscode.Disposable;

  /** Follows `changed` (the cell status bar's change event: documents, reviews, dry runs). */
  constructor(
    private readonly held: HeldOutputs,
    changed: vscode.Event<void>,
  ) {
    this.listener = changed(() => this.update());
    this.update();
  }

  private update(): void {
    const uris = cellsAwaitingReview(vscode.workspace.notebookDocuments, this.held);
    const key = JSON.stringify(uris);
    if (key === this.last) return;
    this.last = key;
    void vscode.commands.executeCommand('setContext', CELLS_AWAITING_REVIEW_KEY, uris);
  }

  /** Stops following changes. */
  dispose(): void {
    this.listener.dispose();
  }
}
