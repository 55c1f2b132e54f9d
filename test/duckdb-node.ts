/**
 * duckdb-wasm's blocking Node build for tests, as the notebook engines start it: the wasm files
 * of the installed package, opened with no options and locked down (core's DUCKDB_WASM_LOCKDOWN).
 */
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { DUCKDB_WASM_LOCKDOWN } from '@privet/core/client/index';

const require = createRequire(import.meta.url);

/** The folder of duckdb-wasm's wasm files (what the VS Code engine is given as `wasmDir`). */
export const DUCKDB_WASM_DIR = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));

/** A new in-memory database's connection, locked down as the engines lock theirs. */
export async function lockedNodeConnection(): Promise<duckdb.DuckDBConnection> {
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: `${DUCKDB_WASM_DIR}/duckdb-mvp.wasm`, mainWorker: '' },
    eh: { mainModule: `${DUCKDB_WASM_DIR}/duckdb-eh.wasm`, mainWorker: '' },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  db.open({});
  const conn = db.connect();
  for (const statement of DUCKDB_WASM_LOCKDOWN) conn.query(statement);
  return conn;
}
