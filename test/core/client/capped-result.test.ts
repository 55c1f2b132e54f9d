/** Streamed results read with a cap (core's readCapped), against duckdb-wasm's own streaming reader. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  QueryStoppedError,
  readCapped,
  rowCountText,
  toQueryResult,
} from '@privet/core/client/index';
import { lockedNodeConnection } from '../../duckdb-node.js';

/** Batches of the given sizes, as plain objects. */
const sized = (...sizes: number[]): { numRows: number }[] => sizes.map((numRows) => ({ numRows }));

describe('readCapped', () => {
  it('keeps the batches holding the first rows and counts the rest', async () => {
    const read = await readCapped(sized(3, 4, 5, 0, 6), { keep: 5, countUpTo: 100 });
    assert.deepEqual(
      read.batches.map((b) => b.numRows),
      [3, 4],
    );
    assert.equal(read.totalRows, 18);
    assert.equal(read.countStopped, false);
  });

  it('stops reading once the count passes the ceiling, without touching later batches', async () => {
    let pulled = 0;
    function* endless(): Generator<{ numRows: number }> {
      for (;;) {
        pulled += 1;
        yield { numRows: 10 };
      }
    }
    const read = await readCapped(endless(), { keep: 15, countUpTo: 45 });
    assert.equal(pulled, 5, 'the fifth batch takes the count past 45; no sixth is read');
    assert.deepEqual(
      { total: read.totalRows, stopped: read.countStopped },
      { total: 45, stopped: true },
    );
    assert.equal(read.batches.length, 2);
  });

  it('ends with QueryStoppedError when the stop check answers true between batches', async () => {
    let pulled = 0;
    const batches = (function* () {
      for (;;) {
        pulled += 1;
        yield { numRows: 1 };
      }
    })();
    await assert.rejects(
      readCapped(batches, { keep: 1, stopped: () => pulled >= 3 }),
      (e: unknown) =>
        e instanceof QueryStoppedError &&
        e.message === 'the query was stopped' &&
        /LIMIT/.test(e.fix),
    );
    assert.equal(pulled, 3);
  });

  it("ends DuckDB's streamed query at the ceiling instead of producing every row", async () => {
    const conn = await lockedNodeConnection();
    // 10^12 rows: reading them all would not end; the read stops after the ceiling.
    const sql = 'SELECT a.range AS x FROM range(1000000) a, range(1000000) b';
    const reader = (await conn.send(sql, true)).open();
    const schema = reader.schema;
    const read = await readCapped(reader, { keep: 7, countUpTo: 50_000 });
    assert.equal(read.countStopped, true);
    const result = toQueryResult(
      { schema, batches: read.batches },
      {
        maxRows: 7,
        elapsedMs: 0,
        count: read,
      },
    );
    assert.equal(result.rows.length, 7);
    assert.equal(rowCountText(result), 'first 7 of more than 50,000 rows');
    // The connection answers the next statement.
    assert.equal(String(conn.query('SELECT 41 + 1 AS n').getChildAt(0)?.get(0)), '42');
    conn.close();
  });
});

describe('rowCountText', () => {
  it('says how many rows are shown of how many', () => {
    const rows = (n: number): null[][] => Array.from({ length: n }, () => [null]);
    assert.equal(rowCountText({ rows: rows(1), totalRows: 1, countStopped: false }), '1 row');
    assert.equal(rowCountText({ rows: rows(0), totalRows: 0, countStopped: false }), '0 rows');
    assert.equal(
      rowCountText({ rows: rows(2), totalRows: 12345, countStopped: false }),
      'first 2 of 12,345 rows',
    );
  });
});
