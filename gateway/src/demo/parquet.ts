/**
 * Writes column arrays to a Parquet file with native DuckDB: rows go through the appender into an
 * in-memory table, then `COPY … (FORMAT parquet)` writes a temporary file that is renamed into
 * place, so a reader never sees a half-written file. One thread keeps the bytes deterministic.
 */
import { rename, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { DuckDBDateValue, DuckDBInstance, type DuckDBAppender } from '@duckdb/node-api';

/** SQL types the demo tables use. */
export type DemoSqlType = 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'DATE';

/** One column to write: its name, SQL type and values (dates as days since 1970-01-01). */
export interface ParquetColumn {
  name: string;
  type: DemoSqlType;
  values: readonly (number | string)[];
}

function appendValue(appender: DuckDBAppender, type: DemoSqlType, value: number | string): void {
  switch (type) {
    case 'INTEGER':
      appender.appendInteger(value as number);
      break;
    case 'DOUBLE':
      appender.appendDouble(value as number);
      break;
    case 'VARCHAR':
      appender.appendVarchar(value as string);
      break;
    case 'DATE':
      appender.appendDate(new DuckDBDateValue(value as number));
      break;
  }
}

/** Writes `columns` (all the same length) to `path` as Parquet, atomically (temp file + rename). */
export async function writeParquet(path: string, columns: readonly ParquetColumn[]): Promise<void> {
  const rows = columns[0]?.values.length ?? 0;
  if (columns.some((c) => c.values.length !== rows))
    throw new Error(`demo data: columns for ${path} have different lengths (internal error)`);
  const tmp = `${path}.${randomUUID()}.tmp`;
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const ddl = columns.map((c) => `"${c.name}" ${c.type} NOT NULL`).join(', ');
    await connection.run(`CREATE TABLE t (${ddl})`);
    const appender = await connection.createAppender('t');
    for (let r = 0; r < rows; r++) {
      for (const c of columns) appendValue(appender, c.type, c.values[r]!);
      appender.endRow();
    }
    appender.closeSync();
    await connection.run(
      `COPY t TO '${tmp.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
