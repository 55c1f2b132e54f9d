// Why: nothing unapproved may leave. Every output is re-checked here in export mode (streams of a
// cell across chunks, as the hosts do); an output is kept only if it passes or an approval covers
// its exact content hash in this experiment; everything else becomes a placeholder. Stream writes
// are withheld together: if one chunk of a cell's stdout is held, every chunk of that stream is,
// so no half of a split identifier is left behind. Cell sources are checked too (markdown as
// markdown, so a typed-in table meets the small-cell rule; code and raw as plain text): a source
// that would be held is replaced by a placeholder, as nothing approves a source. Then every output
// and source still kept is looked up in the raw-value index (runs of words against the raw
// identifier values; the gateway holds the index, so this check cannot be skipped), all in one
// batch that the gateway answers in its output-check worker: a match, or a missing verdict,
// withholds it under `raw-value`, approved or not, as a reviewer cannot tell a real name from a
// made-up one. Places outside outputs that can carry data
// (widget state, attachments, unknown metadata) are dropped rather than checked, and every kept
// output is rebuilt from the nbformat fields the check read and the content hash covers: an
// output's metadata, `transient` or unknown keys, and unknown keys of cells or the notebook, never
// leave. The nbformat fields that do leave besides outputs and sources (cell ids, types, counts,
// UI flags, the kernel's names) are validated or made up (nbformat-fields.ts); the kernel's names
// are checked like a code cell's source and dropped on a hit.
import { createHash } from 'node:crypto';
import sjson from 'secure-json-parse';
import type {
  ExportManifestOutput,
  ExportManifestSource,
  OutputLeakItem,
  Policy,
} from '@privet/core';
import {
  checkNotebook,
  checkOutput,
  joinText,
  holdingRules,
  approvalTextAt,
  digestOfContent,
  outputContentHash,
  settingsFromExportRules,
  type NotebookOutput,
  type ReviewResult,
  type ReviewContext,
  type ViewUsed,
  releaseLookupOutput,
  wholeRelease,
} from '@privet/core/review/index';
import type { JsonValue } from '@privet/core/record/index';
import { canonicalSha256 } from './canonical-hash.js';
import { HttpError } from '../http/errors.js';
import { rawValueItems } from '../leak/outputs.js';
import { placeholderOutput, placeholderText } from './placeholder.js';
import {
  checkedData,
  exportedCellId,
  exportedCellMetadata,
  exportedExecutionCount,
  exportedMinor,
  exportedNotebookMetadata,
  metadataText,
  requireCellTypes,
  unusualMimeTypes,
} from './nbformat-fields.js';

const MAX_CELLS = 10_000;

/** How outputs are looked up while filtering. */
export interface FilterContext {
  /** The policy's export rules. */
  exportRules: Policy['export'];
  /** True when the ledger committed this DP release with exactly this content. */
  knownRelease: (id: string, content: string) => boolean;
  /** The approved review request covering this content hash in the experiment, if any. */
  approvedReviewId: (contentHash: string) => string | undefined;
  /** The views the row-level rule knows (`reviewedViews`), as the hosts check with. */
  viewsUsed: readonly ViewUsed[];
  /**
   * One verdict per item, in order: true when it shows a raw identifier value (the gateway's keyed
   * index; the gateway answers in its output-check worker).
   */
  rawValues: (items: OutputLeakItem[]) => Promise<boolean[]>;
}

/** The rule a raw identifier value found in an output or cell source is withheld under. */
export const RAW_VALUE_RULE = 'raw-value';

/** The filtered notebook and one manifest line per output. */
export interface FilteredNotebook {
  notebook: { [key: string]: JsonValue };
  /** SHA-256 of the filtered notebook's canonical JSON (the manifest's `notebookHash`). */
  notebookHash: string;
  outputs: ExportManifestOutput[];
  withheldSources: ExportManifestSource[];
  /** Rules the kernel and language names were left out under (undefined: kept or none). */
  withheldKernelNames?: string[];
}

type JsonObject = { [key: string]: JsonValue };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A deep copy of `value` as plain JSON; a "__proto__" or "constructor.prototype" key (which a
 * plain JSON.parse keeps as an own key, unseen by hashing and lookups) refuses the export.
 */
