/**
 * The language server's analysis (SqlAnalyzer) and the runner (SqlCellRunner) read a cell the same
 * way, and the way the gateway does, against a real gateway: view names case-insensitively (quoted
 * or not), `-- privet:` options through one parser (a malformed option is refused by both, before
 * the gateway prices anything), and a view published meanwhile is no longer reported.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DisplayOutput, ErrorOutput } from '@privet/core';
import {
  approveExperiment,
  publishFixtureViews,
  startTestGateway,
  EXPERIMENT,
  type TestGateway,
} from '../gateway/http/fixture.js';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { SqlCellRunner } from '../../vscode-ext/src/notebook/run-sql.js';
import { SqlAnalyzer } from '../../vscode-ext/src/server/analysis.js';
import { parseDpOptions } from '../../vscode-ext/src/sql/dp-options.js';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));

describe('-- privet: DP options, one parser', () => {
  it('reads key=value pairs, any case, on LF and CRLF lines, with their offsets', () => {
    const sql = '-- PRIVET: Epsilon=0.2, delta=1e-6\r\n-- privet: delta=1e-6\r\nSELECT 1';
    assert.deepEqual(parseDpOptions(sql), {
      options: { epsilon: '0.2', delta: '1e-6' },
      problems: [],
    });
    const [problem] = parseDpOptions('SELECT 1\n  -- privet: delta=1e-6 epsilon=').problems;
    assert.deepEqual(problem && { start: problem.start, end: problem.end }, { start: 33, end: 41 });
  });

  it('refuses what a Run would otherwise skip: empty values, unknown keys, clashes', () => {
    const messages = (sql: string): string[] => parseDpOptions(sql).problems.map((p) => p.message);
    assert.deepEqual(messages('-- privet: epsilon='), ['epsilon has no value']);
    assert.deepEqual(messages('-- privet: epsilon = 0.2'), [
      'epsilon has no value',
      '"=" is not a privet option',
      '"0.2" is not a privet option',
    ]);
    assert.deepEqual(messages('-- privet: epsilom=0.2'), ['"epsilom=0.2" is not a privet option']);
    assert.deepEqual(messages('-- privet: epsilon=0.1\n-- privet: epsilon=0.2'), [
      'epsilon is set twice (0.1 and 0.2)',
    ]);
    assert.deepEqual(messages('-- privet: epsilon=0.1 accuracy=5'), [
      'both epsilon and accuracy are set',
    ]);
    for (const p of parseDpOptions('-- privet: epsilon= epsilom=1').problems)
      assert.match(p.fix, /\w/, 'every refusal says how to fix it');
  });
});

describe('language server and runner agree with the gateway', () => {
  let t: TestGateway;
  let client: GatewayClient;
  let analyzer: SqlAnalyzer;
  let runner: SqlCellRunner;

  before(async () => {
    t = await startTestGateway();
    client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    analyzer = new SqlAnalyzer(client, new SqlEngine(wasmDir), EXPERIMENT);
    runner = new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT);
  });
  after(async () => t.stop());

  it('runs views named in any case, quoted or not (DuckDB and the gateway ignore case)', async () => {
    const masked = 'SELECT city, COUNT(*) AS n FROM People_Masked GROUP BY city ORDER BY city';
    assert.deepEqual((await analyzer.analyze(masked)).problems, []);
    const rows = await runner.run(masked);
    assert.equal(rows.kind, 'rows', JSON.stringify(rows.outputs));
    assert.match(String((rows.outputs[0] as DisplayOutput).data['text/plain']), /Lima\t10/);
    for (const sql of [
      'SELECT COUNT(*) AS n FROM PEOPLE_DP',
      'SELECT COUNT(*) AS n FROM "People_Dp"',
    ]) {
      const analysis = await analyzer.analyze(sql);
      assert.deepEqual(analysis.problems, [], sql);
      assert.deepEqual(analysis.tables, ['people_dp']);
      assert.ok(analysis.dryRun, `the language server priced ${sql}`);
      const dry = await runner.run(sql);
      assert.equal(dry.kind, 'dryRun', `${sql}: ${JSON.stringify(dry.outputs)}`);
    }
    const raw = await analyzer.analyze('SELECT * FROM "PEOPLE"');
    assert.equal(raw.problems[0]?.code, 'raw-source');
  });

  it('completes only views a Run would read: requested by the experiment and published', async () => {
    const names = (await analyzer.completionViews()).map((v) => v.name).sort();
    assert.deepEqual(names, ['people_dp', 'people_masked'], 'people_later is not published yet');
    const dpOnly = new SqlAnalyzer(client, new SqlEngine(wasmDir), undefined, 0);
    assert.deepEqual(
      (await dpOnly.completionViews()).map((v) => v.name).sort(),
      ['people_dp', 'people_masked'],
      'with no experiment: every published view',
    );
    approveExperiment(t.gateway, 'exp-complete-dp', ['people_dp']);
    const narrow = new SqlAnalyzer(client, new SqlEngine(wasmDir), 'exp-complete-dp', 0);
    assert.deepEqual(
      (await narrow.completionViews()).map((v) => v.name),
      ['people_dp'],
      'an experiment that requested only people_dp',
    );
  });

  it('refuses a malformed -- privet: option in both, before the gateway prices anything', async () => {
    const before0 = (await client.budget(EXPERIMENT)).budgets[0]!.spent.epsilon.exact;
    for (const sql of [
      '-- privet: epsilon=\nSELECT COUNT(*) AS n FROM people_dp',
      '-- privet: epsilon=0.1 delta=\nSELECT COUNT(*) AS n FROM people_dp',
      '-- privet: epsilom=0.1\nSELECT COUNT(*) AS n FROM people_dp',
    ]) {
      const analysis = await analyzer.analyze(sql);
      assert.equal(analysis.dryRun, undefined, sql);
      assert.deepEqual(
        analysis.problems.map((p) => p.code),
        ['dp-option'],
        sql,
      );
      const { message, fix } = parseDpOptions(sql).problems[0]!;
      assert.equal(analysis.problems[0]?.message, `${message}. Fix: ${fix}`);
      for (const result of [await runner.run(sql), await runner.runAndSpend(sql)]) {
        assert.equal(result.kind, 'error', `${sql}: ${JSON.stringify(result.outputs)}`);
        const err = result.outputs[0] as ErrorOutput;
        assert.equal(err.ename, 'DpOptionError');
        assert.equal(
          err.evalue,
          `the cell's -- privet: line is malformed: ${message}. Fix: ${fix}`,
        );
      }
    }
    const after0 = (await client.budget(EXPERIMENT)).budgets[0]!.spent.epsilon.exact;
    assert.equal(after0, before0, 'nothing was spent');
  });

  it('stops reporting a view as unpublished once a steward has published it', async () => {
    const fresh = new SqlAnalyzer(client, new SqlEngine(wasmDir), EXPERIMENT, 0);
    const sql = 'SELECT city FROM people_later';
    const first = await fresh.analyze(sql);
    assert.deepEqual(
      first.problems.map((p) => p.code),
      ['view-not-published'],
    );
    await publishFixtureViews(t.dir, ['people_later']);
    assert.deepEqual((await fresh.analyze(sql)).problems, []);
    const rows = await new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT).run(sql);
    assert.notEqual(rows.kind, 'error', JSON.stringify(rows.outputs));
  });
});
