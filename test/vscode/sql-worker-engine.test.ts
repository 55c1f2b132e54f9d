/**
 * The notebook's SQL engine in a worker thread (vscode-ext/src/sql/worker-engine.ts), with the
 * real duckdb-wasm: a long query leaves the calling thread free and interrupt() stops it (the
 * views are fetched again), DuckDB's errors arrive intact, the host keeps the scope check, and a
 * worker that exits on its own fails the pending call clearly and is replaced on the next call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { SqlEngine, SqlError } from '../../vscode-ext/src/sql/engine.js';
import { WorkerSqlEngine } from '../../vscode-ext/src/sql/worker-engine.js';
import { TS_WORKER } from './ts-worker.js';

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
/** A statement that would count for days: it only ends when stopped. */
const ENDLESS = 'SELECT count(*) AS n FROM range(1000000000000000)';
const TIMEOUT = { timeout: 60_000 };

/** A small view as the gateway sends it: an Arrow IPC stream. */
function peopleIpc(): Uint8Array {
  return tableToIPC(tableFromArrays({ city: ['Lima', 'Oslo', 'Lima'] }), 'stream');
}

/** The outcome of a call: its value, or the error it rejected with. */
function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe('WorkerSqlEngine: SQL off the extension host thread', () => {
  it('leaves the calling thread responsive while a long query runs', TIMEOUT, async () => {
    const engine = new WorkerSqlEngine(wasmDir, TS_WORKER);
    try {
      await engine.query('SELECT 1 AS warm');
      let settled = false;
      // Seconds of work (on this thread it would block every timer until done, then fail here).
      const long = 'SELECT sum(range % 7) AS n FROM range(1000000000)';
      const running = settle(engine.query(long)).finally(() => (settled = true));
      // Timers keep firing on this thread while DuckDB sums in the worker.
      for (let i = 0; i < 3; i++) {
        await sleep(20);
        assert.equal(settled, false, 'a timer fired while the query was still running');
      }
      assert.equal(engine.interrupt(), true);
      assert.ok((await running).error instanceof SqlError);
    } finally {
      engine.dispose();
    }
  });

  it('interrupt() stops the query; the next query runs in a fresh worker', TIMEOUT, async () => {
    const engine = new WorkerSqlEngine(wasmDir, TS_WORKER);
    const client = {};
    const scope = { client, experiment: 'e1' };
    try {
      assert.equal(engine.interrupt(), false, 'nothing running');
      await engine.enterScope(client, 'e1');
      await engine.loadView('people', peopleIpc(), 'v1', scope);
      assert.equal(engine.hasView('people', 'v1'), true);
      const running = settle(engine.query(ENDLESS));
      await sleep(20);
      assert.equal(engine.interrupt(), true, 'a statement was running');
      const { error } = await running;
      assert.ok(error instanceof SqlError, String(error));
      assert.equal(error.kind, 'Interrupt');
      assert.match(error.message, /the query was stopped \(Stop in the notebook\)/);
      assert.match(error.fix ?? '', /add a LIMIT or an aggregate.*run the cell again/);
      // Every view is forgotten: the next run fetches (and the gateway records) it again.
      assert.equal(engine.hasView('people', 'v1'), false);
      assert.equal(engine.loadedViews.size, 0);
      assert.equal(engine.interrupt(), false, 'nothing running any more');
      assert.deepEqual((await engine.query('SELECT 1 AS one')).rows, [['1']]);
      const gone = await settle(engine.query('SELECT * FROM people'));
      assert.ok(gone.error instanceof SqlError, 'the new worker has no table "people"');
      await engine.enterScope(client, 'e1');
      await engine.loadView('people', peopleIpc(), 'v1', scope);
      assert.deepEqual((await engine.query('SELECT count(*) AS n FROM people')).rows, [['3']]);
    } finally {
      engine.dispose();
    }
  });

  it(
    'rebuilds DuckDB errors as the same SqlError (message, kind, offset, fix)',
    TIMEOUT,
    async () => {
      const engine = new WorkerSqlEngine(wasmDir, TS_WORKER);
      const local = new SqlEngine(wasmDir);
      const fields = (e: unknown): object => {
        assert.ok(e instanceof SqlError, String(e));
        return { name: e.name, message: e.message, kind: e.kind, offset: e.offset, fix: e.fix };
      };
      try {
        for (const sql of [
          'SELECT city FRM people',
          "SELECT CAST(x AS INTEGER) FROM (VALUES ('abc')) t(x)",
        ]) {
          const remote = await settle(engine.query(sql));
          const here = await settle(local.query(sql));
          assert.deepEqual(fields(remote.error), fields(here.error), sql);
        }
        const syntax = await settle(engine.query('SELECT city FRM people'));
        assert.ok(syntax.error instanceof SqlError);
        assert.equal(syntax.error.kind, 'Parser');
        assert.equal(typeof syntax.error.offset, 'number', 'the offset arrives');
        const parse = await settle(engine.tablesIn('SELECT FROM WHERE ('));
        assert.deepEqual(
          fields(parse.error),
          fields((await settle(local.tablesIn('SELECT FROM WHERE ('))).error),
        );
      } finally {
        engine.dispose();
      }
    },
  );

  it('loads a view and queries it; the host refuses a load for a scope left', TIMEOUT, async () => {
    const engine = new WorkerSqlEngine(wasmDir, TS_WORKER);
    const [ana, rev] = [{}, {}];
    try {
      await engine.enterScope(ana, 'e1');
      const ipc = peopleIpc();
      await engine.loadView('people', ipc, 'v1', { client: ana, experiment: 'e1' });
      assert.equal(ipc.byteLength, 0, 'the Arrow bytes were moved to the worker, not copied');
      const result = await engine.query(
        'SELECT city, count(*) AS n FROM people GROUP BY city ORDER BY city',
      );
      assert.deepEqual(result.columns, ['city', 'n']);
      assert.deepEqual(result.rows, [
        ['Lima', '2'],
        ['Oslo', '1'],
      ]);
      assert.deepEqual(await engine.tablesIn('SELECT * FROM people'), ['people']);

      // Another sign-in: ana's view is dropped, and a download of hers arriving late is refused.
      await engine.enterScope(rev, 'e1');
      assert.equal(engine.hasView('people', 'v1'), false);
      await assert.rejects(
        engine.loadView('people', peopleIpc(), 'v1', { client: ana, experiment: 'e1' }),
        /arrived after the sign-in or experiment changed, so it was not loaded\. Fix: run the cell again/,
      );
      // A load still on its way when the scope changes is refused and dropped too.
      const loading = engine.loadView('people', peopleIpc(), 'v1', {
        client: rev,
        experiment: 'e1',
      });
      const switching = engine.enterScope(ana, 'e2');
      await assert.rejects(loading, /arrived after the sign-in or experiment changed/);
      await switching;
      assert.equal(engine.hasView('people', 'v1'), false);
      const dropped = await settle(engine.query('SELECT * FROM people'));
      assert.ok(dropped.error instanceof SqlError, 'no table "people" left for the new scope');
    } finally {
      engine.dispose();
    }
  });

  it(
    'fails the pending call of a worker that exits on its own, then starts a new one',
    TIMEOUT,
    async () => {
      // Test-only: a module loaded into the worker before the engine wraps the engine's message
      // listener (listening itself would start the port before the engine listens) so that one
      // statement exits the worker, as a crash would.
      const crash = encodeURIComponent(
        "import { parentPort } from 'node:worker_threads';" +
          'const on = parentPort.on.bind(parentPort);' +
          "parentPort.on = (event, listener) => on(event, event !== 'message' ? listener : (m) => {" +
          "  if (m.sql === 'SELECT 7 AS crash') process.exit(7);" +
          '  listener(m);' +
          '});',
      );
      const engine = new WorkerSqlEngine(wasmDir, {
        ...TS_WORKER,
        execArgv: [...TS_WORKER.execArgv!, '--import', `data:text/javascript,${crash}`],
      });
      const client = {};
      try {
        await engine.enterScope(client, 'e1');
        await engine.loadView('people', peopleIpc(), 'v1', { client, experiment: 'e1' });
        const { error } = await settle(engine.query('SELECT 7 AS crash'));
        assert.ok(error instanceof SqlError, String(error));
        assert.match(error.message, /the Privet SQL engine stopped unexpectedly \(exit code 7\)/);
        assert.match(error.fix ?? '', /run the cell again/);
        assert.equal(engine.hasView('people', 'v1'), false, 'its views are fetched again');
        assert.deepEqual((await engine.query('SELECT 2 AS two')).rows, [['2']]);
      } finally {
        engine.dispose();
      }
    },
  );

  it('fails calls clearly when the worker cannot start (never hangs)', TIMEOUT, async () => {
    const engine = new WorkerSqlEngine(wasmDir, { script: '/nonexistent/sql-worker.cjs' });
    try {
      const { error } = await settle(engine.query('SELECT 1'));
      assert.ok(error instanceof SqlError, String(error));
      assert.match(error.message, /stopped unexpectedly \(exit code 1, ERR_|stopped unexpectedly/);
    } finally {
      engine.dispose();
    }
  });
});
