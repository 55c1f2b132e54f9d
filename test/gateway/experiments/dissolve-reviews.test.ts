/**
 * Dissolving an experiment deletes, with its derived artefacts, the outputs its analysts submitted
 * for review (flagged originals derived from its data): a reviewer cannot read them afterwards,
 * and its requests are served without their preview or cell code. The requests and decisions
 * stay as the record; the deletion is audited with its count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, outputContentHash, type NotebookOutput } from '@privet/core/review/index';
import { ServiceError } from '../../../gateway/src/audit/service-error.js';
import { ReviewService } from '../../../gateway/src/review/service.js';
import { approvedExperiment, demoPolicy, makeEnv, who } from './fixture.js';

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
    const purged = env.audit.entries().find((e) => e.action === 'experiment.artefacts_deleted');
    assert.equal(purged?.details['reviewOutputs'], 1);
  } finally {
    env.close();
  }
});
