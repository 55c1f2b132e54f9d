// Contribution bounding: one privacy unit with 10^6 rows moves no exact bounded aggregate by more
// than the sensitivity the plan charges for (compared on neighbouring datasets: with and without
// that unit), whether or not the bounding shortcut applies; missing bounds are refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DpSqlError } from '@privet/core/dpsql/errors';
import { exactAggregates, type DpQueryPlan } from '../../../gateway/src/dp/execute.js';
import { openDpFixture, type DpFixture } from './fixture.js';

const HEAVY = 1_000_000;

function cells(
  rows: Record<string, unknown>[],
  column: string,
  keyCount: number,
): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const row of rows) {
    const key = Array.from({ length: keyCount }, (_, i) => String(row[`k${i}`])).join('|');
    const v = row[column];
    if (Array.isArray(v)) {
      for (const e of v as { key: string; value: string }[])
        out.set(`${key}#${e.key}`, BigInt(e.value));
    } else out.set(key, BigInt(String(v ?? '0')));
  }
  return out;
}

function l1(a: Map<string, bigint>, b: Map<string, bigint>): bigint {
  let total = 0n;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const d = (a.get(key) ?? 0n) - (b.get(key) ?? 0n);
    total += d < 0n ? -d : d;
  }
  return total;
}

async function compare(plan: DpQueryPlan, heavy: DpFixture, light: DpFixture): Promise<void> {
  const salt = 12345n;
  const a = await exactAggregates(plan, heavy.engine, salt);
  const b = await exactAggregates(plan, light.engine, salt, { alwaysBound: true });
  // Without the heavy unit no unit exceeds the limits, so the shortcut must give identical results.
  const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(sorted(await exactAggregates(plan, light.engine, salt)), sorted(b));
  const keys = plan.priced.logical.keys.length;
  plan.priced.measurements.forEach((m, i) => {
    const diff = l1(cells(a, `m${i}`, keys), cells(b, `m${i}`, keys));
    assert.ok(
      m.sensitivity.gte(diff),
      `${plan.sql} ${m.part}: moved by ${diff} > sensitivity ${m.sensitivity.toString()}`,
    );
    assert.ok(diff > 0n, `${plan.sql} ${m.part}: the heavy unit should count at all`);
  });
  if (plan.priced.selection) {
    const diff = l1(cells(a, 'sel', keys), cells(b, 'sel', keys));
    const l0 = BigInt(
      Math.min(plan.priced.logical.maxGroupsPerUnit, plan.priced.logical.maxRowsPerUnit),
    );
    assert.ok(diff <= l0, `selection counts moved by ${diff} > ${l0}`);
  }
}

describe('contribution bounding', () => {
  let heavy: DpFixture;
  let light: DpFixture;
  before(async () => {
    heavy = await openDpFixture({ heavyRows: HEAVY });
    light = await openDpFixture({ heavyRows: 0 });
  });
  after(() => {
    heavy.close();
    light.close();
  });

  test('the heavy unit really has 10^6 rows in the raw data', async () => {
    const r = await heavy.engine.connection.runAndReadAll(
      'SELECT count(*) AS n FROM events WHERE pid = 1',
    );
    assert.equal(String(r.getRowObjectsJson()[0]?.['n']), String(HEAVY));
  });

  const queries = [
    'SELECT kind, count(*), count(DISTINCT pid), sum(amount), avg(amount), var_pop(amount), median(amount) FROM events_dp GROUP BY kind',
    'SELECT count(*), sum(amount), stddev(amount) FROM events_dp WHERE amount >= 50',
    'SELECT amount, count(*), sum(amount) FROM events_dp GROUP BY amount',
    'SELECT p.sex, count(*), sum(e.amount) FROM people_dp p JOIN events_dp e ON p.pid = e.pid GROUP BY p.sex',
  ];
  for (const sql of queries) {
    test(`bounded aggregates move ≤ sensitivity: ${sql.slice(0, 60)}…`, async () => {
      const plan = await heavy.plan(sql, { epsilon: 1, delta: '1e-6' });
      await compare(plan, heavy, light);
    });
  }

  test('an aggregate over a column without bounds is refused, never run', async () => {
    await assert.rejects(
      heavy.plan('SELECT sum(score) FROM people_dp'),
      (err: unknown) =>
        err instanceof DpSqlError &&
        err.refusal.code === 'missing_bounds' &&
        /bounds/.test(err.refusal.fix),
    );
  });
});
