/** Conversions between nbformat outputs (what core's review reads) and VS Code cell outputs. */
import * as vscode from 'vscode';
import type { NotebookOutput } from '@privet/core';
import { outputOfItems } from '../shared/output-items.js';
import { PLACEHOLDER_MIME_TYPE } from './outputs.js';

function text(value: unknown): string {
  return Array.isArray(value)
    ? value.join('')
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}

/** An nbformat output as a VS Code cell output (JSON MIME types stay JSON). */
export function toCellOutput(output: NotebookOutput): vscode.NotebookCellOutput {
  if (output.output_type === 'stream') {
    const item =
      output.name === 'stderr'
        ? vscode.NotebookCellOutputItem.stderr(text(output.text))
        : vscode.NotebookCellOutputItem.stdout(text(output.text));
    return new vscode.NotebookCellOutput([item]);
  }
  if (output.output_type === 'error') {
    // The traceback goes back as the stack fromCellOutput reads, so a held error restored in its
    // cell keeps the content (and content hash) a reviewer approved.
    const stack = output.traceback.length > 0 ? output.traceback.join('\n') : undefined;
    return new vscode.NotebookCellOutput([
      vscode.NotebookCellOutputItem.error({ name: output.ename, message: output.evalue, stack }),
    ]);
  }
  const items = Object.entries(output.data).map(([mime, value]) =>
    mime.endsWith('json')
      ? vscode.NotebookCellOutputItem.json(value, mime)
      : vscode.NotebookCellOutputItem.text(text(value), mime),
  );
  return new vscode.NotebookCellOutput(items, { ...(output.metadata ?? {}) });
}

/** A VS Code cell output as nbformat, for the review engine (every MIME part decoded). */
export function fromCellOutput(output: vscode.NotebookCellOutput): NotebookOutput {
  const decoder = new TextDecoder();
  return outputOfItems(
    output.items.map((i) => ({ mime: i.mime, text: decoder.decode(i.data) })),
    { ...(output.metadata ?? {}) },
  );
}

/**
 * An edit that replaces `cell` by the same cell with `outputs` (VS Code has no edit for outputs
 * alone): source, language, metadata and execution summary are kept. Every output gets a new id:
 * the notebook's output webview knows outputs by id, and an output kept under its id in the new
 * cell was not drawn again (only once the notebook was reopened).
 */
export function replaceOutputsEdit(
  cell: vscode.NotebookCell,
  outputs: vscode.NotebookCellOutput[],
): vscode.NotebookEdit {
  const data = new vscode.NotebookCellData(
    cell.kind,
    cell.document.getText(),
    cell.document.languageId,
  );
  data.outputs = outputs.map((o) => new vscode.NotebookCellOutput(o.items, o.metadata));
  data.metadata = cell.metadata;
  if (cell.executionSummary) data.executionSummary = cell.executionSummary;
  return vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(cell.index, cell.index + 1), [
    data,
  ]);
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
