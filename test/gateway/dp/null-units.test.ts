// Rows without a privacy unit never count. The NULL-unit filter is skipped only when the engine's
// stats show no such row (then it is the identity); with NULL units present it stays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { parsePolicy } from '@privet/core';
import { exactAggregates, planDpQuery } from '../../../gateway/src/dp/execute.js';
import { renderAggregateSql } from '../../../gateway/src/dp/render.js';
import { shortcutFor } from '../../../gateway/src/dp/shortcut.js';
import type { SourceEngine } from '../../../gateway/src/store/index.js';
import { POLICY_YAML, openDpFixture, type DpFixture } from './fixture.js';

const SQL = 'SELECT kind, count(*), sum(amount) FROM events_dp GROUP BY kind';
const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('rows without a privacy unit', () => {
  let fx: DpFixture;
  before(async () => {
    fx = await openDpFixture();
  });
  after(() => fx.close());

  test('no NULL unit in the data: the filter is skipped and the result is unchanged', async () => {
    const plan = await fx.plan(SQL);
    const shortcut = await shortcutFor(plan.priced, fx.engine);
    assert.equal(shortcut.noNullUnits, true);
    assert.doesNotMatch(renderAggregateSql(plan.priced, 7n, shortcut), /IS NOT NULL/);
    assert.match(
      renderAggregateSql(plan.priced, 7n, { ...shortcut, noNullUnits: false }),
      /"pid" IS NOT NULL/,
    );
    assert.deepEqual(
      sorted(await exactAggregates(plan, fx.engine, 7n)),
      sorted(await exactAggregates(plan, fx.engine, 7n, { alwaysBound: true })),
    );
  });

  test('NULL units in the data: the filter stays and those rows do not count', async () => {
    const policy = parsePolicy(POLICY_YAML, 'dp-test.yaml');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `CREATE TABLE events AS SELECT CASE WHEN i < 30 THEN NULL ELSE CAST(i AS BIGINT) END AS pid,
         ['buy', 'view', 'refund'][CAST(i % 3 AS INTEGER) + 1] AS kind, CAST(10 AS DOUBLE) AS amount
       FROM range(300) r(i)`,
    );
    const declaration = policy.sources['events'];
    assert.ok(declaration);
    const engine: SourceEngine = {
      connection,
      runIsolated: (sql) => connection.runAndReadAll(sql), // one query at a time here
      sources: {
        events: {
          name: 'events',
          path: '(test)',
          hash: '',
          rows: 300,
          table: '"events"',
          declaration,
        },
      },
      allowedDirs: [],
      close: () => {
        connection.closeSync();
        instance.closeSync();
      },
    };
    try {
      const plan = await planDpQuery(SQL, { policy, parser: connection, budget: { epsilon: 1 } });
      const shortcut = await shortcutFor(plan.priced, engine);
      assert.equal(shortcut.noNullUnits, false);
      assert.match(renderAggregateSql(plan.priced, 7n, shortcut), /"pid" IS NOT NULL/);
      const rows = await exactAggregates(plan, engine, 7n);
      const counted = rows.reduce((n, r) => n + BigInt(String(r['m0'] ?? '0')), 0n);
      assert.equal(counted, 270n, 'the 30 rows without a unit are not counted');
    } finally {
      engine.close();
    }
  });
});
