import { releaseDigest } from '@privet/core/review/index';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ApiError,
  AuditResponse,
  ListReviewsResponse,
  ReviewOutputResponse,
  ReviewRequest,
  ReviewStatusResponse,
  VerifyReleasesResponse,
} from '@privet/core';
import {
  DP_RELEASE_MIME,
  approvalHash,
  outputContentHash,
  type NotebookOutput,
} from '@privet/core/review/index';
import { LeakIndex } from '../../../gateway/src/leak/leak-index.js';
import { OutputCheckWorker } from '../../../gateway/src/leak/output-worker.js';
import { LeakService } from '../../../gateway/src/leak/service.js';
import {
  EXPERIMENT,
  PASSING,
  PEOPLE,
  emailOutput,
  smallCellTable,
  spendCountQuery,
  startReviewGateway,
  type ReviewGateway,
} from './fixture.js';

let g: ReviewGateway;
before(async () => {
  g = await startReviewGateway();
});
after(async () => g.stop());

async function submit(
  output: unknown,
  user: 'ana' | 'ria' | 'bob' | 'rev' = 'ana',
): Promise<Response> {
  return g.call('POST', '/reviews', user, {
    experiment: EXPERIMENT,
    output,
    justification: 'aggregate table for the report',
    cellIndex: 2,
    outputIndex: 0,
    cellSource: 'df.groupby("city").size()',
    viewsUsed: ['people_masked'],
  });
}

async function errorOf(res: Response): Promise<ApiError['error']> {
  return ((await res.json()) as ApiError).error;
}

