/**
 * The VS Code extension's reviewer and export flows against the real review fixture gateway
 * (test/gateway/review/fixture.ts: ana analyst, rev reviewer): a withheld Privet SQL output goes
 * to the queue, a reviewer's decision (POST /reviews/:id/decision) approves exactly its content,
 * the approval is found by content hash (POST /reviews/status) so the held original is restored
 * and a re-run shows it, and "Export approved results" builds the POST /exports request from the
 * editor's cells and gets a signed bundle in which nothing unapproved is left.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  canonicalJson,
  type DisplayOutput,
  type JsonValue,
  type NotebookOutput,
} from '@privet/core';
import { join } from 'node:path';
import { loadPolicyFile } from '../../gateway/src/policy-file.js';
import { publishViews } from '../../gateway/src/publish/index.js';
import { GatewayClient, GatewayError } from '../../vscode-ext/src/client/gateway.js';
import { Approvals } from '../../vscode-ext/src/notebook/approvals.js';
import {
  exportMessage,
  exportRequest,
  exportSummary,
  notebookJson,
  placeholderPositions,
  type ExportCell,
} from '../../vscode-ext/src/notebook/export-request.js';
import { HeldOutputs } from '../../vscode-ext/src/notebook/held.js';
import { reviewStateText } from '../../vscode-ext/src/notebook/review-state.js';
import { PLACEHOLDER_MIME_TYPE } from '../../vscode-ext/src/notebook/outputs.js';
import { requestReview } from '../../vscode-ext/src/notebook/request-review.js';
import { SqlCellRunner } from '../../vscode-ext/src/notebook/run-sql.js';
import {
  conversationOf,
  loadConversation,
  sendReply,
} from '../../vscode-ext/src/review/conversation.js';
import {
  decideReview,
  queueOrder,
  wholeOutputMessage,
} from '../../vscode-ext/src/review/decide.js';
import { parseFromReviewWebview } from '../../vscode-ext/src/review/messages.js';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';
import {
  EXPERIMENT,
  PASSING,
  smallCellTable,
  startReviewGateway,
  type ReviewGateway,
} from '../gateway/review/fixture.js';

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));

/** Eleven people earn under 30,000: every city count is a small cell, so the table is flagged. */
const FLAGGED_SQL =
  'SELECT city, COUNT(*) AS n FROM people_masked WHERE income < 30000 GROUP BY city ORDER BY city';
/** A second flagged table nobody approves. */
const UNAPPROVED_SQL =
  'SELECT city, COUNT(*) AS n FROM people_masked WHERE income < 25000 GROUP BY city ORDER BY city';

function code(source: string, outputs: NotebookOutput[], executionCount?: number): ExportCell {
  return {
    kind: 'code',
    source,
    languageId: 'sql',
    outputs,
    ...(executionCount ? { executionCount } : {}),
  };
}

