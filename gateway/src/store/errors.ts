/**
 * Errors from the raw-data store. DuckDB error messages can quote raw values (a failed cast names
 * the string, the CSV sniffer prints the line) or SQL with key bytes, so they are never passed on:
 * `runQuiet` keeps only DuckDB's error category ("Conversion Error") and says what we were doing.
 */
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';

/** A store failure: what happened, where, and how to fix it. Never contains raw data values. */
export class StoreError extends Error {
  /** How to fix it. */
  readonly fix: string;

  constructor(what: string, fix: string) {
    super(`${what}. Fix: ${fix}`);
    this.name = 'StoreError';
    this.fix = fix;
  }
}

/** DuckDB's error category (`Conversion Error`, `Out of Memory Error`…) without the message. */
export function duckdbErrorKind(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const m = /^(?:Error: )?([A-Z][A-Za-z ]{0,40}Error):/.exec(text);
  return m?.[1] ?? 'DuckDB error';
}

/** Runs SQL over raw data; on failure throws a StoreError naming `doing` but not DuckDB's text. */
export async function runQuiet(
  connection: DuckDBConnection,
  sql: string,
  doing: string,
  fix: string,
): Promise<DuckDBResultReader> {
  try {
    return await connection.runAndReadAll(sql);
  } catch (err) {
    throw new StoreError(
      `${doing} failed (${duckdbErrorKind(err)}; details withheld because they may quote raw data or key material)`,
      fix,
    );
  }
}
