// A join bounds each of its tables to its own view's max_rows_per_unit per privacy unit BEFORE
// joining: one unit with n rows in each of k joined views otherwise makes n^k rows, and whether
// the query then runs out of memory or time (a failure is refunded) depends on that one unit.
// Pre-bounding keeps every row the limits allow, applies a table's own filters first, and is
// skipped for a table whose units are all within its limit (engine stats).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DpQueryResponse } from '@privet/core';
import { exactAggregates, type DpQueryPlan } from '../../../gateway/src/dp/execute.js';
import { renderAggregateSql } from '../../../gateway/src/dp/render.js';
import { shortcutFor } from '../../../gateway/src/dp/shortcut.js';
import { POLICY_YAML, eventRows, openDpFixture, type DpFixture } from './fixture.js';
import { ANA, openDpService } from './service-fixture.js';

/** Rows of the heavy unit (person 1, all with amount 100): 2000^4 = 1.6·10^13 raw joined rows. */
const HEAVY = 2000;
/** events_dp's max_rows_per_unit in the fixture policy. */
const EVENT_LIMIT = 5;

const SELF_JOIN_4 =
  'SELECT count(*) FROM events_dp a JOIN events_dp b ON a.pid = b.pid JOIN events_dp c ON a.pid = c.pid JOIN events_dp d ON a.pid = d.pid ' +
  'WHERE a.amount = 100 AND b.amount = 100 AND c.amount = 100 AND d.amount = 100';

const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Σ over the fixture's light units (no limit reached before the join) of min(joined rows, limit). */
function lightJoinCount(
  perUnit: (rows: { kind: string; amount: number }[]) => number,
  limit: number,
): number {
  const units = new Map<number, { kind: string; amount: number }[]>();
  for (const e of eventRows(0)) units.set(e.pid, [...(units.get(e.pid) ?? []), e]);
  let total = 0;
  for (const rows of units.values()) total += Math.min(perUnit(rows), limit);
  return total;
}

describe('a join bounds each table before joining', () => {
  test('a 4-way self-join over a unit with 2,000 rows answers quickly through the service', async () => {
    const s = await openDpService(
      POLICY_YAML,
      {
        id: 'x1',
        title: 'Self-join',
        purpose: 'A heavy unit in a self-join',
        dataCategories: ['events'],
        views: ['events_dp'],
      },
      { heavyRows: HEAVY },
    );
    try {
      const started = Date.now();
      // Without pre-bounding the join never ends (10^13 rows): the signal stops it after 20 s, and
      // the service answers that the client left instead of releasing.
      const result = (await s.dp.query(
        ANA,
        { experiment: 'x1', sql: SELF_JOIN_4, epsilon: '0.1', dryRun: false },
        AbortSignal.timeout(20_000),
      )) as DpQueryResponse;
      const ms = Date.now() - started;
      assert.equal(result.dryRun, false);
      assert.equal(result.release.rows.length, 1);
      assert.ok(ms < 10_000, `the query took ${ms} ms`);
      const charges = s.services.ledger.state('x1').charges;
      assert.deepEqual(
        charges.map((c) => c.status),
        ['committed'],
      );
      // Exactly: the heavy unit keeps 5 rows per table (5^4 joined), bounded to 5 after the join;
      // a light unit with m amount-100 rows gives min(m^4, 5).
      const plan = await s.fx.plan(SELF_JOIN_4);
      const exact = await exactAggregates(plan, s.fx.engine, 99n, { timeoutMs: 20_000 });
      const expected =
        EVENT_LIMIT +
        lightJoinCount((rows) => rows.filter((r) => r.amount === 100).length ** 4, EVENT_LIMIT);
      assert.deepEqual(exact, [{ m0: String(expected) }]);
    } finally {
      await s.close();
    }
  });
});

