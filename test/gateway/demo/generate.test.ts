// Tests of the demo data generator against the files it really writes, read back with DuckDB:
// determinism, sizes, identifiers, referential integrity, the policy's schema, the helper.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDemoData, type DemoProgress } from '../../../gateway/src/demo/generate.js';
import { ensureDemoData } from '../../../gateway/src/demo/ensure.js';
import { demoPolicy, num, openDemoFixture, sha256, SMALL, type DemoFixture } from './fixture.js';

let fx: DemoFixture;
before(async () => {
  fx = await openDemoFixture();
});
after(() => fx.close());

describe('generateDemoData', () => {
  test('is deterministic for a seed and differs for another seed', async () => {
    const b = await generateDemoData({ outDir: join(fx.dir, 'b'), patients: SMALL, seed: 7 });
    const c = await generateDemoData({ outDir: join(fx.dir, 'c'), patients: SMALL, seed: 8 });
    assert.equal(await sha256(b.patients), await sha256(fx.files.patients));
    assert.equal(await sha256(b.visits), await sha256(fx.files.visits));
    assert.notEqual(await sha256(c.patients), await sha256(fx.files.patients));
    const same = await fx.one(
      `SELECT count(*) AS n FROM p JOIN read_parquet('${c.patients}') q USING (patient_id)
       WHERE p.email = q.email OR p.national_id = q.national_id`,
    );
    assert.ok(num(same.n) < 50, `seed 8 repeats ${num(same.n)} identities of seed 7`);
  });

  test('writes the requested number of patients and exactly `visits` visit rows per patient', async () => {
    assert.equal(num((await fx.one('SELECT count(*) AS n FROM p')).n), SMALL);
    const counts = await fx.one(
      `SELECT (SELECT sum(visits) FROM p) AS declared, (SELECT count(*) FROM v) AS actual`,
    );
    assert.equal(num(counts.actual), num(counts.declared));
    const mismatched = await fx.one(
      `SELECT count(*) AS n FROM p LEFT JOIN (SELECT patient_id, count(*) AS c FROM v GROUP BY 1) w
       USING (patient_id) WHERE coalesce(w.c, 0) <> p.visits`,
    );
    assert.equal(num(mismatched.n), 0);
    const perPatient = await fx.one(
      'SELECT avg(visits) AS mean, max(visits) AS hi, min(visits) AS lo FROM p',
    );
    assert.ok(
      num(perPatient.mean) >= 1 && num(perPatient.mean) <= 8,
      `mean visits ${num(perPatient.mean)}`,
    );
    assert.ok(num(perPatient.hi) <= 50 && num(perPatient.lo) === 0);
  });

  test('identifiers are unique and well formed', async () => {
    const u = await fx.one(
      `SELECT count(DISTINCT patient_id) AS id, count(DISTINCT email) AS email, count(DISTINCT phone) AS phone,
              count(DISTINCT national_id) AS ssn, count(*) AS n FROM p`,
    );
    for (const k of ['id', 'email', 'phone', 'ssn']) assert.equal(num(u[k]), num(u.n), k);
    const vu = await fx.one('SELECT count(DISTINCT visit_id) AS d, count(*) AS n FROM v');
    assert.equal(num(vu.d), num(vu.n));
    const bad = await fx.one(
      `SELECT
         count(*) FILTER (WHERE NOT regexp_full_match(national_id, '\\d{3}-\\d{2}-\\d{4}')
           OR substr(national_id, 1, 3) IN ('000', '666') OR substr(national_id, 1, 3) >= '900'
           OR substr(national_id, 5, 2) = '00' OR substr(national_id, 8, 4) = '0000') AS ssn,
         count(*) FILTER (WHERE NOT regexp_full_match(phone, '[2-9]\\d{2}-[2-9]\\d{2}-\\d{4}')) AS phone,
         count(*) FILTER (WHERE NOT regexp_full_match(zip, '\\d{5}')) AS zip,
         count(*) FILTER (WHERE sex NOT IN ('F', 'M')) AS sex,
         count(*) FILTER (WHERE NOT regexp_full_match(email, '[a-z0-9._]+@[a-z.]+')) AS email,
         count(*) FILTER (WHERE NOT contains(address, zip)) AS address
       FROM p`,
    );
    for (const [k, n] of Object.entries(bad)) assert.equal(num(n), 0, `${k}: ${num(n)} malformed`);
  });

  test('visits reference patients and stay within the declared ranges', async () => {
    const orphans = await fx.one('SELECT count(*) AS n FROM v ANTI JOIN p USING (patient_id)');
    assert.equal(num(orphans.n), 0);
    const r = await fx.one(
      `SELECT min(visit_date)::VARCHAR AS d0, max(visit_date)::VARCHAR AS d1, min(cost) AS c0, max(cost) AS c1,
              count(*) FILTER (WHERE visit_date < date_of_birth) AS before_birth,
              count(DISTINCT department) AS departments
       FROM v JOIN p USING (patient_id)`,
    );
    assert.ok(String(r.d0) >= '2024-01-01' && String(r.d1) <= '2026-12-31', `${r.d0}..${r.d1}`);
    assert.ok(num(r.c0) >= 0 && num(r.c1) <= 20000);
    assert.equal(num(r.before_birth), 0);
    assert.ok(num(r.departments) >= 10);
    const inc = await fx.one('SELECT min(income) AS lo, max(income) AS hi FROM p');
    assert.ok(num(inc.lo) >= 0 && num(inc.hi) <= 500000);
  });

  test('files have exactly the columns and types the demo policy declares', async () => {
    const policy = await demoPolicy();
    const duckType = {
      integer: ['INTEGER', 'BIGINT'],
      number: ['DOUBLE'],
      string: ['VARCHAR'],
      date: ['DATE'],
      boolean: ['BOOLEAN'],
    };
    const files: Record<string, string> = fx.files;
    assert.deepEqual(Object.keys(policy.sources).sort(), Object.keys(files).sort());
    for (const [name, source] of Object.entries(policy.sources)) {
      assert.equal(source.path, `data/${name}.parquet`);
      const described = await fx.rows(`DESCRIBE SELECT * FROM read_parquet('${files[name]}')`);
      assert.deepEqual(
        described.map((r) => r.column_name),
        Object.keys(source.columns),
        name,
      );
      for (const r of described) {
        const declared = source.columns[String(r.column_name)]!;
        assert.ok(
          duckType[declared.type].includes(String(r.column_type)),
          `${name}.${r.column_name}: ${r.column_type} vs ${declared.type}`,
        );
      }
      for (const [col, decl] of Object.entries(source.columns)) {
        if (decl.bounds) {
          const b = await fx.one(
            `SELECT min("${col}") AS lo, max("${col}") AS hi FROM read_parquet('${files[name]}')`,
          );
          assert.ok(
            num(b.lo) >= decl.bounds[0] && num(b.hi) <= decl.bounds[1],
            `${name}.${col} within bounds`,
          );
        }
        if (decl.categories) {
          const values = await fx.rows(
            `SELECT DISTINCT "${col}" AS x FROM read_parquet('${files[name]}') ORDER BY 1`,
          );
          assert.deepEqual(
            values.map((r) => r.x),
            [...decl.categories].sort(),
          );
        }
      }
    }
  });

  test('rejects a bad size with a message that says how to fix it', async () => {
    await assert.rejects(
      generateDemoData({ outDir: join(fx.dir, 'bad'), patients: 0, seed: 1 }),
      /number of patients must be a whole number.*Fix: pass/,
    );
    await assert.rejects(
      generateDemoData({ outDir: join(fx.dir, 'bad'), patients: 10, seed: -1 }),
      /seed must be a whole number.*Fix: pass/,
    );
  });

  // Its speed is measured in bench/publish.ts (demo_generation_*), not asserted here.
  test('50,000 patients with their visits', async () => {
    const big = await generateDemoData({
      outDir: join(fx.dir, 'big'),
      patients: 50_000,
      seed: 20261128,
    });
    const r = await fx.one(
      `SELECT (SELECT count(*) FROM read_parquet('${big.patients}')) AS p,
              (SELECT sum(visits) FROM read_parquet('${big.patients}')) AS declared,
              (SELECT count(*) FROM read_parquet('${big.visits}')) AS v`,
    );
    assert.equal(num(r.p), 50_000);
    assert.equal(num(r.v), num(r.declared));
  });
});

describe('ensureDemoData', () => {
  test('generates into <policyDir>/data only when the files are missing, reporting progress', async () => {
    const policyDir = join(fx.dir, 'policy');
    const events: DemoProgress[] = [];
    const first = await ensureDemoData(policyDir, {
      patients: 300,
      seed: 3,
      onProgress: (e) => events.push(e),
    });
    assert.equal(first.generated, true);
    assert.equal(first.patients, join(policyDir, 'data', 'patients.parquet'));
    assert.deepEqual(
      [...new Set(events.map((e) => e.step))],
      ['patients', 'visits', 'write-patients', 'write-visits', 'done'],
    );
    const mtime = (await stat(first.patients)).mtimeMs;
    const again: DemoProgress[] = [];
    const second = await ensureDemoData(policyDir, {
      patients: 300,
      seed: 3,
      onProgress: (e) => again.push(e),
    });
    assert.equal(second.generated, false);
    assert.equal(again.length, 0);
    assert.equal((await stat(second.patients)).mtimeMs, mtime);
    await rm(second.visits);
    const third = await ensureDemoData(policyDir, { patients: 300, seed: 3 });
    assert.equal(third.generated, true);
    assert.equal(await sha256(third.patients), await sha256(first.patients));
  });
});
