/**
 * Top-coded generalized columns left out of quasi_identifiers ("coded" columns: numeric_range with
 * bottom and top, age_band with top) are checked one bin at a time: a bin held by fewer than k
 * people has its rows suppressed, since a top above every value hides no one. The fixture is the
 * security review's: 40 ordinary people and one aged 104 earning 9,876,543.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parsePolicy, PolicyError } from '@privet/core';
import { publishViews, viewFiles } from '../../../gateway/src/publish/index.js';
import { PublishError } from '../../../gateway/src/publish/errors.js';
import { freshStateDir } from './helpers.js';

const POLICY = `version: 1
name: coded
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: pid
    columns:
      pid: { type: integer, identifier: true }
      sex: { type: string }
      dob: { type: date }
      income: { type: integer }
views:
  people_masked:
    tier: masked
    source: people
    columns:
      sex: { op: keep }
      dob: { op: age_band, as_of: '2026-01-01', width: 1, top: 150 }
      income: { op: numeric_range, width: 1000, bottom: 0, top: 100000000 }
    k_anonymity: { k: 5, quasi_identifiers: [sex], max_suppressed_fraction: 0.05 }
users:
  stu: { name: Stu, roles: [steward] }
budgets:
  - { source: people, epsilon: '1.0', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 30 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

/** The review's 40 ordinary people: ages 45, three income bins, alternating sex. */
function ordinary(): string[] {
  const rows = ['pid,sex,dob,income'];
  for (let i = 1; i <= 40; i++)
    rows.push(`${i},${i % 2 ? 'F' : 'M'},1980-06-0${(i % 9) + 1},${40000 + (i % 3) * 100}`);
  return rows;
}
/** The one person the review singled out: aged 104, income 9,876,543. */
const OUTLIER = '41,F,1921-03-14,9876543';

