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
import { PURGED_TEXT } from '../../../gateway/src/review/schema.js';
import { recordHashSync } from '../../../gateway/src/experiments/seal.js';
import { loadExperiments } from '../../../gateway/src/experiments/store.js';
import type { Db } from '../../../gateway/src/audit/sqlite.js';
import { approvedExperiment, demoPolicy, makeEnv, who } from './fixture.js';

/** A request's findings as stored. */
function storedFindings(db: Db, id: string): unknown {
  const row = db
    .prepare<[string], { findings: string }>('SELECT findings FROM review_requests WHERE id = ?')
    .get(id);
  return JSON.parse(row?.findings ?? 'null');
}

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
    // Findings quote output labels (a column "patients"): their messages go, rules and counts stay;
    // so do the comments' texts (a reviewer quoting the output), their authors and times staying.
    for (const [id, n] of [
      [request.id, 1],
      [decided.id, 2],
    ] as const) {
      const findings = reviews.get(rita, id).findings;
      assert.deepEqual(
        findings.map((f) => [f.rule, f.severity, f.message]),
        Array.from({ length: n }, () => ['small-cell', 'flag', PURGED_TEXT]),
      );
      assert.doesNotMatch(JSON.stringify(storedFindings(env.db, id)), /patients/);
    }
    const comments = reviews.get(rita, decided.id).comments ?? [];
    assert.deepEqual(
      comments.map((c) => [c.author, c.text]),
      [['raj', PURGED_TEXT]],
    );
    assert.doesNotMatch(
      JSON.stringify(env.db.prepare('SELECT * FROM review_comments').all()),
      /small counts/,
    );
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
    assert.equal(purged?.details['reviewFindings'], 3);
    assert.equal(purged?.details['reviewComments'], 1);
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

/** Finality triggers older gateways made: none allowed a purge; the next allowed all but the findings. */
const OLD_TRIGGERS: [string, string][] = [
  ['without any purge', `WHEN OLD.state <> 'pending'`],
  [
    'purging previews and cell code only',
    `WHEN OLD.state <> 'pending' AND NOT (NEW.redacted_preview = '' AND NEW.context IS json_remove(OLD.context, '$.cellSource')
      AND NEW.id IS OLD.id AND NEW.experiment IS OLD.experiment AND NEW.requester IS OLD.requester
      AND NEW.state IS OLD.state AND NEW.content_hash IS OLD.content_hash
      AND NEW.verdict IS OLD.verdict AND NEW.findings IS OLD.findings
      AND NEW.justification IS OLD.justification AND NEW.created_at IS OLD.created_at
      AND NEW.updated_at IS OLD.updated_at AND NEW.decided_by IS OLD.decided_by
      AND NEW.decided_at IS OLD.decided_at)`,
  ],
];

for (const [label, when] of OLD_TRIGGERS) {
  test(`a database from an older gateway (trigger ${label}): its trigger is upgraded and already purged experiments are blanked`, async () => {
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
      reviews.decide(who(policy, 'raj'), request.id, {
        decision: 'reject',
        comment: 'small counts',
      });
      // What an older gateway left: its trigger, and a purge that deleted only the output.
      env.db.exec(`DROP TRIGGER review_decided_is_final;
        CREATE TRIGGER review_decided_is_final BEFORE UPDATE ON review_requests
        ${when}
        BEGIN SELECT RAISE(ABORT, 'a decided review request cannot change'); END;`);
      env.db
        .prepare('UPDATE experiments SET artefacts_deleted_at = ? WHERE id = ?')
        .run('2026-01-01T00:00:00.000Z', 'old');
      // Its purge entry, which this test stands in for, recorded the row as it then stood.
      const purgedRow = loadExperiments(env.db).find((e) => e.id === 'old')!;
      env.audit.append({
        actor: 'gateway',
        action: 'experiment.record-sealed',
        experiment: 'old',
        details: { recordHash: recordHashSync(purgedRow) },
      });
      assert.match(storedRow(env.db, request.id).redacted_preview, /rare-x/);

      new ReviewService({ audit: env.audit, policy }); // the next start
      const row = storedRow(env.db, request.id);
      assert.equal(row.redacted_preview, '');
      assert.equal(JSON.parse(row.context).cellSource, undefined);
      assert.doesNotMatch(JSON.stringify(storedFindings(env.db, request.id)), /patients/);
      const after = reviews.get(who(policy, 'rita'), request.id);
      assert.equal(after.state, 'rejected');
      assert.deepEqual(
        after.findings.map((f) => [f.rule, f.message]),
        [['small-cell', PURGED_TEXT]],
      );
      assert.deepEqual(
        (after.comments ?? []).map((c) => [c.author, c.text]),
        [['raj', PURGED_TEXT]],
      );
      assert.throws(
        () =>
          env.db.prepare("UPDATE review_requests SET findings = '[]' WHERE id = ?").run(request.id),
        /a decided review request cannot change/,
        'the upgraded trigger allows only the purge',
      );
    } finally {
      env.close();
    }
  });
}
