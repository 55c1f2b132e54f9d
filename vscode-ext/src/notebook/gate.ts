/**
 * Gating of outputs written by any other controller (e.g. a Python kernel), in notebooks and the
 * Interactive Window: every output is checked by core's review with every view the user may see
 * (so `df.head()` of a masked view is row-level data) when a notebook opens, whenever cell outputs
 * change and when the views become known; an ipywidgets widget is held, as what it draws arrives
 * in kernel messages only the Jupyter extension sees. A flagged output is replaced by the placeholder (rules fired, never the
 * content) and its original is held in memory for "Request review", which sends it only to the
 * gateway's review queue. An output whose exact content a reviewer approved (POST
 * /reviews/status, while signed in) is left as it is. VS Code has no edit for outputs alone, so
 * the cell is replaced by an identical cell with the gated outputs.
 */
import * as vscode from 'vscode';
import { widgetUncheckedFinding, withFinding, type NotebookOutput } from '@privet/core';
import { checkAsDrawn } from '../shared/output-items.js';
import { fromCellOutput, replaceOutputsEdit, toCellOutput } from './convert.js';
import type { Session } from '../session.js';
import type { Approvals } from './approvals.js';
import type { HeldOutputs } from './held.js';
import { PLACEHOLDER_MIME_TYPE, placeholderOutput } from './outputs.js';
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

/** Watches jupyter notebooks and replaces flagged outputs of other controllers. */
export class OutputGate implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Starts watching; checks notebooks already open. */
  constructor(
    private readonly held: HeldOutputs,
    private readonly approvals: Approvals,
    private readonly session: Session,
    private readonly views: GatewayViews,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenNotebookDocument((n) => void this.gateNotebook(n)),
      // Known views add the row-level rule: check what is open again.
      views.onDidChange(() => {
        for (const n of vscode.workspace.notebookDocuments) void this.gateNotebook(n);
      }),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        const cells = e.cellChanges.filter((c) => c.outputs !== undefined).map((c) => c.cell);
        if (cells.length > 0) void this.gateCells(e.notebook, cells);
      }),
    );
    for (const n of vscode.workspace.notebookDocuments) void this.gateNotebook(n);
  }

  private gateNotebook(notebook: vscode.NotebookDocument): Promise<void> {
    return this.gateCells(notebook, notebook.getCells());
  }

  /** Checks the cells' outputs and replaces the cells whose outputs were flagged. */
  async gateCells(
    notebook: vscode.NotebookDocument,
    cells: readonly vscode.NotebookCell[],
  ): Promise<void> {
    if (!GATED_NOTEBOOK_TYPES.has(notebook.notebookType)) return;
    const edits: vscode.NotebookEdit[] = [];
    for (const cell of cells) {
      let changed = false;
      const outputs: vscode.NotebookCellOutput[] = [];
      for (const o of cell.outputs) {
        if (isPrivetOutput(o)) {
          outputs.push(o);
          continue;
        }
        const original = fromCellOutput(o);
        // Checked as VS Code draws it (LaTeX also as Markdown), like the gate renderer does; before
        // the views load, without them (the gate runs again when they do, and the renderer holds
        // possible tables meanwhile). A widget's drawing comes from kernel messages only the
        // Jupyter extension sees: held.
        const review = withFinding(
          checkAsDrawn(original, this.views.current() ?? []),
          widgetUncheckedFinding(original, 'VS Code'),
        );
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
        outputs.push(toCellOutput(placeholderOutput(review, heldId)));
      }
      if (!changed) continue;
      edits.push(replaceOutputsEdit(cell, outputs));
    }
    if (edits.length === 0) return;
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, edits);
    await vscode.workspace.applyEdit(edit);
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

/** The held id each of a cell's outputs carries ('' for outputs that are not placeholders). */
export function heldIdsOf(cell: vscode.NotebookCell): string[] {
  return cell.outputs.map((o) => {
    const item = o.items.find((i) => i.mime === PLACEHOLDER_MIME_TYPE);
    if (!item) return '';
    try {
      const info = JSON.parse(new TextDecoder().decode(item.data)) as { heldId?: unknown };
      return typeof info.heldId === 'string' ? info.heldId : '';
    } catch {
      return ''; // A damaged placeholder: nothing to send or restore.
    }
  });
}

/** The first held id a cell's placeholder outputs carry, if any. */
export function heldIdOf(cell: vscode.NotebookCell): string | undefined {
  return heldIdsOf(cell).find((id) => id !== '');
}
