/**
 * Running a DP query in two steps so the caller can wrap the budget ledger around it:
 * `planDpQuery` (free: parse, analyze, price — no data, no budget; this is the dry run) and
 * `executePlan` (computes exact bounded aggregates in DuckDB, adds exact integer noise in TS with
 * the core samplers, and returns the release; the caller commits the charge before handing it out).
 *
 * Bounding and clamping are skipped when provably the identity (see shortcut.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Policy } from '@privet/core';
import { analyzeDpSql } from '@privet/core/dpsql/analyze';
import { dryRunResponse, planWarnings, describeColumns } from '@privet/core/dpsql/describe';
import { DpSqlError, refuse } from '@privet/core/dpsql/errors';
import { priceDpPlan, type BudgetRequest, type DpPricedPlan } from '@privet/core/dpsql/price';
import type { DpCost, DpDryRunResponse, DpRelease } from '@privet/core/dpsql/types';
import { defaultRandomSource, type RandomSource } from '@privet/core/dp/random';
import {
  duckdbErrorKind,
  QueryInterruptedError,
  QueryTimeoutError,
  type SourceEngine,
} from '../store/index.js';
import { deriveMeasurements } from './exact.js';
import { addNoise } from './noise.js';
import { parseSql } from './parse.js';
import { renderAggregateSql } from './render.js';
import { shortcutFor } from './shortcut.js';

/** A validated, priced query: what the dry run shows and what `executePlan` runs. */
export interface DpQueryPlan {
  sql: string;
  priced: DpPricedPlan;
  planHash: string;
  cost: DpCost;
  dryRun: DpDryRunResponse;
}

/** What planning needs: the policy, a DuckDB connection for parsing, and the budget request. */
export interface DpPlanContext {
  policy: Policy;
  /** Any DuckDB connection; only `json_serialize_sql` runs on it. */
  parser: DuckDBConnection;
  budget: BudgetRequest;
}

/** Parses, analyzes and prices a query without touching data or budget (throws DpSqlError). */
export async function planDpQuery(sql: string, ctx: DpPlanContext): Promise<DpQueryPlan> {
  const ast = await parseSql(ctx.parser, sql);
  const logical = analyzeDpSql(ast, ctx.policy);
  const priced = priceDpPlan(logical, ctx.budget);
  const dryRun = await dryRunResponse(priced);
  return { sql, priced, planHash: dryRun.planHash, cost: priced.cost, dryRun };
}

function randomHex(rng: RandomSource, words: number): string {
  let out = '';
  for (let i = 0; i < words; i++) out += rng.nextUint32().toString(16).padStart(8, '0');
  return out;
}

/** Options for executePlan. */
export interface ExecuteOptions {
  /** Disable the bounding shortcut (always run the windows; used by tests and benchmarks). */
  alwaysBound?: boolean;
  /** How long the aggregate query may run before it is stopped (default DP_QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Interrupts the aggregate query (its client left); it then rejects with QueryInterruptedError. */
  stop?: AbortSignal;
}

/** Longest a DP query's aggregate SQL may run (a join of a unit's many rows can explode). */
export const DP_QUERY_TIMEOUT_MS = 120_000;

/** Computes the exact bounded aggregates of a plan (no noise). Internal: never release these. */
export async function exactAggregates(
  plan: DpQueryPlan,
  engine: SourceEngine,
  salt: bigint,
  options: ExecuteOptions = {},
): Promise<Record<string, unknown>[]> {
  for (const t of plan.priced.logical.tables) {
    if (!engine.sources[t.source])
      refuse(
        'query_failed',
        `Source "${t.source}" is not loaded in the engine`,
        'open the engine with every source the dp views use',
      );
  }
  const shortcut = options.alwaysBound
    ? { skipRows: false, skipGroups: false }
    : await shortcutFor(plan.priced, engine);
  const sql = renderAggregateSql(plan.priced, salt, shortcut);
  const timeoutMs = options.timeoutMs ?? DP_QUERY_TIMEOUT_MS;
  try {
    const rows = (
      await engine.runIsolated(sql, timeoutMs, options.stop)
    ).getRowObjectsJson() as Record<string, unknown>[];
    return deriveMeasurements(plan.priced, rows);
  } catch (err) {
    if (err instanceof DpSqlError || err instanceof QueryInterruptedError) throw err;
    if (err instanceof QueryTimeoutError)
      return refuse(
        'query_failed',
        `The query ran longer than ${Math.round(timeoutMs / 1000)} s and was stopped; nothing was released or charged`,
        'simplify it: join fewer views (a join makes up to the product of the views’ row limits for each person), or group by fewer columns',
      );
    return refuse(
      'query_failed',
      `The query failed in DuckDB (${duckdbErrorKind(err)}; details withheld because they may quote data)`,
      'simplify the query or check the policy bounds and types',
    );
  }
}

/** Runs a planned query and returns its DP release (the caller commits the charge first). */
export async function executePlan(
  plan: DpQueryPlan,
  engine: SourceEngine,
  rng: RandomSource = defaultRandomSource(),
  options: ExecuteOptions = {},
): Promise<DpRelease> {
  const salt = BigInt(`0x${randomHex(rng, 2)}`);
  const exact = await exactAggregates(plan, engine, salt, options);
  const rows = addNoise(plan.priced, exact, rng);
  return {
    releaseId: randomHex(rng, 4),
    mechanism: plan.priced.mechanism,
    alpha: plan.priced.alpha,
    cost: plan.cost,
    columns: describeColumns(plan.priced),
    rows,
    sql: plan.sql,
    planHash: plan.planHash,
    warnings: planWarnings(plan.priced),
  };
}
