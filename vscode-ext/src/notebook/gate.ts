/**
 * Gating of outputs written by any other controller (e.g. a Python kernel), in notebooks and the
 * Interactive Window: every output is checked by core's review with every view the user may see
 * (so `df.head()` of a masked view is row-level data) when a notebook opens, whenever cell outputs
 * change or cells are added (undo, paste, a new Interactive Window cell) and when the views become
 * known; an ipywidgets widget is held, as what it draws arrives in kernel messages only the
 * Jupyter extension sees. Only the exact placeholders Privet wrote are left unchecked: a kernel can
 * display a bundle with Privet's MIME types too, so those are checked like any other output (a DP
 * release is trusted only when the ledger vouches for its id and content, else it is flagged
 * `dp-provenance`). While the views are unknown (signed out, loading, listing failed), an output
 * that may be a table of rows is held (fail closed, as in JupyterLab); once they are known, an
 * original held while they were unknown is checked again and put back if it now passes.
 *
 * A flagged output is replaced by the placeholder (rules fired, never the content) at once, in
 * the same turn as its check, and its original is held in memory for "Request review", which sends
 * it only to the gateway's review queue. Only then is the gateway asked (reviewer approvals of that
 * exact content, POST /reviews/status; unknown DP releases, POST /releases/verify), and an original
 * it clears is put back (restoreHeldOriginal); approvals already known in this window are honoured
 * without asking. So the original is never in the document while a gateway call is in flight
 * (autosave, hot-exit backups and Copy Cell Output read the document). VS Code has no edit for
 * outputs alone, so the cell is replaced by an identical cell with the gated outputs. That is an
 * ordinary, undoable edit (an extension cannot keep an edit off the undo stack, and only the cell's
 * own controller may write outputs without one), so undo brings the original cell back: as an
 * added cell, it is gated again. A save waits for checks and swaps in progress (not for the
 * gateway questions after them).
 */
import * as vscode from 'vscode';
import {
  unreadableResult,
  widgetUncheckedFinding,
  withFinding,
  type NotebookOutput,
  type ReviewResult,
  type ViewUsed,
} from '@privet/core';
import { fromCellOutput, heldIdsOf, replaceOutputsEdit, toCellOutput } from './convert.js';
import type { Session } from '../session.js';
import { contentHashNow, type Approvals } from './approvals.js';
import type { HeldOutputs } from './held.js';
import { placeholderOutput } from './outputs.js';
import type { KnownRelease, UnknownReleases } from '@privet/core/client/index';
import { checkAsDrawnWith } from './drawn-check.js';
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

/**
 * The gate's review of another controller's output: as VS Code draws it, with every view (`null`
 * while unknown: a possible table of rows is held) and the DP releases the ledger vouches for; a
 * widget is held. Content the check cannot read is held.
 */
function gateReview(
  output: NotebookOutput,
  views: readonly ViewUsed[] | null,
  knownRelease: KnownRelease,
): ReviewResult {
  try {
    return withFinding(
      checkAsDrawnWith(output, views, knownRelease),
      widgetUncheckedFinding(output, 'VS Code'),
    );
  } catch {
    return unreadableResult();
  }
}

/** An original the gate holds (its placeholder is in the document), by held id. */
export interface HeldOriginal {
  heldId: string;
  output: NotebookOutput;
}

