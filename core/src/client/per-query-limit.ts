/** The per-query limit of a budget in words, as both notebook hosts show it next to the budget. */
import type { BudgetView } from '../protocol.js';

/** "At most ε 1 and δ 1e-8 per query", or undefined when the policy sets no per-query limit. */
export function perQueryLimitText(budget: Pick<BudgetView, 'perQuery'>): string | undefined {
  const { epsilon, delta } = budget.perQuery ?? {};
  const parts = [epsilon ? `ε ${epsilon.text}` : '', delta ? `δ ${delta.text}` : ''].filter(
    (p) => p !== '',
  );
  return parts.length > 0 ? `At most ${parts.join(' and ')} per query` : undefined;
}
