/**
 * "Privet: Export Approved Results" for a notebook open in the editor: the notebook as shown
 * (placeholders stay placeholders) goes to POST /exports, the gateway re-checks every output and
 * signs a bundle with only passed or approved outputs, and the bundle is written atomically
 * (temp file + rename) where the user picks, or next to the notebook when
 * `privet.export.saveWithoutAsking` is set. The gateway's part shows a progress notification.
 * One export per notebook and per bundle file runs at a time (two would race to the same file): a
 * second one is refused while the first works, not while its Save dialog is open, and exports of
 * other notebooks to other files run meanwhile.
 */
import * as vscode from 'vscode';
import type { ExportBundle } from '@privet/core/protocol';
import type { SignedIn } from '../session.js';
import { fromCellOutput } from './convert.js';
import {
  exportMessage,
  exportRequest,
  exportSummary,
  placeholderPositions,
  type ExportCell,
  type ExportSummary,
} from './export-request.js';

/** The notebook an export command was invoked on (toolbar argument, URI, or the active one). */
export function exportTarget(arg: unknown): vscode.NotebookDocument | undefined {
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : arg && typeof arg === 'object' && 'notebookEditor' in arg
        ? (arg as { notebookEditor?: { notebookUri?: vscode.Uri } }).notebookEditor?.notebookUri
        : undefined;
  if (uri)
    return vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
  return vscode.window.activeNotebookEditor?.notebook;
}

/** The editor's cells as the export needs them. */
function exportCells(notebook: vscode.NotebookDocument): ExportCell[] {
  return notebook.getCells().map((cell) => ({
    kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
    source: cell.document.getText(),
    languageId: cell.document.languageId,
    outputs: cell.outputs.map(fromCellOutput),
    ...(cell.executionSummary?.executionOrder !== undefined
      ? { executionCount: cell.executionSummary.executionOrder }
      : {}),
  }));
}

/** Where to save: the user's pick, or `<notebook>.privet-export.json` beside it. */
async function saveLocation(notebook: vscode.NotebookDocument): Promise<vscode.Uri | undefined> {
  const beside = notebook.uri.with({
    path: notebook.uri.path.replace(/\.ipynb$/i, '') + '.privet-export.json',
  });
  const quiet = vscode.workspace
    .getConfiguration('privet')
    .get<boolean>('export.saveWithoutAsking', false);
  if (quiet) return beside;
  return vscode.window.showSaveDialog({
    title: 'Privet: Save signed export bundle',
    defaultUri: beside,
    filters: { 'Privet export bundle': ['json'] },
    saveLabel: 'Save bundle',
  });
}

/** Writes the bundle atomically: a temp file beside the target, then a rename over it. */
async function writeAtomically(target: vscode.Uri, bundle: ExportBundle): Promise<void> {
  const temp = target.with({ path: `${target.path}.tmp-${Date.now()}` });
  const bytes = new TextEncoder().encode(JSON.stringify(bundle, null, 1) + '\n');
  await vscode.workspace.fs.writeFile(temp, bytes);
  try {
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
  } catch (error) {
    await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
    throw error;
  }
}

/** What the user is told when notebook `name` is exported again while its export runs. */
export function exportRunningText(name: string): string {
  return `Privet: the export of ${name} is already running (its progress is in the notifications). Fix: wait for it to finish, then export again.`;
}

/** What the user is told when the bundle file `file` is chosen while another export writes it. */
export function exportTargetBusyText(file: string): string {
  return `Privet: another export is writing ${file} right now. Fix: wait for it to finish (its progress is in the notifications), or export to another file.`;
}

/** Notebooks (URI text) whose export is working, and the bundle files being written. */
const runningNotebooks = new Set<string>();
const writingFiles = new Set<string>();

/**
 * Exports one notebook with a progress notification; returns the summary and where it was saved
 * (undefined if cancelled, or refused because an export of the same notebook, or to the same
 * file, is working).
 */
export async function exportApprovedResults(
  signedIn: SignedIn & { experiment: string },
  notebook: vscode.NotebookDocument,
): Promise<{ summary: ExportSummary; savedTo: vscode.Uri } | undefined> {
  const key = notebook.uri.toString();
  const name = vscode.workspace.asRelativePath(notebook.uri);
  if (runningNotebooks.has(key)) {
    void vscode.window.showInformationMessage(exportRunningText(name));
    return undefined;
  }
  const target = await saveLocation(notebook);
  if (!target) return undefined;
  // Checked again: one may have started while the Save dialog was open.
  if (runningNotebooks.has(key)) {
    void vscode.window.showInformationMessage(exportRunningText(name));
    return undefined;
  }
  const file = target.toString();
  if (writingFiles.has(file)) {
    void vscode.window.showInformationMessage(
      exportTargetBusyText(vscode.workspace.asRelativePath(target)),
    );
    return undefined;
  }
  runningNotebooks.add(key);
  writingFiles.add(file);
  try {
    return await exportTo(signedIn, notebook, target);
  } finally {
    runningNotebooks.delete(key);
    writingFiles.delete(file);
  }
}

/** The export itself: the gateway's signed bundle, written atomically to `target`. */
async function exportTo(
  signedIn: SignedIn & { experiment: string },
  notebook: vscode.NotebookDocument,
  target: vscode.Uri,
): Promise<{ summary: ExportSummary; savedTo: vscode.Uri }> {
  const cells = exportCells(notebook);
  const name = vscode.workspace.asRelativePath(notebook.uri);
  const bundle = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Privet: exporting approved results of ${name}…`,
    },
    async () => {
      const signed = await signedIn.client.createExport(
        exportRequest(signedIn.experiment, name, cells, { ...notebook.metadata }),
      );
      await writeAtomically(target, signed);
      return signed;
    },
  );
  const summary = exportSummary(bundle, placeholderPositions(cells));
  void vscode.window.showInformationMessage(
    exportMessage(summary, vscode.workspace.asRelativePath(target)),
  );
  return { summary, savedTo: target };
}
