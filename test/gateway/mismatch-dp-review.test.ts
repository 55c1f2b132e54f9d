/**
 * The two paths 49c662d left: a real DP query refused for its SQL, and the review requests of an
 * experiment (get, decide, comment, output). On a row changed outside the gateway each answers a
 * caller who may not see the experiment exactly as for an id that does not exist, and leaves one
 * audit entry naming the changed row, who asked and the service ('dp', 'review'); those who may see
 * the experiment are told the row was changed, with how to fix it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError, ReviewRequest } from '@privet/core';
import type { AuditEntry } from '@privet/core/record/index';
import { HttpError } from '../../gateway/src/http/errors.js';
import {
  EXPERIMENT,
  smallCellTable,
  startReviewGateway,
  type ReviewGateway,
  type User,
} from './review/fixture.js';

let g: ReviewGateway;
/** A pending review request of EXPERIMENT (submitted by ana before the row was changed). */
let reviewId: string;
const UNKNOWN_REVIEW = 'rev-00000000-0000-4000-8000-000000000000';

before(async () => {
  g = await startReviewGateway();
  const submitted = await g.call('POST', '/reviews', 'ana', {
    experiment: EXPERIMENT,
    output: smallCellTable(2),
    justification: 'two sites only',
  });
  assert.equal(submitted.status, 201, await submitted.clone().text());
  reviewId = ((await submitted.json()) as ReviewRequest).id;
  // Edited in the database file, outside the gateway (ana and ria stay its members).
  g.gateway.services.db
    .prepare(`UPDATE experiments SET purpose = 'widened' WHERE id = ?`)
    .run(EXPERIMENT);
});
after(async () => g.stop());

/** Audit entries appended while `act` ran. */
async function entriesDuring(act: () => Promise<unknown>): Promise<AuditEntry[]> {
  const { audit } = g.gateway.services;
  const from = audit.head()!.seq + 1;
  await act();
  return audit.entries({ fromSeq: from, limit: 10_000 });
}

/** The response body with `id` written as ID (to compare answers for two ids). */
async function bodyOf(response: Response, id: string): Promise<unknown> {
  const body = (await response.json()) as ApiError;
  return JSON.parse(JSON.stringify(body).replaceAll(id, 'ID'));
}

/** The one record-mismatch entry among `entries`. */
function oneMismatch(entries: AuditEntry[], what: string): AuditEntry {
  const recorded = entries.filter((e) => e.details['reason'] === 'experiment.record-mismatch');
  assert.equal(recorded.length, 1, `${what}: ${JSON.stringify(entries)}`);
  assert.doesNotMatch(JSON.stringify(recorded[0]), /widened/, what);
  return recorded[0]!;
}

/** Asserts a refusal of the changed row: 403, what happened and how to fix it, no row value. */
async function assertRecordRefusal(response: Response, what: string): Promise<void> {
  assert.equal(response.status, 403, what);
  const { error } = (await response.json()) as ApiError;
  assert.match(error.message, new RegExp(`experiment "${EXPERIMENT}" is refused: its row`), what);
  assert.match(error.fix, /privet audit verify/, what);
  assert.doesNotMatch(error.message + error.fix, /widened/, what);
}

describe('a real DP query refused for its SQL, on a changed row', () => {
  const badSql = (experiment: string, dryRun = false) => ({
    experiment,
    sql: 'SELECT name FROM people_dp WHERE',
    epsilon: '0.5',
    dryRun,
  });

  test('answers a non-member as for an unknown id, and records the changed row once (dp)', async () => {
    let changed!: Response;
    const entries = await entriesDuring(
      async () => (changed = await g.call('POST', '/dp/query', 'bob', badSql(EXPERIMENT))),
    );
    const unknown = await g.call('POST', '/dp/query', 'bob', badSql('no-such-exp'));
    assert.equal(changed.status, unknown.status);
    assert.deepEqual(await bodyOf(changed, EXPERIMENT), await bodyOf(unknown, 'no-such-exp'));
    const entry = oneMismatch(entries, 'dp');
    assert.equal(entries.length, 1, 'one entry, not a second for the SQL');
    assert.equal(entry.action, 'query.refused');
    assert.equal(entry.actor, 'bob');
    assert.equal(entry.experiment, null, 'not filed in a stranger’s record');
    assert.equal(entry.subject, 'dp-query');
    assert.equal(entry.details['service'], 'dp');
    assert.equal(entry.details['requested'], EXPERIMENT);
    assert.equal(entry.details['answered'], 'dp.refused');
    assert.equal(typeof entry.details['code'], 'string', 'the SQL refusal is kept with it');
  });

  test('tells a member the row was changed, filed under the experiment, once', async () => {
    let response!: Response;
    const entries = await entriesDuring(
      async () => (response = await g.call('POST', '/dp/query', 'ana', badSql(EXPERIMENT))),
    );
    await assertRecordRefusal(response, 'dp');
    const entry = oneMismatch(entries, 'dp');
    assert.equal(entries.length, 1);
    assert.equal(entry.experiment, EXPERIMENT);
    assert.equal(entry.details['service'], 'dp');
    assert.equal(entry.details['answered'], undefined);
  });

  test('a refused dry run stays free of entries, and answers as for an unknown id', async () => {
    let changed!: Response;
    const entries = await entriesDuring(
      async () => (changed = await g.call('POST', '/dp/query', 'bob', badSql(EXPERIMENT, true))),
    );
    const unknown = await g.call('POST', '/dp/query', 'bob', badSql('no-such-exp', true));
    assert.deepEqual(await bodyOf(changed, EXPERIMENT), await bodyOf(unknown, 'no-such-exp'));
    assert.deepEqual(entries, []);
  });
});

