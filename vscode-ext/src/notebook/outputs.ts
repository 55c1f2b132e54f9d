/**
 * nbformat outputs the Privet SQL controller writes: result tables (HTML + text), DP releases
 * (dry runs: dry-run-output.ts), errors, and the placeholder that stands in for a flagged output. The placeholder names
 * the rules that fired and never any of the output's content.
 */
import {
  DP_RELEASE_MIME_TYPE,
  type DpDryRunWithBudget,
  type DpRelease,
} from '@privet/core/protocol';
import {
  holdingRules,
  type DisplayOutput,
  type NotebookOutput,
  type ReviewResult,
} from '@privet/core';
import { budgetShortfall } from '@privet/core/client/budget-shortfall';
import { releaseText } from '@privet/core/client/release-format';
import { rowCountHint, rowCountText, type QueryResult } from '@privet/core/client/index';
import { escapeHtml } from '../shared/escape-html.js';
import { rawValueHold, uncheckedReason, type RawValueHold } from './raw-value.js';
import { reviewHint, type HeldReviewState } from '../renderer/held-review.js';

/** MIME type of the placeholder that replaces a flagged output. */
export const PLACEHOLDER_MIME_TYPE = 'application/vnd.privet.withheld+json';

/** What a placeholder carries: verdict and rules, never the withheld content. */
export interface WithheldInfo {
  verdict: 'flag' | 'block';
  rules: string[];
  /** Id of the original held in the extension's memory until it is sent for review. */
  heldId: string;
  /** Held by the gateway's raw-value check: a value found (never approvable), or no answer. */
  rawValue?: RawValueHold;
  /** Once sent for review: its review state, which the placeholder's second line follows. */
  review?: HeldReviewState;
}

/**
 * "N rows", or when rows were cut off "first K of (more than) N rows" and how to see the rest
 * (as the JupyterLab panel says it).
 */
function rowCountLine(result: QueryResult): string {
  return rowCountText(result) + rowCountHint(result);
}

/** A query result as an HTML table with a text fallback. */
export function tableOutput(result: QueryResult): DisplayOutput {
  const head = result.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = result.rows
    .map(
      (r) => `<tr>${r.map((v) => `<td>${v === null ? 'NULL' : escapeHtml(v)}</td>`).join('')}</tr>`,
    )
    .join('');
  const more = rowCountLine(result);
  const text = [
    result.columns.join('\t'),
    ...result.rows.map((r) => r.map((v) => v ?? 'NULL').join('\t')),
  ];
  return {
    output_type: 'display_data',
    data: {
      'text/html': `<table class="privet-result"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p>${escapeHtml(more)}</p>`,
      'text/plain': [...text, more].join('\n'),
    },
    metadata: {},
  };
}

/** Why a dry run's query would be refused for lack of budget, and how to fix it. */
export interface Unaffordable {
  /** What is short, e.g. `the query needs ε=2 on people (1 left)`. */
  message: string;
  /** The gateway's fix for an exhausted budget. */
  fix: string;
}

/**
 * Why spending this dry run would be refused (some budget it charges says `affordable: false`),
 * with the gateway's fix and how to ask for less ε in a SQL cell; undefined when every budget can
 * pay. Budget figures only, never data.
 */
export function unaffordable(dry: DpDryRunWithBudget): Unaffordable | undefined {
  const shortfall = budgetShortfall(dry);
  if (!shortfall) return undefined;
  const example = shortfall.short.includes('ε')
    ? ' (less ε in this cell: a first line such as `-- privet: epsilon=0.1`)'
    : '';
  return { message: shortfall.message, fix: shortfall.fix + example };
}

/**
 * A DP release with its own MIME type (rendered by the Privet renderer) and core's text fallback,
 * as JupyterLab writes it (so the gateway recognizes the output as the release alone).
 */
export function releaseOutput(release: DpRelease): DisplayOutput {
  return {
    output_type: 'display_data',
    data: {
      [DP_RELEASE_MIME_TYPE]: JSON.parse(JSON.stringify(release)) as unknown,
      'text/plain': releaseText(release),
    },
    metadata: {},
  };
}

/** An error output with what happened and how to fix it (never data values). */
export function errorOutput(name: string, message: string, fix: string): NotebookOutput {
  return { output_type: 'error', ename: name, evalue: `${message}. Fix: ${fix}`, traceback: [] };
}

/**
 * The placeholder written instead of a flagged output (rules fired, never the content). One held
 * on a raw value the gateway found says so and offers no review (none can approve it); one held
 * because the gateway's raw-value check did not answer carries the gateway's reason and fix. One
 * sent for review (`sent`: its review state) says that state instead of offering a review.
 */
export function placeholderOutput(
  review: ReviewResult,
  heldId: string,
  sent?: HeldReviewState,
): DisplayOutput {
  const rules = holdingRules(review.findings);
  const verdict = review.verdict === 'block' ? 'block' : 'flag';
  const rawValue = rawValueHold(review);
  const info: WithheldInfo = {
    verdict,
    rules,
    heldId,
    ...(rawValue ? { rawValue } : {}),
    ...(sent ? { review: sent } : {}),
  };
  const head = `Privet withheld this output (${verdict}: ${rules.join(', ') || 'review'}).`;
  const next =
    rawValue === 'found'
      ? " It shows a value from the raw data's identifier columns, so it cannot be approved or exported. Fix: remove the value from the output and run the cell again."
      : rawValue === 'unchecked'
        ? ` The gateway could not check it for values from the raw data's identifier columns: ${uncheckedReason(review)}. It is checked again when you sign in, change experiment or run the cell again.`
        : sent
          ? ` ${reviewHint(sent)}`
          : ' Use "Privet: Request Review" on this cell to send it to a reviewer; it stays off the notebook.';
  return {
    output_type: 'display_data',
    data: { [PLACEHOLDER_MIME_TYPE]: info, 'text/plain': head + next },
    metadata: { privet: { withheld: heldId } },
  };
}
