/** Hand-built logical plans for pure tests of pricing and release (no SQL, no data). */
import { Rational } from '@privet/core/dp/rational';
import type { DpLogicalPlan, PlanAggregate, PlanGroupKey } from '@privet/core/dpsql/plan';

const income = { table: 0, column: 'income', type: 'number' as const };
const age = { table: 0, column: 'age', type: 'integer' as const };

/** A plan over one table with R rows and G groups per unit. */
export function plan(
  aggregates: PlanAggregate[],
  keys: PlanGroupKey[] = [],
  rows = 1,
  groups = 1,
): DpLogicalPlan {
  return {
    tables: [
      {
        view: 'people_dp',
        source: 'people',
        unit: 'pid',
        maxRowsPerUnit: rows,
        maxGroupsPerUnit: groups,
      },
    ],
    keys,
    aggregates,
    outputs: [
      ...keys.map((_, index) => ({ kind: 'key' as const, index })),
      ...aggregates.map((_, index) => ({ kind: 'aggregate' as const, index })),
    ],
    maxRowsPerUnit: rows,
    maxGroupsPerUnit: groups,
    warnings: [],
  };
}

/** COUNT(*). */
export const count = (name = 'n'): PlanAggregate => ({ name, kind: 'count' });
/** SUM(income) with bounds [0, 1000] (fixed point 1000). */
export const sumIncome = (): PlanAggregate => ({
  name: 's',
  kind: 'sum',
  column: income,
  bounds: [Rational.of(0n), Rational.of(1000n)],
});
/** AVG(age) with bounds [0, 100]. */
export const avgAge = (): PlanAggregate => ({
  name: 'a',
  kind: 'avg',
  column: age,
  bounds: [Rational.of(0n), Rational.of(100n)],
});
/** VAR_POP(age) with bounds [0, 100]. */
export const varAge = (): PlanAggregate => ({
  name: 'v',
  kind: 'var_pop',
  column: age,
  bounds: [Rational.of(0n), Rational.of(100n)],
});
/** MEDIAN(age) with bounds [0, 100]. */
export const medianAge = (): PlanAggregate => ({
  name: 'm',
  kind: 'quantile',
  column: age,
  bounds: [Rational.of(0n), Rational.of(100n)],
  p: Rational.of(1n, 2n),
});
/** A GROUP BY key on `city` without public keys (needs partition selection). */
export const privateCity = (): PlanGroupKey => ({
  name: 'city',
  column: { table: 0, column: 'city', type: 'string' },
});
