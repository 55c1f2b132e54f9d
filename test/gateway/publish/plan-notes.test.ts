/**
 * GET /publish/plan carries the notes on source columns the policy does not declare (never loaded),
 * as `privet publish` prints them, so a steward sees them before confirming, not once a job has
 * started: the same text the job then carries, names only — never a value of such a column.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_PREFIX, type PublishJob, type PublishPlan } from '@privet/core';
import { startTestGateway, writePeople, type TestGateway } from '../http/fixture.js';
import { jobSnapshots } from '../synth/gateway-fixture.js';

/** A value of an undeclared column: it must never be sent. */
const SECRET = 'SECRET-PLAN-NOTE-9021';

/** The note for people.csv with the undeclared column `notes`. */
const PEOPLE_NOTE =
  'source `people`: 1 column in people.csv is not in the policy and is never loaded: `notes` — ' +
  'declare it under sources.people.columns to use it';

/** Rewrites people.csv in `dir` with an undeclared `notes` column holding SECRET values. */
function addPeopleNotes(dir: string): void {
  const csv = join(dir, 'people.csv');
  const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
  const lines = [`${header},notes`, ...rows.map((r, i) => `${r},${SECRET}-${i}`)];
  writeFileSync(csv, lines.join('\n') + '\n');
}

describe('the HTTP publish plan notes undeclared source columns', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  /** GET /publish/plan as the steward. */
  async function plan(): Promise<{ plan: PublishPlan; body: string }> {
    const res = await gw.call('GET', `${API_PREFIX}/publish/plan`, {
      token: gw.gateway.tokens['stu']!,
    });
    assert.equal(res.status, 200);
    const body = await res.text();
    return { plan: JSON.parse(body) as PublishPlan, body };
  }

  test('none without undeclared columns; with one, the note publish prints, before any job', async () => {
    writePeople(gw.dir);
    const clean = await plan();
    assert.ok(!('notes' in clean.plan), clean.body);

    addPeopleNotes(gw.dir);
    const noted = await plan();
    assert.deepEqual(noted.plan.notes, [PEOPLE_NOTE]);
    assert.ok(!noted.body.includes(SECRET), 'no value of an undeclared column is sent');
    // The plan is otherwise unchanged by the note.
    assert.deepEqual({ ...noted.plan, notes: undefined }, { ...clean.plan, notes: undefined });
  });

  test('the job that follows carries the same notes', async () => {
    addPeopleNotes(gw.dir);
    const { plan: planned } = await plan();
    const token = gw.gateway.tokens['stu']!;
    const started = await gw.call('POST', `${API_PREFIX}/publish/jobs`, { token });
    assert.equal(started.status, 202);
    const first = (await started.json()) as PublishJob;
    assert.deepEqual(first.notes, planned.notes);
    const seen = await jobSnapshots(
      async () =>
        (await (
          await gw.call('GET', `${API_PREFIX}/publish/jobs/${first.id}`, { token })
        ).json()) as PublishJob,
    );
    assert.equal(seen.at(-1)?.state, 'done', JSON.stringify(seen.at(-1)?.error));
    assert.deepEqual(seen.at(-1)?.notes, planned.notes);
  });
});
