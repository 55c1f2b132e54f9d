/**
 * "Privet: New SQL Cell for View" and "Privet: New Python Cell for View" (the tree's inline
 * actions on a view, or the palette with a pick of the current experiment's views). The SQL cell
 * goes below the active cell of the active notebook when it is a Privet SQL notebook (its kernel,
 * or no kernel picked yet and only Privet SQL cells; its kernel is then selected), else into a new
 * notebook with Privet SQL selected; the Python cell goes into the active notebook unless it is a
 * Privet SQL notebook, else into a new notebook whose kernel the user picks. Why: a notebook runs one
 * kernel, and a cell of the other language would not run there. Why the commands switch
 * experiment: a cell uses the views of the current experiment, so a view picked under another one
 * is used under that one.
 */
import * as vscode from 'vscode';
import type { ViewSummary } from '@privet/core/protocol';
import { hasLoadableRows } from '@privet/core/client/view-query';
import type { LifecycleState } from '@privet/core/record/types';
import type { SignedIn } from '../session.js';
import { readExperimentViews } from '../client/experiment-views.js';
import { SELECT_EXPERIMENT, warnWithFix } from '../shared/fix-actions.js';
import { pickWhileLoading } from '../shared/busy-pick.js';
import { PRIVET_SQL_LANGUAGE, SQL_CELL_LANGUAGES } from '../shared/sql-languages.js';
import { pythonLoadCode } from './python-cell.js';
import { viewCellSource, whyNotLoadable, whyNotQueryable } from './view-cell.js';

/** A view as the tree's view node carries it: the view and the experiment listing it. */
export interface ViewOfExperiment {
  view: ViewSummary;
  experiment: string;
  experimentState: LifecycleState;
}

/** What the commands need of the Privet SQL controller. */
export interface PrivetSqlKernel {
  /** True when Privet SQL is the selected kernel of `notebook`. */
  isSelectedFor(notebook: vscode.NotebookDocument): boolean;
  /** Makes Privet SQL the kernel of the notebook shown in `editor`. */
  selectFor(editor: vscode.NotebookEditor): Promise<void>;
  /** True when another kernel was picked for `notebook` after Privet SQL had been its kernel. */
  hasOtherKernel(notebook: vscode.NotebookDocument): boolean;
}

/** Which cell a command writes: a Privet SQL query, or Python loading the rows. */
export type ViewCellKind = 'sql' | 'python';

/** The tree node or command argument as a view of an experiment, or undefined. */
export function viewArgument(arg: unknown): ViewOfExperiment | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const node = arg as Partial<ViewOfExperiment & { kind: string }>;
  return node.kind === 'view' && node.view && node.experiment && node.experimentState
    ? { view: node.view, experiment: node.experiment, experimentState: node.experimentState }
    : undefined;
}

/** Asks which view of the current experiment to use in a `kind` cell; undefined when dismissed. */
export async function pickView(
  signedIn: SignedIn,
  kind: ViewCellKind,
): Promise<ViewOfExperiment | undefined> {
  const experimentId = signedIn.experiment;
  if (!experimentId) {
    void warnWithFix(
      'Privet: a cell uses the views of an experiment, and none is selected. Fix: run "Privet: Select Experiment" first.',
      SELECT_EXPERIMENT,
    );
    return undefined;
  }
  // Titled as the command that opened it, the question as the placeholder (VS Code's convention).
  const picked = await pickWhileLoading(
    {
      title: kind === 'sql' ? 'Privet: New SQL Cell for View' : 'Privet: New Python Cell for View',
      loadingPlaceholder: `Loading the views of ${experimentId}…`,
      matchOnDescription: true,
      matchOnDetail: true,
    },
    () => readExperimentViews(signedIn.client),
    (read) => {
      const current = read.find((e) => e.experiment.id === experimentId);
      const views = (current?.views ?? []).filter((v) => kind === 'sql' || hasLoadableRows(v));
      if (!current || views.length === 0) {
        void warnWithFix(
          `Privet: the experiment ${experimentId} has no published view ${kind === 'sql' ? 'to query' : 'with rows to load'}. Fix: ask a steward to publish the views it requests, or select another experiment.`,
          SELECT_EXPERIMENT,
        );
        return undefined;
      }
      const experimentState = current.experiment.state;
      return {
        placeholder:
          kind === 'sql'
            ? `View of ${experimentId} to query in a new SQL cell`
            : `View of ${experimentId} whose rows a new Python cell loads`,
        items: views.map((view) => ({
          label: view.name,
          description: view.tier,
          detail: view.description,
          view,
          experimentState,
        })),
      };
    },
  );
  return picked
    ? { view: picked.view, experiment: experimentId, experimentState: picked.experimentState }
    : undefined;
}

