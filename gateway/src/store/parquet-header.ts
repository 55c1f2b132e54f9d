// Why: the engine loads only a source's declared columns (engine.ts), so a column of a Parquet file
// the policy does not declare is never read — safe, but a steward may not know it is there. A
// Parquet file names its columns in its schema (the footer), so naming them needs no row: DuckDB's
// DESCRIBE binds `read_parquet` — reading the footer — and returns names and types, no values. It
// runs on a DuckDB of its own, set up as the engine's (no extension installed or loaded, nothing
// spilled to disk), opened for this one query and closed after it.
import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '@privet/core/mask/index';

/**
 * The top-level column names of the Parquet file at `path`, in file order, as the engine sees them
 * (`DESCRIBE SELECT * FROM read_parquet(…)`: the schema only, never a value); undefined when there
 * is no such file or it cannot be read as Parquet — loading the source reports that as an error.
 */
export async function readParquetColumnNames(path: string): Promise<string[] | undefined> {
  try {
    if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      temp_directory: '',
      threads: '1',
    });
    const connection = await instance.connect();
    try {
      const described = await connection.runAndReadAll(
        `DESCRIBE SELECT * FROM read_parquet(${sqlString(path)})`,
      );
      return described.getRowObjectsJS().map((row) => String(row['column_name']));
    } finally {
      connection.closeSync();
    }
  } catch {
    return undefined;
  } finally {
    instance?.closeSync();
  }
}
