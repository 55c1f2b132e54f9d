/**
 * Gating of outputs written by any other controller (e.g. a Python kernel), in notebooks and the
 * Interactive Window: every output is checked by core's review with every view the user may see
 * (so `df.head()` of a masked view is row-level data) when a notebook opens, whenever cell outputs
 * change or cells are added (undo, paste, a new Interactive Window cell) and when the views become
 * known; an ipywidgets widget is held, as what it draws arrives in kernel messages only the
 * Jupyter extension sees. While the views are unknown (signed out, loading, listing failed), an
 * output that may be a table of rows is held (fail closed, as in JupyterLab); once they are known,
 * an original held while they were unknown is checked again and put back if it now passes. A
 * flagged output is replaced by the placeholder (rules fired, never the content) and its original
 * is held in memory for "Request review", which sends it only to the gateway's review queue. An
 * output whose exact content a reviewer approved (POST /reviews/status, while signed in) is left as
 * it is. VS Code has no edit for outputs alone, so the cell is replaced by an identical cell with
 * the gated outputs. That is an ordinary, undoable edit (an extension cannot keep an edit off the
 * undo stack, and only the cell's own controller may write outputs without one), so undo brings
 * the original cell back: as an added cell, it is gated again. A save waits for checks in progress.
 */
import * as vscode from 'vscode';
import {
  widgetUncheckedFinding,
  withFinding,
  type NotebookOutput,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core';
import { checkAsDrawn } from '../shared/output-items.js';
import { fromCellOutput, heldIdsOf, replaceOutputsEdit, toCellOutput } from './convert.js';
import type { Session } from '../session.js';
import type { Approvals } from './approvals.js';
import type { HeldOutputs } from './held.js';
import { PLACEHOLDER_MIME_TYPE, placeholderOutput } from './outputs.js';
import { restoreHeldOriginal } from './restore.js';
import type { GatewayViews } from './views-context.js';

/**
 * Notebook types whose outputs the host replaces: Jupyter notebooks and VS Code's Interactive
 * Window (where `# %%` cells and "Run Current File in Interactive Window" send Python code).
 */
export const GATED_NOTEBOOK_TYPES: ReadonlySet<string> = new Set([
  'jupyter-notebook',
  'interactive',
]);

/** True for outputs Privet wrote itself (already checked, or a placeholder). */
function isPrivetOutput(output: vscode.NotebookCellOutput): boolean {
  return output.items.some(
    (i) => i.mime === PLACEHOLDER_MIME_TYPE || i.mime.startsWith('application/vnd.privet.'),
  );
}

/**
 * The gate's review of another controller's output: as VS Code draws it, with every view (`null`
 * while unknown: a possible table of rows is held); a widget is held.
 */
function gateReview(output: NotebookOutput, views: readonly ViewUsed[] | null): ReviewResult {
  return withFinding(checkAsDrawn(output, views), widgetUncheckedFinding(output, 'VS Code'));
}

/** Watches jupyter notebooks and replaces flagged outputs of other controllers. */
export class OutputGate implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Gate runs in progress: a save waits for them. */
  private readonly running = new Set<Promise<void>>();
  /** Held ids of originals checked while the views were unknown: checked again once known. */
  private readonly heldWhileViewsUnknown = new Set<string>();

  /** Starts watching; checks notebooks already open. */
  constructor(
    private readonly held: HeldOutputs,
    private readonly approvals: Approvals,
    private readonly session: Session,
    private readonly views: GatewayViews,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenNotebookDocument((n) => void this.gateNotebook(n)),
      // Known views add the row-level rule: check what is open again, and what was held only
      // because they were unknown.
      views.onDidChange(() => void this.viewsBecameKnown()),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        // Added cells too: undoing the gate's own swap brings the original cell back as one.
        // (The swap's cell holds only placeholders, which are skipped: no loop.)
        const cells = new Set<vscode.NotebookCell>();
        for (const change of e.contentChanges) for (const c of change.addedCells) cells.add(c);
        for (const change of e.cellChanges)
          if (change.outputs !== undefined) cells.add(change.cell);
        if (cells.size > 0) void this.gateCells(e.notebook, [...cells]);
      }),
      // A save right after a change (e.g. Ctrl+Z then Ctrl+S) waits for its check and swap.
      vscode.workspace.onWillSaveNotebookDocument((e) => {
        if (this.running.size > 0) e.waitUntil(Promise.allSettled([...this.running]));
      }),
    );
    for (const n of vscode.workspace.notebookDocuments) void this.gateNotebook(n);
  }

  private gateNotebook(notebook: vscode.NotebookDocument): Promise<void> {
    return this.gateCells(notebook, notebook.getCells());
  }

  /** Checks the cells' outputs and replaces the cells whose outputs were flagged. */
  gateCells(
    notebook: vscode.NotebookDocument,
    cells: readonly vscode.NotebookCell[],
  ): Promise<void> {
    const run: Promise<void> = this.gateCellsNow(notebook, cells).finally(() =>
      this.running.delete(run),
    );
    this.running.add(run);
    return run;
  }

  private async gateCellsNow(
    notebook: vscode.NotebookDocument,
    cells: readonly vscode.NotebookCell[],
  ): Promise<void> {
    if (!GATED_NOTEBOOK_TYPES.has(notebook.notebookType)) return;
    // Null while unknown (signed out, loading, listing failed): possible tables are held, and
    // checked again when the views are known.
    const views = this.views.current();
    const edits: vscode.NotebookEdit[] = [];
    for (const cell of cells) {
      if (cell.index < 0) continue; // no longer in the notebook (e.g. removed by an undo)
      let changed = false;
      const outputs: vscode.NotebookCellOutput[] = [];
      for (const o of cell.outputs) {
        if (isPrivetOutput(o)) {
          outputs.push(o);
          continue;
        }
        const original = fromCellOutput(o);
        // Checked as VS Code draws it (LaTeX also as Markdown), like the gate renderer does.
        const review = gateReview(original, views);
        if (review.verdict === 'pass' || (await this.approved(original))) {
          outputs.push(o);
          continue;
        }
        changed = true;
        const heldId = this.held.hold({
          output: original,
          review,
          cellSource: cell.document.getText(),
          viewsUsed: [],
        });
        if (views === null) this.heldWhileViewsUnknown.add(heldId);
        outputs.push(toCellOutput(placeholderOutput(review, heldId)));
      }
      if (!changed || cell.index < 0) continue;
      edits.push(replaceOutputsEdit(cell, outputs));
    }
    if (edits.length > 0) {
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebook.uri, edits);
      await vscode.workspace.applyEdit(edit);
    }
    // The views became known while this check ran without them: its holds are checked again.
    if (views === null && this.views.current() !== null) await this.releaseHeldWhileViewsUnknown();
  }

  /** Gates every open notebook with the views now known, then re-checks what was held without. */
  private async viewsBecameKnown(): Promise<void> {
    await Promise.all(vscode.workspace.notebookDocuments.map((n) => this.gateNotebook(n)));
    await this.releaseHeldWhileViewsUnknown();
  }

  /**
   * Checks again, with the views, each original held while they were unknown, and puts it back in
   * its cell when it now passes (or a reviewer approved it). One that still fails stays held.
   */
  private async releaseHeldWhileViewsUnknown(): Promise<void> {
    for (const id of [...this.heldWhileViewsUnknown]) {
      const views = this.views.current();
      if (views === null) return; // unknown again: kept for the next time they are known
      this.heldWhileViewsUnknown.delete(id);
      const held = this.held.get(id);
      if (!held) continue; // restored or dropped meanwhile
      let passes: boolean;
      try {
        passes = gateReview(held.output, views).verdict === 'pass';
      } catch {
        passes = false; // content the check cannot read stays held
      }
      if (passes || (await this.approved(held.output)))
        await restoreHeldOriginal(this.held, id, held.output);
    }
  }

  /** True when a reviewer approved exactly this content in the current experiment. */
  private async approved(output: NotebookOutput): Promise<boolean> {
    const signedIn = this.session.signedIn;
    if (!signedIn?.experiment) return false;
    return this.approvals.isApproved(signedIn.client, signedIn.experiment, output);
  }

  /** Stops watching. */
  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The first held id a cell's placeholder outputs carry, if any. */
export function heldIdOf(cell: vscode.NotebookCell): string | undefined {
  return heldIdsOf(cell).find((id) => id !== '');
}