/** True when the view can be used in a `kind` cell now; else shows why, with the fix. */
export function canUse(target: ViewOfExperiment, kind: ViewCellKind): boolean {
  const experiment = { id: target.experiment, state: target.experimentState };
  const why =
    kind === 'sql'
      ? whyNotQueryable(target.view, experiment)
      : whyNotLoadable(target.view, experiment);
  const verb = kind === 'sql' ? 'query' : 'load';
  if (why)
    void vscode.window.showWarningMessage(`Privet: cannot ${verb} ${target.view.name}: ${why}`);
  return why === undefined;
}

/** Inserts the Privet SQL cell querying `view` (canUse first), the cursor at its end. */
export function insertViewCell(
  kernel: PrivetSqlKernel,
  view: ViewSummary,
): Promise<vscode.NotebookCell> {
  const data = new vscode.NotebookCellData(
    vscode.NotebookCellKind.Code,
    viewCellSource(view),
    PRIVET_SQL_LANGUAGE,
  );
  return placeCell(
    data,
    (notebook) => runsPrivetSql(kernel, notebook),
    (e) => (kernel.isSelectedFor(e.notebook) ? Promise.resolve() : kernel.selectFor(e)),
  );
}

/**
 * True when `notebook` is a Privet SQL notebook: Privet SQL is its kernel, or no kernel was picked
 * for it yet in this window (a notebook just opened) and every code cell is Privet SQL.
 */
function runsPrivetSql(kernel: PrivetSqlKernel, notebook: vscode.NotebookDocument): boolean {
  if (kernel.isSelectedFor(notebook)) return true;
  if (kernel.hasOtherKernel(notebook)) return false;
  const code = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  return code.length > 0 && code.every((c) => SQL_CELL_LANGUAGES.includes(c.document.languageId));
}

/**
 * Inserts the Python cell loading `target`'s view (canUse first) from a new download ticket of
 * the gateway (made for the user, view and experiment now; it audits it).
 */
export async function insertPythonCell(
  kernel: PrivetSqlKernel,
  signedIn: SignedIn,
  target: ViewOfExperiment,
): Promise<vscode.NotebookCell> {
  const ticket = await signedIn.client.viewTicket(target.view.name, target.experiment);
  const data = new vscode.NotebookCellData(
    vscode.NotebookCellKind.Code,
    pythonLoadCode(target.view.name, target.experiment, ticket),
    'python',
  );
  return placeCell(data, (notebook) => !runsPrivetSql(kernel, notebook));
}

/**
 * Puts the cell `data` below the active cell of the active notebook when `fits` it, else into a
 * new notebook; the notebook is then `prepare`d (e.g. its kernel selected) and the cursor goes to
 * the cell's end.
 */
async function placeCell(
  data: vscode.NotebookCellData,
  fits: (notebook: vscode.NotebookDocument) => boolean,
  prepare?: (editor: vscode.NotebookEditor) => Promise<void>,
): Promise<vscode.NotebookCell> {
  const active = vscode.window.activeNotebookEditor;
  let editor: vscode.NotebookEditor;
  let index = 0;
  if (active && active.notebook.notebookType === 'jupyter-notebook' && fits(active.notebook)) {
    editor = active;
    index = active.selections[0]?.end ?? active.notebook.cellCount;
    const edit = new vscode.WorkspaceEdit();
    edit.set(active.notebook.uri, [vscode.NotebookEdit.insertCells(index, [data])]);
    if (!(await vscode.workspace.applyEdit(edit)))
      throw new Error(
        'VS Code did not insert the cell. Fix: make the notebook editable and try again.',
      );
    await prepare?.(active);
  } else {
    const created = await vscode.workspace.openNotebookDocument(
      'jupyter-notebook',
      new vscode.NotebookData([data]),
    );
    editor = await vscode.window.showNotebookDocument(created);
    await prepare?.(editor);
  }
  const range = new vscode.NotebookRange(index, index + 1);
  editor.selections = [range];
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('notebook.cell.edit');
  const cell = editor.notebook.cellAt(index);
  // The cursor at the end of the cell, where the user goes on typing (e.g. a WHERE clause).
  const text = vscode.window.visibleTextEditors.find((e) => e.document === cell.document);
  if (text) {
    const end = cell.document.lineAt(cell.document.lineCount - 1).range.end;
    text.selection = new vscode.Selection(end, end);
  }
  return cell;
}
