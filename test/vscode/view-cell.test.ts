/**
 * The cells "Privet: New SQL Cell for View" writes (vscode-ext/src/notebook/view-cell.ts): the
 * language server finds nothing wrong with them and the runner runs them against a real gateway —
 * a masked view's count shown (it passes the review check), a dry run at the default ε (nothing
 * spent) of a DP view — and an unpublished view is refused with its fix before a cell is written.
 * The SQL is core's, which the JupyterLab DP box starts with.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DisplayOutput, ViewSummary } from '@privet/core';
import {
  countSql,
  DEFAULT_DP_EPSILON,
  hasLoadableRows,
  isQueryable,
} from '@privet/core/client/view-query';
import { startTestGateway, EXPERIMENT, type TestGateway } from '../gateway/http/fixture.js';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { SqlCellRunner } from '../../vscode-ext/src/notebook/run-sql.js';
import {
  DP_CELL_NOTE,
  ROWS_CELL_NOTE,
  viewCellSource,
  whyNotQueryable,
} from '../../vscode-ext/src/notebook/view-cell.js';
import { SqlAnalyzer } from '../../vscode-ext/src/server/analysis.js';
import { DEFAULT_EPSILON, parseDpOptions } from '../../vscode-ext/src/sql/dp-options.js';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));

describe('New SQL Cell for View: the cell source', () => {
  const columns = [
    { name: 'city', type: 'VARCHAR', operator: 'keep' },
    { name: 'age_band', type: 'VARCHAR', operator: 'generalize' },
  ];

  it('counts the view (as the JupyterLab DP box starts) and names its columns', () => {
    const masked = viewCellSource({ name: 'people_masked', tier: 'masked', columns });
    assert.deepEqual(masked.split('\n'), [
      '-- people_masked (masked): city, age_band',
      ROWS_CELL_NOTE,
      'SELECT COUNT(*) AS n FROM "people_masked"',
    ]);
    assert.equal(masked.split('\n').at(-1), countSql('people_masked'));
    assert.deepEqual(parseDpOptions(masked), { options: {}, problems: [] });
  });

  it('a DP cell names the default ε (the JupyterLab DP box’s) and says Run only prices it', () => {
    const dp = viewCellSource({ name: 'people_dp', tier: 'dp', columns });
    assert.equal(dp.split('\n').at(-1), countSql('people_dp'));
    assert.deepEqual(parseDpOptions(dp), { options: { epsilon: DEFAULT_EPSILON }, problems: [] });
    assert.equal(DEFAULT_EPSILON, DEFAULT_DP_EPSILON);
    assert.ok(dp.includes(DP_CELL_NOTE));
    assert.match(DP_CELL_NOTE, /nothing is spent until "Run and Spend"/);
  });

  it('refuses an unpublished masked view with the fix, and never a DP view for it', () => {
    const active = { id: 'exp1', state: 'approved' } as const;
    const why = whyNotQueryable({ name: 'people_later', tier: 'masked', published: false }, active);
    assert.match(why ?? '', /people_later is not published yet.*Fix: ask a steward to publish it/);
    const dp = { name: 'people_dp', tier: 'dp', published: false } as const;
    assert.equal(whyNotQueryable(dp, active), undefined);
    const masked = { name: 'people_masked', tier: 'masked', published: true } as const;
    assert.equal(whyNotQueryable(masked, { id: 'exp1', state: 'running' }), undefined);
  });

  it('one rule for both hosts: rows to load are published masked or synthetic; DP is always queryable', () => {
    const cases = [
      [{ tier: 'masked', published: true }, true, true],
      [{ tier: 'synthetic', published: true }, true, true],
      [{ tier: 'masked', published: false }, false, false],
      [{ tier: 'synthetic', published: false }, false, false],
      [{ tier: 'dp', published: false }, false, true],
      [{ tier: 'dp', published: true }, false, true],
    ] as const;
    for (const [view, loadable, queryable] of cases) {
      assert.equal(hasLoadableRows(view), loadable, JSON.stringify(view));
      assert.equal(isQueryable(view), queryable, JSON.stringify(view));
      const why = whyNotQueryable({ name: 'v', ...view }, { id: 'e', state: 'running' });
      assert.equal(why === undefined, queryable, 'the cell refuses what is not queryable');
    }
  });

  it('refuses the views of an experiment that is not approved or running, saying why', () => {
    const masked = { name: 'people_masked', tier: 'masked', published: true } as const;
    assert.match(
      whyNotQueryable(masked, { id: 'exp2', state: 'proposal' }) ?? '',
      /^the experiment exp2 is a proposal, not approved yet, so its views cannot be queried\. Fix: wait until a steward approves it/,
    );
    for (const state of ['evaluation', 'dissolved', 'rejected'] as const)
      assert.match(
        whyNotQueryable(masked, { id: 'exp3', state }) ?? '',
        new RegExp(`^the experiment exp3 is ${state}, so its views cannot be queried\\. Fix: `),
      );
  });
});

describe('New SQL Cell for View: the cells run', () => {
  let t: TestGateway;
  let client: GatewayClient;
  let views: ViewSummary[];

  before(async () => {
    t = await startTestGateway();
    client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    views = (await client.listViews()).views;
  });
  after(async () => t.stop());

  const view = (name: string): ViewSummary => {
    const found = views.find((v) => v.name === name);
    assert.ok(found, `the fixture lists ${name}`);
    return found;
  };

  it('a masked view: no diagnostic, and its count is shown, not held for review', async () => {
    const sql = viewCellSource(view('people_masked'));
    const analyzer = new SqlAnalyzer(client, new SqlEngine(wasmDir), EXPERIMENT, 0);
    assert.deepEqual((await analyzer.analyze(sql)).problems, []);
    const result = await new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT).run(sql);
    assert.equal(result.kind, 'rows', `shown, not withheld: ${JSON.stringify(result.outputs)}`);
    const output = result.outputs[0] as DisplayOutput;
    assert.match(String(output.data['text/plain']), /^n\n\d+/);
  });

  it('a DP view: no diagnostic, priced at the default ε, nothing spent', async () => {
    const sql = viewCellSource(view('people_dp'));
    const spentBefore = (await client.budget(EXPERIMENT)).budgets[0]!.spent.epsilon.exact;
    const analysis = await new SqlAnalyzer(client, new SqlEngine(wasmDir), EXPERIMENT, 0).analyze(
      sql,
    );
    assert.deepEqual(analysis.problems, []);
    assert.equal(analysis.dryRun?.cost.epsilon, DEFAULT_EPSILON);
    const result = await new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT).run(sql);
    assert.equal(result.kind, 'dryRun', JSON.stringify(result.outputs));
    const spentAfter = (await client.budget(EXPERIMENT)).budgets[0]!.spent.epsilon.exact;
    assert.equal(spentAfter, spentBefore, 'a Run of the inserted cell spends nothing');
  });
});
