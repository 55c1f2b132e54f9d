// NULL values of a bounded column: SQL's aggregates skip them, and so does the DP query whether
// or not the clamp is left out (the shortcut for a column whose values are all in range). Were a
// NULL clamped to the lower bound only when some value is out of range, one unit's out-of-range
// value would move SUM over the NULL rows by lo × (#NULLs), far beyond the sensitivity charged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRandomSource } from '@privet/core/dp/random';
import { exactAggregates } from '../../../gateway/src/dp/execute.js';
import { addNoise } from '../../../gateway/src/dp/noise.js';
import { openDpFixture, type DpFixture } from './fixture.js';

const NULL_AGES = 50;

describe('NULL values in DP aggregates', () => {
  let inRange: DpFixture;
  let outlier: DpFixture;
  before(async () => {
    inRange = await openDpFixture({ nullAges: NULL_AGES });
    // A neighbouring dataset: only the last person's age differs, now above the bounds.
    outlier = await openDpFixture({ nullAges: NULL_AGES, lastAge: 150 });
  });
  after(() => {
    inRange.close();
    outlier.close();
  });

  const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
  const queries = [
    'SELECT count(*), sum(age), avg(age), median(age) FROM people_dp WHERE age IS NULL',
    'SELECT sex, count(*), sum(age), avg(age), var_pop(age), median(age) FROM people_dp GROUP BY sex',
  ];
  for (const sql of queries) {
    test(`the shortcut and the clamp give the same exact aggregates: ${sql.slice(0, 50)}…`, async () => {
      const plan = await inRange.plan(sql);
      const salt = 777n;
      assert.deepEqual(
        sorted(await exactAggregates(plan, inRange.engine, salt)),
        sorted(await exactAggregates(plan, inRange.engine, salt, { alwaysBound: true })),
      );
    });
  }

  test('a NULL group key is its own group, never the lowest bin or value (public keys leave it out)', async () => {
    for (const sql of [
      'SELECT age, count(*) FROM people_dp GROUP BY age',
      'SELECT floor(age / 10) * 10 AS decade, count(*) FROM people_dp GROUP BY 1',
    ]) {
      const plan = await inRange.plan(sql);
      const rows = await exactAggregates(plan, inRange.engine, 777n);
      const count = (key: unknown) => rows.find((r) => r['k0'] === key)?.['m0'];
      assert.equal(String(count(null)), String(NULL_AGES), `${sql}: the NULL ages' own group`);
      // No real age is below 18: the lowest key holds no row.
      assert.equal(count(0) ?? count('0'), undefined, `${sql}: nothing in the lowest key`);
      assert.ok(
        plan.priced.logical.keys[0]?.publicKeys,
        'public keys: the NULL group is not released',
      );
    }
  });

  test('NULL rows add nothing, whether or not another unit is out of range', async () => {
    const plan = await inRange.plan(queries[0]!);
    const salt = 777n;
    const a = await exactAggregates(plan, inRange.engine, salt);
    const b = await exactAggregates(plan, outlier.engine, salt);
    assert.deepEqual(sorted(a), sorted(b), 'the out-of-range unit is not among the NULL rows');
    // The NULL rows are counted by count(*) but hold no value: every sum and value count is 0.
    const row = a[0]!;
    plan.priced.measurements.forEach((m, i) => {
      const value = row[`m${i}`];
      if (m.part === 'histogram') {
        const bins = (value ?? []) as { key: string; value: string }[];
        assert.equal(
          bins.reduce((t, e) => t + BigInt(e.value), 0n),
          0n,
          'no NULL in the histogram',
        );
      } else if (m.part !== 'count' || m.aggregate !== 0)
        assert.equal(BigInt(String(value ?? '0')), 0n, `${m.part} of aggregate ${m.aggregate}`);
      else assert.equal(BigInt(String(value)), BigInt(NULL_AGES), 'count(*) counts the rows');
    });
  });
});

describe('group keys that print alike', () => {
  let fx: DpFixture;
  before(async () => {
    fx = await openDpFixture();
  });
  after(() => fx.close());

  test('NULL, the text "\\u0000null" and keys joined by \\u0001 stay separate groups', async () => {
    const plan = await fx.plan('SELECT city, count(*) AS n FROM people_dp GROUP BY city', {
      epsilon: 1,
      delta: '1e-6',
    });
    const [template] = await exactAggregates(plan, fx.engine, 5n);
    assert.ok(template);
    // Groups far above the selection threshold, so each is released.
    const big = (key: unknown) => ({ ...template, k0: key, sel: '100000', m0: '100000' });
    const keys = [null, '\u0000null', 'a\u0001b', 'a', 'null'];
    const released = addNoise(plan.priced, keys.map(big), defaultRandomSource());
    const sorted = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();
    assert.deepEqual(
      sorted(released.map((r) => r.keys['city'])),
      sorted(keys),
      'each group released once, none merged into another',
    );
  });
});