describe('pre-bounding within the limits', () => {
  let fx: DpFixture;
  before(async () => {
    fx = await openDpFixture(); // person 1 has 3 events; nobody has more than 4 (limit 5)
  });
  after(() => fx.close());

  const joins = [
    'SELECT count(*) FROM people_dp p JOIN events_dp e ON p.pid = e.pid',
    'SELECT p.sex, count(*), sum(e.amount), avg(e.amount) FROM people_dp p JOIN events_dp e ON p.pid = e.pid GROUP BY p.sex',
    'SELECT e.kind, count(*), sum(f.amount), count(DISTINCT e.pid) FROM events_dp e JOIN events_dp f ON e.pid = f.pid WHERE e.amount > 30 AND f.amount < 90 GROUP BY e.kind',
    'SELECT p.sex, count(*), sum(e.amount), var_pop(f.amount) FROM people_dp p JOIN events_dp e ON p.pid = e.pid JOIN events_dp f ON p.pid = f.pid WHERE p.age < 60 AND (e.amount > 10 OR f.amount > 10) GROUP BY p.sex',
  ];
  for (const sql of joins) {
    test(`exact answers are unchanged: ${sql.slice(0, 70)}…`, async () => {
      const plan = await fx.plan(sql);
      const shortcut = await shortcutFor(plan.priced, fx.engine);
      assert.deepEqual(
        shortcut.tablesWithinLimits,
        plan.priced.logical.tables.map(() => true),
      );
      // The shortcut joins the raw tables (as before); alwaysBound pre-bounds every table.
      assert.doesNotMatch(renderAggregateSql(plan.priced, 7n, shortcut), /_kept|QUALIFY/);
      assert.match(
        renderAggregateSql(plan.priced, 7n, { skipRows: false, skipGroups: false }),
        /_kept0 AS/,
      );
      for (const salt of [7n, 12345n]) {
        assert.deepEqual(
          sorted(await exactAggregates(plan, fx.engine, salt, { alwaysBound: true })),
          sorted(await exactAggregates(plan, fx.engine, salt)),
        );
      }
    });
  }

  test('the exact count of a join is the plain SQL count', async () => {
    const plan = await fx.plan(joins[0] ?? '');
    const plain = await fx.engine.connection.runAndReadAll(
      'SELECT count(*) AS n FROM people JOIN events USING (pid)',
    );
    const n = String(plain.getRowObjectsJson()[0]?.['n']);
    assert.deepEqual(await exactAggregates(plan, fx.engine, 7n, { alwaysBound: true }), [
      { m0: n },
    ]);
  });
});

describe('pre-bounding with a unit over its limit', () => {
  let fx: DpFixture;
  let plan: DpQueryPlan;
  before(async () => {
    fx = await openDpFixture({ heavyRows: 20 });
    plan = await fx.plan(
      "SELECT count(*) FROM people_dp p JOIN events_dp e ON p.pid = e.pid JOIN events_dp f ON p.pid = f.pid WHERE e.kind = 'buy'",
    );
  });
  after(() => fx.close());

  test('only the tables with a unit over their limit are bounded (engine stats)', async () => {
    const shortcut = await shortcutFor(plan.priced, fx.engine);
    // people: one row per person (limit 1); events: person 1 has 20 rows (limit 5).
    assert.deepEqual(shortcut.tablesWithinLimits, [true, false, false]);
    const sql = renderAggregateSql(plan.priced, 7n, shortcut);
    assert.match(sql, /FROM "people" AS t0 JOIN _kept1 AS t1 .* JOIN _kept2 AS t2 /);
    assert.doesNotMatch(sql, /_kept0/);
    assert.match(sql, /QUALIFY row_number\(\) OVER \(PARTITION BY t1\."pid" ORDER BY hash\(/);
  });

  test("a table's own filters apply before its bounding", async () => {
    const filtered = await fx.plan(
      "SELECT count(*) FROM people_dp p JOIN events_dp e ON p.pid = e.pid WHERE e.kind = 'buy'",
    );
    // Person 1: 7 of 20 rows are 'buy', 5 kept (bounding first would keep 5 of all 20, of which
    // fewer are 'buy'); a light unit with b 'buy' rows gives b.
    const expected =
      EVENT_LIMIT + lightJoinCount((rows) => rows.filter((r) => r.kind === 'buy').length, 5);
    for (const salt of [1n, 7n, 12345n, 2n ** 63n])
      for (const alwaysBound of [false, true])
        assert.deepEqual(await exactAggregates(filtered, fx.engine, salt, { alwaysBound }), [
          { m0: String(expected) },
        ]);
  });

  test('a single table renders as before, whatever the per-table flags say', async () => {
    const single = await fx.plan('SELECT kind, count(*) FROM events_dp GROUP BY kind');
    const shortcut = await shortcutFor(single.priced, fx.engine);
    assert.equal(shortcut.tablesWithinLimits, undefined);
    const sql = renderAggregateSql(single.priced, 7n, shortcut);
    assert.equal(
      renderAggregateSql(single.priced, 7n, { ...shortcut, tablesWithinLimits: [false] }),
      sql,
    );
    assert.doesNotMatch(sql, /_kept|_rows|QUALIFY/);
  });
});
