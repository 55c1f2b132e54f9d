/**
 * SQL → JSON AST with DuckDB's own parser (`json_serialize_sql`), so the analyzer sees exactly
 * what DuckDB would execute: no hand-written parser, no regexes over SQL text. Parsing reads no
 * data; the SQL is passed as a bound parameter, never spliced into the statement.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { refuse } from '@privet/core/dpsql/errors';

/** Longest SQL text accepted (characters). */
export const MAX_SQL_LENGTH = 20_000;

/** Parses one SQL text into DuckDB's JSON AST (refusing oversized or non-text input). */
export async function parseSql(connection: DuckDBConnection, sql: string): Promise<unknown> {
  if (typeof sql !== 'string' || sql.trim() === '')
    refuse('parse_error', 'The SQL text is empty', 'send one SELECT over a dp view');
  if (sql.length > MAX_SQL_LENGTH)
    refuse(
      'parse_error',
      `The SQL text is longer than ${MAX_SQL_LENGTH} characters`,
      'write a shorter query',
    );
  let text: string;
  try {
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS ast', [
      sql,
    ]);
    const value = reader.getColumnsJS()[0]?.[0];
    if (typeof value !== 'string') throw new Error('no AST');
    text = value;
  } catch {
    return refuse(
      'parse_error',
      'DuckDB could not parse the SQL',
      'check the syntax; send one SELECT over a dp view',
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return refuse('parse_error', 'The parsed query could not be read', 'simplify the query');
  }
}
