/**
 * Cross-reference checks the schema cannot express: sources declare their privacy unit, bounds
 * fit the column, public categories fit it once each (semantics-keys.ts), views are sound
 * (semantics-views.ts), budgets name real sources once each and are positive (per-query limits
 * within them), DP-spending views have a budget, someone is a steward. Fail closed: anything
 * unknown is an issue.
 */
import type { Policy } from './schema.js';
import { checkJoinGroups } from './join-groups.js';
import { checkView, type AddIssue, type RawSemanticIssue } from './semantics-views.js';
import { didYouMean } from './suggest.js';
import { declared } from './lookup.js';
import { checkKeyList } from './semantics-keys.js';
import { parseRational, ZERO, type Rational } from '../dp/rational.js';

export type { RawSemanticIssue } from './semantics-views.js';

/** Most years a date column may declare (bounds the synthesizer's public domain). */
export const MAX_DECLARED_YEARS = 500;

/**
 * A date column's public domain is its years (a synthetic view synthesizes dates by year): `years`
 * only on dates, first ≤ last, at most MAX_DECLARED_YEARS; `categories` on a date would read as
 * years to the synthesizer but as dates to DP queries, so it is refused.
 */
function checkDateDomain(
  source: string,
  col: string,
  decl: Policy['sources'][string]['columns'][string],
  add: AddIssue,
): void {
  const at = ['sources', source, 'columns', col];
  if (decl.type === 'date' && decl.categories)
    add(
      [...at, 'categories'],
      `categories are not for date columns ("${col}" is a date)`,
      'declare the public years instead, e.g. years: [1926, 2025]',
    );
  if (!decl.years) return;
  const [first, last] = decl.years;
  if (decl.type !== 'date')
    add(
      [...at, 'years'],
      `years are only for date columns, but "${col}" is ${decl.type}`,
      decl.type === 'integer' || decl.type === 'number'
        ? 'write bounds: [low, high] for a numeric column, or change the type to date'
        : 'remove years, or change the type to date',
    );
  else if (first > last)
    add(
      [...at, 'years'],
      `the first year ${first} is after the last year ${last}`,
      'write years as [first, last] with first ≤ last',
      false,
    );
  else if (last - first + 1 > MAX_DECLARED_YEARS)
    add(
      [...at, 'years'],
      `years span ${last - first + 1} years; at most ${MAX_DECLARED_YEARS} are allowed`,
      'narrow the range to the years the column can hold',
      false,
    );
}

function checkSources(policy: Policy, add: AddIssue): void {
  for (const [name, src] of Object.entries(policy.sources)) {
    if (!Object.hasOwn(src.columns, src.privacy_unit)) {
      const known = Object.keys(src.columns);
      add(
        ['sources', name, 'privacy_unit'],
        `privacy unit column "${src.privacy_unit}" is not declared in columns${didYouMean(src.privacy_unit, known)}`,
        `name one of the declared columns (${known.join(', ')}) or declare "${src.privacy_unit}" under columns`,
        false,
      );
    }
    for (const [col, decl] of Object.entries(src.columns)) {
      checkDateDomain(name, col, decl, add);
      if (decl.categories && decl.type !== 'date')
        checkKeyList(
          decl.categories,
          col,
          decl.type,
          ['sources', name, 'columns', col, 'categories'],
          add,
        );
      if (!decl.bounds) continue;
      const at = ['sources', name, 'columns', col, 'bounds'];
      if (decl.type !== 'integer' && decl.type !== 'number')
        add(
          at,
          `bounds are only for numeric columns, but "${col}" is ${decl.type}`,
          'remove bounds, or change the type to integer or number',
        );
      else if (!(decl.bounds[0] < decl.bounds[1]))
        add(
          at,
          `lower bound ${decl.bounds[0]} must be below upper bound ${decl.bounds[1]}`,
          'write bounds as [low, high] with low < high',
          false,
        );
    }
  }
}

function checkBudgetList(
  policy: Policy,
  key: 'budgets' | 'publication_budgets',
  add: AddIssue,
): void {
  const known = Object.keys(policy.sources);
  const first = new Map<string, number>();
  (policy[key] ?? []).forEach((budget, i) => {
    // The gateway enforces one budget per source: a second entry would be shown but never applied.
    const earlier = first.get(budget.source);
    if (earlier !== undefined)
      add(
        [key, i, 'source'],
        `source "${budget.source}" already has an entry in ${key} (entry ${earlier + 1}); only one ${key === 'budgets' ? 'budget' : 'publication budget'} per source is enforced, so this one would never apply`,
        key === 'budgets'
          ? 'keep one entry per source: merge the two into one with the epsilon, delta and scope (experiment or experiment_user) that should apply'
          : 'keep one entry per source: merge the two into one with the epsilon and delta that should apply',
        false,
      );
    else first.set(budget.source, i);
    if (!declared(policy.sources, budget.source))
      add(
        [key, i, 'source'],
        `budget for unknown source "${budget.source}"${didYouMean(budget.source, known)} (known: ${known.join(', ')})`,
        'name a source declared under sources',
        false,
      );
    if (!(Number(budget.epsilon) > 0))
      add(
        [key, i, 'epsilon'],
        `epsilon must be greater than 0, not ${JSON.stringify(budget.epsilon)}`,
        "write a positive epsilon, e.g. epsilon: '1.0'",
        false,
      );
    if (budget.delta !== undefined && !(Number(budget.delta) >= 0 && Number(budget.delta) < 1))
      add(
        [key, i, 'delta'],
        `delta must be from 0 up to (not including) 1, not ${JSON.stringify(budget.delta)}`,
        "write a small probability, e.g. delta: '1e-6'",
        false,
      );
  });
}

