import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { MaskedView, Policy } from '@privet/core';
import {
  publishViews,
  PublishError,
  viewFiles,
  viewsDir,
} from '../../../gateway/src/publish/index.js';
import { adultPolicy, adultPolicyDir, freshStateDir, ADULT_CSV } from './helpers.js';

const ADULT_ROWS = 48_842;

function adultMasked(policy: Policy): MaskedView {
  const view = policy.views['adult_masked'];
  assert.ok(view && view.tier === 'masked');
  return view;
}

describe('k-anonymity on UCI Adult', async () => {
  const policyDir = await adultPolicyDir();
  const { text, policy } = adultPolicy();
  const states: string[] = [];
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  after(() => {
    c.closeSync();
    db.closeSync();
    for (const s of states) rmSync(s, { recursive: true, force: true });
  });
  const col = async (sql: string) => (await c.runAndReadAll(sql)).getColumnsJS()[0] ?? [];

  for (const k of [5, 10]) {
    test(`k = ${k}: no class below k by an independent GROUP BY; suppression counted`, async () => {
      const variant = structuredClone(policy);
      const kAnon = adultMasked(variant).k_anonymity;
      assert.ok(kAnon);
      kAnon.k = k;
      const stateDir = freshStateDir();
      states.push(stateDir);
      const [r] = await publishViews({
        policy: variant,
        policyText: text,
        policyDir,
        stateDir,
        viewNames: ['adult_masked'],
      });
      assert.ok(r);
      const file = `read_parquet('${viewFiles(stateDir, 'adult_masked').parquet}')`;
      const qis = kAnon.quasi_identifiers.join(', ');
      const [bad] = await col(
        `SELECT count(*) FROM (SELECT ${qis} FROM ${file} GROUP BY ${qis} HAVING count(*) < ${k})`,
      );
      assert.equal(Number(bad), 0);
      const [rows] = await col(`SELECT count(*) FROM ${file}`);
      assert.equal(Number(rows), r.rows);
      assert.equal(r.rows + r.rowsSuppressed, ADULT_ROWS);
      // The suppressed rows are exactly those in raw classes below k (same generalization, computed here from the raw CSV).
      const [expected] =
        await col(`SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM read_csv('${ADULT_CSV}')
        GROUP BY CASE WHEN age >= 70 THEN -1 ELSE age // 10 END, sex, race, "marital-status" HAVING count(*) < ${k})`);
      assert.equal(r.rowsSuppressed, Number(expected));
      assert.ok(r.rowsSuppressed > 0, 'Adult has rare classes, so some rows are suppressed');
      assert.ok((r.manifest.kAnonymity?.smallestClass ?? 0) >= k);
    });
  }

  test('suppression above the bound is refused, naming the view, the fraction and the QI to coarsen', async () => {
    const variant = structuredClone(policy);
    const view = adultMasked(variant);
    view.columns['age'] = { op: 'keep' };
    view.columns['occupation'] = { op: 'keep' };
    view.k_anonymity = {
      k: 10,
      quasi_identifiers: ['age', 'sex', 'race', 'marital_status', 'occupation'],
      max_suppressed_fraction: 0.01,
    };
    const stateDir = freshStateDir();
    states.push(stateDir);
    const [distinctAge] = await col(`SELECT count(DISTINCT age) FROM read_csv('${ADULT_CSV}')`);
    await assert.rejects(
      publishViews({ policy: variant, policyText: text, policyDir, stateDir }),
      (err: Error) => {
        assert.ok(err instanceof PublishError);
        assert.match(
          err.message,
          /^view "adult_masked": k-anonymity with k=10 would suppress \d+ of 48842 rows \(\d+\.\d\d%\), above max_suppressed_fraction 0\.01 \(1\.00%\)/,
        );
        assert.match(
          err.fix,
          new RegExp(
            `starting with the one with most distinct values: "age" \\(${Number(distinctAge)} values\\), "occupation"`,
          ),
        );
        return true;
      },
    );
    assert.deepEqual(
      readdirSync(viewsDir(stateDir)).filter((n) => n !== 'master.key'),
      [],
    );
    assert.ok(
      !existsSync(viewFiles(stateDir, 'adult_codes').dir),
      'no view of the batch is published',
    );
  });
  test('two views tokenizing one column without a join group cannot be joined on the tokens; with one, they can', async () => {
    const variant = structuredClone(policy);
    const codes = variant.views['adult_codes'];
    assert.ok(codes?.tier === 'masked');
    codes.columns['person_id'] = { op: 'token' };
    const stateDir = freshStateDir();
    states.push(stateDir);
    const publish = (p: Policy) =>
      publishViews({ policy: p, policyText: text, policyDir, stateDir });
    const shared = async () => {
      const [n] = await col(
        `SELECT count(*) FROM read_parquet('${viewFiles(stateDir, 'adult_masked').parquet}') a
         JOIN read_parquet('${viewFiles(stateDir, 'adult_codes').parquet}') b USING (person_id)`,
      );
      return Number(n);
    };
    await publish(variant);
    assert.equal(await shared(), 0, 'no token of one view appears in the other');
    // Declared joinable: the same person has the same token in both views.
    const joinable = structuredClone(variant);
    for (const name of ['adult_masked', 'adult_codes']) {
      const view = joinable.views[name];
      assert.ok(view?.tier === 'masked');
      view.columns['person_id'] = { op: 'token', join_group: 'person' };
    }
    const r = (await publish(joinable)).find((x) => x.view === 'adult_masked');
    assert.ok(r && r.rows > 0);
    assert.equal(await shared(), r.rows, 'each kept row of adult_masked joins its one row');
  });
});
