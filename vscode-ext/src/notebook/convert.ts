/** Conversions between nbformat outputs (what core's review reads) and VS Code cell outputs. */
import * as vscode from 'vscode';
import type { NotebookOutput } from '@privet/core';

const STDOUT = 'application/vnd.code.notebook.stdout';
const STDERR = 'application/vnd.code.notebook.stderr';
const ERROR = 'application/vnd.code.notebook.error';

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
    return new vscode.NotebookCellOutput([
      vscode.NotebookCellOutputItem.error({ name: output.ename, message: output.evalue }),
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
  const first = output.items[0];
  if (first && output.items.length === 1 && (first.mime === STDOUT || first.mime === STDERR)) {
    return {
      output_type: 'stream',
      name: first.mime === STDOUT ? 'stdout' : 'stderr',
      text: decoder.decode(first.data),
    };
  }
  if (first && first.mime === ERROR) {
    const parsed = JSON.parse(decoder.decode(first.data)) as {
      name?: string;
      message?: string;
      stack?: string;
    };
    return {
      output_type: 'error',
      ename: parsed.name ?? 'Error',
      evalue: parsed.message ?? '',
      traceback: parsed.stack ? [parsed.stack] : [],
    };
  }
  const data: Record<string, unknown> = {};
  for (const item of output.items) {
    const raw = decoder.decode(item.data);
    if (item.mime.endsWith('json')) {
      try {
        data[item.mime] = JSON.parse(raw) as unknown;
        continue;
      } catch {
        // Not valid JSON: review it as text.
      }
    }
    data[item.mime] = raw;
  }
  return { output_type: 'display_data', data, metadata: { ...(output.metadata ?? {}) } };
}

/**
 * An edit that replaces `cell` by the same cell with `outputs` (VS Code has no edit for outputs
 * alone): source, language, metadata and execution summary are kept.
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
  data.outputs = outputs;
  data.metadata = cell.metadata;
  if (cell.executionSummary) data.executionSummary = cell.executionSummary;
  return vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(cell.index, cell.index + 1), [
    data,
  ]);
}