describe('submitting outputs', () => {
  test('the gateway re-checks the output itself and stores a pending request without the output', async () => {
    const res = await submit(smallCellTable(3));
    assert.equal(res.status, 201);
    const r = (await res.json()) as ReviewRequest & { output?: unknown };
    assert.equal(r.state, 'pending');
    assert.equal(r.verdict, 'flag');
    assert.deepEqual([...new Set(r.findings.map((f) => f.rule))], ['small-cell']);
    assert.equal(r.requester, 'ana');
    assert.equal(r.experimentPurpose, 'Compare incomes across cities');
    assert.equal(r.contentHash, await outputContentHash(smallCellTable(3) as NotebookOutput));
    assert.deepEqual(r.viewsUsed, ['people_masked']);
    assert.equal(r.output, undefined);
    // The redacted preview still shows the small counts that held it: reviewers see it, the
    // analysts of the experiment (whose screens withhold the output) do not.
    assert.equal(r.redactedPreview, '', 'not in the submitter’s answer');
    const asAnalyst = (await (
      await g.call('GET', `/reviews/${r.id}`, 'ana')
    ).json()) as ReviewRequest;
    assert.equal(asAnalyst.redactedPreview, '');
    const listed = (await (await g.call('GET', '/reviews', 'ana')).json()) as {
      reviews: ReviewRequest[];
    };
    assert.ok(listed.reviews.every((x) => x.redactedPreview === ''));
    const asReviewer = (await (
      await g.call('GET', `/reviews/${r.id}`, 'rev')
    ).json()) as ReviewRequest;
    assert.match(asReviewer.redactedPreview, /3/);
  });
  test('a passing output needs no review; the same content cannot be submitted twice', async () => {
    const pass = await submit(PASSING);
    assert.equal(pass.status, 409);
    assert.match((await errorOf(pass)).message, /passes/);
    const again = await submit(smallCellTable(3));
    assert.equal(again.status, 409);
    assert.match((await errorOf(again)).message, /already has review request rev-/);
  });
  test('an output holding a raw identifier value is refused: no approval would let it leave', async () => {
    const name = PEOPLE[7]!.name;
    const table = smallCellTable(2);
    table.data['text/html'] = table.data['text/html']!.replace('Lyon', name);
    const refused = await submit(table);
    assert.equal(refused.status, 409);
    const e = await errorOf(refused);
    assert.match(e.message, /raw identifier column .* no approval lets such an output leave/);
    assert.match(e.fix, /leave the value out/);
    assert.ok(!JSON.stringify(e).includes(name));
    // Split over two writes of one stream: the later write is read after the earlier one.
    const res = await g.call('POST', '/reviews', 'ana', {
      experiment: EXPERIMENT,
      output: { output_type: 'stream', name: 'stdout', text: `${name.slice(4)} 3\n` },
      streamContext: `top: ${name.slice(0, 4)}`,
      justification: 'x',
    });
    assert.equal(res.status, 409);
    assert.match((await errorOf(res)).message, /raw identifier column/);
    const { entries } = (await (await g.call('GET', '/audit', 'stu')).json()) as AuditResponse;
    assert.ok(entries.some((en) => en.details.reason === 'review.raw-value'));
    assert.ok(!JSON.stringify(entries).includes(name));
  });
  test('the body is parsed and checked in the output-check worker; a DP release counts only as the ledger released it', async (t) => {
    const opened = t.mock.method(OutputCheckWorker.prototype, 'open');
    const inWorker = t.mock.method(OutputCheckWorker.prototype, 'checkOpenedReview');
    const mainThreadLookups = t.mock.method(LeakIndex.prototype, 'matches');
    const release = await spendCountQuery(g);
    const dp = (value: unknown) => ({
      output_type: 'display_data',
      data: { [DP_RELEASE_MIME]: value },
      metadata: {},
    });
    // The released numbers pass the export check (the ledger vouches for them): no review needed.
    const released = await submit(dp(release));
    assert.equal(released.status, 409);
    assert.match((await errorOf(released)).message, /passes the export check/);
    // Its id on other numbers is an imitation: held for review under dp-provenance.
    const forged = await submit(
      dp({ ...release, rows: [{ keys: {}, values: { n: { value: 2, interval: [1, 3] } } }] }),
    );
    assert.equal(forged.status, 201);
    const r = (await forged.json()) as ReviewRequest;
    assert.ok(r.findings.some((f) => f.rule === 'dp-provenance'));
    assert.equal(opened.mock.callCount(), 2, 'each body parsed in the worker');
    assert.equal(inWorker.mock.callCount(), 2, 'each submission checked in the worker');
    assert.equal(mainThreadLookups.mock.callCount(), 0, 'no lookup on the event loop');
  });
  test('a stream part is checked after the earlier parts of its stream that it continues', async () => {
    // Progress on stderr split a printed table: this part holds only its small-count row.
    const part = { output_type: 'stream', name: 'stdout', text: 'Oakdale 3\n' };
    const alone = await submit(part);
    assert.equal(alone.status, 409, 'alone it is no table, and passes');
    const body = (streamContext: string, output: unknown = part): Record<string, unknown> => ({
      experiment: EXPERIMENT,
      output,
      justification: 'ward sizes are published yearly',
      streamContext,
    });
    const res = await g.call('POST', '/reviews', 'ana', body('city count\nRiverton 250\n'));
    assert.equal(res.status, 201);
    const r = (await res.json()) as ReviewRequest;
    assert.deepEqual([...new Set(r.findings.map((f) => f.rule))], ['small-cell']);
    // The approval covers the part after the parts it continues (approvalHash), not the part alone.
    assert.equal(
      r.contentHash,
      await approvalHash(part as NotebookOutput, 'city count\nRiverton 250\n'),
    );
    assert.notEqual(r.contentHash, await outputContentHash(part as NotebookOutput));
    const notStream = await g.call('POST', '/reviews', 'ana', body('city count\n', PASSING));
    assert.equal(notStream.status, 400);
    assert.match((await errorOf(notStream)).message, /streamContext.*not a stream/);
  });
  test('only analysts who are members of the experiment submit', async (t) => {
    const spent = t.mock.method(LeakService.prototype, 'spend');
    const checked = t.mock.method(OutputCheckWorker.prototype, 'checkOpenedReview');
    // An outsider gets the answer an unknown id gets: nothing says the experiment exists.
    const outsider = await submit(smallCellTable(4), 'bob');
    assert.equal(outsider.status, 404);
    const e = await errorOf(outsider);
    assert.match(e.message, /not a member/);
    assert.ok(e.fix.length > 0);
    assert.equal((await submit(smallCellTable(4), 'rev')).status, 403);
    // Refused before the output is checked against the raw data or any lookup is spent.
    assert.equal(checked.mock.callCount(), 0, 'no raw-value check for a refused submitter');
    assert.equal(spent.mock.callCount(), 0, 'no lookup spent for a refused submitter');
    const noJustification = await g.call('POST', '/reviews', 'ana', {
      experiment: EXPERIMENT,
      output: smallCellTable(4),
      justification: ' ',
    });
    assert.equal(noJustification.status, 400);
    const notAnOutput = await g.call('POST', '/reviews', 'ana', {
      experiment: EXPERIMENT,
      output: { output_type: 'weird' },
      justification: 'x',
    });
    assert.equal(notAnOutput.status, 400);
  });
});

