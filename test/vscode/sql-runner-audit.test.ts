/**
 * Audit of the VS Code SQL cell path (vscode-ext/src/notebook/run-sql.ts, vscode-ext/src/sql/engine.ts)
 * against a real gateway: a re-published view is fetched again, a view fetched for a previous
 * sign-in never serves the next one, big integers are exact, and a failed query's error output
 * carries no value from the rows (error outputs are not checked like tables are).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DisplayOutput, ErrorOutput } from '@privet/core';
import {
  publishFixtureViews,
  startTestGateway,
  writePeople,
  EXPERIMENT,
  PEOPLE,
  type TestGateway,
} from '../gateway/http/fixture.js';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';
import { SqlCellRunner } from '../../vscode-ext/src/notebook/run-sql.js';
import { DUCKDB_WASM_DIR } from '../duckdb-node.js';
import { slowDownloads } from '../slow-client.js';

const wasmDir = DUCKDB_WASM_DIR;

/** The text/plain of a rows result (or the error, to explain a failure). */
function plain(result: Awaited<ReturnType<SqlCellRunner['run']>>): string {
  assert.equal(result.kind, 'rows', JSON.stringify(result.outputs));
  return String((result.outputs[0] as DisplayOutput).data['text/plain']);
}

describe('Privet SQL cells: views, sign-ins, values and errors', () => {
  let t: TestGateway;
  let client: GatewayClient;

  before(async () => {
    t = await startTestGateway();
    client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
  });
  after(async () => t.stop());

  it('fetches a view again once it was re-published (no stale rows)', async () => {
    const runner = new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT);
    const sql = 'SELECT COUNT(*) AS n FROM people_masked';
    assert.match(plain(await runner.run(sql)), new RegExp(`^n\\n${PEOPLE.length}\\n`));
    // The steward re-publishes the view from a source with ten more people.
    const more = Array.from({ length: 10 }, (_, i) => `${2000 + i},x${i}@example.org,Oslo,30000`);
    writePeople(t.dir, more);
    await publishFixtureViews(t.dir, ['people_masked']);
    assert.match(
      plain(await runner.run(sql)),
      new RegExp(`^n\\n${PEOPLE.length + 10}\\n`),
      'the re-published version is queried, not the one loaded before',
    );
  });

  it('never lets a view fetched for a previous sign-in serve the next one', async () => {
    const engine = new SqlEngine(wasmDir);
    const sql = 'SELECT COUNT(*) AS n FROM people_masked';
    const slow = slowDownloads(new GatewayClient(t.gateway.url, t.gateway.tokens.ana!));
    // Cell run under the first sign-in, its download still on the way...
    const first = new SqlCellRunner(slow, engine, EXPERIMENT).run(sql);
    await slow.waiting;
    // ...when the user signs in again (a new client) and runs a cell that loads nothing yet.
    const next = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    const second = new SqlCellRunner(next, engine, EXPERIMENT);
    assert.equal((await second.run('SELECT 1 AS one')).kind, 'rows');
    slow.release();
    await first;
    const accesses = (): number =>
      t.gateway.services.audit.entries().filter((e) => e.action === 'view.access').length;
    const before = accesses();
    plain(await second.run(sql));
    assert.equal(accesses(), before + 1, 'fetched (and recorded) for the sign-in that queries it');
  });

  it('shows big integers exactly', async () => {
    const runner = new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT);
    const text = plain(
      await runner.run(
        'SELECT MAX(x) AS big, MAX(x) - 2 AS less, COUNT(*) * 9007199254740993 AS s FROM ' +
          "(SELECT 9007199254740993::BIGINT AS x FROM people_masked WHERE city = 'Lyon')",
      ),
    );
    const lyon = BigInt(PEOPLE.filter((p) => p.city === 'Lyon').length);
    assert.ok(
      text.includes(`9007199254740993\t9007199254740991\t${9007199254740993n * lyon}`),
      text,
    );
  });

  it('writes no value from the rows into an error output', async () => {
    const runner = new SqlCellRunner(client, new SqlEngine(wasmDir), EXPERIMENT);
    for (const sql of [
      "SELECT error(email) FROM people_masked WHERE city = 'Lima'",
      'SELECT CAST(email AS INTEGER) FROM people_masked',
      'SELECT income * 9223372036854775807 FROM people_masked',
    ]) {
      const result = await runner.run(sql);
      assert.equal(result.kind, 'error', sql);
      const err = result.outputs[0] as ErrorOutput;
      const written = `${err.ename} ${err.evalue}`;
      assert.doesNotMatch(written, /@|example|\d{4,}/, written);
      assert.match(err.evalue, /Fix:/);
    }
    // Errors about the statement itself still say what is wrong with it.
    const typo = await runner.run('SELECT incme FROM people_masked');
    assert.match((typo.outputs[0] as ErrorOutput).evalue, /incme/);
  });
});