describe('coded columns outside quasi_identifiers', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes people.csv and publishes the view of `policy` into a fresh state folder. */
  const publish = async (rows: string[], policy = POLICY) => {
    const dir = mkdtempSync(join(tmpdir(), 'privet-coded-'));
    const stateDir = freshStateDir();
    dirs.push(dir, stateDir);
    writeFileSync(join(dir, 'people.csv'), rows.join('\n') + '\n');
    const run = publishViews({
      policy: parsePolicy(policy, 'coded.yaml'),
      policyText: policy,
      policyDir: dir,
      stateDir,
    });
    return { run, file: viewFiles(stateDir, 'people_masked').parquet };
  };

  /** Rows of a query over the published file `file` (bound to `$file` in `sql`). */
  const read = async (file: string, sql: string) => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      return (
        await c.runAndReadAll(sql.replaceAll('$file', `read_parquet('${file}')`))
      ).getRowObjectsJS();
    } finally {
      c.closeSync();
      db.closeSync();
    }
  };

  test('the one person aged 104 earning 9,876,543 is suppressed and counted', async () => {
    const { run, file } = await publish([...ordinary(), OUTLIER]);
    const [r] = await run;
    assert.deepEqual([r?.rows, r?.rowsSuppressed], [40, 1]);
    assert.equal(r?.manifest.rowsSuppressed, 1);
    assert.equal(r?.manifest.kAnonymity?.violations, 0);
    const [found] = await read(
      file,
      `SELECT count(*) FILTER (dob = '104' OR income = '[9876000,9877000)')::INTEGER AS outlier,
              count(*)::INTEGER AS n FROM $file`,
    );
    assert.deepEqual([found?.['outlier'], found?.['n']], [0, 40]);
    for (const col of ['dob', 'income']) {
      const small = await read(
        file,
        `SELECT ${col} FROM $file GROUP BY ${col} HAVING count(*) < 5`,
      );
      assert.deepEqual(small, [], `every published ${col} bin holds at least k rows`);
    }
  });

  test('a bin of one person’s many rows is one person, so its rows are suppressed', async () => {
    const rows = [...ordinary()];
    for (let j = 0; j < 6; j++) rows.push(`99,M,1980-06-01,${9_000_000 + j}`);
    const policy = POLICY.replace('max_suppressed_fraction: 0.05', 'max_suppressed_fraction: 0.2');
    const [r] = await (await publish(rows, policy)).run;
    assert.deepEqual([r?.rows, r?.rowsSuppressed], [40, 6]);
  });

  test('a view whose coded bins all hold k people publishes every row unchanged', async () => {
    const { run, file } = await publish(ordinary());
    const [r] = await run;
    assert.deepEqual([r?.rows, r?.rowsSuppressed], [40, 0]);
    const bins = await read(
      file,
      'SELECT sex, dob, income, count(*)::INTEGER AS n FROM $file GROUP BY ALL ORDER BY ALL',
    );
    assert.deepEqual(
      bins.map((b) => [b['sex'], b['dob'], b['income'], b['n']]),
      [
        ['F', '45', '[40000,41000)', 20],
        ['M', '45', '[40000,41000)', 20],
      ],
    );
  });

  test('suppressing a class re-checks the bins it leaves: a bin fallen below k goes too', async () => {
    // Person 50 is alone in class X (suppressed by k); with them gone, the bin of 9,000,000 keeps
    // only four people (46-49, all in class F, which stays above k), so their rows go as well.
    const rows = [...ordinary()];
    for (let p = 46; p <= 49; p++) rows.push(`${p},F,1980-06-01,9000000`);
    rows.push('50,X,1980-06-01,9000000');
    const policy = POLICY.replace('max_suppressed_fraction: 0.05', 'max_suppressed_fraction: 0.2');
    const { run, file } = await publish(rows, policy);
    const [r] = await run;
    assert.deepEqual([r?.rows, r?.rowsSuppressed], [40, 5]);
    const [found] = await read(
      file,
      `SELECT count(*) FILTER (income = '[9000000,9001000)')::INTEGER AS rich FROM $file`,
    );
    assert.equal(found?.['rich'], 0);
  });

  test('suppression above max_suppressed_fraction is refused, naming the coded columns', async () => {
    const policy = POLICY.replace('max_suppressed_fraction: 0.05', 'max_suppressed_fraction: 0.01');
    const { run, file } = await publish([...ordinary(), OUTLIER], policy);
    await assert.rejects(run, (err: Error) => {
      assert.ok(err instanceof PublishError, String(err));
      assert.match(
        err.message,
        /k-anonymity with k=5 would suppress 1 of 41 rows \(2\.44%\), above max_suppressed_fraction 0\.01/,
      );
      assert.match(err.message, /1 in bins of "dob" \(age_band, not a quasi-identifier\)/);
      assert.match(err.message, /1 in bins of "income" \(numeric_range, not a quasi-identifier\)/);
      assert.match(err.fix, /widen the bins of "income"/);
      assert.match(err.fix, /widen the bands of "dob"/);
      assert.doesNotMatch(err.message + err.fix, /9876|1921/, 'no raw value in the refusal');
      return true;
    });
    assert.ok(!existsSync(file), 'nothing was published');
  });

  test('smallestClass counts people: a class of 5 people, one with 20 rows, is 5', async () => {
    const rows = ['pid,sex,dob,income'];
    for (let p = 1; p <= 5; p++)
      for (let j = 0; j < (p === 1 ? 20 : 1); j++) rows.push(`${p},F,1980-06-01,40000`);
    const [r] = await (await publish(rows)).run;
    assert.equal(r?.rows, 24);
    assert.equal(r?.manifest.kAnonymity?.smallestClass, 5);
  });

  test('without k_anonymity a top-coded column is refused by the policy check, naming it', () => {
    const policy = POLICY.replace(/ {4}k_anonymity: .*\n/, '');
    assert.throws(
      () => parsePolicy(policy, 'coded.yaml'),
      (err: Error) => {
        assert.ok(err instanceof PolicyError, String(err));
        const issue = err.issues.find((i) => /must declare k_anonymity/.test(i.message));
        assert.ok(issue, err.message);
        assert.match(issue.message, /\(dob, income\)/);
        assert.match(issue.fix, /quasi_identifiers: \[dob, income\]/);
        return true;
      },
    );
  });

  test('with k_anonymity a generalized column that is not top-coded is refused; the fix says what coding checks', () => {
    const policy = POLICY.replace(
      "dob: { op: age_band, as_of: '2026-01-01', width: 1, top: 150 }",
      "dob: { op: age_band, as_of: '2026-01-01', width: 1 }",
    );
    assert.throws(
      () => parsePolicy(policy, 'coded.yaml'),
      (err: Error) => {
        assert.ok(err instanceof PolicyError, String(err));
        assert.equal(err.issues.length, 1, err.message);
        assert.match(err.issues[0]!.message, /generalized column "dob" \(age_band\)/);
        assert.match(
          err.issues[0]!.fix,
          /or set top: then publishing suppresses the rows of every band of "dob" held by fewer than k people/,
        );
        return true;
      },
    );
  });
});