describe('the reviewer queue and decisions', () => {
  test('analysts see their experiments’ requests, reviewers see the queue, outsiders nothing', async () => {
    const mine = (await (await g.call('GET', '/reviews', 'ana')).json()) as ListReviewsResponse;
    assert.ok(mine.reviews.length >= 1);
    const outsider = (await (await g.call('GET', '/reviews', 'bob')).json()) as ListReviewsResponse;
    assert.equal(outsider.reviews.length, 0);
    const queue = (await (
      await g.call('GET', '/reviews?state=pending', 'rev')
    ).json()) as ListReviewsResponse;
    assert.ok(queue.reviews.every((r) => r.state === 'pending') && queue.reviews.length >= 1);
    const id = queue.reviews[0]!.id;
    assert.equal((await g.call('GET', `/reviews/${id}`, 'bob')).status, 404);
    assert.equal((await g.call('GET', '/reviews?state=bogus', 'rev')).status, 400);
  });
  test('reviewers read the original output; analysts cannot', async () => {
    const r = (await (await submit(smallCellTable(5))).json()) as ReviewRequest;
    assert.equal((await g.call('GET', `/reviews/${r.id}/output`, 'ana')).status, 403);
    const res = await g.call('GET', `/reviews/${r.id}/output`, 'rev');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as ReviewOutputResponse;
    assert.deepEqual(body, { id: r.id, contentHash: r.contentHash, output: smallCellTable(5) });
  });
  test('four eyes: the requester never decides, nor a reviewer inside the experiment, nor an analyst', async () => {
    const byRia = (await (await submit(smallCellTable(6), 'ria')).json()) as ReviewRequest;
    assert.equal(byRia.requester, 'ria');
    const own = await g.call('POST', `/reviews/${byRia.id}/decision`, 'ria', {
      decision: 'approve',
    });
    assert.equal(own.status, 403);
    assert.match((await errorOf(own)).message, /four-eyes/);
    const byAna = (await (await submit(smallCellTable(7))).json()) as ReviewRequest;
    const member = await g.call('POST', `/reviews/${byAna.id}/decision`, 'ria', {
      decision: 'approve',
    });
    assert.equal(member.status, 403);
    assert.match((await errorOf(member)).message, /four-eyes/);
    const analyst = await g.call('POST', `/reviews/${byAna.id}/decision`, 'ana', {
      decision: 'approve',
    });
    assert.equal(analyst.status, 403);
    const steward = await g.call('POST', `/reviews/${byAna.id}/decision`, 'stu', {
      decision: 'approve',
    });
    assert.equal(steward.status, 403);
    const ok = await g.call('POST', `/reviews/${byAna.id}/decision`, 'rev', {
      decision: 'approve',
    });
    assert.equal(ok.status, 200);
    const decided = (await ok.json()) as ReviewRequest;
    assert.equal(decided.state, 'approved');
    assert.equal(decided.decidedBy, 'rev');
    assert.ok(decided.decidedAt);
  });
  test('reject and request_changes need a comment; a decided request is final', async () => {
    const a = (await (await submit(smallCellTable(8))).json()) as ReviewRequest;
    const bare = await g.call('POST', `/reviews/${a.id}/decision`, 'rev', { decision: 'reject' });
    assert.equal(bare.status, 400);
    const changes = await g.call('POST', `/reviews/${a.id}/decision`, 'rev', {
      decision: 'request_changes',
      comment: 'round the counts to 5',
    });
    assert.equal(changes.status, 200);
    const r = (await changes.json()) as ReviewRequest;
    assert.equal(r.state, 'changes_requested');
    assert.deepEqual(
      r.comments.map((c) => [c.author, c.text]),
      [['rev', 'round the counts to 5']],
    );
    const again = await g.call('POST', `/reviews/${a.id}/decision`, 'rev', { decision: 'approve' });
    assert.equal(again.status, 409);
    const b = (await (await submit(smallCellTable(9))).json()) as ReviewRequest;
    const rejected = await g.call('POST', `/reviews/${b.id}/decision`, 'rev', {
      decision: 'reject',
      comment: 'identifies a person',
    });
    assert.equal(((await rejected.json()) as ReviewRequest).state, 'rejected');
  });
  test('approving a blocked output needs a comment', async () => {
    const r = (await (
      await submit(emailOutput('someone.else@example.com'))
    ).json()) as ReviewRequest;
    assert.equal(r.verdict, 'block');
    assert.ok(!r.redactedPreview.includes('someone.else@example.com'));
    const bare = await g.call('POST', `/reviews/${r.id}/decision`, 'rev', { decision: 'approve' });
    assert.equal(bare.status, 400);
    const ok = await g.call('POST', `/reviews/${r.id}/decision`, 'rev', {
      decision: 'approve',
      comment: 'a public helpdesk address',
    });
    assert.equal(((await ok.json()) as ReviewRequest).state, 'approved');
  });
  test('a preview that does not show the whole output: approved only by a reviewer who opened it', async () => {
    // A picture: the redacted preview cannot show it, so approving it unseen would release it blind.
    const picture = {
      output_type: 'display_data',
      data: { 'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk' },
      metadata: {},
    };
    const r = (await (await submit(picture)).json()) as ReviewRequest;
    assert.ok(r.findings.some((f) => f.rule === 'image'));
    const blind = await g.call('POST', `/reviews/${r.id}/decision`, 'rev', { decision: 'approve' });
    assert.equal(blind.status, 409);
    const err = await errorOf(blind);
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /have not opened the whole output/);
    assert.match(err.fix, new RegExp(`/reviews/${r.id}/output`));
    // Someone else's read does not count: the steward opens it, the reviewer still has not.
    assert.equal((await g.call('GET', `/reviews/${r.id}/output`, 'stu')).status, 200);
    const stillBlind = await g.call('POST', `/reviews/${r.id}/decision`, 'rev', {
      decision: 'approve',
    });
    assert.equal(stillBlind.status, 409);
    // Rejecting needs no read: it releases nothing.
    const other = (await (
      await submit({ ...picture, data: { 'image/png': `${picture.data['image/png']}AAAA` } })
    ).json()) as ReviewRequest;
    assert.ok(other.findings.some((f) => f.rule === 'image'));
    const rejected = await g.call('POST', `/reviews/${other.id}/decision`, 'rev', {
      decision: 'reject',
      comment: 'a picture of a record',
    });
    assert.equal(rejected.status, 200);
    assert.equal((await g.call('GET', `/reviews/${r.id}/output`, 'rev')).status, 200);
    const seen = await g.call('POST', `/reviews/${r.id}/decision`, 'rev', { decision: 'approve' });
    assert.equal(seen.status, 200);
    assert.equal(((await seen.json()) as ReviewRequest).state, 'approved');
  });
  test('comments from people who may see the request', async () => {
    const r = (await (await submit(smallCellTable(2))).json()) as ReviewRequest;
    const res = await g.call('POST', `/reviews/${r.id}/comments`, 'ana', {
      text: 'these are test sites',
    });
    assert.equal(res.status, 201);
    assert.equal(((await res.json()) as ReviewRequest).comments[0]?.text, 'these are test sites');
    assert.equal(
      (await g.call('POST', `/reviews/${r.id}/comments`, 'bob', { text: 'hi' })).status,
      404,
    );
  });
});

