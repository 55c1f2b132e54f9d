/** DP SQL: analysis of DuckDB's JSON AST into plans, pricing, dry runs and release payloads. */
export * from './types.js';
export { DpSqlError } from './errors.js';
export { analyzeDpSql } from './analyze.js';
export {
  priceDpPlan,
  type BudgetRequest,
  type DpPricedPlan,
  type PlannedMeasurement,
} from './price.js';
export { describeColumns, dryRunResponse, planHash, planWarnings } from './describe.js';
export type { DpLogicalPlan } from './plan.js';
