/**
 * Why a DP dry run's query could not be paid for, in the words of the gateway's ledger refusal:
 * the ledger and both notebook hosts share these fixes, so a refusal reads the same everywhere.
 */
import { Rational } from '../dp/rational.js';
import type { DpDryRunWithBudget } from '../protocol.js';

/** The fix when a query needs more ε than its budget has left. */
export const EPSILON_SHORT_FIX =
  'ask for less ε (a wider error), wait for running queries to finish, or ask a steward for a larger budget';

/** The fix when a query needs more δ than its budget has left. */
export const DELTA_SHORT_FIX =
  'use a pure-DP (δ=0) mechanism or a smaller δ, or ask a steward for a larger δ budget';

/** The fix when a query needs more ε than the policy lets one query spend. */
export const EPSILON_PER_QUERY_FIX =
  'ask for less ε in this query (a wider error): the policy limits what one query may spend on this dataset';

/** The fix when a query needs more δ than the policy lets one query spend. */
export const DELTA_PER_QUERY_FIX =
  'use a pure-DP (δ=0) mechanism or a smaller δ: the policy limits the δ one query may spend on this dataset';

/** Why a dry run's query would be refused for lack of budget, and how to fix it. */
export interface BudgetShortfall {
  /** What is short, e.g. `the query needs ε=2 on people (1 left)`. */
  message: string;
  /** The fix for each resource that is short, joined. */
  fix: string;
  /** Which resources are short: ε, δ or both. */
  short: ('ε' | 'δ')[];
}

/**
 * Why spending this dry run would be refused (some budget it charges says `affordable: false`):
 * every source and resource that is above the policy's per-query limit or short of budget, with
 * the fixes; undefined when every budget can pay. Budget figures only, never data.
 */
export function budgetShortfall(dry: DpDryRunWithBudget): BudgetShortfall | undefined {
  const needs: string[] = [];
  const short = new Set<'ε' | 'δ'>();
  const fixes = new Set<string>();
  for (const b of dry.budget.filter((x) => !x.affordable)) {
    const parts: [symbol: 'ε' | 'δ', need: string, left: string, leftText: string][] = [
      ['ε', b.cost.epsilon, b.remainingBefore.epsilon.exact, b.remainingBefore.epsilon.text],
      ['δ', b.cost.delta, b.remainingBefore.delta.exact, b.remainingBefore.delta.text],
    ];
    const limitOf = (symbol: 'ε' | 'δ'): string | undefined =>
      symbol === 'ε' ? b.perQuery?.epsilon : b.perQuery?.delta;
    const overLimit = parts.filter(([symbol, need]) => {
      const limit = limitOf(symbol);
      return limit !== undefined && Rational.from(need).gt(Rational.from(limit));
    });
    const lacking = parts.filter(
      ([symbol, need, left]) =>
        !overLimit.some(([s]) => s === symbol) && Rational.from(need).gt(Rational.from(left)),
    );
    for (const [symbol, need] of overLimit) {
      short.add(symbol);
      fixes.add(symbol === 'ε' ? EPSILON_PER_QUERY_FIX : DELTA_PER_QUERY_FIX);
      const limit = Rational.from(limitOf(symbol) ?? '0').toDisplayString();
      needs.push(
        `${symbol}=${Rational.from(need).toDisplayString()} on ${b.source} (at most ${limit} per query)`,
      );
    }
    // `affordable: false` with nothing visibly short (a rounding edge): name ε, what it is priced by.
    const shown = lacking.length > 0 || overLimit.length > 0 ? lacking : parts.slice(0, 1);
    for (const [symbol, need, , leftText] of shown) {
      short.add(symbol);
      fixes.add(symbol === 'ε' ? EPSILON_SHORT_FIX : DELTA_SHORT_FIX);
      needs.push(
        `${symbol}=${Rational.from(need).toDisplayString()} on ${b.source} (${leftText} left)`,
      );
    }
  }
  if (needs.length === 0) return undefined;
  const order = (['ε', 'δ'] as const).filter((s) => short.has(s));
  const pick = (...all: string[]): string => all.filter((f) => fixes.has(f)).join('; or ');
  const fix = [
    pick(EPSILON_PER_QUERY_FIX, EPSILON_SHORT_FIX),
    pick(DELTA_PER_QUERY_FIX, DELTA_SHORT_FIX),
  ].filter((f) => f !== '');
  return {
    message: `the query needs ${needs.join('; ')}`,
    fix: fix.join('; or for δ: '),
    short: order,
  };
}