describe('content-hash binding', () => {
  test('an approval covers exactly the approved content; a changed output is not approved', async () => {
    const a = smallCellTable(1);
    const changed = smallCellTable(1);
    changed.data['text/html'] = changed.data['text/html']!.replace('Oslo', 'Lima');
    const req = (await (await submit(a)).json()) as ReviewRequest;
    await g.call('POST', `/reviews/${req.id}/decision`, 'rev', { decision: 'approve' });
    const hashA = await outputContentHash(a as NotebookOutput);
    const hashB = await outputContentHash(changed as NotebookOutput);
    assert.notEqual(hashA, hashB);
    // Metadata and execution counts are not content: a re-run with other metadata stays approved.
    const rerun = { ...a, metadata: { isolated: true } };
    const hashRerun = await outputContentHash(rerun as NotebookOutput);
    const res = await g.call('POST', '/reviews/status', 'ana', {
      experiment: EXPERIMENT,
      contentHashes: [hashA, hashB, hashRerun],
    });
    const { statuses } = (await res.json()) as ReviewStatusResponse;
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['approved', 'none', 'approved'],
    );
    assert.equal(statuses[0]?.reviewId, req.id);
    const approved = g.gateway.services.reviews.approvedIn(EXPERIMENT);
    assert.equal(approved.get(hashA), req.id);
    assert.equal(approved.get(hashB), undefined);
    assert.equal(g.gateway.services.reviews.approvedIn('other-exp').get(hashA), undefined);
    const outsider = await g.call('POST', '/reviews/status', 'bob', {
      experiment: EXPERIMENT,
      contentHashes: [hashA],
    });
    assert.equal(outsider.status, 404);
  });
});

