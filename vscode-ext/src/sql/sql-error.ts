/**
 * The SQL engines' failed statement and view scope, apart from engine.ts so the extension host's
 * bundle (which runs the engine in a worker, worker-engine.ts) does not carry duckdb-wasm.
 */

import { dpStoppedCost } from '@privet/core/client/dp-stopped';

/** Who views are loaded for: one sign-in (its client object) and one experiment. */
export interface ViewScope {
  readonly client: object;
  readonly experiment: string;
}

/** A failed statement: DuckDB's message and, when DuckDB reports one, the 0-based offset. */
export class SqlError extends Error {
  /** Creates an error with DuckDB's message (and how to fix it, when known better than "check the SQL"). */
  constructor(
    message: string,
    readonly kind: string,
    readonly offset?: number,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/**
 * The error of a cell run stopped (Stop in the notebook) before its statement ran, e.g. while a
 * view was downloading from the gateway: the download ended there and the view was not loaded.
 */
export function stoppedBeforeQueryError(): SqlError {
  return new SqlError(
    'the query was stopped (Stop in the notebook) before it ran; a view still downloading was not loaded',
    'Interrupt',
    undefined,
    'run the cell again; the views it needs that are not loaded yet are downloaded then',
  );
}

/** The error of a DP dry run or run (`run`) stopped (Stop in the notebook) before the gateway answered. */
export function stoppedDpError(run: boolean): SqlError {
  return new SqlError(
    `the DP query was stopped (Stop in the notebook) before the gateway answered: ${dpStoppedCost(run)}`,
    'Interrupt',
    undefined,
    run ? 'run the cell again to price it, then Run and Spend' : 'run the cell again to price it',
  );
}