/** Watches jupyter notebooks and replaces flagged outputs of other controllers. */
export class OutputGate implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Checks and swaps in progress (not the gateway questions after them): a save waits for them. */
  private readonly running = new Set<Promise<unknown>>();
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
        // (The swap's cell holds only Privet's own placeholders, which are skipped: no loop.)
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

  /**
   * Checks the cells' outputs and replaces the cells whose outputs were flagged; then asks the
   * gateway about what it held and puts back what it clears.
   */
  async gateCells(
    notebook: vscode.NotebookDocument,
    cells: readonly vscode.NotebookCell[],
  ): Promise<void> {
    const swap: Promise<HeldOriginal[]> = this.swapFlagged(notebook, cells).finally(() =>
      this.running.delete(swap),
    );
    this.running.add(swap);
    const views = this.views.current();
    const held = await swap;
    // The views became known while this check ran without them: its holds are checked again.
    if (views === null && this.views.current() !== null) await this.releaseHeldWhileViewsUnknown();
    else await this.restorePassing(held);
  }

  /**
   * The check and the swap, with no gateway call before the edit: each flagged output not known
   * approved becomes its placeholder in one edit. Resolves to the originals it held.
   */
  private async swapFlagged(
    notebook: vscode.NotebookDocument,
    cells: readonly vscode.NotebookCell[],
  ): Promise<HeldOriginal[]> {
    if (!GATED_NOTEBOOK_TYPES.has(notebook.notebookType)) return [];
    // Null while unknown (signed out, loading, listing failed): possible tables are held, and
    // checked again when the views are known.
    const views = this.views.current();
    const knownRelease = this.approvals.releases.lookup();
    const experiment = this.session.signedIn?.experiment;
    const heldNow: HeldOriginal[] = [];
    const edits: vscode.NotebookEdit[] = [];
    for (const cell of cells) {
      if (cell.index < 0) continue; // no longer in the notebook (e.g. removed by an undo)
      let changed = false;
      const outputs: vscode.NotebookCellOutput[] = [];
      for (const o of cell.outputs) {
        const original = fromCellOutput(o);
        // Exactly a placeholder Privet wrote: nothing to check (and no placeholder of a placeholder).
        if (this.held.isPlaceholder(original)) {
          outputs.push(o);
          continue;
        }
        // Checked as VS Code draws it (LaTeX also as Markdown), like the gate renderer does.
        const review = gateReview(original, views, knownRelease);
        if (review.verdict === 'pass' || this.knownApproved(experiment, original)) {
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
        const placeholder = placeholderOutput(review, heldId);
        this.held.notePlaceholder(heldId, placeholder);
        outputs.push(toCellOutput(placeholder));
        heldNow.push({ heldId, output: original });
      }
      if (changed) edits.push(replaceOutputsEdit(cell, outputs));
    }
    if (edits.length > 0) {
      const edit = new vscode.WorkspaceEdit();
      edit.set(notebook.uri, edits);
      await vscode.workspace.applyEdit(edit);
    }
    return heldNow;
  }

  /** True when this window already knows a reviewer approved exactly this content (no network). */
  private knownApproved(experiment: string | undefined, output: NotebookOutput): boolean {
    if (!experiment) return false;
    try {
      return this.approvals.knownApprovedOutput(experiment, output);
    } catch {
      return false; // content without a canonical form has no approval
    }
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
    if (this.views.current() === null) return; // unknown again: kept for the next time
    const ids = [...this.heldWhileViewsUnknown];
    this.heldWhileViewsUnknown.clear();
    await this.restorePassing(
      ids.flatMap((heldId) => {
        const h = this.held.get(heldId);
        return h ? [{ heldId, output: h.output }] : []; // else restored or dropped meanwhile
      }),
    );
  }

  /**
   * Asks the gateway about held originals whose placeholders are in the document: which contents
   * a reviewer approved (POST /reviews/status), and whether the DP releases they carry are the
   * ledger's (POST /releases/verify). Each original that a reviewer approved, or that passes now
   * (releases verified, views known), is put back in its cell; the rest stay held (an original
   * checked while the views are unknown is checked again once they are known).
   */
  private async restorePassing(entries: readonly HeldOriginal[]): Promise<void> {
    const live = entries.filter((e) => this.held.get(e.heldId) !== undefined);
    if (live.length === 0) return;
    const signedIn = this.session.signedIn;
    if (signedIn) {
      const unknown: UnknownReleases = new Map();
      const noting = this.approvals.releases.lookup(unknown);
      for (const e of live) gateReview(e.output, this.views.current(), noting);
      if (unknown.size > 0) await this.approvals.releases.verify(signedIn.client, unknown);
    }
    const hashes = new Map<string, string>();
    let approved = new Set<string>();
    if (signedIn?.experiment) {
      for (const e of live) {
        try {
          hashes.set(e.heldId, contentHashNow(e.output));
        } catch {
          // Content without a canonical form cannot have been approved.
        }
      }
      approved = await this.approvals.approvedHashes(signedIn.client, signedIn.experiment, [
        ...hashes.values(),
      ]);
    }
    for (const e of live) {
      if (!this.held.get(e.heldId)) continue; // restored or dropped meanwhile
      const views = this.views.current();
      const hash = hashes.get(e.heldId);
      const passes =
        gateReview(e.output, views, this.approvals.releases.lookup()).verdict === 'pass';
      if (passes || (hash !== undefined && approved.has(hash)))
        await restoreHeldOriginal(this.held, e.heldId, e.output);
      else if (views === null) this.heldWhileViewsUnknown.add(e.heldId);
    }
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
