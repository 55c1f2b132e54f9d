/** A throwaway in-memory DuckDB for running compiled mask SQL in tests. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** Opens an in-memory DuckDB connection; call the returned close when done. */
export async function memoryDb(): Promise<{ c: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  return {
    c,
    close: () => {
      c.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs a query and returns the first column as JS values. */
export async function column(c: DuckDBConnection, sql: string): Promise<unknown[]> {
  return (await c.runAndReadAll(sql)).getColumnsJS()[0] ?? [];
}