function plainCopy(value: unknown): unknown {
  try {
    return sjson.parse(JSON.stringify(value), null, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch {
    throw new HttpError(
      'bad_request',
      '"notebook" holds a "__proto__" or "constructor.prototype" key',
      'remove that key from the notebook JSON (Jupyter never writes one) and export again',
    );
  }
}

/**
 * Parses the notebook to plain JSON (a deep copy) and checks it is an nbformat 4 notebook whose
 * cells are code, markdown or raw cells.
 */
export function notebookCopy(value: unknown): JsonObject {
  const nb: unknown = isObject(value as JsonValue) ? plainCopy(value) : undefined;
  if (
    !isObject(nb as JsonValue) ||
    (nb as JsonObject).nbformat !== 4 ||
    !Array.isArray((nb as JsonObject).cells)
  )
    throw new HttpError(
      'bad_request',
      '"notebook" is not an nbformat 4 notebook',
      'send the .ipynb JSON as saved by Jupyter (nbformat 4, with "cells")',
    );
  const cells = (nb as JsonObject).cells as JsonValue[];
  if (cells.length > MAX_CELLS || !cells.every((c) => isObject(c)))
    throw new HttpError(
      'bad_request',
      `"notebook.cells" must be at most ${MAX_CELLS} cell objects`,
      'split the notebook',
    );
  requireCellTypes(cells as JsonObject[]);
  return nb as JsonObject;
}

/**
 * How many raw-value verdicts exporting `value` shows: one per cell source and per output, one
 * more per output with uncommon MIME types, and one for the kernel's names when it has any.
 */
export function rawValueLookups(value: unknown): number {
  const nb = isObject(value as JsonValue) ? (value as JsonObject) : undefined;
  const cells = nb?.cells;
  if (!Array.isArray(cells)) return 0;
  const metadata = metadataText(exportedNotebookMetadata(nb?.metadata)) === '' ? 0 : 1;
  const outputs = (c: JsonValue): number => {
    if (!isObject(c) || !Array.isArray(c.outputs)) return 0;
    return c.outputs.reduce<number>((n, o) => n + (unusualMimeTypes(o) ? 2 : 1), 0);
  };
  return cells.reduce<number>((n, c) => n + 1 + outputs(c), metadata);
}

/**
 * What the raw-value lookup reads of `output` when it shows only a DP release the ledger committed
 * (`wholeRelease`): its text without its numbers (`releaseLookupOutput`); undefined otherwise.
 */
function committedReleaseText(output: unknown, ctx: FilterContext): JsonValue | undefined {
  const whole = wholeRelease(output);
  if (whole === undefined || !ctx.knownRelease(whole.id, whole.content)) return undefined;
  return releaseLookupOutput(whole.value) as unknown as JsonValue;
}

const isText = (v: JsonValue | undefined): boolean =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/**
 * The output as exported: only the nbformat fields the check read and the content hash covers
 * (metadata emptied, a text MIME part only as text: `checkedData`), or undefined when the output
 * is malformed (it is then withheld).
 */
export function checkedOutput(o: JsonValue): JsonObject | undefined {
  if (!isObject(o)) return undefined;
  switch (o.output_type) {
    case 'stream':
      if ((o.name !== 'stdout' && o.name !== 'stderr') || !isText(o.text)) return undefined;
      return { output_type: 'stream', name: o.name, text: o.text! };
    case 'error':
      if (typeof o.ename !== 'string' || typeof o.evalue !== 'string') return undefined;
      if (!Array.isArray(o.traceback) || !isText(o.traceback)) return undefined;
      return { output_type: 'error', ename: o.ename, evalue: o.evalue, traceback: o.traceback };
    case 'display_data': {
      const data = checkedData(o.data);
      return data ? { output_type: 'display_data', data, metadata: {} } : undefined;
    }
    case 'execute_result': {
      const data = checkedData(o.data);
      if (!data) return undefined;
      return {
        output_type: 'execute_result',
        execution_count: exportedExecutionCount(o.execution_count),
        data,
        metadata: {},
      };
    }
    default:
      return undefined;
  }
}

/**
 * Cell `index` as exported: its nbformat fields only, validated or made up (nbformat-fields.ts);
 * outputs are set by the caller. The cell type was checked by `notebookCopy`.
 */
function exportedCell(cell: JsonObject, index: number, minor: number): JsonObject {
  const out: JsonObject = {};
  const id = exportedCellId(index, minor);
  if (id !== undefined) out.id = id;
  out.cell_type = cell.cell_type!;
  out.metadata = exportedCellMetadata(cell.metadata);
  out.source = isText(cell.source) ? cell.source! : '';
  if (cell.cell_type === 'code') {
    out.execution_count = exportedExecutionCount(cell.execution_count);
    out.outputs = [];
  }
  return out;
}

/**
 * The rules a cell's source would be held under in export mode (empty: it passes). Markdown is
 * checked as markdown, everything else as plain text.
 */
export function sourceRules(cell: JsonObject, context: ReviewContext): string[] {
  const shown = sourceAsOutput(cell);
  if (!shown) return [];
  const result = checkOutput(shown, context);
  return result.verdict === 'pass' ? [] : holdingRules(result.findings);
}

/**
 * A cell's source as an output, as both the rules and the raw-value lookup read it: markdown as
 * markdown, anything else as plain text; undefined for an empty source.
 */
function sourceAsOutput(cell: JsonObject): NotebookOutput | undefined {
  const text = joinText(cell.source);
  if (text === '') return undefined;
  const output =
    cell.cell_type === 'markdown'
      ? { output_type: 'display_data', data: { 'text/markdown': text }, metadata: {} }
      : { output_type: 'stream', name: 'stdout', text };
  return output as NotebookOutput;
}

/** Marks a kept output withheld under the raw-value rule (an approval does not cover it). */
function withholdRawValue(line: ExportManifestOutput): void {
  if (line.status === 'withheld') return;
  line.status = 'withheld';
  delete line.reviewId;
  line.rules = [RAW_VALUE_RULE];
}

async function hashOf(output: JsonValue): Promise<string> {
  try {
    return await outputContentHash(output as unknown as NotebookOutput);
  } catch {
    return createHash('sha256').update(JSON.stringify(output)).digest('hex');
  }
}

/**
 * The hash an approval of output `oi` of `outputs` would carry (approvalHash: a stream part after
 * the earlier parts of its stream in the cell), or undefined when it has no canonical form.
 */
async function approvalHashOf(
  outputs: readonly JsonValue[],
  oi: number,
): Promise<string | undefined> {
  try {
    return await digestOfContent(approvalTextAt(outputs, oi));
  } catch {
    return undefined;
  }
}

/** A raw-value lookup of the export, and what a hit withholds. */
interface RawValueLookupPlan {
  item: OutputLeakItem;
  withhold: () => void;
}

/** The manifest line of one output: passed, approved (by its content hash) or withheld. */
async function outputLine(
  ci: number,
  oi: number,
  outputs: readonly JsonValue[],
  result: ReviewResult | undefined,
  ctx: FilterContext,
  context: ReviewContext,
): Promise<ExportManifestOutput> {
  const output = outputs[oi]!;
  const contentHash = await hashOf(output);
  const line: ExportManifestOutput = {
    cellIndex: ci,
    outputIndex: oi,
    contentHash,
    status: 'withheld',
  };
  const types = unusualMimeTypes(output);
  const typeResult = types && checkOutput(types, context);
  if (checkedOutput(output) === undefined) line.rules = ['malformed'];
  // A MIME type holding what the check holds: no approval covers it (as for a cell source).
  else if (typeResult && typeResult.verdict !== 'pass')
    line.rules = holdingRules(typeResult.findings);
  else if (result?.verdict === 'pass') line.status = 'passed';
  else {
    const approval = await approvalHashOf(outputs, oi);
    const reviewId = approval === undefined ? undefined : ctx.approvedReviewId(approval);
    if (reviewId !== undefined) {
      line.status = 'approved';
      line.reviewId = reviewId;
    } else line.rules = result ? holdingRules(result.findings) : ['malformed'];
  }
  return line;
}

/**
 * A held chunk of a stream holds every chunk of that stream in the cell; then the cell's outputs
 * are set: placeholders for what is withheld, the checked fields of the rest.
 */
function finishCell(
  cell: JsonObject,
  outputs: JsonValue[],
  cellLines: ExportManifestOutput[],
): void {
  const heldStreams = new Set<string>();
  for (const line of cellLines)
    if (line.status === 'withheld') {
      const o = outputs[line.outputIndex];
      if (isObject(o) && o.output_type === 'stream') heldStreams.add(String(o.name));
    }
  for (const line of cellLines) {
    const o = outputs[line.outputIndex];
    if (
      line.status !== 'withheld' &&
      isObject(o) &&
      o.output_type === 'stream' &&
      heldStreams.has(String(o.name))
    ) {
      line.status = 'withheld';
      delete line.reviewId;
      line.rules = ['stream-held'];
    }
  }
  cell.outputs = outputs.map((o, oi) => {
    const line = cellLines[oi]!;
    if (line.status === 'withheld')
      return placeholderOutput(line.rules ?? []) as unknown as JsonValue;
    return checkedOutput(o)!;
  });
}

/** Re-checks every output and returns the notebook with only passed or approved outputs. */
export async function filterNotebook(
  value: unknown,
  ctx: FilterContext,
): Promise<FilteredNotebook> {
  const nb = notebookCopy(value);
  const context: ReviewContext = {
    policy: settingsFromExportRules(ctx.exportRules),
    viewsUsed: ctx.viewsUsed,
    mode: 'export',
    knownRelease: ctx.knownRelease,
  };
  const review = checkNotebook(nb as never, context);
  const verdicts = new Map(review.outputs.map((o) => [`${o.cell}:${o.output}`, o.result]));
  const lines: ExportManifestOutput[] = [];
  const minor = exportedMinor(nb.nbformat_minor);
  const cells = (nb.cells as JsonObject[]).map((source, ci) => ({
    source,
    cell: exportedCell(source, ci, minor),
  }));
  const withheldSources: ExportManifestSource[] = [];
  // The rules first; what they keep is then looked up for raw values in one batch.
  const lookups: RawValueLookupPlan[] = [];
  const finishing: (() => void)[] = [];
  // The kernel's names are checked as a code cell's source is; anything found drops them all.
  let metadata = exportedNotebookMetadata(nb.metadata);
  let withheldKernelNames: string[] | undefined;
  const withholdNames = (rules: string[]): void => {
    metadata = {};
    withheldKernelNames = rules;
  };
  const names = sourceAsOutput({ cell_type: 'raw', source: metadataText(metadata) });
  const namesResult = names ? checkOutput(names, context) : undefined;
  if (namesResult && namesResult.verdict !== 'pass')
    withholdNames(holdingRules(namesResult.findings));
  else if (names)
    lookups.push({ item: { output: names }, withhold: () => withholdNames([RAW_VALUE_RULE]) });
  for (const [ci, { source, cell }] of cells.entries()) {
    const rules = sourceRules(cell, context);
    const withholdSource = (why: string[]): void => {
      cell.source = placeholderText(why);
      withheldSources.push({ cellIndex: ci, rules: why });
    };
    const shown = sourceAsOutput(cell);
    if (rules.length > 0) withholdSource(rules);
    else if (shown)
      lookups.push({ item: { output: shown }, withhold: () => withholdSource([RAW_VALUE_RULE]) });
    if (!Array.isArray(source.outputs) || cell.cell_type !== 'code') continue;
    const outputs = source.outputs;
    const cellLines: ExportManifestOutput[] = [];
    for (const oi of outputs.keys())
      cellLines.push(await outputLine(ci, oi, outputs, verdicts.get(`${ci}:${oi}`), ctx, context));
    // A raw identifier value withholds what holds it (a stream is looked up whole).
    const kept = (i: number): boolean =>
      cellLines[i]?.status === 'passed' || cellLines[i]?.status === 'approved';
    // A committed DP release shown alone is looked up by its text, not its numbers.
    const release = (i: number): JsonValue | undefined =>
      kept(i) ? committedReleaseText(outputs[i], ctx) : undefined;
    const lookedUp = (i: number): boolean => kept(i) && release(i) === undefined;
    for (const { item, at } of rawValueItems(outputs, (i) => !lookedUp(i)))
      lookups.push({ item, withhold: () => at.forEach((i) => withholdRawValue(cellLines[i]!)) });
    for (const oi of outputs.keys()) {
      const text = release(oi);
      if (text !== undefined)
        lookups.push({
          item: { output: text as unknown as NotebookOutput },
          withhold: () => withholdRawValue(cellLines[oi]!),
        });
    }
    // An output's uncommon MIME types are looked up on their own (the lookup reads only values).
    for (const oi of outputs.keys()) {
      const types = lookedUp(oi) ? unusualMimeTypes(outputs[oi]) : undefined;
      if (types)
        lookups.push({ item: { output: types }, withhold: () => withholdRawValue(cellLines[oi]!) });
    }
    finishing.push(() => finishCell(cell, outputs, cellLines));
    lines.push(...cellLines);
  }
  const found = await ctx.rawValues(lookups.map((l) => l.item));
  // A verdict missing from the answer withholds (fail closed).
  lookups.forEach((l, i) => found[i] !== false && l.withhold());
  for (const finish of finishing) finish();
  withheldSources.sort((a, b) => a.cellIndex - b.cellIndex);
  const notebook: JsonObject = {
    nbformat: 4,
    nbformat_minor: minor,
    metadata,
    cells: cells.map(({ cell }) => cell),
  };
  return {
    notebook,
    notebookHash: canonicalSha256(notebook),
    outputs: lines,
    withheldSources,
    ...(withheldKernelNames ? { withheldKernelNames } : {}),
  };
}
