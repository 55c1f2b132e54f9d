/**
 * What every in-notebook duckdb-wasm engine shares: the lockdown run before any user SQL, the
 * shape of a displayed result, and how an Arrow result becomes one (cell text: result-cells.ts).
 * The npm build of duckdb-wasm would fetch Parquet/JSON extensions from the network and its Node
 * build reads the real file system, so every host must run DUCKDB_WASM_LOCKDOWN first.
 */
import { cellText, type ResultTableLike } from './result-cells.js';

/** Statements run before any user SQL; the last one makes them irreversible. */
export const DUCKDB_WASM_LOCKDOWN: readonly string[] = [
  'SET autoload_known_extensions=false',
  'SET autoinstall_known_extensions=false',
  'SET allow_community_extensions=false',
  'SET enable_external_access=false',
  'SET lock_configuration=true',
];

/** A query result ready to render: column names and display strings (null for SQL NULL). */
export interface QueryResult {
  columns: string[];
  rows: (string | null)[][];
  /** Rows of the whole result (a lower bound when `countStopped`). */
  totalRows: number;
  /** True when counting stopped at a ceiling (capped-result.ts): there are more than `totalRows`. */
  countStopped: boolean;
  elapsedMs: number;
}

/** A result read as a stream (capped-result.ts): its schema and the record batches kept. */
export interface StreamedResultLike {
  readonly schema: ResultTableLike['schema'];
  readonly batches: readonly ResultTableLike[];
}

/**
 * Converts the first `maxRows` rows of an Arrow result (a table, or a streamed result's kept
 * batches) to display strings. `count` is the whole result's row count when only its first rows
 * were kept (a capped, streamed read).
 */
export function toQueryResult(
  result: ResultTableLike | StreamedResultLike,
  options: {
    maxRows: number;
    elapsedMs: number;
    count?: { totalRows: number; countStopped: boolean };
  },
): QueryResult {
  const fields = result.schema.fields;
  const parts: readonly ResultTableLike[] = 'batches' in result ? result.batches : [result];
  const rows: (string | null)[][] = [];
  for (const part of parts) {
    const vectors = fields.map((_, i) => part.getChildAt(i));
    const cell = (c: number, r: number): string | null => {
      const column = vectors[c];
      const field = fields[c];
      return column && field ? cellText(column, r, field) : null;
    };
    for (let r = 0; r < part.numRows && rows.length < options.maxRows; r++) {
      rows.push(fields.map((_, c) => cell(c, r)));
    }
  }
  return {
    columns: fields.map((f) => f.name),
    rows,
    totalRows: options.count?.totalRows ?? parts.reduce((n, part) => n + part.numRows, 0),
    countStopped: options.count?.countStopped ?? false,
    elapsedMs: options.elapsedMs,
  };
}

/** The parts of a result its row count is told from. */
type RowCounts = Pick<QueryResult, 'rows' | 'totalRows' | 'countStopped'>;

/** Whether a result shows fewer rows than it has (cut at the rows kept, or its count stopped). */
function isCut(result: RowCounts): boolean {
  return result.rows.length < result.totalRows || result.countStopped;
}

/** "N rows", "first K of N rows" or "first K of more than N rows", with thousands separators. */
export function rowCountText(result: RowCounts): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  const total = `${result.countStopped ? 'more than ' : ''}${count(result.totalRows)}`;
  const noun = result.totalRows === 1 && !result.countStopped ? 'row' : 'rows';
  return isCut(result)
    ? `first ${count(result.rows.length)} of ${total} ${noun}`
    : `${total} ${noun}`;
}

/** " · add LIMIT or aggregate to see the rest" after a cut result's count; "" otherwise. */
export function rowCountHint(result: RowCounts): string {
  return isCut(result) ? ' · add LIMIT or aggregate to see the rest' : '';
}
