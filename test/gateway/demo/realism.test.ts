// Realism of the demo data: emails from names, correlations (income by age, diagnosis by age and
// sex, visits by age and diagnosis), clustered ZIP codes, and the demo policy's k-anonymity.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoPolicy, num, openDemoFixture, type DemoFixture } from './fixture.js';

let fx: DemoFixture;
before(async () => {
  fx = await openDemoFixture();
});
after(() => fx.close());

describe('demo data realism', () => {
  test('emails are derived from the names', async () => {
    const people = await fx.rows('SELECT name, email FROM p');
    for (const { name, email } of people) {
      const last = String(name)
        .split(' ')
        .at(-1)!
        .toLowerCase()
        .replace(/[^a-z]/g, '');
      assert.ok(String(email).includes(last), `email does not contain the last name`);
    }
  });

  test('has realistic correlations', async () => {
    const income = await fx.one(
      `SELECT avg(income) FILTER (WHERE age BETWEEN 45 AND 55) AS mid,
              avg(income) FILTER (WHERE age BETWEEN 20 AND 30) AS young,
              avg(income) FILTER (WHERE age < 16) AS child FROM pa`,
    );
    assert.ok(
      num(income.mid) > 1.4 * num(income.young),
      `income 45-55 ${num(income.mid)} vs 20-30 ${num(income.young)}`,
    );
    assert.equal(num(income.child), 0);
    const dx = await fx.one(
      `SELECT avg((diagnosis = 'Hypertension')::INT) FILTER (WHERE age >= 60) AS htn_old,
              avg((diagnosis = 'Hypertension')::INT) FILTER (WHERE age < 30) AS htn_young,
              avg((diagnosis = 'Otitis media')::INT) FILTER (WHERE age < 10) AS otitis_child,
              avg((diagnosis = 'Otitis media')::INT) FILTER (WHERE age >= 18) AS otitis_adult,
              count(*) FILTER (WHERE diagnosis = 'Prenatal care' AND (sex = 'M' OR age NOT BETWEEN 10 AND 45)) AS bad_prenatal,
              count(*) FILTER (WHERE diagnosis = 'Benign prostatic hyperplasia' AND sex = 'F') AS bad_bph,
              avg((sex = 'F')::INT) FILTER (WHERE diagnosis = 'Migraine') AS migraine_f,
              count(DISTINCT diagnosis) AS categories,
              avg(visits) FILTER (WHERE age >= 70) AS visits_old,
              avg(visits) FILTER (WHERE age BETWEEN 20 AND 30) AS visits_young
       FROM pa`,
    );
    assert.ok(num(dx.htn_old) > 4 * num(dx.htn_young), 'hypertension rises with age');
    assert.ok(
      num(dx.otitis_child) > 10 * num(dx.otitis_adult),
      'otitis media is a childhood diagnosis',
    );
    assert.equal(num(dx.bad_prenatal), 0);
    assert.equal(num(dx.bad_bph), 0);
    assert.ok(num(dx.migraine_f) > 0.65, 'migraine is mostly female');
    assert.ok(num(dx.categories) >= 15 && num(dx.categories) <= 20);
    assert.ok(num(dx.visits_old) > 1.5 * num(dx.visits_young), 'older patients visit more');
    const top = await fx.one(
      `SELECT max(n) / sum(n) AS top_share, min(n) / sum(n) AS bottom_share
       FROM (SELECT diagnosis, count(*)::DOUBLE AS n FROM p GROUP BY 1)`,
    );
    assert.ok(num(top.top_share) > 5 * num(top.bottom_share), 'diagnosis frequencies are skewed');
    const chronic = await fx.one(
      `SELECT avg(visits) FILTER (WHERE diagnosis = 'Chronic kidney disease') AS ckd,
              avg(visits) FILTER (WHERE diagnosis = 'Dermatitis' AND age >= 60) AS derm FROM pa`,
    );
    assert.ok(num(chronic.ckd) > num(chronic.derm), 'chronic diagnoses bring more visits');
  });

  test('ZIP codes cluster under shared 3-digit prefixes', async () => {
    const z = await fx.one(
      'SELECT count(DISTINCT zip) AS zips, count(DISTINCT substr(zip, 1, 3)) AS prefixes FROM p',
    );
    assert.ok(num(z.zips) > 250 && num(z.zips) <= 300, `${num(z.zips)} zips`);
    assert.ok(num(z.prefixes) >= 8 && num(z.prefixes) <= 20, `${num(z.prefixes)} prefixes`);
    const skew = await fx.one(
      `SELECT max(n) / min(n) AS ratio FROM (SELECT zip, count(*)::DOUBLE AS n FROM p GROUP BY 1)`,
    );
    assert.ok(num(skew.ratio) > 10, 'ZIP populations are skewed');
  });

  test("the demo policy's k-anonymity is reachable within its suppression bound", async () => {
    const policy = await demoPolicy();
    const pm = policy.views.patients_masked;
    assert.ok(pm?.tier === 'masked' && pm.k_anonymity);
    const dob = pm.columns.date_of_birth;
    const zip = pm.columns.zip;
    assert.ok(dob?.op === 'age_band' && zip?.op === 'prefix');
    assert.deepEqual(pm.k_anonymity.quasi_identifiers, ['date_of_birth', 'sex', 'zip']);
    const top = dob.top ?? 1000;
    const patients = await fx.one(
      `SELECT coalesce(sum(n) FILTER (WHERE n < ${pm.k_anonymity.k}), 0) / sum(n) AS suppressed FROM (
         SELECT least(floor(date_sub('year', date_of_birth, DATE '${dob.as_of}') / ${dob.width}) * ${dob.width}, ${top}) AS band,
                sex, substr(zip, 1, ${zip.keep}) AS z, count(*)::DOUBLE AS n
         FROM p GROUP BY ALL)`,
    );
    assert.ok(
      num(patients.suppressed) < pm.k_anonymity.max_suppressed_fraction,
      `patients suppression ${num(patients.suppressed)}`,
    );
    const vm = policy.views.visits_masked;
    assert.ok(vm?.tier === 'masked' && vm.k_anonymity);
    assert.deepEqual(vm.k_anonymity.quasi_identifiers, ['visit_date', 'department']);
    const visits = await fx.one(
      `SELECT coalesce(sum(n) FILTER (WHERE n < ${vm.k_anonymity.k}), 0) / sum(n) AS suppressed FROM (
         SELECT date_trunc('month', visit_date) AS m, department, count(*)::DOUBLE AS n FROM v GROUP BY ALL)`,
    );
    assert.ok(
      num(visits.suppressed) < vm.k_anonymity.max_suppressed_fraction,
      `visits suppression ${num(visits.suppressed)}`,
    );
  });
});
