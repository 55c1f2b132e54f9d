/**
 * The VS Code SQL engine reads results as a stream (vscode-ext/src/sql/engine.ts with core's
 * readCapped): only the first rows are kept and the count stops at core's ceiling, so a result
 * too big to materialize still answers, directly and through the worker thread; a result without
 * rows keeps its columns; an error raised while the result streams quotes no value; and the cell
 * output says how many rows there were and how to see the rest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DisplayOutput } from '@privet/core';
import { COUNT_ROWS_UP_TO, ROW_ERROR_FIX, type QueryResult } from '@privet/core/client/index';
import { MAX_RESULT_ROWS, SqlEngine, SqlError } from '../../vscode-ext/src/sql/engine.js';
import { WorkerSqlEngine } from '../../vscode-ext/src/sql/worker-engine.js';
import { tableOutput } from '../../vscode-ext/src/notebook/outputs.js';
import { DUCKDB_WASM_DIR as wasmDir } from '../duckdb-node.js';
import { TS_WORKER } from './ts-worker.js';

/** 10^12 rows: materialized, this never ends (or runs out of memory); streamed, it stops early. */
const CROSS_JOIN = 'SELECT * FROM range(1000000) a, range(1000000) b';
/** Fails on row 500,000 of 1,000,000: after the first batches streamed, before the count ends. */
const FAILS_MID_STREAM =
  "SELECT CAST(CASE WHEN range = 500000 THEN 'secret-7' ELSE range::VARCHAR END AS INTEGER) AS v " +
  'FROM range(1000000)';
/** Fails only on row 5,000,000, far past the rows counted: a streamed read never gets there. */
const FAILS_PAST_CEILING =
  "SELECT CAST(CASE WHEN range = 5000000 THEN 'secret-8' ELSE range::VARCHAR END AS INTEGER) AS v " +
  'FROM range(10000000)';
const TIMEOUT = { timeout: 120_000 };

/** The engines under test: SqlEngine directly, and the same engine in its worker thread. */
const ENGINES: readonly {
  name: string;
  start(): { query(sql: string): Promise<QueryResult>; dispose(): void };
}[] = [
  {
    name: 'SqlEngine',
    start: () => Object.assign(new SqlEngine(wasmDir), { dispose: () => undefined }),
  },
  { name: 'WorkerSqlEngine', start: () => new WorkerSqlEngine(wasmDir, TS_WORKER) },
];

/** The outcome of a call: its value, or the error it rejected with. */
function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

for (const { name, start } of ENGINES) {
  describe(`${name}: streamed, capped results`, () => {
    it(
      'shows the first rows of a huge cross join, stops counting at the ceiling, then reads on',
      TIMEOUT,
      async () => {
        const engine = start();
        try {
          const result = await engine.query(CROSS_JOIN);
          assert.deepEqual(result.columns, ['range', 'range']);
          assert.equal(result.rows.length, MAX_RESULT_ROWS);
          assert.deepEqual(result.rows.slice(0, 2), [
            ['0', '0'],
            ['1', '0'],
          ]);
          assert.equal(result.countStopped, true);
          assert.equal(result.totalRows, COUNT_ROWS_UP_TO);
          // The statement left unread does not disturb the next ones: exact counts under the
          // ceiling, and the columns of a result without rows.
          const some = await engine.query('SELECT range AS x FROM range(5000)');
          assert.equal(some.rows.length, MAX_RESULT_ROWS);
          assert.deepEqual(
            { totalRows: some.totalRows, countStopped: some.countStopped },
            { totalRows: 5000, countStopped: false },
          );
          const none = await engine.query(
            "SELECT 1 AS a, 'x' AS b, DATE '2024-01-02' AS c WHERE false",
          );
          assert.deepEqual(
            { ...none, elapsedMs: 0 },
            { columns: ['a', 'b', 'c'], rows: [], totalRows: 0, countStopped: false, elapsedMs: 0 },
          );
        } finally {
          engine.dispose();
        }
      },
    );

    it(
      'fails (values hidden) on an error raised while the result streams, never cuts it silently',
      TIMEOUT,
      async () => {
        const engine = start();
        try {
          // duckdb-wasm's materializing query() returned the rows before such an error as all.
          const { error } = await settle(engine.query(FAILS_MID_STREAM));
          assert.ok(error instanceof SqlError, String(error));
          assert.equal(error.kind, 'Conversion', "DuckDB's own kind, not the stream's wrapper");
          assert.match(error.message, /failed while reading rows .*not shown/);
          assert.doesNotMatch(`${error.message} ${error.fix ?? ''}`, /secret|500000|\d{4,}/);
          assert.equal(error.fix, ROW_ERROR_FIX);
          assert.equal(error.offset, undefined);
          // A value that would fail far past the rows counted is never read.
          const past = await engine.query(FAILS_PAST_CEILING);
          assert.equal(past.countStopped, true);
          assert.equal(past.rows.length, MAX_RESULT_ROWS);
          assert.deepEqual((await engine.query('SELECT 2 AS two')).rows, [['2']]);
        } finally {
          engine.dispose();
        }
      },
    );
  });
}

describe('tableOutput: how many rows, and how to see the rest', () => {
  /** A result of `shown` one-column rows out of `totalRows`. */
  const result = (shown: number, totalRows: number, countStopped: boolean): QueryResult => ({
    columns: ['n'],
    rows: Array.from({ length: shown }, (_, i) => [String(i)]),
    totalRows,
    countStopped,
    elapsedMs: 1,
  });
  /** The last line of the text fallback and the HTML's paragraph. */
  const countLines = (output: DisplayOutput): [string, string] => [
    String(output.data['text/plain']).split('\n').at(-1) ?? '',
    /<p>(.*)<\/p>$/.exec(String(output.data['text/html']))?.[1] ?? '',
  ];

  it('says "first 200 of more than 1,000,000 rows" when the count stopped', () => {
    const [text, html] = countLines(tableOutput(result(200, 1_000_000, true)));
    assert.equal(
      text,
      'first 200 of more than 1,000,000 rows · add LIMIT or aggregate to see the rest',
    );
    assert.equal(html, text);
  });

  it('says how many rows were cut off, and nothing more when none were', () => {
    assert.equal(
      countLines(tableOutput(result(200, 12345, false)))[0],
      'first 200 of 12,345 rows · add LIMIT or aggregate to see the rest',
    );
    assert.equal(countLines(tableOutput(result(3, 3, false)))[0], '3 rows');
    assert.equal(countLines(tableOutput(result(1, 1, false)))[0], '1 row');
    assert.equal(countLines(tableOutput(result(0, 0, false)))[0], '0 rows');
  });

  it("writes the engine's stopped count into the cell output", TIMEOUT, async () => {
    const output = tableOutput(await new SqlEngine(wasmDir).query(CROSS_JOIN));
    assert.match(
      String(output.data['text/plain']),
      /\nfirst 200 of more than 1,000,000 rows · add LIMIT or aggregate to see the rest$/,
    );
  });
});
