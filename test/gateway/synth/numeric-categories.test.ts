/** Public categories of a numeric column match raw values by value, whatever their stored type. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent } from '@privet/core/mask/index';
import { numericCategorySql } from '../../../gateway/src/publish/synthetic-columns.js';

test('a DOUBLE 1.0 reads as category "1", 2.5 as "2.5"; other values stay as they are', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(
      'CREATE TABLE t AS SELECT * FROM (VALUES (1.0::DOUBLE, 1::BIGINT), (2.5, 2), (7.0, 7), (NULL, NULL)) v(d, i)',
    );
    const sql = (col: string): string => numericCategorySql(quoteIdent(col), ['1', '2', '2.5']);
    const rows = (await c.runAndReadAll(`SELECT ${sql('d')} AS d, ${sql('i')} AS i FROM t`))
      .getRowObjectsJS()
      .map((r) => [r.d, r.i]);
    assert.deepEqual(rows, [
      ['1', '1'],
      ['2.5', '2'],
      ['7.0', '7'],
      [null, null],
    ]);
    // A category written '1.0' or '2.50' keeps its own label: the synthesizer matches it as written.
    const written = numericCategorySql(quoteIdent('d'), ['1.0', '2.50']);
    const labels = (await c.runAndReadAll(`SELECT ${written} AS d FROM t`))
      .getRowObjectsJS()
      .map((r) => r.d);
    assert.deepEqual(labels, ['1.0', '2.50', '7.0', null]);
    // Without numeric categories the value is read as text, as before.
    assert.equal(numericCategorySql('"x"', ['low', 'high']), 'CAST("x" AS VARCHAR)');
  } finally {
    c.closeSync();
    instance.closeSync();
  }
});
