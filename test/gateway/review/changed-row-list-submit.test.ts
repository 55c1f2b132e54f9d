/**
 * Listing review requests and submitting one (after admission) on an experiment row changed
 * outside the gateway: both stay refused (fail closed), and now leave one audit entry naming the
 * changed row, who asked, the service ('review') and what was attempted, as every other service's
 * refusal of a changed row does. Those who may see the experiment are told the row was changed; a
 * submission by someone who may not is answered as admission answers a stranger.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError, ListReviewsResponse, ReviewRequest } from '@privet/core';
import type { AuditEntry } from '@privet/core/record/index';
import { ServiceError } from '../../../gateway/src/audit/service-error.js';
import type { SubmitCheck } from '../../../gateway/src/review/submit-check.js';
import { EXPERIMENT, smallCellTable, startReviewGateway, type ReviewGateway } from './fixture.js';

let g: ReviewGateway;

before(async () => {
  g = await startReviewGateway();
  const submitted = await g.call('POST', '/reviews', 'ana', {
    experiment: EXPERIMENT,
    output: smallCellTable(2),
    justification: 'two sites only',
  });
  assert.equal(submitted.status, 201, await submitted.clone().text());
  assert.ok(((await submitted.json()) as ReviewRequest).id);
  // Edited in the database file, outside the gateway (ana and ria stay its members).
  g.gateway.services.db
    .prepare(`UPDATE experiments SET purpose = 'widened' WHERE id = ?`)
    .run(EXPERIMENT);
});
after(async () => g.stop());

/** Audit entries appended while `act` ran. */
async function entriesDuring(act: () => Promise<unknown> | unknown): Promise<AuditEntry[]> {
  const { audit } = g.gateway.services;
  const from = audit.head()!.seq + 1;
  await act();
  return audit.entries({ fromSeq: from, limit: 10_000 });
}

/** The one entry of `entries`: the refusal of the changed row, by `user`, for `attempted`. */
function oneRefusal(entries: AuditEntry[], user: string, what: string): AuditEntry {
  assert.equal(entries.length, 1, `${what}: ${JSON.stringify(entries)}`);
  const [entry] = entries;
  assert.equal(entry!.action, 'access.refused', what);
  assert.equal(entry!.actor, user, what);
  assert.equal(entry!.details['reason'], 'experiment.record-mismatch', what);
  assert.equal(entry!.details['service'], 'review', what);
  assert.equal(entry!.details['requested'], EXPERIMENT, what);
  assert.doesNotMatch(JSON.stringify(entry), /widened/, what);
  return entry!;
}

/** A record refusal answered over HTTP: 403, what happened and how to fix it, no row value. */
async function assertRecordRefusal(response: Response, what: string): Promise<void> {
  assert.equal(response.status, 403, what);
  const { error } = (await response.json()) as ApiError;
  assert.match(error.message, new RegExp(`experiment "${EXPERIMENT}" is refused: its row`), what);
  assert.match(error.fix, /privet audit verify/, what);
  assert.doesNotMatch(error.message + error.fix, /widened/, what);
}

describe('listing review requests of a changed row', () => {
  test('refuses those who would list them, with one audit entry each', async () => {
    for (const user of ['ana', 'rev', 'ria', 'stu'] as const) {
      for (const query of ['', `?experiment=${EXPERIMENT}`]) {
        const what = `${user} lists${query}`;
        let response!: Response;
        const entries = await entriesDuring(
          async () => (response = await g.call('GET', `/reviews${query}`, user)),
        );
        await assertRecordRefusal(response, what);
        const entry = oneRefusal(entries, user, what);
        assert.equal(entry.experiment, EXPERIMENT, what);
        assert.equal(entry.details['attempted'], 'list', what);
        assert.equal(entry.details['answered'], undefined, what);
      }
    }
  });

  test('lists nothing of it to an analyst outside it, and records nothing', async () => {
    let response!: Response;
    const entries = await entriesDuring(
      async () => (response = await g.call('GET', '/reviews', 'bob')),
    );
    assert.equal(response.status, 200);
    assert.deepEqual(((await response.json()) as ListReviewsResponse).reviews, []);
    assert.deepEqual(entries, []);
  });
});

describe('submitting a review request for a changed row', () => {
  const input = { experiment: EXPERIMENT, justification: 'two sites only' };
  /** What the output check found (the refusal comes before any of it is used). */
  const checked: SubmitCheck = {
    contentHash: 'c'.repeat(64),
    result: { verdict: 'flag', findings: [], redactedPreview: '' },
    rawValue: false,
  };
  const outputJson = JSON.stringify(smallCellTable(3));
  const pending = () =>
    g.gateway.services.db
      .prepare<[], { n: number }>('SELECT count(*) AS n FROM review_requests')
      .get()!.n;

  test('after admission, tells a member the row was changed, with one audit entry', async () => {
    const before = pending();
    let refused: unknown;
    const entries = await entriesDuring(() =>
      g.gateway.services.reviews
        .submit({ user: 'ana', roles: ['analyst'] }, input, checked, outputJson)
        .catch((e: unknown) => (refused = e)),
    );
    assert.ok(refused instanceof ServiceError, String(refused));
    assert.equal(refused.reason, 'experiment.record-mismatch');
    assert.match(refused.message, new RegExp(`experiment "${EXPERIMENT}" is refused: its row`));
    const entry = oneRefusal(entries, 'ana', 'submit');
    assert.equal(entry.experiment, EXPERIMENT);
    assert.equal(entry.details['attempted'], 'submit');
    assert.equal(pending(), before, 'nothing was submitted');
  });

  test('after admission, answers a stranger as admission does, with one audit entry', async () => {
    let refused: unknown;
    const entries = await entriesDuring(() =>
      g.gateway.services.reviews
        .submit({ user: 'bob', roles: ['analyst'] }, input, checked, outputJson)
        .catch((e: unknown) => (refused = e)),
    );
    assert.ok(refused instanceof ServiceError, String(refused));
    assert.equal(refused.reason, 'experiment.unknown');
    assert.equal(refused.message, `bob is not a member of any experiment "${EXPERIMENT}"`);
    const entry = oneRefusal(entries, 'bob', 'submit (stranger)');
    assert.equal(entry.experiment, null, 'not filed in a stranger’s record');
    assert.equal(entry.details['answered'], 'experiment.unknown');
  });

  test('over HTTP, admission refuses it with one audit entry (not two)', async () => {
    let response!: Response;
    const entries = await entriesDuring(
      async () =>
        (response = await g.call('POST', '/reviews', 'ana', {
          ...input,
          output: smallCellTable(4),
        })),
    );
    await assertRecordRefusal(response, 'POST /reviews');
    oneRefusal(entries, 'ana', 'POST /reviews');
  });
});
