/**
 * "Export Approved Results", free of the VS Code API: the notebook as nbformat v4 JSON (what the
 * editor shows, including unsaved outputs; withheld outputs stay placeholders, their originals
 * never leave for an export), the POST /exports body, and the summary of what the gateway's
 * signed bundle withheld.
 */
import type { CreateExportRequest, ExportBundle } from '@privet/core/protocol';
import type { NotebookOutput } from '@privet/core';
import { PLACEHOLDER_MIME_TYPE } from './outputs.js';

/** One cell as the export needs it. */
export interface ExportCell {
  kind: 'code' | 'markdown';
  source: string;
  languageId: string;
  outputs: NotebookOutput[];
  executionCount?: number;
}

/** Notebook-level metadata the gateway keeps (everything else is dropped by it anyway). */
const KEPT_METADATA = ['kernelspec', 'language_info'] as const;

/** Splits text into nbformat's list of lines (each but the last keeps its newline). */
function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** Picks kernelspec/language_info from VS Code's notebook metadata (old and new ipynb layouts). */
export function keptMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const custom = metadata.custom as { metadata?: Record<string, unknown> } | undefined;
  const nested = metadata.metadata as Record<string, unknown> | undefined;
  const source = custom?.metadata ?? nested ?? metadata;
  const kept: Record<string, unknown> = {};
  for (const k of KEPT_METADATA) if (source[k] !== undefined) kept[k] = source[k];
  return kept;
}

/** The notebook as nbformat v4 JSON. */
export function notebookJson(
  cells: readonly ExportCell[],
  metadata: Record<string, unknown>,
): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: keptMetadata(metadata),
    cells: cells.map((c) =>
      c.kind === 'markdown'
        ? { cell_type: 'markdown', metadata: {}, source: lines(c.source) }
        : {
            cell_type: 'code',
            execution_count: c.executionCount ?? null,
            metadata: { vscode: { languageId: c.languageId } },
            outputs: c.outputs.map(withExecutionCount(c.executionCount)),
            source: lines(c.source),
          },
    ),
  };
}

/** nbformat wants execution_count on execute_result outputs. */
function withExecutionCount(count: number | undefined): (o: NotebookOutput) => NotebookOutput {
  return (o) => (o.output_type === 'execute_result' ? { ...o, execution_count: count ?? null } : o);
}

/** Positions (`cell:output`) of Privet placeholders: withheld in the editor, never sent. */
export function placeholderPositions(cells: readonly ExportCell[]): Set<string> {
  const at = new Set<string>();
  cells.forEach((c, ci) =>
    c.outputs.forEach((o, oi) => {
      if ('data' in o && o.data && PLACEHOLDER_MIME_TYPE in o.data) at.add(`${ci}:${oi}`);
    }),
  );
  return at;
}

/** The POST /exports body for a notebook in an experiment. */
export function exportRequest(
  experiment: string,
  name: string,
  cells: readonly ExportCell[],
  metadata: Record<string, unknown>,
): CreateExportRequest {
  return { experiment, name, notebook: notebookJson(cells, metadata) };
}

/** What an export kept and withheld. */
export interface ExportSummary {
  passed: number;
  approved: number;
  /** Withheld by the gateway's own check in the bundle. */
  withheldByGateway: number;
  /** Already placeholders in the editor (their originals were never sent). */
  withheldInEditor: number;
  /** 1-based numbers of cells whose source the gateway withheld. */
  sourceCells: number[];
}

/** Counts a bundle's manifest lines, telling editor placeholders apart from real outputs. */
export function exportSummary(
  bundle: ExportBundle,
  placeholders: ReadonlySet<string>,
): ExportSummary {
  const summary: ExportSummary = {
    passed: 0,
    approved: 0,
    withheldByGateway: 0,
    withheldInEditor: 0,
    sourceCells: bundle.manifest.withheldSources.map((s) => s.cellIndex + 1),
  };
  for (const line of bundle.manifest.outputs) {
    if (placeholders.has(`${line.cellIndex}:${line.outputIndex}`)) summary.withheldInEditor += 1;
    else if (line.status === 'passed') summary.passed += 1;
    else if (line.status === 'approved') summary.approved += 1;
    else summary.withheldByGateway += 1;
  }
  return summary;
}

/** One line for the user: where the bundle went and what was withheld. */
export function exportMessage(summary: ExportSummary, savedTo: string): string {
  const withheld = summary.withheldByGateway + summary.withheldInEditor;
  return (
    `Privet: signed export saved to ${savedTo}: ${summary.passed} output(s) passed, ` +
    `${summary.approved} approved, ${withheld} withheld` +
    (withheld > 0
      ? ` (${summary.withheldInEditor} held in the editor, ${summary.withheldByGateway} by the gateway's check)`
      : '') +
    (summary.sourceCells.length > 0
      ? `. The source of cell ${summary.sourceCells.join(', ')} was withheld too (it holds values the check holds): edit it and export again`
      : '')
  );
}
