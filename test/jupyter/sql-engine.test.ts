/**
 * Audit of JupyterLab's in-browser SQL path (jupyter-ext engine.ts and panel/runSql.ts) against a
 * real gateway, with duckdb-wasm's blocking Node build behind the engine's async connection: a
 * re-published view is fetched again, a view fetched for a previous sign-in never serves the next
 * one, and a query that fails while reading rows does not quote their values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatewayClient } from '@privet/core/client/index';
import type { ViewSummary } from '@privet/core/protocol';
import {
  publishFixtureViews,
  startTestGateway,
  writePeople,
  EXPERIMENT,
  PEOPLE,
  type TestGateway,
} from '../gateway/http/fixture.js';
import { lockedNodeConnection } from '../duckdb-node.js';
import { slowDownloads } from '../slow-client.js';
import { load } from './render.js';

/** What the test needs of a query result. */
interface Result {
  rows: (string | null)[][];
}
/** The engine's surface used here (loaded by path: test/tsconfig.json has no JupyterLab types). */
interface Engine {
  connection: () => Promise<unknown>;
}
type RunSql = (
  engine: Engine,
  client: GatewayClient,
  views: readonly ViewSummary[],
  experiment: { id: string; state: string; views: string[] } | null,
  sql: string,
  progress: (status: string) => void,
) => Promise<Result>;

const { SqlEngine } = await load<{ SqlEngine: new () => Engine }>('engine.ts');
const { runSql } = await load<{ runSql: RunSql }>('panel/runSql.ts');

/** A JupyterLab engine whose connection is the blocking Node build, locked down the same way. */
async function nodeEngine(): Promise<Engine> {
  const conn = await lockedNodeConnection();
  const engine = new SqlEngine();
  const asyncConn = {
    query: async (sql: string) => conn.query(sql),
    getTableNames: async (sql: string) => conn.getTableNames(sql),
    insertArrowFromIPCStream: async (ipc: Uint8Array, options: { name: string; create: boolean }) =>
      conn.insertArrowFromIPCStream(ipc, options),
  };
  engine.connection = () => Promise.resolve(asyncConn);
  return engine;
}

/** Node's fetch as the client's transport. */
const TRANSPORT = {
  fetch: (url: string, init: RequestInit) => fetch(url, init),
  unreachableFix: 'start the gateway',
  httpFix: 'check the gateway log',
  signInAgainFix: 'sign in again',
};

const experiment = { id: EXPERIMENT, state: 'approved', views: ['people_masked', 'people_dp'] };
const quiet = (): void => undefined;

describe('the data panel SQL over views', () => {
  let t: TestGateway;
  let client: GatewayClient;
  const views = async (): Promise<ViewSummary[]> => (await client.listViews()).views;
  const accesses = (): number =>
    t.gateway.services.audit.entries().filter((e) => e.action === 'view.access').length;

  before(async () => {
    t = await startTestGateway();
    client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!, TRANSPORT);
  });
  after(async () => t.stop());

  it('fetches a view again once it was re-published (no stale rows)', async () => {
    const engine = await nodeEngine();
    const sql = 'SELECT COUNT(*) AS n FROM people_masked';
    const first = await runSql(engine, client, await views(), experiment, sql, quiet);
    assert.deepEqual(first.rows, [[String(PEOPLE.length)]]);
    const extra = Array.from({ length: 5 }, (_, i) => `${3000 + i},y${i}@example.org,Pune,25000`);
    writePeople(t.dir, extra);
    await publishFixtureViews(t.dir, ['people_masked']);
    // The panel reloads its list after a publish; the query then sees the new version.
    const again = await runSql(engine, client, await views(), experiment, sql, quiet);
    assert.deepEqual(again.rows, [[String(PEOPLE.length + 5)]]);
  });

  it('never lets a view fetched for a previous sign-in serve the next one', async () => {
    const engine = await nodeEngine();
    const list = await views();
    const sql = 'SELECT COUNT(*) AS n FROM people_masked';
    const slow = slowDownloads(new GatewayClient(t.gateway.url, t.gateway.tokens.ana!, TRANSPORT));
    // A query under the first sign-in, its download still on the way...
    const first = runSql(engine, slow, list, experiment, sql, quiet);
    await slow.waiting;
    // ...when the user signs out and in again and runs a query that loads nothing yet.
    const next = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!, TRANSPORT);
    await runSql(engine, next, list, experiment, 'SELECT 1 AS one', quiet);
    slow.release();
    await assert.rejects(first, /sign-in or experiment changed.*Fix: run the query again/);
    const before = accesses();
    await runSql(engine, next, list, experiment, sql, quiet);
    assert.equal(accesses(), before + 1, 'fetched (and recorded) for the sign-in that queries it');
  });

  it('does not quote row values when a query fails while reading rows', async () => {
    const engine = await nodeEngine();
    const list = await views();
    for (const sql of [
      'SELECT error(email) FROM people_masked',
      'SELECT CAST(email AS INTEGER) FROM people_masked',
    ]) {
      await assert.rejects(runSql(engine, client, list, experiment, sql, quiet), (e: Error) => {
        assert.doesNotMatch(e.message, /@|example/, e.message);
        assert.match((e as Error & { fix: string }).fix, /TRY_CAST/);
        return true;
      });
    }
    // Errors about the statement itself still name what is wrong in it.
    await assert.rejects(
      runSql(engine, client, list, experiment, 'SELECT incme FROM people_masked', quiet),
      /incme/,
    );
  });
});