describe('review requests of a changed row', () => {
  type Probe = (id: string, user: User) => Promise<Response>;
  const bob = { user: 'bob', roles: ['analyst' as const] };
  /**
   * A decision asked of the service by a caller who may not see the experiment (over HTTP only
   * reviewers may decide, and they may see it), answered as the route would answer it.
   */
  const decideAsBob: Probe = async (id) => {
    try {
      g.gateway.services.reviews.decide(bob, id, { decision: 'reject', comment: 'no' });
    } catch (error) {
      if (error instanceof HttpError) return Response.json(error.body(), { status: error.status });
      throw error;
    }
    return Response.json({}, { status: 200 });
  };
  const decide: Probe = (id, user) =>
    g.call('POST', `/reviews/${id}/decision`, user, { decision: 'reject', comment: 'no' });
  const probes: [string, Probe][] = [
    ['get', (id, user) => g.call('GET', `/reviews/${id}`, user)],
    ['decide', decide],
    ['comment', (id, user) => g.call('POST', `/reviews/${id}/comments`, user, { text: 'hm' })],
  ];

  test('answer a non-member as for an unknown review id, and record the changed row once', async () => {
    const asBob: [string, Probe][] = probes.map(([what, probe]) => [
      what,
      what === 'decide' ? decideAsBob : probe,
    ]);
    for (const [what, probe] of asBob) {
      let changed!: Response;
      const entries = await entriesDuring(async () => (changed = await probe(reviewId, 'bob')));
      const unknown = await probe(UNKNOWN_REVIEW, 'bob');
      assert.equal(changed.status, unknown.status, `${what}: same status`);
      assert.equal(changed.status, 404, what);
      const a = await bodyOf(changed, reviewId);
      assert.deepEqual(a, await bodyOf(unknown, UNKNOWN_REVIEW), `${what}: same body`);
      assert.doesNotMatch(JSON.stringify(a), new RegExp(`${EXPERIMENT}|audit verify`), what);
      const entry = oneMismatch(entries, what);
      assert.equal(entries.length, 1, `${what}: one entry`);
      assert.equal(entry.action, 'access.refused', what);
      assert.equal(entry.actor, 'bob', what);
      assert.equal(entry.experiment, null, `${what}: not filed in a stranger’s record`);
      assert.equal(entry.details['service'], 'review', what);
      assert.equal(entry.details['requested'], EXPERIMENT, what);
      assert.equal(entry.details['answered'], 'review.unknown', what);
      assert.equal(entry.details['attempted'], what);
    }
  });

  test('tell those who may see the experiment the row was changed, audited once', async () => {
    const cases: [string, Probe, User][] = [
      ['get', probes[0]![1], 'ana'],
      ['comment', probes[2]![1], 'ana'],
      ['get (reviewer)', probes[0]![1], 'rev'],
      ['decide (reviewer)', decide, 'rev'],
      ['decide (reviewer and member)', decide, 'ria'],
      ['output (reviewer)', (id, user) => g.call('GET', `/reviews/${id}/output`, user), 'rev'],
    ];
    for (const [what, probe, user] of cases) {
      let response!: Response;
      const entries = await entriesDuring(async () => (response = await probe(reviewId, user)));
      await assertRecordRefusal(response, what);
      const entry = oneMismatch(entries, what);
      assert.equal(entries.length, 1, `${what}: one entry`);
      assert.equal(entry.actor, user, what);
      assert.equal(entry.experiment, EXPERIMENT, what);
      assert.equal(entry.details['service'], 'review', what);
      assert.equal(entry.details['answered'], undefined, what);
    }
  });

  test('nothing was decided or commented on', () => {
    const row = g.gateway.services.db
      .prepare<[string], { state: string }>('SELECT state FROM review_requests WHERE id = ?')
      .get(reviewId);
    assert.equal(row?.state, 'pending');
    const comments = g.gateway.services.db
      .prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM review_comments WHERE request_id = ?',
      )
      .get(reviewId);
    assert.equal(comments?.n, 0);
  });
});
