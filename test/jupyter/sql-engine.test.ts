/**
 * Audit of JupyterLab's in-browser SQL path (jupyter-ext engine.ts and panel/runSql.ts) against a
 * real gateway, with duckdb-wasm's blocking Node build behind the engine's async connection: a
 * re-published view is fetched again, a view fetched for a previous sign-in never serves the next
 * one, a query that fails while reading rows does not quote their values, a huge result is read
 * only as far as shown and counted, and Stop ends a download or a query that would not end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import {
  GatewayClient,
  QueryStoppedError,
  readWithProgress,
  type DownloadProgress,
} from '@privet/core/client/index';
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
  totalRows: number;
  countStopped: boolean;
}
/** The parts of an engine's started database the test provides (engine.ts `Started`). */
interface Started {
  db: { terminate: () => Promise<void> };
  conn: object;
}
/** The engine's surface used here (loaded by path: test/tsconfig.json has no JupyterLab types). */
interface Engine {
  loadedViews: ReadonlySet<string>;
  query: (sql: string, signal?: AbortSignal) => Promise<Result>;
}
type RunSql = (
  engine: Engine,
  client: GatewayClient,
  views: readonly ViewSummary[],
  experiment: { id: string; state: string; views: string[] } | null,
  sql: string,
  progress: (status: string) => void,
  signal?: AbortSignal,
) => Promise<Result>;

const { SqlEngine, MAX_DISPLAY_ROWS, STOP_GRACE_MS } = await load<{
  SqlEngine: new (starter: () => Promise<Started>) => Engine;
  MAX_DISPLAY_ROWS: number;
  STOP_GRACE_MS: number;
}>('engine.ts');
const { runSql } = await load<{ runSql: RunSql }>('panel/runSql.ts');

/**
 * A JupyterLab engine whose database is the blocking Node build behind the async connection's
 * methods, locked down the same way; `conn` overrides some of them.
 */
async function nodeEngine(overrides: object = {}): Promise<Engine & { terminated: number }> {
  const conn = await lockedNodeConnection();
  const counts = { terminated: 0 };
  const asyncConn = {
    query: async (sql: string) => conn.query(sql),
    send: async (sql: string, stream: boolean) => conn.send(sql, stream),
    cancelSent: async () => conn.cancelSent(),
    getTableNames: async (sql: string) => conn.getTableNames(sql),
    insertArrowFromIPCStream: async (ipc: Uint8Array, options: { name: string; create: boolean }) =>
      conn.insertArrowFromIPCStream(ipc, options),
    ...overrides,
  };
  const db = { terminate: async () => void (counts.terminated += 1) };
  const engine = new SqlEngine(() => Promise.resolve({ db, conn: asyncConn }));
  return Object.defineProperty(engine, 'terminated', { get: () => counts.terminated }) as Engine & {
    terminated: number;
  };
}