/** A budget amount as an exact number, or undefined when absent or not a valid amount. */
function exact(value: string | number | undefined): Rational | undefined {
  if (value === undefined) return undefined;
  try {
    return parseRational(value);
  } catch {
    return undefined; // reported by the schema or the positive checks above
  }
}

/**
 * A budget's per-query limits fit inside it: `max_query_epsilon` above 0 and at most `epsilon`,
 * `max_query_delta` at most `delta` (a budget without delta allows no δ at all). Exact comparison.
 */
function checkPerQueryLimits(policy: Policy, add: AddIssue): void {
  policy.budgets.forEach((budget, i) => {
    const total = exact(budget.epsilon);
    const cap = exact(budget.max_query_epsilon);
    if (budget.max_query_epsilon !== undefined && !(cap && cap.gt(ZERO)))
      add(
        ['budgets', i, 'max_query_epsilon'],
        `max_query_epsilon must be greater than 0, not ${JSON.stringify(budget.max_query_epsilon)}`,
        "write the most ε one query may spend, e.g. max_query_epsilon: '0.5', or leave it out for no limit",
        false,
      );
    else if (cap && total && cap.gt(total))
      add(
        ['budgets', i, 'max_query_epsilon'],
        `max_query_epsilon ${cap.toDisplayString()} is above the budget's epsilon ${total.toDisplayString()}, so it would never limit a query`,
        `lower it to at most ${total.toDisplayString()}, or leave it out for no limit`,
        false,
      );
    const totalDelta = exact(budget.delta ?? 0);
    const capDelta = exact(budget.max_query_delta);
    if (capDelta && totalDelta && capDelta.gt(totalDelta))
      add(
        ['budgets', i, 'max_query_delta'],
        totalDelta.isZero()
          ? `max_query_delta ${capDelta.toDisplayString()} is set, but the budget has no delta, so no query may spend any δ`
          : `max_query_delta ${capDelta.toDisplayString()} is above the budget's delta ${totalDelta.toDisplayString()}, so it would never limit a query`,
        totalDelta.isZero()
          ? "give the budget a delta (e.g. delta: '1e-6') or leave max_query_delta out"
          : `lower it to at most ${totalDelta.toDisplayString()}, or leave it out for no limit`,
        false,
      );
  });
}

function checkBudgets(policy: Policy, add: AddIssue): void {
  checkBudgetList(policy, 'budgets', add);
  checkBudgetList(policy, 'publication_budgets', add);
  checkPerQueryLimits(policy, add);
  const budgeted = new Set(policy.budgets.map((b) => b.source));
  const publishable = new Set((policy.publication_budgets ?? []).map((b) => b.source));
  for (const [viewName, view] of Object.entries(policy.views)) {
    if (!declared(policy.sources, view.source)) continue;
    if (view.tier === 'dp' && !budgeted.has(view.source))
      add(
        ['views', viewName, 'tier'],
        `dp view "${viewName}" spends privacy budget but source "${view.source}" has no budget`,
        `add a budgets entry, e.g. - { source: ${view.source}, epsilon: '1.0', scope: experiment }`,
        false,
      );
    if (view.tier === 'synthetic' && !publishable.has(view.source))
      add(
        ['views', viewName, 'tier'],
        `synthetic view "${viewName}" is generated with DP but source "${view.source}" has no publication budget`,
        `add a publication_budgets entry, e.g. - { source: ${view.source}, epsilon: '2.0', delta: '1e-6' }`,
        false,
      );
  }
}

/** Returns every cross-reference issue in a schema-valid policy. */
export function semanticIssues(policy: Policy): RawSemanticIssue[] {
  const issues: RawSemanticIssue[] = [];
  const add: AddIssue = (path, message, fix, atKey = true) =>
    issues.push({ path, message, fix, atKey });
  checkSources(policy, add);
  for (const [viewName, view] of Object.entries(policy.views))
    checkView(policy, viewName, view, add);
  checkJoinGroups(policy, add);
  checkBudgets(policy, add);
  if (!Object.values(policy.users).some((u) => u.roles.includes('steward')))
    add(
      ['users'],
      'no user has the steward role',
      'give at least one user the steward role (stewards approve experiments), e.g. roles: [steward]',
    );
  return issues;
}
