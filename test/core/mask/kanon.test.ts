import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  classSizeSql,
  CLASS_SIZE_COLUMN,
  coarsenCandidates,
  kUnitViolationsSql,
  kViolationsSql,
  percent,
  UNIT_COLUMN,
} from '@privet/core/mask/index';
import { memoryDb, column } from './duckdb.js';

describe('k-anonymity SQL', async () => {
  const db = await memoryDb();
  after(() => db.close());
  await db.c.run(
    `CREATE TABLE t AS SELECT (i % 3)::VARCHAR AS a, (i % 2)::VARCHAR AS b, i AS ${UNIT_COLUMN} FROM range(20) r(i)`,
  );
  // classes of (a, b) over i = 0..19: sizes 4,4,3,3,3,3 (i % 6 = 0..5), one person per row

  test('window class sizes match a GROUP BY count', async () => {
    const sizes = await column(
      db.c,
      `SELECT ${CLASS_SIZE_COLUMN} FROM (${classSizeSql('t', ['a', 'b'])}) ORDER BY a, b`,
    );
    const grouped = await column(
      db.c,
      `SELECT n FROM (SELECT a, b, count(*) OVER (PARTITION BY a, b) AS n FROM t) ORDER BY a, b`,
    );
    assert.deepEqual(sizes, grouped);
    assert.equal(sizes.length, 20);
  });

  test('class sizes count people, not rows: one person with many rows is a class of one', async () => {
    await db.c.run(
      `CREATE TABLE hoard AS SELECT 'x' AS a, 'y' AS b, 7 AS ${UNIT_COLUMN} FROM range(9) UNION ALL SELECT 'x', 'y', NULL`,
    );
    const sizes = await column(
      db.c,
      `SELECT DISTINCT ${CLASS_SIZE_COLUMN} FROM (${classSizeSql('hoard', ['a', 'b'])})`,
    );
    assert.deepEqual(sizes.map(Number), [1]);
    const row = (
      await db.c.runAndReadAll(kUnitViolationsSql('hoard', ['a', 'b'], 2))
    ).getRowObjectsJS()[0];
    assert.equal(Number(row?.['classes']), 1);
    const fine = (
      await db.c.runAndReadAll(kUnitViolationsSql('t', ['a', 'b'], 3))
    ).getRowObjectsJS()[0];
    assert.equal(Number(fine?.['classes']), 0);
  });

  test('violation check counts classes and rows below k', async () => {
    const row = (await db.c.runAndReadAll(kViolationsSql('t', ['a', 'b'], 4))).getRowObjectsJS()[0];
    assert.deepEqual(
      { classes: Number(row?.['classes']), rows: Number(row?.['rows']) },
      { classes: 4, rows: 12 },
    );
    const none = (
      await db.c.runAndReadAll(kViolationsSql('t', ['a', 'b'], 3))
    ).getRowObjectsJS()[0];
    assert.equal(Number(none?.['classes']), 0);
  });

  test('coarsening suggestions start with the most distinct QI', () => {
    assert.deepEqual(
      coarsenCandidates([
        { column: 'sex', distinct: 2 },
        { column: 'zip', distinct: 300 },
        { column: 'age', distinct: 9 },
      ]),
      ['zip', 'age', 'sex'],
    );
    assert.equal(percent(1, 3), '33.33%');
    assert.equal(percent(0, 0), '0.00%');
  });
});
