// Bounded decimal columns are summed as integers on a 1/1000 grid. A single table's sums may be
// added as integral DOUBLEs (faster than BIGINT casts) only when every partial sum is provably an
// integer below 2^53; both encodings round half away from zero, so a value's integer — and every
// exact aggregate — is the same whichever the query uses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parsePolicy, type Policy } from '@privet/core';
import { exactAggregates, planDpQuery } from '../../../gateway/src/dp/execute.js';
import { doubleSumIsExact, renderAggregateSql } from '../../../gateway/src/dp/render.js';
import { shortcutFor } from '../../../gateway/src/dp/shortcut.js';
import type { SourceEngine } from '../../../gateway/src/store/index.js';

const POLICY = `
version: 1
name: fixed-point
sources:
  tx:
    path: tx.csv
    format: csv
    privacy_unit: pid
    columns:
      pid: { type: integer, identifier: true }
      kind: { type: string }
      amount: { type: number, bounds: [-10, 10] }
      wild: { type: number, bounds: [-10, 10] }
views:
  tx_dp:
    tier: dp
    source: tx
    columns: [pid, kind, amount, wild]
    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }
    public_keys:
      kind: [a, b]
users:
  sue: { name: Sue, roles: [steward] }
budgets:
  - { source: tx, epsilon: '10', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 1 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

/** Values whose scaled product is a tie (x.5) in DOUBLE, negative ties, and plain values. */
const AMOUNTS = [0.0005, -0.0005, 0.0025, -0.0025, 1.5, -2.25, 9.999, -10, 10, 0.0015, 3.0035];
/** `wild` adds values outside the bounds (clamped) and NULLs. */
const WILD = [0.0005, 25, -0.0025, null, -99, 1.5, null, 10, -0.0005, 4.4445, 0.0025];

/** A value's integer on the 1/1000 grid: clamped to [-10, 10], scaled, rounded half away from 0. */
function encoded(x: number): bigint {
  const product = Math.min(10, Math.max(-10, x)) * 1000; // the same IEEE product DuckDB forms
  return BigInt(Math.sign(product) * Math.floor(Math.abs(product) + 0.5));
}

describe('fixed-point sums of a single table', () => {
  let policy: Policy;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let engine: SourceEngine;
  before(async () => {
    policy = parsePolicy(POLICY, 'fixed-point.yaml');
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    const rows = AMOUNTS.map(
      (a, i) =>
        `(${i + 1}, '${i % 2 ? 'a' : 'b'}', CAST(${a} AS DOUBLE), CAST(${WILD[i] ?? 'NULL'} AS DOUBLE))`,
    );
    await connection.run(
      `CREATE TABLE tx AS SELECT * FROM (VALUES ${rows.join(', ')}) t(pid, kind, amount, wild)`,
    );
    const declaration = policy.sources['tx'];
    assert.ok(declaration);
    engine = {
      connection,
      runIsolated: (sql) => connection.runAndReadAll(sql), // one query at a time here
      sources: {
        tx: {
          name: 'tx',
          path: '(test)',
          hash: '',
          rows: AMOUNTS.length,
          table: '"tx"',
          declaration,
        },
      },
      allowedDirs: [],
      close: () => undefined,
    };
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const plan = (sql: string) =>
    planDpQuery(sql, { policy, parser: connection, budget: { epsilon: 1 } });

  test('a DOUBLE sum is exact only while the largest value times the rows stays below 2^53', () => {
    const rows = 2n ** 53n / 10_000n; // the most rows of values within ±10,000 that stay below 2^53
    assert.equal(doubleSumIsExact(-10_000n, 10_000n, rows), true);
    assert.equal(doubleSumIsExact(-10_000n, 10_000n, rows + 1n), false);
    assert.equal(doubleSumIsExact(-10_000n, 5n, rows + 1n), false, 'the negative bound is larger');
    assert.equal(doubleSumIsExact(0n, 10_000n, rows), true);
  });

  test('sums and counts of a single table use DOUBLE; squares, joins and huge tables BIGINT', async () => {
    const summed = await plan(
      'SELECT kind, count(*), sum(amount), avg(wild) FROM tx_dp GROUP BY kind',
    );
    const shortcut = await shortcutFor(summed.priced, engine);
    assert.equal(shortcut.rowsAtMost, BigInt(AMOUNTS.length));
    assert.deepEqual([...(shortcut.nullFree ?? [])], ['tx.amount'], 'wild holds NULLs');
    const sql = renderAggregateSql(summed.priced, 7n, shortcut);
    assert.match(sql, /, round\(CAST\(t0\."amount" AS DOUBLE\) \* 1000\) AS v0/);
    assert.match(sql, /CAST\(sum\(v0\) AS BIGINT\) AS s0/);
    assert.match(sql, /count\(\*\) AS n0/, 'amount has no NULL: its count is count(*)');
    assert.match(sql, /count\(v1\) AS n1/, 'wild has NULLs: they are not counted');

    const huge = renderAggregateSql(summed.priced, 7n, { ...shortcut, rowsAtMost: 2n ** 40n });
    assert.match(huge, /CAST\(round\(CAST\(t0\."amount" AS DOUBLE\) \* 1000\) AS BIGINT\) AS v0/);
    assert.match(huge, / sum\(v0\) AS s0/);
    const unknown = renderAggregateSql(summed.priced, 7n, { ...shortcut, rowsAtMost: undefined });
    assert.doesNotMatch(unknown, /CAST\(sum/, 'without a row bound every sum is BIGINT');

    const squares = await plan('SELECT var_pop(amount) FROM tx_dp');
    const squareSql = renderAggregateSql(
      squares.priced,
      7n,
      await shortcutFor(squares.priced, engine),
    );
    assert.match(
      squareSql,
      /CAST\(round\(CAST\(t0\."amount" AS DOUBLE\) \* 1000\) AS BIGINT\) AS v0/,
    );
    assert.match(squareSql, /sum\(CAST\(v0 AS HUGEINT\) \* v0\)/);
  });

  test('both encodings give the same exact aggregates, rounding ties half away from zero', async () => {
    const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
    for (const sql of [
      'SELECT kind, count(*), sum(amount), avg(amount), sum(wild), count(wild) FROM tx_dp GROUP BY kind',
      'SELECT sum(amount), sum(wild), avg(wild) FROM tx_dp',
    ]) {
      const p = await plan(sql);
      const fast = await exactAggregates(p, engine, 7n);
      assert.deepEqual(
        sorted(fast),
        sorted(await exactAggregates(p, engine, 7n, { alwaysBound: true })),
        sql,
      );
    }
    const p = await plan('SELECT sum(amount), sum(wild) FROM tx_dp');
    const [row] = await exactAggregates(p, engine, 7n);
    const expected = (xs: (number | null)[]) =>
      xs.reduce<bigint>((t, x) => (x === null ? t : t + encoded(x)), 0n).toString();
    assert.deepEqual([row?.['m0'], row?.['m1']], [expected(AMOUNTS), expected(WILD)]);
    assert.equal(
      encoded(0.0005),
      1n,
      'a tie rounds away from zero (the BIGINT cast alone gives 0)',
    );
    assert.equal(encoded(-0.0005), -1n);
  });
});
