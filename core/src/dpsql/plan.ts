/**
 * The logical plan the analyzer produces from DuckDB's JSON AST: a closed, typed description of a
 * DP aggregate query. The gateway renders SQL only from this plan (quoted identifiers, validated
 * literals), never from the analyst's text, so nothing the analyst wrote reaches DuckDB verbatim.
 */
import type { Rational } from '../dp/rational.js';

/** Declared column types (from the policy). */
export type PlanColumnType = 'integer' | 'number' | 'string' | 'date' | 'boolean';

/** A reference to a column of one of the plan's tables. */
export interface PlanColumn {
  /** Index into `DpLogicalPlan.tables`. */
  table: number;
  column: string;
  type: PlanColumnType;
}

/** A literal, validated against the column it is compared with. */
export type PlanLiteral =
  | { kind: 'null' }
  | { kind: 'number'; value: Rational }
  | { kind: 'string'; value: string }
  | { kind: 'date'; value: string }
  | { kind: 'boolean'; value: boolean };

/** An operand of a comparison. */
export type PlanOperand =
  { kind: 'column'; column: PlanColumn } | { kind: 'literal'; literal: PlanLiteral };

/** Comparison operators allowed in WHERE. */
export type PlanComparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A WHERE predicate. */
export type PlanPredicate =
  | { kind: 'compare'; op: PlanComparison; left: PlanOperand; right: PlanOperand }
  | { kind: 'and' | 'or'; args: PlanPredicate[] }
  | { kind: 'not'; arg: PlanPredicate }
  | { kind: 'in'; column: PlanColumn; values: PlanLiteral[]; negated: boolean }
  | { kind: 'between'; column: PlanColumn; low: PlanLiteral; high: PlanLiteral; negated: boolean }
  | { kind: 'is_null'; column: PlanColumn; negated: boolean };

/** A group key: a column, or a fixed-width bin of a bounded numeric column. */
export interface PlanGroupKey {
  /** Output column name. */
  name: string;
  column: PlanColumn;
  /** Bins: key = floor(clamp(col)/width) (times width when `multiply`). */
  bin?: { width: Rational; multiply: boolean; bounds: [Rational, Rational] };
  /** Integer columns grouped by value: clamped to these bounds (the public domain). */
  clampTo?: [Rational, Rational];
  /** Public key values, or undefined when keys need DP partition selection. */
  publicKeys?: (string | number | boolean)[];
}

/** Aggregate kinds the engine supports. */
export type PlanAggregateKind =
  | 'count'
  | 'count_column'
  | 'count_distinct_unit'
  | 'sum'
  | 'avg'
  | 'var_samp'
  | 'var_pop'
  | 'stddev_samp'
  | 'stddev_pop'
  | 'quantile';

/** One aggregate of the select list. */
export interface PlanAggregate {
  name: string;
  kind: PlanAggregateKind;
  column?: PlanColumn;
  /** Clamping bounds (from the policy). */
  bounds?: [Rational, Rational];
  /** Quantile level p ∈ [0, 1]. */
  p?: Rational;
}

/** One select-list output in order: a group key or an aggregate. */
export type PlanOutput = { kind: 'key'; index: number } | { kind: 'aggregate'; index: number };

/** One dp view read by the query. */
export interface PlanTable {
  view: string;
  source: string;
  /** Privacy unit column of the source. */
  unit: string;
  maxRowsPerUnit: number;
  maxGroupsPerUnit: number;
}

/** A validated DP query, before budget and noise are chosen. */
export interface DpLogicalPlan {
  /** Tables inner-joined on their privacy units (length ≥ 1). */
  tables: PlanTable[];
  where?: PlanPredicate;
  keys: PlanGroupKey[];
  aggregates: PlanAggregate[];
  outputs: PlanOutput[];
  /** Contribution bounds enforced after filtering/joining. */
  maxRowsPerUnit: number;
  maxGroupsPerUnit: number;
  warnings: string[];
}
