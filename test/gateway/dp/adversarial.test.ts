// Adversarial SQL: every query below must be refused with a code, a message saying what and why,
// and a fix — before anything runs on the raw-data engine — and the engine must keep working.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DpSqlError } from '@privet/core/dpsql/errors';
import { parsePolicy } from '@privet/core';
import { executePlan, planDpQuery } from '../../../gateway/src/dp/execute.js';
import { num } from '../../../gateway/src/dp/render-where.js';
import { Rational } from '@privet/core/dp/rational';
import { openDpFixture, POLICY_YAML, type DpFixture } from './fixture.js';

/** [sql, expected refusal code] — `$DIR` is replaced by the fixture folder. */
const ATTACKS: [string, string][] = [
  ["SELECT * FROM read_csv('/etc/passwd')", 'unknown_table'],
  ["SELECT count(*) FROM read_parquet('/etc/passwd')", 'unknown_table'],
  ["SELECT count(*) FROM read_csv_auto('$DIR/people.csv')", 'unknown_table'],
  ["SELECT count(*) FROM '$DIR/people.csv'", 'unknown_table'],
  ["SELECT count(*) FROM glob('/*')", 'unknown_table'],
  ['SELECT count(*) FROM duckdb_settings()', 'unknown_table'],
  ['SELECT count(*) FROM range(10)', 'unknown_table'],
  ["ATTACH '$DIR/evil.db' AS evil", 'not_select'],
  ["COPY people TO '$DIR/leak.csv'", 'not_select'],
  ["COPY (SELECT * FROM people) TO '$DIR/leak2.csv'", 'not_select'],
  ["EXPORT DATABASE '$DIR/export'", 'not_select'],
  ['INSTALL httpfs', 'not_select'],
  ['LOAD httpfs', 'not_select'],
  ['PRAGMA database_list', 'not_select'],
  ['SET enable_external_access = true', 'not_select'],
  ['CALL pragma_version()', 'not_select'],
  ['CREATE TABLE stolen AS SELECT * FROM people', 'not_select'],
  ['DELETE FROM people', 'not_select'],
  ['EXPLAIN SELECT count(*) FROM people_dp', 'not_select'],
  ['SELECT count(*) FROM people_dp; DROP TABLE people', 'not_select'],
  ['SELECT count(*) FROM people_dp /* harmless */; DROP TABLE people', 'not_select'],
  ['SELECT count(*) FROM people_dp -- trailing\n; DELETE FROM people', 'not_select'],
  ['SELECT count(*) FROM people_dp; SELECT count(*) FROM people_dp', 'multiple_statements'],
  ['SELECT * FROM people_dp', 'row_level'],
  ['SELECT age FROM people_dp', 'row_level'],
  ['SELECT age, count(*) FROM people_dp', 'row_level'],
  ['SELECT 1', 'row_level'],
  [
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
    'unsupported_clause',
  ],
  ['WITH t AS (SELECT * FROM people) SELECT count(*) FROM t', 'unsupported_clause'],
  ['SELECT pid, count(*) FROM people_dp GROUP BY pid', 'identifier_column'],
  ['SELECT count(*) FROM people_dp WHERE pid = 17', 'identifier_column'],
  ['SELECT sum(score) FROM people_dp', 'missing_bounds'],
  ['SELECT avg(score) FROM people_dp', 'missing_bounds'],
  ['SELECT count(*) FROM people', 'not_dp_view'],
  ['SELECT count(*) FROM "people"', 'not_dp_view'],
  ['SELECT count(*) FROM "PEOPLE"', 'not_dp_view'],
  ['SELECT count(*) FROM "people_dp""; DROP TABLE people; --"', 'unknown_table'],
  ['SELECT count(*) FROM people_masked', 'not_dp_view'],
  ['SELECT count(*) FROM main.people_dp', 'unknown_table'],
  ['SELECT count(*) FROM people_dp p JOIN events_dp e ON p.age = e.amount', 'bad_join'],
  ['SELECT count(*) FROM people_dp p LEFT JOIN events_dp e ON p.pid = e.pid', 'bad_join'],
  ['SELECT count(*) FROM people_dp, events_dp', 'bad_join'],
  ['SELECT count(*) FROM people_dp p JOIN people e ON p.pid = e.pid', 'not_dp_view'],
  ["SELECT count(*) FROM people_dp, read_csv('/etc/passwd')", 'bad_join'],
  ['SELECT sum(age) OVER () FROM people_dp', 'unsupported_expression'],
  ['SELECT count(*) FROM (SELECT * FROM people) t', 'unsupported_clause'],
  [
    'SELECT count(*) FROM people_dp WHERE city IN (SELECT city FROM people)',
    'unsupported_expression',
  ],
  [
    'SELECT count(*) FROM people_dp WHERE city = (SELECT max(city) FROM people)',
    'unsupported_expression',
  ],
  ['SELECT count(*) FROM people_dp LIMIT 1', 'unsupported_clause'],
  ['SELECT count(*) FROM people_dp LIMIT 1 OFFSET 5', 'unsupported_clause'],
  ['SELECT count(*) FROM people_dp UNION SELECT count(*) FROM people', 'unsupported_clause'],
  ['SELECT count(*) FROM people_dp UNION ALL SELECT count(*) FROM people_dp', 'unsupported_clause'],
  ["SELECT getenv('HOME'), count(*) FROM people_dp", 'unsupported_expression'],
  ["SELECT current_setting('threads'), count(*) FROM people_dp", 'unsupported_expression'],
  ['SELECT count(*), max(age) FROM people_dp', 'unsupported_expression'],
  ['SELECT min(income) FROM people_dp', 'unsupported_expression'],
  ['SELECT list(city) FROM people_dp', 'unsupported_expression'],
  ["SELECT string_agg(city, ',') FROM people_dp", 'unsupported_expression'],
  ['SELECT count(DISTINCT city) FROM people_dp', 'unsupported_aggregate'],
  ['SELECT sum(age * 1000) FROM people_dp', 'unsupported_aggregate'],
  ['SELECT count(*) FILTER (WHERE age > 30) FROM people_dp', 'unsupported_aggregate'],
  ['SELECT quantile_cont(age, 2) FROM people_dp', 'unsupported_aggregate'],
  ['SELECT count(*) FROM people_dp HAVING count(*) > 5', 'unsupported_clause'],
  ['SELECT count(*) FROM people_dp ORDER BY 1', 'unsupported_clause'],
  ['SELECT DISTINCT city FROM people_dp', 'unsupported_clause'],
  ['SELECT city, count(*) FROM people_dp GROUP BY ROLLUP (city)', 'unsupported_clause'],
  ['SELECT city, count(*) FROM people_dp GROUP BY ALL', 'unsupported_clause'],
  ["SELECT count(*) FROM people_dp WHERE name = 'Person 1'", 'unknown_column'],
  ["SELECT count(*) FROM people_dp WHERE lower(city) = 'oslo'", 'unsupported_expression'],
  ["SELECT count(*) FROM people_dp WHERE city LIKE 'O%'", 'unsupported_expression'],
  ["SELECT count(*) FROM people_dp WHERE sex = 'F' OR 1 = 1", 'unsupported_expression'],
  ["SELECT count(*) FROM people_dp WHERE age > '5'", 'bad_literal'],
  ['SELECT count(*) FROM people_dp USING SAMPLE 10%', 'unsupported_clause'],
  ['SELECT count(*) FROM people_dp QUALIFY row_number() OVER () = 1', 'unsupported_clause'],
  ['SELECT count(*) FROM people_dp GROUP BY floor(score / 0.1)', 'missing_bounds'],
  ['SELECT floor(income / 0.001), count(*) FROM people_dp GROUP BY 1', 'too_many_groups'],
  ['SELECT count(*) FROM people_dp WHERE', 'parse_error'],
];

