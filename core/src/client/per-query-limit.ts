/** The per-query limit of a budget in words, as both notebook hosts show it next to the budget. */
import { Rational } from '../dp/rational.js';
import type { BudgetAfter, BudgetView } from '../protocol.js';

/** "ε 1 and δ 1e-8" from display texts, or undefined when neither is set. */
function limitWords(epsilon: string | undefined, delta: string | undefined): string | undefined {
  const parts = [epsilon ? `ε ${epsilon}` : '', delta ? `δ ${delta}` : ''].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** "At most ε 1 and δ 1e-8 per query", or undefined when the policy sets no per-query limit. */
export function perQueryLimitText(budget: Pick<BudgetView, 'perQuery'>): string | undefined {
  const words = limitWords(budget.perQuery?.epsilon?.text, budget.perQuery?.delta?.text);
  return words ? `At most ${words} per query` : undefined;
}

/** A dry run's "at most ε 1 per query" for one budget it charges, or undefined without a limit. */
export function dryRunLimitText(budget: Pick<BudgetAfter, 'perQuery'>): string | undefined {
  const shown = (exact: string | undefined) =>
    exact === undefined ? undefined : Rational.from(exact).toDisplayString();
  const words = limitWords(shown(budget.perQuery?.epsilon), shown(budget.perQuery?.delta));
  return words ? `at most ${words} per query` : undefined;
}
