/**
 * A DP query's dry run as the Privet SQL controller shows it in a cell: what it would cost, the
 * expected ± error of each aggregate, each budget before and after, the gateway's notes, and
 * what to do next (Run and Spend, or why it is not offered). HTML that wraps to the cell's width,
 * with the same lines as plain text.
 */
import { Rational, type DisplayOutput } from '@privet/core';
import { aggregateErrorText } from '@privet/core/client/aggregate-error';
import { dryRunLimitText } from '@privet/core/client/per-query-limit';
import type { DpDryRunWithBudget } from '@privet/core/protocol';
import { escapeHtml } from '../shared/escape-html.js';
import { unaffordable } from './outputs.js';

/** The parts of a dry run's output, in the order they are shown. */
export interface DryRunParts {
  /** e.g. "cost ε=0.25". */
  cost: string;
  /** One line per aggregate (its ± at the level) and per budget (before → after). */
  details: string[];
  /** The gateway's notes (contribution bounds, clamping, dropped rows). */
  notes: string[];
  /** What to do next: Run and Spend, or what is short and the fix. */
  next: string;
}

/** The lines of a dry run: cost, per-aggregate error, budgets after, notes, next step. */
export function dryRunParts(dry: DpDryRunWithBudget): DryRunParts {
  const cost = [
    dry.cost.epsilon !== undefined ? `ε=${Rational.from(dry.cost.epsilon).toDisplayString()}` : '',
    dry.cost.delta !== undefined ? `δ=${dry.cost.delta}` : '',
    dry.cost.rho !== undefined ? `ρ=${dry.cost.rho}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const level = Math.round((1 - dry.alpha) * 100);
  const details: string[] = [];
  for (const c of dry.columns) {
    if (c.role !== 'aggregate') continue;
    details.push(`${c.name} (${c.kind}): ${aggregateErrorText(c)} at ${level}%`);
  }
  for (const b of dry.budget) {
    // Exact arithmetic on the gateway's rational strings: a budget is never shown rounded up.
    const after = Rational.from(b.remainingBefore.epsilon.exact).sub(Rational.from(b.cost.epsilon));
    const limit = dryRunLimitText(b);
    details.push(
      `budget ${b.source}: ε ${b.remainingBefore.epsilon.text} left → ${after.toDisplayString()} after` +
        (limit ? `, ${limit}` : '') +
        (b.affordable ? '' : ' (NOT affordable: the query would be refused)'),
    );
  }
  const refused = unaffordable(dry);
  // A query the budget cannot pay is not offered for spending: what is short and the fix instead.
  const next = refused
    ? `Not affordable, so not offered for spending (the gateway would refuse it): ${refused.message}. Fix: ${refused.fix}, then run the cell again.`
    : 'Run "Privet: Run and Spend" (cell status bar or notification) to release it.';
  return { cost: `cost ${cost}`, details, notes: [...dry.warnings], next };
}

/** The dry run of a DP query as plain text (the output's text/plain). */
export function dryRunText(dry: DpDryRunWithBudget): string {
  const parts = dryRunParts(dry);
  return [
    `Privet DP dry run (nothing spent yet): ${parts.cost}`,
    ...parts.details.map((line) => `  ${line}`),
    ...parts.notes.map((note) => `  note: ${note}`),
    parts.next,
  ].join('\n');
}

/** The dry run as HTML: the same lines, wrapping to the cell (a long note is not cut off). */
export function dryRunHtml(dry: DpDryRunWithBudget): string {
  const parts = dryRunParts(dry);
  const items = (lines: string[]): string => lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('');
  return [
    `<div class="privet-dry-run">`,
    `<p><strong>Privet DP dry run (nothing spent yet)</strong>: ${escapeHtml(parts.cost)}</p>`,
    `<ul>${items(parts.details)}</ul>`,
    parts.notes.length > 0 ? `<p>Notes:</p><ul>${items(parts.notes)}</ul>` : '',
    `<p>${escapeHtml(parts.next)}</p>`,
    `</div>`,
  ].join('');
}

/** A dry run as a cell output: HTML with the text as its fallback. */
export function dryRunOutput(dry: DpDryRunWithBudget): DisplayOutput {
  return {
    output_type: 'display_data',
    data: { 'text/html': dryRunHtml(dry), 'text/plain': dryRunText(dry) },
    metadata: {},
  };
}
