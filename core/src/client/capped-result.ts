/**
 * Reading a query's result as a stream, so a huge result never sits whole in memory: the first
 * rows to show are kept, the rest are only counted (up to a ceiling, then the count stops and the
 * engine stops producing rows). Both notebook engines read DuckDB's streamed record batches here.
 */

import { toQueryResult, type QueryResult } from './duckdb-lockdown.js';
import type { ResultTableLike } from './result-cells.js';

/** Rows counted at most before a result is reported as "more than" this many. */
export const COUNT_ROWS_UP_TO = 1_000_000;

/** What reading a streamed result kept and counted. */
export interface CappedBatches<B> {
  /** The batches holding at least the first `keep` rows (the last one may hold more). */
  batches: B[];
  /** Rows counted: all of them, or COUNT_ROWS_UP_TO-ish when `countStopped`. */
  totalRows: number;
  /** True when counting stopped at the ceiling: the result has more than `totalRows` rows. */
  countStopped: boolean;
}

/** Options of readCapped: rows to keep, rows to count at most, and a stop check between batches. */
export interface ReadCappedOptions {
  keep: number;
  countUpTo?: number;
  /** Checked before each batch is read; a true answer ends the read with QueryStoppedError. */
  stopped?: () => boolean;
}

/** A query the user stopped (Stop, Esc) before its result was read. */
export class QueryStoppedError extends Error {
  /** How to avoid stopping the next one. */
  readonly fix =
    'add a LIMIT or an aggregate (GROUP BY) so the query reads fewer rows, then run it again';

  /** Creates the error; `detail` says what else the stop did (e.g. that views are fetched again). */
  constructor(detail = '') {
    super(`the query was stopped${detail ? `; ${detail}` : ''}`);
    this.name = 'QueryStoppedError';
  }
}

/**
 * Reads record batches until `keep` rows are kept and at most `countUpTo` counted. Rows past
 * `keep` are counted and dropped; once the count passes the ceiling the read ends (the caller's
 * reader is left unread, which ends a streamed DuckDB query).
 */
export async function readCapped<B extends { readonly numRows: number }>(
  batches: AsyncIterable<B> | Iterable<B>,
  options: ReadCappedOptions,
): Promise<CappedBatches<B>> {
  const countUpTo = Math.max(options.countUpTo ?? COUNT_ROWS_UP_TO, options.keep);
  const kept: B[] = [];
  let keptRows = 0;
  let totalRows = 0;
  if (options.stopped?.()) throw new QueryStoppedError();
  for await (const batch of batches) {
    if (options.stopped?.()) throw new QueryStoppedError();
    if (keptRows < options.keep && batch.numRows > 0) {
      kept.push(batch);
      keptRows += batch.numRows;
    }
    totalRows += batch.numRows;
    if (totalRows > countUpTo) return { batches: kept, totalRows: countUpTo, countStopped: true };
  }
  return { batches: kept, totalRows, countStopped: false };
}

/** A streamed result's reader (duckdb-wasm's RecordBatchStreamReader): its schema, then batches. */
export type StreamedReaderLike = (AsyncIterable<ResultTableLike> | Iterable<ResultTableLike>) & {
  readonly schema: ResultTableLike['schema'];
};

/**
 * Reads an opened streamed result as the notebooks show it: its first `keep` rows as display
 * text, the rest counted (readCapped). `began` is when the statement was sent (performance.now).
 */
export async function readStreamedResult(
  reader: StreamedReaderLike,
  options: ReadCappedOptions & { began: number },
): Promise<QueryResult> {
  const schema = reader.schema;
  const read = await readCapped(reader, options);
  return toQueryResult(
    { schema, batches: read.batches },
    { maxRows: options.keep, elapsedMs: performance.now() - options.began, count: read },
  );
}
