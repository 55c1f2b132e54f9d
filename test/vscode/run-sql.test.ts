/**
 * The VS Code controller's execution logic (vscode-ext/src/notebook/run-sql.ts) against a real
 * gateway: masked rows in duckdb-wasm (Arrow IPC fetched inside the experiment), DP dry run then
 * run-and-spend, gating of flagged outputs, and refusals explained.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { DP_RELEASE_MIME_TYPE, type BudgetResponse } from '@privet/core/protocol';
import type { DisplayOutput, ErrorOutput } from '@privet/core';
import {
  approveExperiment,
  startTestGateway,
  EXPERIMENT,
  PEOPLE,
  type TestGateway,
} from '../gateway/http/fixture.js';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';
import { SqlCellRunner } from '../../vscode-ext/src/notebook/run-sql.js';
import { requestReview } from '../../vscode-ext/src/notebook/request-review.js';
import { PLACEHOLDER_MIME_TYPE, type WithheldInfo } from '../../vscode-ext/src/notebook/outputs.js';

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));

describe('Privet SQL cell runner against a real gateway', () => {
  let t: TestGateway;
  let runner: SqlCellRunner;
  let client: GatewayClient;

  before(async () => {
    t = await startTestGateway();
    client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    runner = new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT);
  });
  after(async () => t.stop());

  it('runs an aggregate over a masked view locally and shows it', async () => {
    const result = await runner.run(
      'SELECT city, COUNT(*) AS n FROM people_masked GROUP BY city ORDER BY city',
    );
    assert.equal(result.kind, 'rows', JSON.stringify(result.outputs));
    const out = result.outputs[0] as DisplayOutput;
    const text = String(out.data['text/plain']);
    assert.match(text, /Lima\t10/);
    assert.match(text, /Oslo\t10/);
  });

  it('withholds a flagged output (small cells), keeping it off the notebook', async () => {
    const result = await runner.run(
      'SELECT city, COUNT(*) AS n FROM people_masked WHERE income < 30000 GROUP BY city',
    );
    assert.equal(result.kind, 'withheld');
    const out = result.outputs[0] as DisplayOutput;
    const info = out.data[PLACEHOLDER_MIME_TYPE] as WithheldInfo;
    assert.ok(info.rules.length > 0);
    const written = JSON.stringify(result.outputs);
    assert.ok(info.rules.includes('small-cell'), info.rules.join());
    for (const city of new Set(PEOPLE.map((p) => p.city))) {
      assert.ok(!written.includes(city), 'the placeholder carries no content');
    }
    assert.ok(result.kind === 'withheld' && runner.held.get(result.heldId));
  });

  it("withholds counts under the gateway policy's small-cell threshold, not only the default", async () => {
    const sql = 'SELECT city, COUNT(*) AS n FROM people_masked GROUP BY city ORDER BY city';
    const strict = new SqlCellRunner(
      client,
      new SqlEngine(wasmDir),
      EXPERIMENT,
      undefined,
      undefined,
      {
        small_cell_threshold: 20,
        images: 'review',
      },
    );
    const result = await strict.run(sql);
    assert.equal(result.kind, 'withheld', 'counts of 10 under a threshold of 20');
    const info = (result.outputs[0] as DisplayOutput).data[PLACEHOLDER_MIME_TYPE] as WithheldInfo;
    assert.ok(info.rules.includes('small-cell'), info.rules.join());
  });

  it('sends a withheld original only to the review queue, with the justification', async () => {
    const result = await runner.run(
      'SELECT city, COUNT(*) AS n FROM people_masked WHERE income < 30000 GROUP BY city',
    );
    assert.ok(result.kind === 'withheld');
    const request = await requestReview(
      client,
      EXPERIMENT,
      runner.held,
      result.heldId,
      'counts for the methods section',
      { notebook: 'study.ipynb', cellIndex: 2 },
    );
    assert.equal(request.state, 'pending');
    assert.equal(request.justification, 'counts for the methods section');
    assert.deepEqual(request.viewsUsed, ['people_masked']);
    assert.deepEqual(
      runner.held.get(result.heldId)?.submitted,
      { reviewId: request.id, contentHash: request.contentHash },
      'kept in memory, marked with its request, so an approval can restore it',
    );
    const { reviews } = await new GatewayClient(t.gateway.url, t.gateway.tokens.rev!).listReviews(
      EXPERIMENT,
    );
    assert.ok(reviews.some((r) => r.id === request.id));
  });

  it('shows a DP dry run first and spends budget only on run-and-spend', async () => {
    const budget = async (): Promise<BudgetResponse> => client.budget(EXPERIMENT);
    const spent = (b: BudgetResponse) => b.budgets[0]!.spent.epsilon.exact;
    const before0 = spent(await budget());
    const sql = '-- privet: epsilon=0.1\nSELECT COUNT(*) AS n FROM people_dp';
    const dry = await runner.run(sql);
    assert.equal(dry.kind, 'dryRun', JSON.stringify(dry.outputs));
    assert.match(String((dry.outputs[0] as DisplayOutput).data['text/plain']), /ε=0\.1/);
    assert.equal(spent(await budget()), before0, 'a dry run is free');
    const run = await runner.runAndSpend(sql);
    assert.equal(run.kind, 'release', JSON.stringify(run.outputs));
    const out = run.outputs[0] as DisplayOutput;
    assert.ok(out.data[DP_RELEASE_MIME_TYPE]);
    assert.notEqual(spent(await budget()), before0);
  });

  it('a DP dry run or run stopped before the gateway answered says what the stop cost', async () => {
    const sql = '-- privet: epsilon=0.1\nSELECT COUNT(*) AS n FROM people_dp';
    // Stop is pressed the moment the cell sends its DP request.
    const stopped = new AbortController();
    const stopping = Object.create(client) as GatewayClient;
    stopping.dpQuery = (body, options) => {
      stopped.abort();
      return client.dpQuery(body, options);
    };
    const stoppingRunner = new SqlCellRunner(stopping, new SqlEngine(wasmDir), EXPERIMENT);
    const dry = await stoppingRunner.run(sql, stopped.signal);
    assert.equal(dry.kind, 'error');
    const dryError = dry.outputs[0] as ErrorOutput;
    assert.equal(dryError.ename, 'Interrupt error');
    assert.match(
      dryError.evalue,
      /DP query was stopped .* a dry run spends nothing\. Fix: run the cell again/,
    );
    const run = await stoppingRunner.runAndSpend(sql, stopped.signal);
    assert.equal(run.kind, 'error');
    assert.match(
      (run.outputs[0] as ErrorOutput).evalue,
      /the gateway refunds a run it had not answered yet; the budget shows what was spent\. Fix: run the cell again to price it, then Run and Spend/,
    );
  });

  it('a DP dry run the gateway does not answer stops at its own limit and says so', async () => {
    const sql = '-- privet: epsilon=0.1\nSELECT COUNT(*) AS n FROM people_dp';
    // A gateway that takes the request and never answers (until the request is closed).
    const hung = Object.create(client) as GatewayClient;
    let closed = false;
    hung.dpQuery = (_body, options) =>
      new Promise((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => {
          closed = true;
          reject(options.signal?.reason as Error);
        });
      });
    const limited = new SqlCellRunner(
      hung,
      new SqlEngine(wasmDir),
      EXPERIMENT,
      undefined,
      undefined,
      undefined,
      1000,
    );
    const dry = await limited.run(sql);
    assert.equal(dry.kind, 'error');
    assert.match(
      (dry.outputs[0] as ErrorOutput).evalue,
      /did not price the query within 1 s.*Fix: check that the gateway is running .*a dry run spends nothing/,
    );
    assert.ok(closed, 'the request was closed');
  });

  it("explains the engine's refusal of a DP query", async () => {
    const result = await runner.run('SELECT person_id FROM people_dp');
    assert.equal(result.kind, 'error');
    const err = result.outputs[0] as ErrorOutput;
    assert.match(err.ename, /dp_refused/);
    assert.match(err.evalue, /Fix:/);
  });

  it('refuses tables that are not approved views, and file access', async () => {
    const unknown = await runner.run('SELECT * FROM patients');
    assert.equal(unknown.kind, 'error');
    assert.match((unknown.outputs[0] as ErrorOutput).evalue, /not an approved view/);
    const file = await runner.run("SELECT * FROM read_csv('/etc/passwd')");
    assert.equal(file.kind, 'error');
    assert.match((file.outputs[0] as ErrorOutput).evalue, /disabled|Permission/i);
  });

  it('drops views loaded for another experiment: each must be fetched again, inside the new one', async () => {
    const engine = new SqlEngine(wasmDir);
    const sql = 'SELECT COUNT(*) AS n FROM people_masked';
    const first = await new SqlCellRunner(client, engine, EXPERIMENT).run(sql);
    assert.equal(first.kind, 'rows', JSON.stringify(first.outputs));
    // A second approved experiment that did not request people_masked.
    approveExperiment(t.gateway, 'exp-dp-only', ['people_dp']);
    const other = await new SqlCellRunner(client, engine, 'exp-dp-only').run(sql);
    assert.equal(other.kind, 'error', 'the rows loaded for the first experiment are gone');
    assert.match((other.outputs[0] as ErrorOutput).evalue, /people_masked/);
    assert.equal(engine.loadedViews.size, 0);
    // The same engine under a new sign-in of the same user fetches the view again (and the
    // gateway records that access).
    const accesses = (): number =>
      t.gateway.services.audit.entries().filter((e) => e.action === 'view.access').length;
    const before = accesses();
    const again = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    const back = await new SqlCellRunner(again, engine, EXPERIMENT).run(sql);
    assert.equal(back.kind, 'rows', JSON.stringify(back.outputs));
    assert.equal(accesses(), before + 1, 'fetched (and recorded) again for the new sign-in');
  });
});
