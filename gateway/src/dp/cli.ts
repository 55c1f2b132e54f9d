/**
 * `privet query` as a function: plans (and unless --dry-run, runs) one DP query and prints JSON.
 * The lead wires it into commander and puts the budget ledger around it (reserve before
 * `executePlan`, commit before printing); `stateDir` is accepted now so the signature is final.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { DpSqlError } from '@privet/core/dpsql/errors';
import type { DpDryRunResponse, DpQueryResponse, DpRefusal } from '@privet/core/dpsql/types';
import { loadPolicyFile } from '../policy-file.js';
import { openSourceEngine } from '../store/index.js';
import { executePlan, planDpQuery } from './execute.js';

/** Arguments of `privet query`. */
export interface QueryCommandOptions {
  policyPath: string;
  stateDir: string;
  experiment: string;
  sql: string;
  dryRun: boolean;
  epsilon?: string;
  delta?: string;
  rho?: string;
  accuracy?: string;
  alpha?: string;
  /** Where to print (default: console.log). */
  print?: (text: string) => void;
}

/** What the command printed, plus an exit code (0 ok, 2 refused). */
export interface QueryCommandResult {
  exitCode: number;
  output: DpDryRunResponse | DpQueryResponse | { error: DpRefusal };
}

/** Plans and (unless dryRun) executes one DP query, printing the JSON response. */
export async function runQueryCommand(opts: QueryCommandOptions): Promise<QueryCommandResult> {
  const print = opts.print ?? ((text: string) => console.log(text));
  const loaded = loadPolicyFile(opts.policyPath);
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const parser = await instance.connect();
  let result: QueryCommandResult;
  try {
    const budget = {
      ...(opts.epsilon !== undefined ? { epsilon: opts.epsilon } : {}),
      ...(opts.delta !== undefined ? { delta: opts.delta } : {}),
      ...(opts.rho !== undefined ? { rho: opts.rho } : {}),
      ...(opts.accuracy !== undefined ? { accuracy: opts.accuracy } : {}),
      ...(opts.alpha !== undefined ? { alpha: opts.alpha } : {}),
    };
    const plan = await planDpQuery(opts.sql, { policy: loaded.policy, parser, budget });
    if (opts.dryRun) {
      result = { exitCode: 0, output: plan.dryRun };
    } else {
      const sources = [...new Set(plan.priced.logical.tables.map((t) => t.source))];
      const engine = await openSourceEngine(loaded.policy, loaded.dir, { sourceNames: sources });
      try {
        result = {
          exitCode: 0,
          output: { dryRun: false, release: await executePlan(plan, engine) },
        };
      } finally {
        engine.close();
      }
    }
  } catch (err) {
    if (!(err instanceof DpSqlError)) throw err;
    result = { exitCode: 2, output: { error: err.refusal } };
  } finally {
    parser.closeSync();
    instance.closeSync();
  }
  print(JSON.stringify(result.output, null, 2));
  return result;
}
