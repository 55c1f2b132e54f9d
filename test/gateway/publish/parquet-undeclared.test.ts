/**
 * Parquet sources get the same notes on undeclared columns as CSV sources: the column names the
 * policy leaves out (never loaded), read from the file's schema — never a value — in `privet
 * publish --plan` and its HTTP plan, a publish job, `privet policy check` and `privet serve`. A
 * file that is missing or not valid Parquet gets no note and breaks none of them: loading the
 * source reports it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy, type PublishJob } from '@privet/core';
import { writeParquet, type ParquetColumn } from '../../../gateway/src/demo/parquet.js';
import { PublishJobs } from '../../../gateway/src/publish/jobs.js';
import { formatPlan, planFromState } from '../../../gateway/src/publish/plan-cli.js';
import {
  undeclaredColumns,
  undeclaredColumnsNotes,
  viewSources,
} from '../../../gateway/src/publish/undeclared-columns.js';
import { readParquetColumnNames } from '../../../gateway/src/store/parquet-header.js';
import { privet } from '../run-cli.js';
import { jobSnapshots } from '../synth/gateway-fixture.js';

/** A value of an undeclared column: it must never be printed or returned. */
const SECRET = 'SECRET-PARQUET-NOTE-3318';

/** Parquet sources: people (a masked view), visits (a DP view only), archive (no view). */
const POLICY = `version: 1
name: parquet-notes
sources:
  people:
    path: people.parquet
    format: parquet
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      city: { type: string }
  visits:
    path: visits.parquet
    format: parquet
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      cost: { type: integer, bounds: [0, 1000] }
  archive:
    path: archive.parquet
    format: parquet
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
views:
  people_masked:
    tier: masked
    source: people
    columns:
      person_id: { op: token }
      city: { op: keep }
  visits_dp:
    tier: dp
    source: visits
    columns: [cost]
    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }
users:
  stu: { name: Stu Steward, roles: [steward] }
budgets:
  - { source: visits, epsilon: '1.0', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 30 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

const policy = parsePolicy(POLICY);

/** The note for people.parquet with `notes` and `fnlwgt` undeclared. */
const PEOPLE_NOTE =
  'source `people`: 2 columns in people.parquet are not in the policy and are never loaded: ' +
  '`notes`, `fnlwgt` — declare them under sources.people.columns to use them';

/** The note for visits.parquet (read by a DP view only) with `ward` undeclared. */
const VISITS_NOTE =
  'source `visits`: 1 column in visits.parquet is not in the policy and is never loaded: `ward` — ' +
  'declare it under sources.visits.columns to use it';

/** The note for archive.parquet (read by no view) with `memo` undeclared. */
const ARCHIVE_NOTE =
  'source `archive`: 1 column in archive.parquet is not in the policy and is never loaded: ' +
  '`memo` — declare it under sources.archive.columns to use it';

const ROWS = 30;
const ids = Array.from({ length: ROWS }, (_, i) => 1000 + i);
const secrets = ids.map((id) => `${SECRET}-${id}`);

/** A folder with policy.yaml and the three Parquet files, each with undeclared columns. */
async function writeFolder(): Promise<{ dir: string; policyPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'privet-parquet-notes-'));
  const policyPath = join(dir, 'policy.yaml');
  writeFileSync(policyPath, POLICY);
  const personId: ParquetColumn = { name: 'person_id', type: 'INTEGER', values: ids };
  await writeParquet(join(dir, 'people.parquet'), [
    personId,
    { name: 'notes', type: 'VARCHAR', values: secrets },
    { name: 'city', type: 'VARCHAR', values: ids.map((id) => ['Lyon', 'Oslo'][id % 2]!) },
    { name: 'fnlwgt', type: 'DOUBLE', values: ids.map((id) => id * 1.5) },
  ]);
  await writeParquet(join(dir, 'visits.parquet'), [
    personId,
    { name: 'cost', type: 'INTEGER', values: ids.map((id) => id % 100) },
    { name: 'ward', type: 'VARCHAR', values: secrets },
  ]);
  await writeParquet(join(dir, 'archive.parquet'), [
    personId,
    { name: 'memo', type: 'VARCHAR', values: secrets },
  ]);
  return { dir, policyPath };
}

describe('undeclared columns of Parquet sources', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('the schema names them in file order, never a value', async () => {
    const { dir } = await writeFolder();
    dirs.push(dir);
    assert.deepEqual(await readParquetColumnNames(join(dir, 'people.parquet')), [
      'person_id',
      'notes',
      'city',
      'fnlwgt',
    ]);
    const found = await undeclaredColumns(policy, dir, ['people', 'visits']);
    assert.deepEqual(found, [
      {
        source: 'people',
        path: 'people.parquet',
        columns: [
          { name: 'notes', position: 2 },
          { name: 'fnlwgt', position: 4 },
        ],
      },
      { source: 'visits', path: 'visits.parquet', columns: [{ name: 'ward', position: 3 }] },
    ]);
    const notes = await undeclaredColumnsNotes(policy, dir, viewSources(policy));
    assert.deepEqual(notes, [PEOPLE_NOTE, VISITS_NOTE]);
    assert.ok(!JSON.stringify(notes).includes(SECRET));
  });

  test('the plan notes the sources of the views it covers (not DP-only ones), CLI and protocol', async () => {
    const { dir, policyPath } = await writeFolder();
    dirs.push(dir);
    const stateDir = join(dir, 'state');
    const report = await planFromState(policy, dir, stateDir);
    assert.deepEqual(report.plan.notes, [PEOPLE_NOTE]);
    assert.ok(formatPlan(report).split('\n').includes(`note: ${PEOPLE_NOTE}`), formatPlan(report));

    const cli = privet('publish', '--plan', '--policy', policyPath, '--state', stateDir);
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(cli.stdout.split('\n').includes(`note: ${PEOPLE_NOTE}`), cli.stdout);
    assert.ok(!(cli.stdout + cli.stderr).includes(SECRET), 'no value of an undeclared column');
  });

  test('policy check notes every Parquet source at its columns key', async () => {
    const { dir, policyPath } = await writeFolder();
    dirs.push(dir);
    const r = privet('policy', 'check', policyPath);
    assert.equal(r.code, 0, r.stderr);
    const line = (source: string): number => {
      const lines = POLICY.split('\n');
      return lines.indexOf('    columns:', lines.indexOf(`  ${source}:`)) + 1;
    };
    const notes = r.stderr.split('\n').filter((l) => l.includes('never loaded'));
    assert.deepEqual(notes, [
      `${policyPath}:${line('people')}:5: note: ${PEOPLE_NOTE}.`,
      `${policyPath}:${line('visits')}:5: note: ${VISITS_NOTE}.`,
      `${policyPath}:${line('archive')}:5: note: ${ARCHIVE_NOTE}.`,
    ]);
    assert.ok(!(r.stdout + r.stderr).includes(SECRET), 'no value of an undeclared column');
  });

  test('a publish job carries them from its start', async () => {
    const { dir } = await writeFolder();
    dirs.push(dir);
    const jobs = new PublishJobs();
    const options = { policy, policyText: POLICY, policyDir: dir, stateDir: join(dir, 'state') };
    const job = await jobs.start(options, 1);
    assert.deepEqual(job.notes, [PEOPLE_NOTE]);
    const seen = await jobSnapshots(async (): Promise<PublishJob> => jobs.get(job.id)!);
    assert.equal(seen.at(-1)?.state, 'done', JSON.stringify(seen.at(-1)?.error));
    assert.deepEqual(seen.at(-1)?.notes, [PEOPLE_NOTE]);
  });

  test('a file missing or not Parquet gets no note, and the plan still answers', async () => {
    const { dir } = await writeFolder();
    dirs.push(dir);
    writeFileSync(join(dir, 'people.parquet'), `person_id,notes\n1,${SECRET}\n`);
    rmSync(join(dir, 'visits.parquet'));
    assert.equal(await readParquetColumnNames(join(dir, 'people.parquet')), undefined);
    assert.equal(await readParquetColumnNames(join(dir, 'visits.parquet')), undefined);
    assert.equal(await readParquetColumnNames(dir), undefined, 'a folder is not a file');
    assert.deepEqual(await undeclaredColumnsNotes(policy, dir, viewSources(policy)), []);
    const report = await planFromState(policy, dir, join(dir, 'state'));
    assert.equal(report.plan.notes, undefined);
    assert.ok(!formatPlan(report).includes('never loaded'), formatPlan(report));
  });
});