/** Node's fetch as the client's transport, its bodies read with progress (as the browser's). */
const TRANSPORT = {
  fetch: async (url: string, init: RequestInit) => {
    const response = await fetch(url, init);
    return Object.assign(response, {
      bytesWithProgress: (progress: DownloadProgress) => readWithProgress(response, progress),
    });
  },
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
    const statuses: string[] = [];
    const first = await runSql(engine, client, await views(), experiment, sql, (s) =>
      statuses.push(s),
    );
    // The status line follows the download: how much of how much.
    assert.match(
      statuses.join('\n'),
      /^Loading people_masked from the gateway… \d+ kB of \d+ kB$/m,
    );
    assert.deepEqual(first.rows, [[String(PEOPLE.length)]]);
    const extra = Array.from({ length: 5 }, (_, i) => `${3000 + i},y${i}@example.org,Pune,25000`);
    writePeople(t.dir, extra);
    await publishFixtureViews(t.dir, ['people_masked']);
    // The panel reloads its list after a publish; the query then sees the new version.
    const again = await runSql(engine, client, await views(), experiment, sql, quiet);
    assert.deepEqual(again.rows, [[String(PEOPLE.length + 5)]]);
  });

  it("sees a re-publish or a withdrawal the panel's list does not show yet", async () => {
    const engine = await nodeEngine();
    const shownList = await views(); // the panel's list, never reloaded below
    const sql = 'SELECT COUNT(*) AS n FROM people_masked';
    const before = Number(
      (await runSql(engine, client, shownList, experiment, sql, quiet)).rows[0]![0],
    );
    writePeople(t.dir, [`${4000},z@example.org,Pune,25000`]);
    await publishFixtureViews(t.dir, ['people_masked']);
    const after = await runSql(engine, client, shownList, experiment, sql, quiet);
    assert.notEqual(
      Number(after.rows[0]![0]),
      before,
      'the re-published rows, not the loaded ones',
    );

    // The same sign-in (the same client object), its gateway no longer listing the view: the
    // loaded rows are not queried.
    const list = client.listViews.bind(client);
    try {
      client.listViews = async () => ({
        views: shownList.filter((v) => v.name !== 'people_masked'),
      });
      await assert.rejects(
        runSql(engine, client, shownList, experiment, sql, quiet),
        /"people_masked" is no longer offered to you by the gateway.*Fix: query the views listed/,
      );
      // A gateway that cannot be asked: the views already loaded still answer.
      client.listViews = async () => Promise.reject(new Error('unreachable'));
      const offline = await runSql(engine, client, shownList, experiment, sql, quiet);
      assert.deepEqual(offline.rows, after.rows);
    } finally {
      client.listViews = list;
    }
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
    // Nor when the failing row comes while the result streams (after the first batches).
    const late =
      "SELECT CAST(CASE WHEN r.range = 300000 THEN p.email ELSE '1' END AS INTEGER) AS n " +
      'FROM range(400000) r, (SELECT email FROM people_masked LIMIT 1) p';
    await assert.rejects(runSql(engine, client, list, experiment, late, quiet), (e: Error) => {
      assert.doesNotMatch(e.message, /@|example/, e.message);
      assert.match(e.message, /DuckDB Conversion error/, 'the kind of the error DuckDB wrapped');
      assert.match((e as Error & { fix: string }).fix, /TRY_CAST/);
      return true;
    });
    // Errors about the statement itself still name what is wrong in it.
    await assert.rejects(
      runSql(engine, client, list, experiment, 'SELECT incme FROM people_masked', quiet),
      /incme/,
    );
  });

  it('keeps only the rows shown of a huge result, and counts the rest up to a ceiling', async () => {
    const engine = await nodeEngine();
    const list = await views();
    // Far more rows than memory holds (people × 10^9): read as far as shown, counted to 10^6.
    const sql = 'SELECT p.* FROM people_masked p, range(1000000000)';
    const result = await runSql(engine, client, list, experiment, sql, quiet);
    assert.equal(result.rows.length, MAX_DISPLAY_ROWS);
    assert.deepEqual([result.totalRows, result.countStopped], [1_000_000, true]);
    const small = await runSql(
      engine,
      client,
      list,
      experiment,
      'SELECT * FROM people_masked WHERE false',
      quiet,
    );
    assert.deepEqual([small.rows.length, small.totalRows, small.countStopped], [0, 0, false]);
  });

  it('ends a view download at once on Stop, and loads nothing', async () => {
    const engine = await nodeEngine();
    const list = await views();
    let downloads = 0;
    // A gateway whose view downloads never end unless the request is aborted.
    const hanging = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!, {
      ...TRANSPORT,
      fetch: (url: string, init: RequestInit) => {
        if (!url.includes('/arrow')) return fetch(url, init);
        downloads += 1;
        return new Promise<Response>((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
      },
    });
    const stop = new AbortController();
    const sql = 'SELECT COUNT(*) AS n FROM people_masked';
    const running = runSql(engine, hanging, list, experiment, sql, quiet, stop.signal);
    for (let turn = 0; turn < 200 && downloads === 0; turn += 1)
      await new Promise((r) => setTimeout(r, 5));
    assert.equal(downloads, 1, 'the download started');
    stop.abort(new QueryStoppedError());
    await assert.rejects(
      running,
      (e: Error) => e instanceof QueryStoppedError && /was stopped/.test(e.message),
    );
    assert.equal(engine.loadedViews.has('people_masked'), false);
  });

  it('sends nothing when stopped while the engine was still starting', async () => {
    let sent = 0;
    let release: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (release = resolve));
    const conn = { send: async () => void (sent += 1), cancelSent: async () => false };
    const engine = new SqlEngine(async () => {
      await ready;
      return { db: { terminate: async () => undefined }, conn };
    });
    const stop = new AbortController();
    const asked = engine.query('SELECT 1', stop.signal);
    stop.abort(new QueryStoppedError());
    release();
    await assert.rejects(asked, (e: Error) => e instanceof QueryStoppedError);
    assert.equal(sent, 0);
  });

  it('asks DuckDB to cancel a stopped query; one that will not end loses its worker', async () => {
    // A query DuckDB would answer only after cancelling: the cancel makes it fail.
    let cancel: (error: Error) => void = () => undefined;
    const cancelled = await nodeEngine({
      send: () => new Promise((_resolve, reject) => (cancel = reject)),
      cancelSent: async () => {
        cancel(new Error('{"exception_type":"INTERRUPT","exception_message":"Interrupted!"}'));
        return true;
      },
    });
    const first = new AbortController();
    const asked = cancelled.query('SELECT 1', first.signal);
    await new Promise((r) => setTimeout(r, 5));
    first.abort(new QueryStoppedError());
    await assert.rejects(
      asked,
      (e: Error) => e instanceof QueryStoppedError && e.message === 'the query was stopped',
    );
    assert.equal(cancelled.terminated, 0, 'cancelled in place: the loaded views stay');

    // A query that ignores the cancel: after the grace period the worker is ended.
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const stuck = await nodeEngine({
        send: () => new Promise(() => undefined),
        cancelSent: async () => false,
      });
      const second = new AbortController();
      const hung = stuck.query('SELECT 1', second.signal);
      const settled = hung.then(
        () => 'answered',
        (e: Error) => e.message,
      );
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
      second.abort(new QueryStoppedError());
      mock.timers.tick(STOP_GRACE_MS - 1);
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
      assert.equal(stuck.terminated, 0, 'not before the grace period');
      mock.timers.tick(1);
      assert.match(await settled, /^the query was stopped; the SQL engine was restarted/);
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
      assert.equal(stuck.terminated, 1);
    } finally {
      mock.timers.reset();
    }
  });
});