describe('DP release ids and the audit log', () => {
  test('POST /releases/verify knows only releases the ledger committed, content included', async () => {
    const release = await spendCountQuery(g);
    const id = release.releaseId;
    assert.ok(typeof id === 'string' && id.length > 0);
    const digest = await releaseDigest(release);
    const forged = await releaseDigest({ ...release, rows: [] });
    const res = await g.call('POST', '/releases/verify', 'rev', {
      releases: [
        { id, digest },
        { id: 'rel-forged', digest },
        { id, digest: forged },
        { id, digest },
      ],
    });
    assert.deepEqual(((await res.json()) as VerifyReleasesResponse).valid, [{ id, digest }]);
    for (const body of [{ ids: [id] }, { releases: [{ id, digest: 'x' }] }, { releases: 'x' }])
      assert.equal((await g.call('POST', '/releases/verify', 'rev', body)).status, 400);
  });
  test('submissions, decisions and refusals are audited without raw values', async () => {
    const res = await g.call('GET', '/audit', 'stu');
    const { entries } = (await res.json()) as AuditResponse;
    const review = entries.filter((e) => e.action === 'review');
    const events = new Set(review.map((e) => String(e.details.event)));
    for (const ev of ['submitted', 'decided', 'refused', 'commented', 'output-read'])
      assert.ok(events.has(ev), `audit has a ${ev} entry`);
    const decided = review.find((e) => e.details.event === 'decided');
    assert.equal(decided?.actor, 'rev');
    assert.equal(decided?.experiment, EXPERIMENT);
    const text = JSON.stringify(review);
    assert.ok(!text.includes('someone.else@example.com'));
    assert.ok(!text.includes('these are test sites'));
    const verify = await g.call('GET', '/audit/verify', 'stu');
    assert.equal(((await verify.json()) as { ok: boolean }).ok, true);
  });
});
