import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import type { MaskedView, Policy } from '@privet/core';
import { deriveTokenKey, matchesFormat, toHex, tokenKeyInfo } from '@privet/core/mask/index';
import { publishViews, readManifest, viewFiles } from '../../../gateway/src/publish/index.js';
import { sourceVersion } from '../../../gateway/src/publish/source-version.js';
import { masterKeyPath } from '../../../gateway/src/keys.js';
import { demoPolicy, demoPolicyDir, freshStateDir } from './helpers.js';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function withK(policy: Policy, k: number): Policy {
  const copy = structuredClone(policy);
  for (const view of Object.values(copy.views))
    if (view.tier === 'masked' && view.k_anonymity) view.k_anonymity.k = k;
  return copy;
}

describe('publishing the demo masked views', async () => {
  const policyDir = await demoPolicyDir();
  const { text, policy } = demoPolicy();
  const raw = {
    patients: join(policyDir, 'data', 'patients.parquet'),
    visits: join(policyDir, 'data', 'visits.parquet'),
  };
  const stateA = freshStateDir();
  const stateB = freshStateDir();
  const stateK10 = freshStateDir();
  // Synthetic views are covered by test/gateway/synth (and the slow demo test there).
  const results = await publishViews({
    policy,
    policyText: text,
    policyDir,
    stateDir: stateA,
    viewNames: ['patients_masked', 'visits_masked'],
  });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  after(() => {
    c.closeSync();
    db.closeSync();
    for (const dir of [stateA, stateB, stateK10]) rmSync(dir, { recursive: true, force: true });
  });
  const q = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS();
  const col = async (sql: string) => (await c.runAndReadAll(sql)).getColumnsJS()[0] ?? [];
  const pq = (state: string, view: string) => `read_parquet('${viewFiles(state, view).parquet}')`;

  test('both masked views are published with manifests (and nothing else was asked for)', () => {
    assert.deepEqual(results.map((r) => r.view).sort(), ['patients_masked', 'visits_masked']);
    for (const r of results) {
      assert.deepEqual(readManifest(stateA, r.view), r.manifest);
      assert.ok(r.rows > 0);
    }
    assert.equal(readManifest(stateA, 'patients_synthetic'), undefined);
  });

  test('no raw identifier value appears in any published string column', async () => {
    await c.run(`CREATE TEMP TABLE raw_ids AS
      SELECT CAST(patient_id AS VARCHAR) AS v FROM read_parquet('${raw.patients}')
      UNION SELECT name FROM read_parquet('${raw.patients}') UNION SELECT email FROM read_parquet('${raw.patients}')
      UNION SELECT phone FROM read_parquet('${raw.patients}') UNION SELECT national_id FROM read_parquet('${raw.patients}')
      UNION SELECT address FROM read_parquet('${raw.patients}')
      UNION SELECT CAST(visit_id AS VARCHAR) FROM read_parquet('${raw.visits}')`);
    assert.ok(Number((await col('SELECT count(*) FROM raw_ids'))[0]) > 200_000);
    let checked = 0;
    for (const view of ['patients_masked', 'visits_masked']) {
      for (const r of await q(`DESCRIBE SELECT * FROM ${pq(stateA, view)}`)) {
        if (r['column_type'] !== 'VARCHAR') continue;
        const name = String(r['column_name']);
        const hits = await col(
          `SELECT count(*) FROM ${pq(stateA, view)} WHERE "${name}" IN (SELECT v FROM raw_ids)`,
        );
        assert.equal(Number(hits[0]), 0, `${view}.${name} leaks raw identifiers`);
        checked++;
      }
    }
    assert.ok(checked >= 10);
    const names = await col(
      `SELECT column_name FROM (DESCRIBE SELECT * FROM ${pq(stateA, 'patients_masked')})`,
    );
    for (const dropped of ['name', 'national_id', 'address']) assert.ok(!names.includes(dropped));
  });

  test('tokens are 32 hex chars, keyed per join group, equal across tables for the same person', async () => {
    for (const [view, column] of [
      ['patients_masked', 'patient_id'],
      ['visits_masked', 'patient_id'],
      ['visits_masked', 'visit_id'],
    ]) {
      const [bad] = await col(
        `SELECT count(*) FROM ${pq(stateA, view ?? '')} WHERE NOT regexp_full_match(${column}, '[0-9a-f]{32,}')`,
      );
      assert.equal(Number(bad), 0, `${view}.${column}`);
    }
    // A random sample of people: the token computed with node:crypto from the raw id and the
    // join-group key appears once in patients_masked and once per raw visit in visits_masked.
    const master = new Uint8Array(readFileSync(masterKeyPath(stateA)));
    const key = await deriveTokenKey(
      master,
      tokenKeyInfo(
        { view: 'patients_masked', source: 'patients', column: 'patient_id' },
        'patient',
      ),
    );
    const sample =
      await q(`SELECT * FROM (SELECT p.patient_id AS id, count(v.visit_id) AS visits FROM read_parquet('${raw.patients}') p
      LEFT JOIN read_parquet('${raw.visits}') v USING (patient_id) GROUP BY p.patient_id) USING SAMPLE reservoir(500 ROWS)`);
    const token = (id: unknown) =>
      createHmac('sha256', key).update(String(id)).digest('hex').slice(0, 32);
    const list = sample.map((r) => `('${token(r['id'])}', ${Number(r['visits'])})`).join(', ');
    const [mismatch] = await col(`SELECT count(*) FROM (VALUES ${list}) s(t, visits)
      WHERE (SELECT count(*) FROM ${pq(stateA, 'patients_masked')} WHERE patient_id = s.t) <> 1
         OR (SELECT count(*) FROM ${pq(stateA, 'visits_masked')} WHERE patient_id = s.t) <> s.visits`);
    assert.equal(sample.length, 500);
    assert.equal(Number(mismatch), 0);
    const [shared] = await col(
      `SELECT count(*) FROM ${pq(stateA, 'visits_masked')} WHERE visit_id IN (SELECT patient_id FROM ${pq(stateA, 'patients_masked')})`,
    );
    assert.equal(Number(shared), 0, 'visit_id tokens use their own key');
  });

  test('joining the views on tokens reproduces the raw join cardinality', async () => {
    assert.deepEqual(
      results.map((r) => r.rowsSuppressed),
      [0, 0],
    );
    const [rawJoin] = await col(
      `SELECT count(*) FROM read_parquet('${raw.patients}') p JOIN read_parquet('${raw.visits}') v USING (patient_id)`,
    );
    const [maskedJoin] = await col(
      `SELECT count(*) FROM ${pq(stateA, 'patients_masked')} p JOIN ${pq(stateA, 'visits_masked')} v USING (patient_id)`,
    );
    assert.ok(Number(rawJoin) > 100_000);
    assert.equal(maskedJoin, rawJoin);
  });

  test('no token equals an unkeyed SHA-256 of its value or a prefix of it', async () => {
    await c.run(`CREATE TEMP TABLE unkeyed AS SELECT h FROM (SELECT sha256(CAST(id AS VARCHAR)) AS full_hash FROM
      (SELECT patient_id AS id FROM read_parquet('${raw.patients}') UNION ALL SELECT visit_id FROM read_parquet('${raw.visits}'))),
      LATERAL (VALUES (full_hash), (left(full_hash, 32))) v(h)`);
    const [n] = await col('SELECT count(*) FROM unkeyed');
    assert.ok(Number(n) > 400_000);
    for (const [view, column] of [
      ['patients_masked', 'patient_id'],
      ['visits_masked', 'patient_id'],
      ['visits_masked', 'visit_id'],
    ]) {
      const [hits] = await col(
        `SELECT count(*) FROM ${pq(stateA, view ?? '')} t JOIN unkeyed u ON t.${column} = u.h`,
      );
      assert.equal(Number(hits), 0);
    }
  });

  test('a different master key changes every token', async () => {
    const [r] = await publishViews({
      policy,
      policyText: text,
      policyDir,
      stateDir: stateB,
      viewNames: ['patients_masked'],
    });
    assert.equal(r?.rows, results[0]?.rows);
    const [common] = await col(
      `SELECT count(*) FROM ${pq(stateA, 'patients_masked')} a JOIN ${pq(stateB, 'patients_masked')} b USING (patient_id)`,
    );
    assert.equal(Number(common), 0);
    assert.notDeepEqual(readFileSync(masterKeyPath(stateA)), readFileSync(masterKeyPath(stateB)));
  });

  test('k-anonymity holds by an independent GROUP BY for k = 5 and k = 10', async () => {
    const k10 = await publishViews({
      policy: withK(policy, 10),
      policyText: text,
      policyDir,
      stateDir: stateK10,
      viewNames: ['patients_masked'],
    });
    for (const [state, k, res] of [
      [stateA, 5, results],
      [stateK10, 10, k10],
    ] as const) {
      for (const r of res) {
        const view = policy.views[r.view] as MaskedView;
        const qis = view.k_anonymity?.quasi_identifiers.map((x) => `"${x}"`).join(', ') ?? '';
        const bad = await col(
          `SELECT count(*) FROM (SELECT ${qis}, count(*) AS n FROM ${pq(state, r.view)} GROUP BY ${qis} HAVING count(*) < ${k})`,
        );
        assert.equal(Number(bad[0]), 0, `${r.view} k=${k}`);
        const [min] = await col(
          // smallestClass counts people: the published patient token stands for each one.
          `SELECT min(n) FROM (SELECT count(DISTINCT "patient_id") AS n FROM ${pq(state, r.view)} GROUP BY ${qis})`,
        );
        assert.equal(r.manifest.kAnonymity?.k, k);
        assert.equal(r.manifest.kAnonymity?.smallestClass, Number(min));
        assert.equal(r.manifest.kAnonymity?.violations, 0);
        assert.equal(
          r.manifest.kAnonymity?.privacyUnit,
          policy.sources[view.source]?.privacy_unit,
          'the unit its classes counted',
        );
        // Both demo views publish the patient token (the unit, join group "patient"): k holds
        // per row only, and the manifest says which token links rows.
        assert.deepEqual(
          r.manifest.kAnonymity?.linkedBy,
          [{ column: 'patient_id', privacyUnit: true, joinGroup: 'patient' }],
          `${r.view}: the token that links rows`,
        );
        const [rows] = await col(`SELECT count(*) FROM ${pq(state, r.view)}`);
        assert.equal(Number(rows) + r.rowsSuppressed, r.rows + r.rowsSuppressed);
        assert.equal(Number(rows), r.rows);
      }
    }
  });

  test('Arrow stream holds the Parquet rows, and every value matches its declared format', async () => {
    for (const r of results) {
      const files = viewFiles(stateA, r.view);
      const arrow = tableFromIPC(readFileSync(files.arrow));
      assert.equal(arrow.numRows, r.rows);
      const names = (
        await col(
          `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('${files.parquet}'))`,
        )
      ).map(String);
      assert.deepEqual(
        arrow.schema.fields.map((f) => f.name),
        names,
      );
      for (const name of names) {
        const vector = arrow.getChild(name);
        assert.ok(vector);
        const values: string[] = [];
        for (const v of vector) values.push(v === null ? '\u0000' : String(v));
        const [expected] = await col(
          `SELECT sha256(string_agg(coalesce(CAST("${name}" AS VARCHAR), chr(0)), chr(31) ORDER BY file_row_number)) FROM read_parquet('${files.parquet}', file_row_number = true)`,
        );
        assert.equal(
          sha256(values.join('\u001f')),
          expected,
          `${r.view}.${name}: Arrow and Parquet differ`,
        );
        const format = r.manifest.columns.find((x) => x.name === name)?.format;
        if (format)
          for (const v of values)
            if (v !== '\u0000') assert.ok(matchesFormat(format, v), `${r.view}.${name}: ${format}`);
      }
      const formatted = r.manifest.columns.filter((x) => x.format).map((x) => x.name);
      assert.ok(formatted.length >= (r.view === 'patients_masked' ? 6 : 4));
    }
  });

  test('manifests carry hashes and operators but no key material', async () => {
    const master = new Uint8Array(readFileSync(masterKeyPath(stateA)));
    const derived = await deriveTokenKey(
      master,
      tokenKeyInfo(
        { view: 'patients_masked', source: 'patients', column: 'patient_id' },
        'patient',
      ),
    );
    for (const r of results) {
      const files = viewFiles(stateA, r.view);
      const m = r.manifest;
      assert.equal(m.policyHash, sha256(text));
      // A keyed version of the raw file, never its plain SHA-256 (analysts read manifests).
      const fileHash = sha256(readFileSync(m.source === 'patients' ? raw.patients : raw.visits));
      assert.equal(m.sourceHash, sourceVersion(master, fileHash));
      assert.notEqual(m.sourceHash, fileHash);
      assert.equal(m.parquetHash, sha256(readFileSync(files.parquet)));
      assert.ok(m.columns.some((x) => x.operator === 'token(join_group=patient)'));
      for (const file of [files.manifest, files.arrow, files.parquet]) {
        const bytes = readFileSync(file);
        for (const secret of [master, derived]) {
          assert.equal(bytes.indexOf(Buffer.from(secret)), -1);
          assert.equal(bytes.indexOf(Buffer.from(toHex(secret))), -1);
        }
      }
    }
  });
});
