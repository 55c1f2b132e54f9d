/**
 * Dissolving an experiment deletes, with its derived artefacts, the outputs its analysts submitted
 * for review (flagged originals derived from its data): a reviewer cannot read them afterwards,
 * and its requests are served without their preview or cell code. The requests and decisions
 * stay as the record; the deletion is audited with its count. A request still pending takes no
 * decision or comment afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, outputContentHash, type NotebookOutput } from '@privet/core/review/index';
import { ServiceError } from '../../../gateway/src/audit/service-error.js';
import { ReviewService } from '../../../gateway/src/review/service.js';
import type { Db } from '../../../gateway/src/audit/sqlite.js';
import { approvedExperiment, demoPolicy, makeEnv, who } from './fixture.js';

/** A review_requests row as stored. */
function storedRow(db: Db, id: string): { redacted_preview: string; context: string } {
  return db
    .prepare<[string], { redacted_preview: string; context: string }>(
      'SELECT * FROM review_requests WHERE id = ?',
    )
    .get(id)!;
}

const table: NotebookOutput = {
  output_type: 'stream',
  name: 'stdout',
  text: 'diagnosis  patients\nflu        1200\nrare-x     2\n',
};

test('dissolution deletes the outputs submitted for review with the artefacts', async () => {
  const policy = demoPolicy(undefined, 0);
  const env = makeEnv(policy);
  try {
    const reviews = new ReviewService({ audit: env.audit, policy });
    approvedExperiment(env, 'e1');
    const alice = who(policy, 'alice');
    const rita = who(policy, 'rita');
    const result = checkOutput(table, { mode: 'export' });
    assert.notEqual(result.verdict, 'pass', 'the small count is flagged');
    const request = await reviews.submit(
      alice,
      {
        experiment: 'e1',
        justification: 'a staffing table',
        cellSource: 'print(table)',
        viewsUsed: [],
      },
      { contentHash: await outputContentHash(table), result, rawValue: false },
      JSON.stringify(table),
    );
    const other: NotebookOutput = { ...table, text: `${table.text}rare-y     1\n` };
    const otherResult = checkOutput(other, { mode: 'export' });
    const decided = await reviews.submit(
      alice,
      {
        experiment: 'e1',
        justification: 'a second table',
        cellSource: 'print(table)',
        viewsUsed: [],
      },
      { contentHash: await outputContentHash(other), result: otherResult, rawValue: false },
      JSON.stringify(other),
    );
    reviews.decide(who(policy, 'raj'), decided.id, { decision: 'reject', comment: 'small counts' });
    assert.equal(reviews.output(rita, request.id).output.output_type, 'stream');
    assert.match(reviews.get(rita, request.id).redactedPreview, /rare-x/);

    await env.experiments.dissolve(alice, 'e1'); // retention 0 days: purged at once

    assert.throws(
      () => reviews.output(rita, request.id),
      (err: unknown) =>
        err instanceof ServiceError &&
        err.reason === 'review.output-deleted' &&
        /deleted with the derived artefacts of experiment "e1"/.test(err.message),
    );
    const stored = env.db
      .prepare<[string], { n: number }>(
        'SELECT count(*) AS n FROM review_outputs WHERE request_id = ?',
      )
      .get(request.id);
    assert.equal(stored?.n, 0, 'the original is gone from the database');
    const after = reviews.get(rita, request.id);
    assert.equal(after.redactedPreview, '');
    assert.equal(after.cellSource, undefined);
    assert.equal(after.justification, 'a staffing table', 'the request itself stays');
    // Gone from the database too, not only from answers: the decided request as well.
    for (const id of [request.id, decided.id]) {
      const row = storedRow(env.db, id);
      assert.equal(row.redacted_preview, '');
      assert.equal(JSON.parse(row.context).cellSource, undefined);
      assert.doesNotMatch(JSON.stringify(row), /rare-x|print\(table/);
    }
    assert.equal(reviews.get(rita, decided.id).state, 'rejected', 'the decision stays');
    // The pending request takes no decision and no comment any more: its output is gone.
    const dissolved = (err: unknown): boolean =>
      err instanceof ServiceError &&
      err.reason === 'review.experiment-dissolved' &&
      /experiment "e1", which was dissolved/.test(err.message);
    assert.throws(
      () => reviews.decide(who(policy, 'raj'), request.id, { decision: 'approve' }),
      dissolved,
    );
    assert.throws(() => reviews.comment(alice, request.id, 'ward 7 is Zoe'), dissolved);
    assert.throws(() => reviews.comment(rita, request.id, 'noted'), dissolved);
    assert.equal(reviews.get(rita, request.id).state, 'pending');
    assert.deepEqual(reviews.get(rita, request.id).comments ?? [], []);
    const purged = env.audit.entries().find((e) => e.action === 'experiment.artefacts_deleted');
    assert.equal(purged?.details['reviewOutputs'], 2);
    assert.equal(purged?.details['reviewPreviews'], 2);
    // The purge is the only change a decided request allows.
    assert.throws(
      () =>
        env.db
          .prepare(
            "UPDATE review_requests SET state = 'approved', redacted_preview = '' WHERE id = ?",
          )
          .run(decided.id),
      /a decided review request cannot change/,
    );
  } finally {
    env.close();
  }
});

test('a database from an older gateway: its trigger is upgraded and already purged experiments are blanked', async () => {
  const policy = demoPolicy(undefined, 30);
  const env = makeEnv(policy);
  try {
    const reviews = new ReviewService({ audit: env.audit, policy });
    approvedExperiment(env, 'old');
    const request = await reviews.submit(
      who(policy, 'alice'),
      { experiment: 'old', justification: 'a table', cellSource: 'print(table)', viewsUsed: [] },
      {
        contentHash: await outputContentHash(table),
        result: checkOutput(table, { mode: 'export' }),
        rawValue: false,
      },
      JSON.stringify(table),
    );
    reviews.decide(who(policy, 'raj'), request.id, { decision: 'reject', comment: 'small counts' });
    // What an older gateway left: its trigger, and a purge that deleted only the output.
    env.db.exec(`DROP TRIGGER review_decided_is_final;
      CREATE TRIGGER review_decided_is_final BEFORE UPDATE ON review_requests
      WHEN OLD.state <> 'pending'
      BEGIN SELECT RAISE(ABORT, 'a decided review request cannot change'); END;`);
    env.db
      .prepare('UPDATE experiments SET artefacts_deleted_at = ? WHERE id = ?')
      .run('2026-01-01T00:00:00.000Z', 'old');
    assert.match(storedRow(env.db, request.id).redacted_preview, /rare-x/);

    new ReviewService({ audit: env.audit, policy }); // the next start
    const row = storedRow(env.db, request.id);
    assert.equal(row.redacted_preview, '');
    assert.equal(JSON.parse(row.context).cellSource, undefined);
    assert.equal(reviews.get(who(policy, 'rita'), request.id).state, 'rejected');
  } finally {
    env.close();
  }
});
