/**
 * "Privet: New SQL Cell for View" (the tree's inline action on a view, or the palette with a
 * pick of the current experiment's views): a Privet SQL cell querying the view, inserted below the
 * active cell of the active notebook when Privet SQL is its kernel, else in a new notebook with
 * Privet SQL selected. Why not into a notebook of another kernel: a notebook runs one kernel, and a
 * SQL cell there would be run by Python. Why it switches experiment: a cell queries the views of
 * the current experiment, so a view picked under another one is queried under that one.
 */
import * as vscode from 'vscode';
import type { ViewSummary } from '@privet/core/protocol';
import type { LifecycleState } from '@privet/core/record/types';
import type { SignedIn } from '../session.js';
import { PRIVET_SQL_LANGUAGE } from '../shared/sql-languages.js';
import { viewCellSource, whyNotQueryable } from './view-cell.js';

/** A view as the tree's view node carries it: the view and the experiment listing it. */
export interface ViewOfExperiment {
  view: ViewSummary;
  experiment: string;
  experimentState: LifecycleState;
}

/** What the command needs of the Privet SQL controller. */
export interface PrivetSqlKernel {
  /** True when Privet SQL is the selected kernel of `notebook`. */
  isSelectedFor(notebook: vscode.NotebookDocument): boolean;
  /** Makes Privet SQL the kernel of the notebook shown in `editor`. */
  selectFor(editor: vscode.NotebookEditor): Promise<void>;
}

/** The tree node or command argument as a view of an experiment, or undefined. */
export function viewArgument(arg: unknown): ViewOfExperiment | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const node = arg as Partial<ViewOfExperiment & { kind: string }>;
  return node.kind === 'view' && node.view && node.experiment && node.experimentState
    ? { view: node.view, experiment: node.experiment, experimentState: node.experimentState }
    : undefined;
}

/** Asks which view of the current experiment to query; undefined when dismissed. */
export async function pickView(signedIn: SignedIn): Promise<ViewOfExperiment | undefined> {
  const experimentId = signedIn.experiment;
  if (!experimentId) {
    void vscode.window.showWarningMessage(
      'Privet: a cell queries the views of an experiment, and none is selected. Fix: run "Privet: Select Experiment" first.',
    );
    return undefined;
  }
  const [{ experiments }, { views }] = await Promise.all([
    signedIn.client.listExperiments(),
    signedIn.client.listViews(),
  ]);
  const experiment = experiments.find((e) => e.id === experimentId);
  const names = new Set(experiment?.views ?? []);
  const items = views
    .filter((v) => names.has(v.name))
    .map((view) => ({ label: view.name, description: view.tier, detail: view.description, view }));
  if (items.length === 0) {
    void vscode.window.showWarningMessage(
      `Privet: the experiment ${experimentId} has no published view to query. Fix: ask a steward to publish the views it requests, or select another experiment.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Privet: query which view in a SQL cell?',
    matchOnDescription: true,
  });
  return picked && experiment
    ? { view: picked.view, experiment: experimentId, experimentState: experiment.state }
    : undefined;
}

/** True when the view can be queried now; else shows why, with the fix, and answers false. */
export function canQuery({ view, experiment, experimentState }: ViewOfExperiment): boolean {
  const why = whyNotQueryable(view, { id: experiment, state: experimentState });
  if (why) void vscode.window.showWarningMessage(`Privet: cannot query ${view.name}: ${why}`);
  return why === undefined;
}

/** Inserts the cell querying `view` (canQuery first) and puts the cursor at the end of it. */
export async function insertViewCell(
  kernel: PrivetSqlKernel,
  view: ViewSummary,
): Promise<vscode.NotebookCell> {
  const data = new vscode.NotebookCellData(
    vscode.NotebookCellKind.Code,
    viewCellSource(view),
    PRIVET_SQL_LANGUAGE,
  );
  const active = vscode.window.activeNotebookEditor;
  let editor: vscode.NotebookEditor;
  let index = 0;
  if (active && kernel.isSelectedFor(active.notebook)) {
    editor = active;
    index = active.selections[0]?.end ?? active.notebook.cellCount;
    const edit = new vscode.WorkspaceEdit();
    edit.set(active.notebook.uri, [vscode.NotebookEdit.insertCells(index, [data])]);
    if (!(await vscode.workspace.applyEdit(edit)))
      throw new Error(
        'VS Code did not insert the cell. Fix: make the notebook editable and try again.',
      );
  } else {
    const created = await vscode.workspace.openNotebookDocument(
      'jupyter-notebook',
      new vscode.NotebookData([data]),
    );
    editor = await vscode.window.showNotebookDocument(created);
    await kernel.selectFor(editor);
  }
  const range = new vscode.NotebookRange(index, index + 1);
  editor.selections = [range];
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('notebook.cell.edit');
  const cell = editor.notebook.cellAt(index);
  // The cursor at the end of the query, where the user goes on typing (e.g. a WHERE clause).
  const text = vscode.window.visibleTextEditors.find((e) => e.document === cell.document);
  if (text) {
    const end = cell.document.lineAt(cell.document.lineCount - 1).range.end;
    text.selection = new vscode.Selection(end, end);
  }
  return cell;
}
