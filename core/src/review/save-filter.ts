// Why: a saved notebook is the easiest way for an output to leave the sandbox (committed to git,
// mailed, opened as text), so the notebook hosts write held outputs to disk only as a placeholder.
// Every output is checked again as the file is written (streams across a cell's chunks, as on
// display), and one that does not pass is kept only when a reviewer approved its exact content.
// If any chunk of a cell's stream is withheld, all chunks of that stream are, so no half of a split
// identifier is left behind. The placeholder names the rules, never the content. Saved widget
// state (`metadata.widgets`, written when a user turns on ipywidgets' "Save widget state") holds
// whatever every widget showed, unchecked; it is never written (a widget restored from the file
// stays held anyway, its state unseen by the gate).
import { approvalTextAt } from './content-hash.js';
import { checkNotebook, type NotebookLike } from './notebook.js';
import type { DisplayOutput, Finding, NotebookOutput, ReviewContext } from './types.js';

/** Start of the text of a placeholder written in place of a held output. */
export const SAVED_PLACEHOLDER_PREFIX = '[withheld by Privet review: rules ';

/** The output saved in place of a held one: which rules held it and how to see it again. */
export function savedPlaceholder(rules: readonly string[]): DisplayOutput {
  const list = rules.length > 0 ? [...new Set(rules)].sort().join(', ') : 'not-approved';
  return {
    output_type: 'display_data',
    data: {
      'text/plain':
        `${SAVED_PLACEHOLDER_PREFIX}${list}] This output was not saved. ` +
        'Run the cell again to see it; it shows once it passes review or a reviewer approves it.',
    },
    metadata: {},
  };
}

/** How `withholdForSave` decides. */
export interface SaveFilterOptions {
  /** The same context the host checks outputs with before display. */
  context: ReviewContext;
  /**
   * True when a reviewer approved an output with this canonical content (`approvalText`: a stream
   * part with the earlier parts of its stream in the cell).
   */
  approved: (contentText: string) => boolean;
  /** A host's extra fail-closed finding for an output the engine passed (or null). */
  extraFinding?: (output: NotebookOutput) => Finding | null;
}

/** The notebook to write, and how many outputs were replaced by placeholders. */
export interface SaveFilterResult<T> {
  notebook: T;
  withheld: number;
}

type Cell = { cell_type?: string; outputs?: readonly unknown[] };

/** `notebook` without saved widget state (`metadata.widgets`). */
function withoutWidgetState<T extends NotebookLike>(notebook: T): T {
  const metadata = (notebook as { metadata?: unknown }).metadata;
  if (typeof metadata !== 'object' || metadata === null || !('widgets' in metadata))
    return notebook;
  const { widgets: _dropped, ...kept } = metadata as Record<string, unknown>;
  return { ...notebook, metadata: kept };
}

/**
 * A copy of `notebook` in which every output that does not pass review and was not approved is
 * replaced by `savedPlaceholder`, and saved widget state is dropped. Outputs that cannot be read
 * are replaced too (fail closed).
 */
export function withholdForSave<T extends NotebookLike>(
  given: T,
  options: SaveFilterOptions,
): SaveFilterResult<T> {
  const notebook = withoutWidgetState(given);
  const review = checkNotebook(notebook, { ...options.context, mode: 'display' });
  // Rules that held each output, by `${cell}:${output}`.
  const heldRules = new Map<string, string[]>();
  for (const { cell, output, result } of review.outputs) {
    const out = notebook.cells[cell]?.outputs?.[output] as NotebookOutput;
    let rules = result.findings.map((f) => f.rule as string);
    if (result.verdict === 'pass') {
      const extra = options.extraFinding?.(out) ?? null;
      if (!extra) continue;
      rules = [extra.rule];
    }
    const outputs = notebook.cells[cell]?.outputs ?? [];
    if (!isApproved(outputs, output, options.approved)) heldRules.set(`${cell}:${output}`, rules);
  }
  if (heldRules.size === 0) return { notebook, withheld: 0 };
  let withheld = 0;
  const cells = notebook.cells.map((cell: Cell, ci) => {
    if (!Array.isArray(cell.outputs)) return cell;
    const outputs = cell.outputs as readonly NotebookOutput[];
    const held = outputs.map((_, oi) => heldRules.get(`${ci}:${oi}`));
    if (held.every((rules) => rules === undefined)) return cell;
    // A held chunk withholds every chunk of its stream (with the rules of all of them).
    const streamRules = new Map<string, string[]>();
    outputs.forEach((o, oi) => {
      const rules = held[oi];
      if (rules && o?.output_type === 'stream')
        streamRules.set(o.name, [...(streamRules.get(o.name) ?? []), ...rules]);
    });
    return {
      ...cell,
      outputs: outputs.map((o, oi) => {
        const rules = o?.output_type === 'stream' ? streamRules.get(o.name) : held[oi];
        if (!rules) return o;
        withheld++;
        return savedPlaceholder(rules);
      }),
    };
  });
  return { notebook: { ...notebook, cells } as T, withheld };
}

/**
 * True when `approved` vouches for the exact content of output `index` of its cell's `outputs` (a
 * stream part after the parts before it); false if it cannot be read.
 */
function isApproved(
  outputs: readonly unknown[],
  index: number,
  approved: (text: string) => boolean,
): boolean {
  try {
    return approved(approvalTextAt(outputs, index));
  } catch {
    return false;
  }
}
