/**
 * Types of the DP SQL engine: the HTTP request/response shapes (re-exported by protocol.ts), the
 * release payload the notebook renders as `application/vnd.privet.dp-release+json`, and the
 * refusal every rejected query gets. Numbers that are privacy parameters travel as exact decimal
 * strings; released statistics are plain numbers (post-processing of noisy integers).
 */

/** MIME type of a DP release in a notebook output. */
export const DP_RELEASE_MIME_TYPE = 'application/vnd.privet.dp-release+json';

/** POST /dp/query body. Give a budget (epsilon[, delta] or rho) or a target accuracy, not both. */
export interface DpQueryRequest {
  experiment: string;
  /** One SELECT over dp views. */
  sql: string;
  /** Pure ε for the whole query (decimal string or number), split across its measurements. */
  epsilon?: string | number;
  /** δ for partition selection of unknown GROUP BY keys (needed only then). */
  delta?: string | number;
  /** ρ-zCDP budget instead of ε (discrete Gaussian noise). */
  rho?: string | number;
  /** "I need ±accuracy": the plan solves for the ε giving this 95% half-width on every count/sum. */
  accuracy?: string | number;
  /** Error level of shown intervals (default 0.05 → 95% intervals). */
  alpha?: string | number;
  /** Price and validate only: touches neither data nor budget. */
  dryRun: boolean;
  /**
   * The `planHash` of the dry run the user saw: a real query whose plan differs now (the policy's
   * bounds, limits or views changed since) is refused before anything is reserved or charged.
   */
  planHash?: string;
}

/** Why a query was refused: what and why, and what to write instead. Never contains data. */
export interface DpRefusal {
  code: DpRefusalCode;
  message: string;
  fix: string;
}

/** Stable refusal codes. */
export type DpRefusalCode =
  | 'parse_error'
  | 'not_select'
  | 'multiple_statements'
  | 'unsupported_clause'
  | 'unknown_table'
  | 'not_dp_view'
  | 'bad_join'
  | 'unknown_column'
  | 'identifier_column'
  | 'row_level'
  | 'unsupported_aggregate'
  | 'unsupported_expression'
  | 'missing_bounds'
  | 'bad_group_by'
  | 'too_many_groups'
  | 'bad_literal'
  | 'bad_budget'
  | 'needs_delta'
  | 'query_failed';

/** The privacy cost of one query, exact decimal strings. */
export interface DpCost {
  measure: 'pure' | 'approx' | 'zcdp';
  epsilon?: string;
  delta?: string;
  rho?: string;
  /** Sources (privacy budgets) this cost is charged to. */
  sources: string[];
}

/** One column of a release: a group key or an aggregate with its mechanism and error. */
export interface DpReleaseColumn {
  name: string;
  role: 'key' | 'aggregate';
  /** Aggregate kind (count, sum, avg, var, stddev, quantile, count_distinct) or key kind. */
  kind: string;
  /** Source column the aggregate reads (absent for COUNT(*)). */
  column?: string;
  /** Clamping bounds [lo, hi] applied to the column, as decimal strings. */
  bounds?: [string, string];
  /** The noisy measurements behind this column, with their scales and errors. */
  noise?: DpNoiseComponent[];
  /** Expected 95% (1−alpha) half-width when the error does not depend on the data. */
  halfWidth?: number;
  /** Key columns: whether keys were public (declared) or chosen by DP partition selection. */
  keys?: 'public' | 'selected';
}

/** One noisy measurement of an aggregate (AVG has a count and a centred sum, etc.). */
export interface DpNoiseComponent {
  /** count, sum, centred_sum, centred_sum_sq, distinct_units or histogram. */
  part: string;
  /** Noise scale in value units: Laplace b, or Gaussian σ (decimal text). */
  scale: string;
  /** (1−alpha) half-width of this measurement's noise, in value units. */
  halfWidth: number;
  /** Exact probability that the shown interval of this measurement covers the true value. */
  coverage: number;
}

/** A released key value. */
export type DpKeyValue = string | number | boolean | null;

/** One released statistic with its (1−alpha) interval. */
export interface DpReleaseCell {
  value: number;
  interval: [number, number];
}

/** One released group: its key values and one cell per aggregate column. */
export interface DpReleaseRow {
  keys: Record<string, DpKeyValue>;
  values: Record<string, DpReleaseCell>;
}

/** The payload a DP query releases (rendered as DP_RELEASE_MIME_TYPE). */
export interface DpRelease {
  /** Random 128-bit hex id. */
  releaseId: string;
  mechanism: 'discrete_laplace' | 'discrete_gaussian';
  /** Interval error level (0.05 → 95%). */
  alpha: number;
  cost: DpCost;
  columns: DpReleaseColumn[];
  rows: DpReleaseRow[];
  /** The analyst's SQL as submitted. */
  sql: string;
  /** SHA-256 (hex) of the canonical plan the release was computed from. */
  planHash: string;
  warnings: string[];
}

/** The price and expected errors of a query, computed without touching data or budget. */
export interface DpDryRunResponse {
  dryRun: true;
  planHash: string;
  mechanism: DpRelease['mechanism'];
  alpha: number;
  cost: DpCost;
  columns: DpReleaseColumn[];
  /** Partition selection: threshold τ and P(a key held by one unit is released) (≤ δ). */
  partitionSelection?: { threshold: string; singleUnitReleaseProbability: number };
  /** Number of output groups when every key is public. */
  groups?: number;
  warnings: string[];
}

/** Response of a query that ran. */
export interface DpQueryResponse {
  dryRun: false;
  release: DpRelease;
}