describe('review queue decisions and approved-output restore (VS Code extension)', () => {
  let t: ReviewGateway;
  let ana: GatewayClient;
  let rev: GatewayClient;
  let runner: SqlCellRunner;
  const held = new HeldOutputs();
  const approvals = new Approvals();
  let approvedHeldId = '';
  let approvedOriginal: NotebookOutput;
  let reviewId = '';

  before(async () => {
    t = await startReviewGateway();
    // The review fixture publishes nothing; the masked view is published as a steward would.
    const loaded = loadPolicyFile(join(t.dir, 'policy.yaml'));
    await publishViews({
      policy: loaded.policy,
      policyText: loaded.text,
      policyDir: loaded.dir,
      stateDir: t.stateDir,
      viewNames: ['people_masked'],
    });
    ana = new GatewayClient(t.gateway.url, t.tokens.ana);
    rev = new GatewayClient(t.gateway.url, t.tokens.rev);
    runner = new SqlCellRunner(ana, new SqlEngine(wasmDir), EXPERIMENT, held, approvals);
  });
  after(async () => t.stop());

  it('withholds a flagged output and sends it to the queue, keeping the original in memory', async () => {
    const result = await runner.run(FLAGGED_SQL);
    assert.equal(result.kind, 'withheld', JSON.stringify(result.outputs));
    assert.ok(result.kind === 'withheld');
    approvedHeldId = result.heldId;
    approvedOriginal = held.get(result.heldId)!.output;
    const request = await requestReview(ana, EXPERIMENT, held, result.heldId, 'methods table', {
      notebook: 'study.ipynb',
      cellIndex: 1,
    });
    reviewId = request.id;
    assert.equal(request.state, 'pending');
    assert.equal(held.get(result.heldId)?.submitted?.reviewId, request.id);
    assert.deepEqual(await approvals.approvedHeld(ana, EXPERIMENT, held), [], 'not approved yet');
  });

  it('lists the request for the reviewer with what the queue webview shows', async () => {
    const { reviews } = await rev.listReviews();
    const r = queueOrder(reviews).find((x) => x.id === reviewId);
    assert.ok(r, 'the request is in the reviewer queue');
    assert.equal(queueOrder(reviews)[0]?.state, 'pending', 'pending first');
    assert.equal(r.experimentPurpose, 'Compare incomes across cities');
    assert.equal(r.justification, 'methods table');
    assert.equal(r.cellSource, FLAGGED_SQL);
    assert.deepEqual(r.viewsUsed, ['people_masked']);
    assert.ok(r.findings.some((f) => f.rule === 'small-cell'));
    assert.ok(r.redactedPreview.length > 0);
  });

  it('gives the reviewer the whole output the approval releases, and nobody else', async () => {
    const message = await wholeOutputMessage(rev, reviewId);
    assert.equal(message.type, 'output', JSON.stringify(message));
    assert.ok(message.type === 'output');
    const original = approvedOriginal as DisplayOutput;
    const html = message.parts.find((p) => p.mime === 'text/html');
    assert.ok(html && html.kind === 'text');
    assert.equal(html.text, String(original.data['text/html']), 'in full, not the preview');
    const refused = await wholeOutputMessage(ana, reviewId);
    assert.equal(refused.type, 'outputError');
    assert.ok(refused.type === 'outputError' && /Fix:/.test(refused.message));
  });

  it('refuses decisions the gateway or the comment rule forbids', async () => {
    await assert.rejects(decideReview(rev, reviewId, 'reject', '  '), /a comment is required/);
    await assert.rejects(
      decideReview(ana, reviewId, 'approve', ''),
      (e: unknown) => e instanceof GatewayError && e.status === 403,
      'an analyst may not decide',
    );
    assert.equal(
      (await rev.listReviews()).reviews.find((r) => r.id === reviewId)?.state,
      'pending',
    );
  });

  it('approves with a comment; the approval is found by content hash and restores the original', async () => {
    const decided = await decideReview(rev, reviewId, 'approve', 'fine for the methods section');
    assert.equal(decided.state, 'approved');
    assert.equal(decided.decidedBy, 'rev');
    const approved = await new Approvals().approvedHeld(ana, EXPERIMENT, held);
    assert.equal(approved.length, 1);
    assert.equal(approved[0]!.heldId, approvedHeldId);
    assert.equal(approved[0]!.reviewId, reviewId);
    assert.deepEqual(approved[0]!.output, approvedOriginal);
    const again = await runner.run(FLAGGED_SQL);
    assert.equal(again.kind, 'rows', 're-running the approved content shows it');
    assert.deepEqual(again.outputs, [approvedOriginal]);
  });

  it('requests changes on another output (comment required) and it stays withheld', async () => {
    const result = await runner.run(UNAPPROVED_SQL);
    assert.ok(result.kind === 'withheld');
    const request = await requestReview(ana, EXPERIMENT, held, result.heldId, 'need it', {
      notebook: 'study.ipynb',
      cellIndex: 2,
    });
    const decided = await decideReview(rev, request.id, 'request_changes', 'merge small cities');
    assert.equal(decided.state, 'changes_requested');
    assert.deepEqual(
      decided.comments.map((c) => c.text),
      ['merge small cities'],
    );
    const approved = await approvals.approvedHeld(ana, EXPERIMENT, held);
    assert.deepEqual(
      approved.map((a) => a.heldId),
      [approvedHeldId],
      'only the approved content',
    );
    assert.equal((await runner.run(UNAPPROVED_SQL)).kind, 'withheld');
  });

  it("shows the reviewer's reason to the analyst, who replies (review comments)", async () => {
    const submitted = held
      .entries()
      .find(([, h]) => h.submitted && h.submitted.reviewId !== reviewId);
    assert.ok(submitted, 'the output with requested changes is still held');
    const id = submitted[1].submitted!.reviewId;
    // The cell's status item follows the request's state once the approvals were asked.
    assert.equal(submitted[1].submitted!.state, 'changes_requested');
    assert.equal(reviewStateText(submitted[1].submitted!.state), '$(edit) Changes requested');
    assert.equal(reviewStateText(undefined), '$(watch) Review pending');
    const seen = await loadConversation(ana, id);
    assert.equal(seen.state, 'changes_requested');
    assert.match(seen.title, /changes requested: change the code/);
    assert.deepEqual(
      seen.lines.map((l) => [l.label, l.detail]),
      [['rev', 'merge small cities']],
    );
    await assert.rejects(sendReply(ana, id, '   '), /the reply is empty. Fix:/);
    const after = await sendReply(ana, id, ' Merged cities under 20 people into "other" ');
    assert.deepEqual(
      after.lines.map((l) => [l.label, l.detail]),
      [
        ['rev', 'merge small cities'],
        ['ana', 'Merged cities under 20 people into "other"'],
      ],
    );
    // The reviewer sees the reply on the request.
    const theirs = (await rev.listReviews()).reviews.find((r) => r.id === id);
    assert.equal(theirs?.comments.at(-1)?.author, 'ana');
    const fixed = conversationOf(
      {
        ...(await ana.getReview(id)),
        comments: [{ at: '2026-01-02T03:04:05Z', author: 'rev', text: 'ok' }],
      },
      (iso) => `at ${iso}`,
    );
    assert.deepEqual(fixed.lines, [
      { label: 'rev', description: 'at 2026-01-02T03:04:05Z', detail: 'ok' },
    ]);
  });

  it('exports: passed and approved outputs kept, placeholders and unapproved flagged withheld, signed', async () => {
    const placeholder = (await runner.run(UNAPPROVED_SQL)).outputs[0] as DisplayOutput;
    assert.ok(PLACEHOLDER_MIME_TYPE in placeholder.data);
    const rawFlagged = smallCellTable(2);
    const cells: ExportCell[] = [
      { kind: 'markdown', source: '# Income by city\n', languageId: 'markdown', outputs: [] },
      code('SELECT 1', [{ ...PASSING }], 3),
      code(FLAGGED_SQL, [approvedOriginal], 4),
      code(UNAPPROVED_SQL, [placeholder], 5),
      code('print(t)', [rawFlagged]),
      // A note with a typed-in small count: the gateway withholds the source itself.
      {
        kind: 'markdown',
        source: '| city | n |\n|---|---|\n| Lyon | 2 |\n',
        languageId: 'markdown',
        outputs: [],
      },
    ];
    const request = exportRequest(EXPERIMENT, 'study.ipynb', cells, {
      metadata: { language_info: { name: 'sql' }, widgets: { secret: 'dropped' } },
    });
    assert.equal(request.experiment, EXPERIMENT);
    assert.deepEqual(request.notebook.metadata, { language_info: { name: 'sql' } });
    const nb = notebookJson(cells, {});
    assert.equal(nb.nbformat, 4);
    const bundle = await ana.createExport(request);
    const byCell = new Map(bundle.manifest.outputs.map((o) => [o.cellIndex, o]));
    assert.equal(byCell.get(1)?.status, 'passed');
    assert.equal(byCell.get(2)?.status, 'approved');
    assert.equal(byCell.get(2)?.reviewId, reviewId);
    assert.equal(byCell.get(4)?.status, 'withheld');
    const json = JSON.stringify(bundle.notebook);
    assert.ok(
      !json.includes('<td>Lyon</td><td>2</td>'),
      'the unapproved small-cell table is not in the bundle',
    );
    const approvedHtml = String((approvedOriginal as DisplayOutput).data['text/html']);
    assert.ok(json.includes(JSON.stringify(approvedHtml).slice(1, -1)), 'the approved table is');
    const summary = exportSummary(bundle, placeholderPositions(cells));
    assert.deepEqual(summary, {
      passed: 1,
      approved: 1,
      withheldByGateway: 1,
      withheldInEditor: 1,
      sourceCells: [6],
    });
    assert.match(
      exportMessage(summary, 'study.privet-export.json'),
      /2 withheld \(1 held in the editor, 1 by the gateway's check\)\. The source of cell 6 was withheld too .*edit it and export again/,
    );
    assert.ok(
      !JSON.stringify(bundle).includes('| Lyon | 2 |'),
      'the typed table is not in the bundle',
    );
    const key = createPublicKey({
      key: Buffer.concat([
        Buffer.from('302a300506032b6570032100', 'hex'),
        Buffer.from(bundle.publicKey, 'base64'),
      ]),
      format: 'der',
      type: 'spki',
    });
    const signed = Buffer.from(canonicalJson(bundle.manifest as unknown as JsonValue), 'utf8');
    assert.ok(
      verify(null, signed, key, Buffer.from(bundle.signature, 'base64')),
      'signature valid',
    );
  });

  it('rejects malformed webview messages', () => {
    assert.equal(
      parseFromReviewWebview({ type: 'decide', id: 'x', decision: 'delete', comment: '' }),
      undefined,
    );
    assert.equal(parseFromReviewWebview('refresh'), undefined);
    assert.deepEqual(parseFromReviewWebview({ type: 'refresh' }), { type: 'refresh' });
    assert.deepEqual(parseFromReviewWebview({ type: 'output', id: 'rev-1' }), {
      type: 'output',
      id: 'rev-1',
    });
    assert.equal(parseFromReviewWebview({ type: 'output', id: 3 }), undefined);
  });
});