describe('adversarial SQL is refused', () => {
  let fx: DpFixture;
  before(async () => {
    fx = await openDpFixture();
  });
  after(() => fx.close());

  test(`${ATTACKS.length} attacks each refused with code, message and fix`, async () => {
    assert.ok(ATTACKS.length >= 40);
    const wrong: string[] = [];
    for (const [template, code] of ATTACKS) {
      const sql = template.replaceAll('$DIR', fx.dir);
      try {
        await fx.plan(sql);
        wrong.push(`${sql}: ACCEPTED`);
      } catch (err) {
        if (!(err instanceof DpSqlError)) {
          wrong.push(`${sql}: not a DpSqlError: ${String(err)}`);
          continue;
        }
        const r = err.refusal;
        if (r.code !== code) wrong.push(`${sql}: got ${r.code} (${r.message})`);
        if (r.message.length < 10 || r.fix.length < 10)
          wrong.push(`${sql}: message and fix must explain`);
        // Never echo data values: names and cities of the fixture, or paths, must not appear.
        for (const secret of ['Person 1', 'Oslo', 'Lyon', '/etc/passwd']) {
          if (r.message.includes(secret)) wrong.push(`${sql}: message leaks ${secret}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(
      !existsSync(join(fx.dir, 'leak.csv')) &&
        !existsSync(join(fx.dir, 'leak2.csv')) &&
        !existsSync(join(fx.dir, 'evil.db')),
    );
  });

  test('an unknown column is refused naming the clause it was written in', async () => {
    const clauseOf = async (sql: string): Promise<string> => {
      try {
        await fx.plan(sql);
        return 'accepted';
      } catch (err) {
        assert.ok(err instanceof DpSqlError);
        assert.equal(err.refusal.code, 'unknown_column');
        return (
          /" in (\w+(?: BY)?) is not a column/.exec(err.refusal.message)?.[1] ?? err.refusal.message
        );
      }
    };
    assert.equal(await clauseOf('SELECT name FROM people_dp'), 'SELECT');
    assert.equal(await clauseOf('SELECT floor(nosuch / 10) AS b FROM people_dp'), 'SELECT');
    assert.equal(await clauseOf('SELECT count(*) FROM people_dp GROUP BY nosuch'), 'GROUP BY');
    assert.equal(await clauseOf('SELECT count(*) FROM people_dp WHERE nosuch = 1'), 'WHERE');
  });

  test('bounds too wide for exact integer arithmetic are refused before any data is read', async () => {
    // Encoded values must stay far inside BIGINT: otherwise a query could fail (and be refunded)
    // only when some row holds a huge value — a free yes/no answer about the data.
    const wide = (bounds: string) =>
      parsePolicy(
        POLICY_YAML.replace(
          'income: { type: number, bounds: [0, 1000] }',
          `income: { type: number, bounds: ${bounds} }`,
        ),
        'wide.yaml',
      );
    const plan = (bounds: string, sql: string) =>
      planDpQuery(sql, {
        policy: wide(bounds),
        parser: fx.parser,
        budget: { epsilon: 1, delta: '1e-6' },
      });
    for (const sql of ['SELECT median(income) FROM people_dp', 'SELECT sum(income) FROM people_dp'])
      await assert.rejects(
        plan('[0, 100000000000000]', sql),
        (err: unknown) =>
          err instanceof DpSqlError &&
          err.refusal.code === 'missing_bounds' &&
          /too wide for exact aggregation/.test(err.refusal.message) &&
          /narrow bounds/.test(err.refusal.fix),
      );
    // 10^12 × 1000 is still below 2^50: planned.
    await plan('[-1000000000000, 1000000000000]', 'SELECT sum(income) FROM people_dp');
  });

  test('rho budget with unknown keys and bad budgets are refused', async () => {
    const refusal = async (sql: string, budget: Record<string, unknown>) => {
      try {
        await fx.plan(sql, budget);
      } catch (err) {
        if (err instanceof DpSqlError) return err.refusal.code;
        throw err;
      }
      return 'accepted';
    };
    assert.equal(
      await refusal('SELECT city, count(*) FROM people_dp GROUP BY city', { rho: '0.5' }),
      'needs_delta',
    );
    assert.equal(
      await refusal('SELECT city, count(*) FROM people_dp GROUP BY city', { epsilon: 1 }),
      'needs_delta',
    );
    for (const epsilon of [0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, 5e-324, 'abc']) {
      assert.equal(
        await refusal('SELECT count(*) FROM people_dp', { epsilon }),
        'bad_budget',
        `epsilon ${String(epsilon)}`,
      );
    }
    assert.equal(
      await refusal('SELECT count(*) FROM people_dp', { epsilon: 1, rho: 1 }),
      'bad_budget',
    );
    assert.equal(await refusal('SELECT count(*) FROM people_dp', {}), 'bad_budget');
  });

  test('joins and variances that could fail on some rows only are refused before any data is read', async () => {
    // Each would otherwise fail (and be refunded) or wrap depending on the rows: a free answer.
    const plan = (yaml: string, sql: string) =>
      planDpQuery(sql, {
        policy: parsePolicy(yaml, 'limits.yaml'),
        parser: fx.parser,
        budget: { epsilon: 1, delta: '1e-6' },
      });
    const refusal = async (yaml: string, sql: string): Promise<string> => {
      try {
        await plan(yaml, sql);
        return 'accepted';
      } catch (err) {
        assert.ok(err instanceof DpSqlError, String(err));
        return `${err.refusal.code}: ${err.refusal.message}`;
      }
    };
    const join = 'SELECT count(*) FROM people_dp p JOIN events_dp e ON p.pid = e.pid';
    // Units of different types: DuckDB would cast one side row by row.
    const textUnits = POLICY_YAML.replace(
      '      pid: { type: integer, identifier: true }\n      kind:',
      '      pid: { type: string, identifier: true }\n      kind:',
    );
    assert.notEqual(textUnits, POLICY_YAML);
    assert.match(
      await refusal(textUnits, join),
      /^bad_join: .*different types: people_dp\.pid \(integer\), events_dp\.pid \(string\)/,
    );
    assert.equal(await refusal(POLICY_YAML, join), 'accepted');
    // A self-join multiplies a unit's rows: bounded to 100,000 per unit before bounding.
    const many = POLICY_YAML.replace(
      'contribution: { max_rows_per_unit: 5, max_groups_per_unit: 2 }',
      'contribution: { max_rows_per_unit: 400, max_groups_per_unit: 2 }',
    );
    const selfJoin = 'SELECT count(*) FROM events_dp a JOIN events_dp b ON a.pid = b.pid';
    assert.match(
      await refusal(many, selfJoin),
      /^bad_join: .*up to 160000 rows .*events_dp 400 × events_dp 400/,
    );
    assert.equal(await refusal(POLICY_YAML, selfJoin), 'accepted');
    assert.equal(await refusal(many, 'SELECT count(*) FROM events_dp'), 'accepted');
    // Squares summed in HUGEINT: refused when 2^40 rows of them could pass 2^127.
    const wide = (bounds: string) =>
      POLICY_YAML.replace(
        'income: { type: number, bounds: [0, 1000] }',
        `income: { type: number, bounds: ${bounds} }`,
      );
    for (const fn of ['var_pop', 'var_samp', 'stddev', 'stddev_pop'])
      assert.match(
        await refusal(wide('[0, 20000000000]'), `SELECT ${fn}(income) FROM people_dp`),
        /^missing_bounds: .*squares, summed over up to 2\^40 × 1 rows, could pass 2\^127/,
        fn,
      );
    assert.equal(
      await refusal(wide('[0, 20000000000]'), 'SELECT sum(income) FROM people_dp'),
      'accepted',
    );
    assert.equal(
      await refusal(wide('[-10000000000, 10000000000]'), 'SELECT var_pop(income) FROM people_dp'),
      'accepted',
    );
  });

  test('literals and bins DuckDB could only fail on row by row are refused at planning', async () => {
    // DuckDB leaves a failing constant cast to the rows that reach it: the query would fail (and
    // be refunded) only when some row passed the rest of WHERE.
    const yaml = POLICY_YAML.replace(
      '      member: { type: boolean }',
      '      member: { type: boolean }\n      born: { type: date }\n      big: { type: number, bounds: [1100000000000, 1100000000000.001] }',
    ).replace(
      'columns: [pid, sex, city, age, income, score, member]',
      'columns: [pid, sex, city, age, income, score, member, born, big]',
    );
    const refusal = async (sql: string): Promise<string> => {
      try {
        await planDpQuery(sql, {
          policy: parsePolicy(yaml, 'literals.yaml'),
          parser: fx.parser,
          budget: { epsilon: 1, delta: '1e-6' },
        });
        return 'accepted';
      } catch (err) {
        assert.ok(err instanceof DpSqlError, String(err));
        return err.refusal.code;
      }
    };
    const where = (cond: string) =>
      `SELECT count(*) FROM people_dp WHERE city = 'Nuuk' AND ${cond}`;
    for (const cond of [
      'age < 2e38',
      'age IN (1, 3e38)',
      'age BETWEEN 0 AND 2e38',
      'income > -1e300',
      'age < 9.007199254740992e15',
    ])
      assert.equal(await refusal(where(cond)), 'bad_literal', cond);
    assert.equal(await refusal(where('age < 9.00719925474099e15')), 'accepted');
    assert.equal(await refusal(where('income < 1e15')), 'accepted');
    for (const day of [
      '2023-02-30',
      '2023-13-01',
      '2023-00-10',
      '2023-04-31',
      '2100-02-29',
      '0000-01-01',
    ])
      for (const cond of [
        `born = DATE '${day}'`,
        `born = '${day}'`,
        `born IN ('${day}')`,
        `NOT born = DATE '${day}'`,
      ])
        assert.equal(await refusal(where(cond)), 'bad_literal', cond);
    for (const day of ['2024-02-29', '2000-02-29', '2023-12-31', '0001-01-01'])
      assert.equal(await refusal(where(`born < DATE '${day}'`)), 'accepted', day);
    // Behind the analyser, the renderer writes such a number as one DOUBLE constant.
    assert.equal(num(Rational.of(2n ** 127n)), `CAST('${2n ** 127n}' AS DOUBLE)`);
    assert.equal(num(Rational.of(-(2n ** 53n))), `CAST('${-(2n ** 53n)}' AS DOUBLE)`);
    assert.equal(num(Rational.of(2n ** 53n - 1n)), `${2n ** 53n - 1n}`);
    // Bins numbered beyond 2^53 (bounds far from 0, a tiny width).
    assert.equal(
      await refusal('SELECT floor(big / 0.00000011) AS b, count(*) FROM people_dp GROUP BY 1'),
      'bad_group_by',
    );
  });

  test('a column named like a built-in property is a column', async () => {
    // `public_keys` is a plain object: its inherited "constructor" is not a declared key list.
    const yaml = POLICY_YAML.replace(
      '      kind: { type: string }',
      '      kind: { type: string }\n      constructor: { type: string }',
    ).replace('columns: [pid, kind, amount]', 'columns: [pid, kind, amount, constructor]');
    const planned = await planDpQuery(
      'SELECT constructor, count(*) AS n FROM events_dp GROUP BY constructor',
      {
        policy: parsePolicy(yaml, 'proto.yaml'),
        parser: fx.parser,
        budget: { epsilon: 1, delta: '1e-6' },
      },
    );
    assert.equal(
      planned.priced.logical.keys[0]?.publicKeys,
      undefined,
      'no public keys: selected with DP',
    );
  });

  test('the engine keeps working after the attacks', async () => {
    const plan = await fx.plan('SELECT sex, count(*) AS n FROM people_dp GROUP BY sex', {
      epsilon: 1,
    });
    const release = await executePlan(plan, fx.engine);
    assert.deepEqual(
      release.rows.map((r) => r.keys['sex']),
      ['F', 'M'],
    );
    const total = release.rows.reduce((s, r) => s + (r.values['n']?.value ?? 0), 0);
    assert.ok(Math.abs(total - 600) < 100, `noisy total ${total} is near 600`);
    // A quoting trick inside a literal stays a literal: it matches no city, nothing is injected.
    const tricky = await fx.plan(
      "SELECT count(*) AS n FROM people_dp WHERE city = 'x'' OR 1=1 --'",
      { epsilon: 5 },
    );
    const zero = (await executePlan(tricky, fx.engine)).rows[0]?.values['n']?.value ?? -1;
    assert.ok(zero >= 0 && zero < 10, `count ${zero} should be near 0`);
    // GROUP BY a select alias of a column works like DuckDB.
    const aliased = await fx.plan('SELECT sex AS s, count(*) FROM people_dp GROUP BY s', {
      epsilon: 1,
    });
    assert.deepEqual(
      aliased.priced.logical.keys.map((k) => k.name),
      ['s'],
    );
    const count = await fx.engine.connection.runAndReadAll('SELECT count(*) AS n FROM people');
    assert.equal(
      String(count.getRowObjectsJson()[0]?.['n']),
      '600',
      'raw table intact (no DROP/DELETE ran)',
    );
  });
});
