/**
 * Stop during a view download (vscode-ext/src/notebook/run-sql.ts): the cell runner hands its
 * signal to the gateway download, so Stop ends the download at once and the cell fails saying it
 * was stopped; a download that does not end on the signal is not waited for, and a stopped run
 * never loads the view, even when its bytes arrive afterwards. Against a real gateway.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ErrorOutput } from '@privet/core';
import { startTestGateway, EXPERIMENT, type TestGateway } from '../gateway/http/fixture.js';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { SqlEngine } from '../../vscode-ext/src/sql/engine.js';
import { SqlCellRunner, type CellRunResult } from '../../vscode-ext/src/notebook/run-sql.js';
import { DUCKDB_WASM_DIR as wasmDir } from '../duckdb-node.js';
import { slowDownloads } from '../slow-client.js';
import { heldDownloads } from './held-downloads.js';

const SQL = 'SELECT COUNT(*) AS n FROM people_masked';
/** Event-loop turns a stopped run may take to end (it ends in a few microtasks). */
const TURNS = 20;

/** A SqlEngine whose view loads are counted. */
function countingEngine(): { engine: SqlEngine; loads: string[] } {
  const engine = new SqlEngine(wasmDir);
  const loads: string[] = [];
  const load = engine.loadView.bind(engine);
  engine.loadView = (name, ipc, version, scope) => {
    loads.push(name);
    return load(name, ipc, version, scope);
  };
  return { engine, loads };
}

/** The error text of a failed run. */
function errorText(result: CellRunResult): string {
  assert.equal(result.kind, 'error', JSON.stringify(result.outputs));
  const err = result.outputs[0] as ErrorOutput;
  return `${err.ename}: ${err.evalue}`;
}

describe('Stop during a view download', () => {
  let t: TestGateway;

  before(async () => {
    t = await startTestGateway();
  });
  after(async () => t.stop());

  it('ends the download through its signal and fails the cell as stopped, loading nothing', async () => {
    const client = heldDownloads(new GatewayClient(t.gateway.url, t.gateway.tokens.ana!));
    const { engine, loads } = countingEngine();
    const stop = new AbortController();
    const run = new SqlCellRunner(client, engine, EXPERIMENT).run(SQL, stop.signal);
    try {
      await client.waiting;
      assert.equal(client.signals.length, 1);
      assert.ok(client.signals[0] instanceof AbortSignal, 'the download was given a signal');
      stop.abort();
      assert.equal(client.signals[0].aborted, true, "Stop aborts the download's signal");
      const text = errorText(await run);
      assert.match(text, /^Interrupt error: the query was stopped \(Stop in the notebook\)/);
      assert.match(text, /Fix: run the cell again/);
      assert.equal(client.completed(), 0, 'the download never completed');
      assert.deepEqual(loads, [], 'the view was not loaded');
      assert.equal(engine.loadedViews.has('people_masked'), false);
    } finally {
      client.release();
      await run;
    }
    // The next run (not stopped) downloads and loads it.
    const again = await new SqlCellRunner(client, engine, EXPERIMENT).run(SQL);
    assert.equal(again.kind, 'rows', JSON.stringify(again.outputs));
    assert.deepEqual(loads, ['people_masked']);
  });

  it('does not wait for a download that ignores the signal, nor load it when it arrives', async () => {
    const client = slowDownloads(new GatewayClient(t.gateway.url, t.gateway.tokens.ana!));
    const download = client.viewArrow.bind(client);
    const downloads: Promise<unknown>[] = [];
    client.viewArrow = (name, experiment) => {
      const bytes = download(name, experiment);
      downloads.push(bytes);
      return bytes;
    };
    const { engine, loads } = countingEngine();
    const stop = new AbortController();
    let ended = false;
    const run = new SqlCellRunner(client, engine, EXPERIMENT)
      .run(SQL, stop.signal)
      .finally(() => (ended = true));
    try {
      await client.waiting;
      stop.abort();
      for (let turn = 0; turn < TURNS && !ended; turn++) await nextTurn();
      assert.equal(ended, true, 'the run ended while the download was still held');
      assert.match(errorText(await run), /the query was stopped \(Stop in the notebook\)/);
      // The bytes arrive after the stop: they are dropped, not loaded.
      client.release();
      await Promise.all(downloads);
      for (let turn = 0; turn < TURNS; turn++) await nextTurn();
      assert.deepEqual(loads, [], 'the stopped run did not load the view');
      assert.equal(engine.loadedViews.has('people_masked'), false);
    } finally {
      client.release();
      await run;
    }
  });

  it('runs nothing once stopped before the download starts', async () => {
    const client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    let downloads = 0;
    const download = client.viewArrow.bind(client);
    client.viewArrow = (...args) => {
      downloads += 1;
      return download(...args);
    };
    const { engine, loads } = countingEngine();
    const text = errorText(
      await new SqlCellRunner(client, engine, EXPERIMENT).run(SQL, AbortSignal.abort()),
    );
    assert.match(text, /the query was stopped \(Stop in the notebook\)/);
    assert.equal(downloads, 0, 'no download started');
    assert.deepEqual(loads, []);
  });
});
