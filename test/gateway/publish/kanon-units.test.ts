/**
 * k-anonymity counts people: a person owning several rows cannot form a class of k rows alone.
 * 30 people fall into three classes of ten; person 99 has six rows in a class of their own.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parsePolicy } from '@privet/core';
import { publishViews, viewFiles } from '../../../gateway/src/publish/index.js';
import { freshStateDir } from './helpers.js';

const POLICY = `version: 1
name: kanon-units
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      city: { type: string }
      age: { type: integer, bounds: [0, 120] }
views:
  people_masked:
    tier: masked
    source: people
    columns:
      city: { op: keep }
      age: { op: keep }
    k_anonymity: { k: 3, quasi_identifiers: [city, age], max_suppressed_fraction: 0.5 }
users:
  stu: { name: Stu Steward, roles: [steward] }
budgets:
  - { source: people, epsilon: '1.0', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 30 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

/** POLICY with an email column published as a token (not the unit, no join group). */
const EMAIL_POLICY = POLICY.replace(
  '      city: { type: string }\n',
  '      city: { type: string }\n      email: { type: string, identifier: true }\n',
).replace('      city: { op: keep }\n', '      city: { op: keep }\n      email: { op: token }\n');

describe('k-anonymity per person', () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-kanon-units-'));
  const stateDir = freshStateDir();
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Writes people.csv with `rows` (header first) and publishes the view of `policy`. */
  const publishRows = async (policy: string, rows: string[]) => {
    writeFileSync(join(dir, 'people.csv'), rows.join('\n') + '\n');
    const [r] = await publishViews({
      policy: parsePolicy(policy, 'kanon-units.yaml'),
      policyText: policy,
      policyDir: dir,
      stateDir,
    });
    return r;
  };

  test('a token repeated across rows (a person’s email) is listed as linking them; unique ones are not', async () => {
    const linkedBy = async (emails: (i: number) => string) => {
      const rows = ['person_id,city,email,age'];
      for (let i = 0; i < 30; i++)
        rows.push(`${1 + (i % 20)},${['Lyon', 'Oslo', 'Pune'][i % 3]},${emails(i)},40`);
      return (await publishRows(EMAIL_POLICY, rows))?.manifest.kAnonymity?.linkedBy;
    };
    assert.deepEqual(await linkedBy((i) => `p${1 + (i % 20)}@example.org`), [
      { column: 'email', privacyUnit: false, repeats: true },
    ]);
    assert.deepEqual(await linkedBy((i) => `v${i}@example.org`), []);
  });

  test('six rows of one person in a class of their own are suppressed, not published', async () => {
    const rows = ['person_id,city,age'];
    for (let i = 0; i < 30; i++) rows.push(`${i + 1},${['Lyon', 'Oslo', 'Pune'][i % 3]},40`);
    for (let j = 0; j < 6; j++) rows.push('99,Solo,50');
    const r = await publishRows(POLICY, rows);
    assert.deepEqual([r?.rows, r?.rowsSuppressed], [30, 6]);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const file = viewFiles(stateDir, 'people_masked').parquet;
      const [row] = (
        await c.runAndReadAll(
          `SELECT count(*) FILTER (city = 'Solo')::INTEGER AS solo, count(*)::INTEGER AS n FROM read_parquet('${file}')`,
        )
      ).getRowObjectsJS();
      assert.deepEqual([row!['solo'], row!['n']], [0, 30]);
      const names = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`))
        .getRowObjectsJS()
        .map((x) => x['column_name']);
      assert.deepEqual(names, ['city', 'age'], 'the hidden unit column is never written');
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
