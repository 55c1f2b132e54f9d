import * as React from 'react';
import type { DpDryRunWithBudget } from '@privet/core/protocol';
import { aggregateErrorText } from '@privet/core/client/aggregate-error';
import { budgetShortfall } from '@privet/core/client/budget-shortfall';
import { dryRunLimitText } from '@privet/core/client/per-query-limit';

/** The display value of an exact amount written "p/q" or as a decimal (display only). */
function approx(text: string): number {
  const [p, q] = text.split('/');
  return q === undefined ? Number(p) : Number(p) / Number(q);
}

/** Short display text of a number (at most 4 significant digits). */
function short(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : '?';
}

/** The number of groups a query makes, in words: "1 group", "3 groups". */
export function groupsText(groups: number): string {
  return `${groups.toLocaleString()} ${groups === 1 ? 'group' : 'groups'}`;
}

/** What a dry run says before anything is spent: cost, ±error per aggregate, budget afterwards. */
export function DryRunView(props: { dryRun: DpDryRunWithBudget }): JSX.Element {
  const { dryRun } = props;
  const level = Math.round((1 - dryRun.alpha) * 100);
  // The same words as the gateway's refusal would use: what is short, and how to fix it.
  const shortfall = budgetShortfall(dryRun);
  return (
    <div className="jp-Privet-dryRun" aria-live="polite">
      <div className="jp-Privet-dryRunCost">
        Cost: ε = <strong>{dryRun.cost.epsilon ?? '-'}</strong>
        {dryRun.cost.delta ? `, δ = ${dryRun.cost.delta}` : ''}
        {dryRun.cost.rho ? `, ρ = ${dryRun.cost.rho}` : ''} ({dryRun.mechanism.replace('_', ' ')})
        {dryRun.groups !== undefined ? ` · ${groupsText(dryRun.groups)}` : ''}
      </div>
      <table className="jp-Privet-dryRunErrors">
        <thead>
          <tr>
            <th>aggregate</th>
            <th>{level}% error (±)</th>
          </tr>
        </thead>
        <tbody>
          {dryRun.columns
            .filter((c) => c.role === 'aggregate')
            .map((c) => (
              <tr key={c.name} data-column={c.name}>
                <td>
                  {c.name} <span className="jp-Privet-kind">{c.kind}</span>
                </td>
                <td>{aggregateErrorText(c)}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <table className="jp-Privet-dryRunBudget">
        <thead>
          <tr>
            <th>budget</th>
            <th>ε left now</th>
            <th>ε left after</th>
          </tr>
        </thead>
        <tbody>
          {dryRun.budget.map((b) => {
            const after = approx(b.remainingBefore.epsilon.exact) - approx(b.cost.epsilon);
            const limit = dryRunLimitText(b);
            return (
              <tr key={b.source} data-source={b.source}>
                <td>
                  {b.source}
                  {limit ? <span className="jp-Privet-kind"> · {limit}</span> : null}
                </td>
                <td>{b.remainingBefore.epsilon.text}</td>
                <td>{b.affordable ? short(after) : 'not affordable'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {shortfall ? (
        <div className="jp-Privet-notAffordable" role="alert">
          Not affordable: {shortfall.message}. Fix: {shortfall.fix}.
        </div>
      ) : null}
      {dryRun.warnings.map((w) => (
        <div key={w} className="jp-Privet-warning">
          {w}
        </div>
      ))}
    </div>
  );
}
