/**
 * The Privet SQL controller's "Run and spend" (vscode-ext/src/notebook/controller.ts) spends only
 * the dry run shown: the cell's text, gateway and experiment as they were priced. A dry run priced
 * in one experiment is not spent in another the user switched to meanwhile, and the notice names
 * the cost per source. Stop in the notebook stops the running statement (its worker thread), or
 * the view download under way (without loading the view).
 * Against a real gateway, with an in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type { DpQueryBody } from '@privet/core/protocol';
import type * as Fake from './fake-vscode/index.js';
import { startTestGateway, EXPERIMENT, type TestGateway } from '../gateway/http/fixture.js';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { heldDownloads } from './held-downloads.js';
import { TS_WORKER } from './ts-worker.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { PrivetSqlController } = await import('../../vscode-ext/src/notebook/controller.js');
const { HeldOutputs } = await import('../../vscode-ext/src/notebook/held.js');
const { Approvals } = await import('../../vscode-ext/src/notebook/approvals.js');
const { PrivetCellStatusBar } = await import('../../vscode-ext/src/notebook/status-bar.js');
const { WorkerSqlEngine } = await import('../../vscode-ext/src/sql/worker-engine.js');

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
const DP_SQL = 'SELECT COUNT(*) AS n FROM people_dp';

describe('Privet SQL controller: Run and spend', () => {
  let t: TestGateway;
  let client: GatewayClient;
  const spent: DpQueryBody[] = [];
  const changed = new fake.EventEmitter<void>();
  const session = {
    signedIn: undefined as { client: GatewayClient; experiment: string | undefined } | undefined,
    onDidChange: changed.event,
    restoredWithin: () => Promise.resolve(true),
    refresh: () => undefined,
  };

  before(async () => {
    t = await startTestGateway();
    client = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    const dpQuery = client.dpQuery.bind(client);
    client.dpQuery = (body) => {
      if (!body.dryRun) spent.push(body);
      return dpQuery(body);
    };
    session.signedIn = { client, experiment: EXPERIMENT };
  });
  after(async () => t.stop());

  /** The controller over the test session, its SQL worker started from the TypeScript entry. */
  const newController = (): InstanceType<typeof PrivetSqlController> =>
    new PrivetSqlController(
      session as never,
      new HeldOutputs(),
      new Approvals(),
      wasmDir,
      TS_WORKER,
    );

  it('knows the notebooks whose kernel is Privet SQL, and those that left it, as VS Code selects and unselects it', () => {
    const controller = newController();
    const fakeController = fake.notebookControllers.at(-1)!;
    const notebook = new fake.FakeNotebook('selected');
    const other = new fake.FakeNotebook('other');
    try {
      assert.equal(controller.isSelectedFor(notebook as never), false);
      assert.equal(controller.hasOtherKernel(notebook as never), false, 'none picked yet');
      fakeController.selection.fire({ notebook, selected: true });
      assert.equal(controller.isSelectedFor(notebook as never), true);
      assert.equal(controller.isSelectedFor(other as never), false);
      fakeController.selection.fire({ notebook, selected: false });
      assert.equal(controller.isSelectedFor(notebook as never), false, 'another kernel picked');
      assert.equal(controller.hasOtherKernel(notebook as never), true);
      assert.equal(controller.hasOtherKernel(other as never), false);
      fakeController.selection.fire({ notebook, selected: true });
      assert.equal(controller.hasOtherKernel(notebook as never), false, 'Privet SQL again');
    } finally {
      controller.dispose();
    }
  });

  it('spends the dry run shown, and not once the user switched experiments', async () => {
    const controller = newController();
    const notebook = new fake.FakeNotebook('controller');
    const cell = notebook.addCell(DP_SQL);
    try {
      fake.shownMessages.length = 0;
      await controller.execute(cell as never, notebook as never, false);
      assert.ok(controller.currentDryRun(cell as never), 'priced for this experiment');
      assert.equal(spent.length, 0, 'a dry run spends nothing');
      const notice = fake.shownMessages.find((m) => m.includes('would spend'));
      assert.match(notice ?? '', /would spend ε = 0\.5 on people\b/, 'the cost per source');

      // The user switches experiments: the dry run priced for exp1 is not spent in the other.
      session.signedIn = { client, experiment: 'exp-other' };
      changed.fire();
      assert.equal(controller.currentDryRun(cell as never), undefined);
      fake.shownMessages.length = 0;
      await controller.runAndSpend(cell as never);
      assert.equal(spent.length, 0, 'nothing spent in the experiment the user switched to');
      assert.match(fake.shownMessages.join('\n'), /priced for another experiment or gateway/);

      // Back, and priced again: Run and spend spends exactly that.
      session.signedIn = { client, experiment: EXPERIMENT };
      changed.fire();
      await controller.execute(cell as never, notebook as never, false);
      await controller.runAndSpend(cell as never);
      assert.deepEqual(
        spent.map((b) => [b.experiment, b.sql]),
        [[EXPERIMENT, DP_SQL]],
      );
      assert.match(spent[0]!.planHash ?? '', /^[0-9a-f]{16,}$/, 'held to the plan it priced');
      assert.equal(controller.currentDryRun(cell as never), undefined, 'spent: no dry run left');
    } finally {
      spent.length = 0;
      controller.dispose();
    }
  });

  it('a cell edited, or an experiment switched, while its dry run is out is not offered or spent', async () => {
    const controller = newController();
    const notebook = new fake.FakeNotebook('edited-while-priced');
    const cell = notebook.addCell(DP_SQL);
    const edited = `-- privet: epsilon=0.9\n${DP_SQL}`;
    const dpQuery = client.dpQuery;
    try {
      // The user edits the cell while the gateway prices the text it was sent.
      client.dpQuery = (body, options) => {
        Object.assign(cell.document, { getText: () => edited });
        return dpQuery(body, options);
      };
      fake.shownMessages.length = 0;
      await controller.execute(cell as never, notebook as never, false);
      assert.equal(controller.currentDryRun(cell as never), undefined, 'priced text ≠ cell text');
      assert.doesNotMatch(fake.shownMessages.join('\n'), /would spend/, 'no Run and Spend offered');
      await controller.runAndSpend(cell as never);
      assert.deepEqual(spent, [], 'the edited text, never priced, is not spent');

      // Same with an experiment switch while it is priced.
      const second = notebook.addCell(DP_SQL);
      client.dpQuery = (body, options) => {
        session.signedIn = { client, experiment: 'exp-other' };
        return dpQuery(body, options);
      };
      fake.shownMessages.length = 0;
      await controller.execute(second as never, notebook as never, false);
      assert.doesNotMatch(fake.shownMessages.join('\n'), /would spend/);
      await controller.runAndSpend(second as never);
      assert.deepEqual(spent, [], 'nothing spent in the experiment switched to');
    } finally {
      client.dpQuery = dpQuery;
      session.signedIn = { client, experiment: EXPERIMENT };
      controller.dispose();
    }
  });

  it('does not offer Run and Spend when the budget cannot pay: says what is short and the fix', async () => {
    const controller = newController();
    const statusBar = new PrivetCellStatusBar(controller, new HeldOutputs());
    const notebook = new fake.FakeNotebook('unaffordable');
    // The experiment's budget on people is ε 1: this query asks for 2.
    const cell = notebook.addCell(`-- privet: epsilon=2\n${DP_SQL}`);
    const spentBefore = spent.length;
    try {
      fake.shownMessageDetails.length = 0;
      await controller.execute(cell as never, notebook as never, false);
      assert.equal(spent.length, spentBefore, 'a dry run spends nothing');
      // The notification: what is short and the fix, no button that would be refused.
      const notices = fake.shownMessageDetails.filter((m) => m.message.includes('cell 1'));
      assert.equal(notices.length, 1, JSON.stringify(fake.shownMessageDetails));
      assert.deepEqual(notices[0]!.items, [], 'no Run and Spend button');
      assert.match(
        notices[0]!.message,
        /cannot be spent: the query needs ε=2 on people \([\d.]+ left\)/,
      );
      assert.match(notices[0]!.message, /Fix: ask for less ε .*ask a steward for a larger budget/);
      // The output: no "Run and Spend", the same reason and fix.
      const text = new TextDecoder().decode(cell.outputs[0]!.items[0]!.data);
      assert.match(text, /NOT affordable/);
      assert.doesNotMatch(text, /Run and Spend/i);
      assert.match(
        text,
        /Not affordable, .*: the query needs ε=2 on people \([\d.]+ left\).*Fix: ask for less ε/,
      );
      // The cell status bar: no Run and Spend, a "Not affordable" item with the reason instead.
      const items = statusBar.provideCellStatusBarItems(cell as never);
      assert.deepEqual(
        items.map((i) => i.command),
        [{ command: 'workbench.view.extension.privet', title: 'Show the Privet budget' }],
      );
      assert.match(items[0]!.text, /Not affordable/);
      assert.match(
        String(items[0]!.tooltip),
        /needs ε=2 on people \([\d.]+ left\)\. Fix: ask for less ε/,
      );
      // Run and Spend through the palette is refused the same way, and spends nothing.
      fake.shownMessages.length = 0;
      await controller.runAndSpend(cell as never);
      assert.equal(spent.length, spentBefore, 'nothing spent');
      assert.match(fake.shownMessages.join('\n'), /cannot be spent: the query needs ε=2/);
    } finally {
      statusBar.dispose();
      controller.dispose();
    }
  });

  it(
    'Stop ends the running cell as failed, saying so, and skips the cells after it',
    {
      timeout: 60_000,
    },
    async () => {
      const controller = newController();
      const handle = fake.notebookControllers.at(-1)!;
      const notebook = new fake.FakeNotebook('stop');
      const endless = notebook.addCell('SELECT count(*) AS n FROM range(1000000000000000)');
      const next = notebook.addCell('SELECT 1 AS one');
      const { query, interrupt } = WorkerSqlEngine.prototype;
      let started: () => void = () => undefined;
      const running = new Promise<void>((resolve) => (started = resolve));
      const interrupted: boolean[] = [];
      WorkerSqlEngine.prototype.query = function (
        this: InstanceType<typeof WorkerSqlEngine>,
        sql: string,
      ) {
        const result = query.call(this, sql);
        started();
        return result;
      };
      WorkerSqlEngine.prototype.interrupt = function (this: InstanceType<typeof WorkerSqlEngine>) {
        const stopped = interrupt.call(this);
        interrupted.push(stopped);
        return stopped;
      };
      try {
        assert.equal(typeof handle.interruptHandler, 'function', 'Stop is handled');
        const run = Promise.resolve(handle.executeHandler!([endless, next], notebook));
        await Promise.race([running, run]);
        await handle.interruptHandler!(notebook);
        await run;
        assert.deepEqual(interrupted, [true], 'Stop stopped the running statement');
        const execution = handle.executions.find((e) => e.cell === endless);
        assert.equal(execution?.succeeded, false, 'the stopped cell failed');
        const text = new TextDecoder().decode(endless.outputs[0]!.items[0]!.data);
        assert.match(text, /the query was stopped \(Stop in the notebook\).*Fix: add a LIMIT/);
        assert.equal(
          handle.executions.some((e) => e.cell === next),
          false,
          'the cells after it did not run',
        );
      } finally {
        WorkerSqlEngine.prototype.query = query;
        WorkerSqlEngine.prototype.interrupt = interrupt;
        controller.dispose();
      }
    },
  );

  it(
    'Stop during a view download ends it at once, loads nothing, and skips the cells after it',
    { timeout: 60_000 },
    async () => {
      const held = heldDownloads(new GatewayClient(t.gateway.url, t.gateway.tokens.ana!));
      session.signedIn = { client: held, experiment: EXPERIMENT };
      changed.fire();
      const controller = newController();
      const handle = fake.notebookControllers.at(-1)!;
      const notebook = new fake.FakeNotebook('stop-download');
      const downloading = notebook.addCell('SELECT COUNT(*) AS n FROM people_masked');
      const next = notebook.addCell('SELECT 1 AS one');
      const { loadView } = WorkerSqlEngine.prototype;
      const loads: string[] = [];
      WorkerSqlEngine.prototype.loadView = function (
        this: InstanceType<typeof WorkerSqlEngine>,
        ...args: Parameters<typeof loadView>
      ) {
        loads.push(args[0]);
        return loadView.apply(this, args);
      };
      const run = Promise.resolve(handle.executeHandler!([downloading, next], notebook));
      try {
        await held.waiting;
        await handle.interruptHandler!(notebook);
        assert.equal(held.signals[0]?.aborted, true, "Stop aborted the download's signal");
        await run;
        assert.equal(held.completed(), 0, 'the download never completed');
        assert.deepEqual(loads, [], 'the view was not loaded');
        const execution = handle.executions.find((e) => e.cell === downloading);
        assert.equal(execution?.succeeded, false, 'the stopped cell failed');
        const text = new TextDecoder().decode(downloading.outputs[0]!.items[0]!.data);
        assert.match(
          text,
          /the query was stopped \(Stop in the notebook\).*Fix: run the cell again/,
        );
        assert.equal(
          handle.executions.some((e) => e.cell === next),
          false,
          'the cells after it did not run',
        );
        // Run again, not stopped: the cell gets a signal of its own and loads the view.
        held.release();
        await controller.execute(downloading as never, notebook as never, false);
        assert.deepEqual(loads, ['people_masked']);
        assert.equal(handle.executions.at(-1)?.succeeded, true);
      } finally {
        held.release();
        await run;
        WorkerSqlEngine.prototype.loadView = loadView;
        session.signedIn = { client, experiment: EXPERIMENT };
        changed.fire();
        controller.dispose();
      }
    },
  );

  it("shows a view download's progress in the status bar, and nothing for a run without one", async () => {
    const controller = newController();
    const notebook = new fake.FakeNotebook('progress');
    try {
      fake.shownProgress.length = 0;
      fake.progressReports.length = 0;
      const cell = notebook.addCell('SELECT COUNT(*) AS n FROM people_masked');
      await controller.execute(cell as never, notebook as never, false);
      assert.deepEqual(fake.shownProgress, ['Privet']);
      const messages = fake.progressReports.map((r) => (r as { message: string }).message);
      assert.ok(messages.length >= 2, messages.join(' | '));
      assert.match(messages[0]!, /^Loading people_masked from the gateway… 0 kB of [1-9]\d* kB$/);
      const total = /of (\d+ kB)$/.exec(messages[0]!)![1];
      assert.equal(messages.at(-1), `Loading people_masked from the gateway… ${total} of ${total}`);
      // Loaded now: the next run downloads nothing and shows no progress.
      fake.shownProgress.length = 0;
      await controller.execute(cell as never, notebook as never, false);
      assert.deepEqual(fake.shownProgress, []);
    } finally {
      controller.dispose();
    }
  });

  it('runs the next cell under a new sign-in, not the one before it', async () => {
    const controller = newController();
    const notebook = new fake.FakeNotebook('sign-in');
    const cell = notebook.addCell(DP_SQL);
    const calls: string[] = [];
    const watched = (user: string): GatewayClient => {
      const c = new GatewayClient(t.gateway.url, t.gateway.tokens[user]!);
      const dpQuery = c.dpQuery.bind(c);
      c.dpQuery = (body) => {
        calls.push(user);
        return dpQuery(body);
      };
      return c;
    };
    try {
      session.signedIn = { client: watched('ana'), experiment: EXPERIMENT };
      changed.fire();
      await controller.execute(cell as never, notebook as never, false);
      assert.deepEqual(calls, ['ana']);
      // Signed in again as another user; the workspace keeps the same experiment.
      session.signedIn = { client: watched('rev'), experiment: EXPERIMENT };
      changed.fire();
      await controller.execute(cell as never, notebook as never, false);
      assert.deepEqual(calls, ['ana', 'rev'], 'the second run used the new sign-in');
    } finally {
      session.signedIn = { client, experiment: EXPERIMENT };
      controller.dispose();
    }
  });
});
