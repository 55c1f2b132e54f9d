/**
 * The data panel's in-browser SQL (jupyter-ext panel/DataPanelApp.tsx with panel/useSqlRun.ts):
 * only the newest run's outcome is shown (an older query that finishes last never overwrites it),
 * a query still out at a sign-out, another sign-in or another experiment never shows its rows or
 * error afterwards, the panel says a query is running (Run stays focusable while it ignores
 * clicks and Ctrl+Enter), and the result table's scroll region is reachable by keyboard
 * (panel/ResultTable.tsx). Stop and Esc end the running query, and a superseded run or one of a
 * former scope is stopped too. The panel is rendered whole with react-dom's client renderer on the
 * fake DOM (react-fake-dom.ts), with a fake SQL engine whose queries the test answers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as React from 'react';
import { Signal } from '@lumino/signaling';
import { html, load } from './render.js';

import {
  button,
  createRoot,
  dispatch,
  dispatchKey,
  document,
  find,
  findAll,
  FakeElement,
  shown,
  type Component,
} from './react-fake-dom.js';

const { DataPanelApp } = await load<{ DataPanelApp: Component }>('panel/DataPanelApp.tsx');
const { ResultTable } = await load<{ ResultTable: (props: { result: Result }) => unknown }>(
  'panel/ResultTable.tsx',
);
/** The selection shared by the data panel and the budget sidebar (experiment.ts). */
interface Context {
  readonly selected: { id: string } | null;
  select(experiment: object | null): void;
}
const { ExperimentContext } = await load<{ ExperimentContext: new () => Context }>('experiment.ts');

/** A query's result as the engine gives it. */
interface Result {
  columns: string[];
  rows: (string | null)[][];
  totalRows: number;
  countStopped: boolean;
  elapsedMs: number;
}
/** A result of one column `c` with `values`, one row each. */
const resultOf = (...values: string[]): Result => ({
  columns: ['c'],
  rows: values.map((v) => [v]),
  totalRows: values.length,
  countStopped: false,
  elapsedMs: 1,
});

/** One query sent to the fake engine, answered when the test says. */
interface Pending {
  sql: string;
  /** The run's stop signal (the fake fails the query with its reason when it aborts). */
  signal: AbortSignal | undefined;
  answer(result: Result): void;
  fail(error: Error): void;
}
/** An SQL engine whose queries wait for the test (the views are known, none needs loading). */
function fakeEngine() {
  const queries: Pending[] = [];
  const engine = {
    isStarted: true,
    enterScope: () => Promise.resolve(),
    tablesIn: () => Promise.resolve([]),
    hasView: () => true,
    loadView: () => Promise.resolve(),
    query: (sql: string, signal?: AbortSignal) =>
      new Promise<Result>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
        queries.push({ sql, signal, answer: resolve, fail: reject });
      }),
  };
  return { engine, queries };
}

const alpha = {
  id: 'exp-alpha',
  title: 'Alpha study',
  state: 'running',
  views: ['people_masked', 'visits_masked'],
};
const beta = { ...alpha, id: 'exp-beta', title: 'Beta study' };
const view = (name: string) => ({
  name,
  tier: 'masked',
  source: 'people',
  published: true,
  columns: [],
});
/** A signed-in user (a new object per sign-in, as the session makes them) of a gateway. */
const signedInAs = (user: string) => ({
  token: `pvt_${user}_token`,
  user: { user, name: user, roles: ['analyst'] },
  client: {
    listExperiments: () => Promise.resolve({ experiments: [alpha, beta] }),
    listViews: () => Promise.resolve({ views: [view('people_masked'), view('visits_masked')] }),
  },
});
/** A session as the panel reads it: signIn and signOut change it and signal. */
function fakeSession(user: ReturnType<typeof signedInAs> | null) {
  const session = {
    signedIn: user,
    changed: new Signal<object, unknown>({}),
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
    signIn(next: ReturnType<typeof signedInAs>) {
      session.signedIn = next;
      session.changed.emit(next);
    },
    signOut() {
      session.signedIn = null;
      session.changed.emit(null);
    },
  };
  return session;
}

/** Lets the work under way (gateway answers, runSql's awaits) come in until `done`, or gives up. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn += 1) {
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
  }
  assert.ok(done(), 'waited for the panel');
}

/** The data panel rendered for `user`, with the fake engine, and what the test looks at. */
async function panel(user = signedInAs('ana')) {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const session = fakeSession(user);
  const context = new ExperimentContext();
  const { engine, queries } = fakeEngine();
  const noop = (): Promise<void> => Promise.resolve();
  await React.act(async () =>
    root.render(
      React.createElement(DataPanelApp, {
        session,
        engine,
        gatewayUrl: 'http://gw',
        context,
        onUseInNotebook: noop,
        onRelease: noop,
      }),
    ),
  );
  const text = () => shown(container);
  const sqlBox = () => find(container, (e) => e.tagName === 'TEXTAREA');
  /** Waits until the views are listed and the SQL box holds the first one's query. */
  const ready = () => until(() => /people_masked/.test(text()) && sqlBox().value !== '');
  await ready();
  return {
    container,
    session,
    context,
    queries,
    text,
    sqlBox,
    ready,
    run: button(container, 'Run'),
    status: () => find(container, (e) => e.getAttribute('class') === 'jp-Privet-status'),
    table: () => findAll(container, (e) => e.getAttribute('role') === 'region'),
    /** Clicks Run and waits for the query to reach the engine. */
    clickRun: async () => {
      const sent = queries.length;
      await React.act(async () => dispatch(button(container, 'Run'), 'click'));
      await until(() => queries.length > sent);
    },
    /** Clicks the Preview of view `name` and waits for its query to reach the engine. */
    preview: async (name: string) => {
      const sent = queries.length;
      const card = find(container, (e) => e.getAttribute('data-view') === name);
      await React.act(async () => dispatch(button(card, 'Preview'), 'click'));
      await until(() => queries.length > sent);
    },
    /** Lets answers given by the test come in. */
    settle: () => React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1))),
    unmount: () => React.act(async () => root.unmount()),
  };
}

describe('data panel SQL: only the newest run is shown', () => {
  test('two runs where the first finishes last: only the second one\u2019s rows', async () => {
    const p = await panel();
    await p.clickRun();
    await p.preview('visits_masked'); // a second query while the first still runs
    const [first, second] = p.queries;
    assert.equal(first!.sql, 'SELECT * FROM people_masked LIMIT 20');
    assert.equal(second!.sql, 'SELECT * FROM "visits_masked" LIMIT 100');

    second!.answer(resultOf('second'));
    await p.settle();
    assert.match(p.text(), /1 row · 1 ms c second$/);
    first!.answer(resultOf('first-a', 'first-b')); // the older query comes in last
    await p.settle();
    assert.match(p.text(), /1 row · 1 ms c second$/);
    assert.doesNotMatch(p.text(), /first-a/);
    assert.equal(p.table().length, 1);
    await p.unmount();
  });

  test('an older query that fails last shows no error over the newer rows', async () => {
    const p = await panel();
    await p.clickRun();
    await p.preview('visits_masked');
    const [first, second] = p.queries;
    second!.answer(resultOf('second'));
    await p.settle();
    first!.fail(new Error('Catalog Error: the first query failed'));
    await p.settle();
    assert.doesNotMatch(p.text(), /Catalog Error/);
    assert.match(p.text(), /second$/);
    await p.unmount();
  });

  test('while a query runs the panel says so; Run and Ctrl+Enter start no second one', async () => {
    const p = await panel();
    await p.clickRun();
    assert.equal(p.status().getAttribute('role'), 'status');
    assert.equal(shown(p.status()), 'Running…');
    const run = button(p.container, 'Run');
    assert.equal(run, p.run, 'the same button, so focus stays on it');
    assert.equal(run.getAttribute('aria-disabled'), 'true');
    assert.equal(run.hasAttribute('disabled'), false, 'focusable while the query runs');
    assert.equal(p.sqlBox().hasAttribute('disabled'), false, 'the SQL box stays editable');

    await React.act(async () => dispatch(run, 'click'));
    const key = await React.act(async () => dispatchKey(p.sqlBox(), 'Enter', { ctrlKey: true }));
    assert.equal(key.defaultPrevented, true, 'Ctrl+Enter adds no newline either');
    await p.settle();
    await p.settle();
    assert.equal(p.queries.length, 1, 'no second query started');

    p.queries[0]!.answer(resultOf('done'));
    await p.settle();
    assert.equal(shown(p.status()), '');
    assert.equal(button(p.container, 'Run').getAttribute('aria-disabled'), null);
    const again = await React.act(async () => dispatchKey(p.sqlBox(), 'Enter', { ctrlKey: true }));
    assert.equal(again.defaultPrevented, true);
    await until(() => p.queries.length === 2);
    await p.unmount();
  });
});

describe('data panel SQL: a query still out at a change of session or experiment', () => {
  test('pending at sign-out: when it comes in after the next sign-in, no rows are shown', async () => {
    const p = await panel();
    await p.clickRun();
    await React.act(async () => p.session.signOut());
    assert.match(p.text(), /Sign in/);
    await React.act(async () => p.session.signIn(signedInAs('ana'))); // signed in again
    await p.ready();
    assert.equal(shown(p.status()), '', 'nothing running for the new sign-in');
    p.queries[0]!.answer(resultOf('ana-secret'));
    await p.settle();
    assert.doesNotMatch(p.text(), /ana-secret|row · /);
    assert.equal(p.table().length, 0);

    await p.clickRun(); // and one that comes in while signed out
    await React.act(async () => p.session.signOut());
    p.queries[1]!.answer(resultOf('ana-secret'));
    await p.settle();
    await React.act(async () => p.session.signIn(signedInAs('ana')));
    await p.ready();
    assert.doesNotMatch(p.text(), /ana-secret|row · /);
    await p.unmount();
  });

  test('pending when another user signs in: neither its rows nor its error are shown', async () => {
    const p = await panel();
    await p.clickRun();
    await p.preview('visits_masked');
    await React.act(async () => p.session.signIn(signedInAs('bob')));
    await p.ready();
    assert.equal(shown(p.status()), '', 'the new user has nothing running');
    p.queries[0]!.fail(new Error('Catalog Error: ana_only does not exist'));
    p.queries[1]!.answer(resultOf('ana-secret'));
    await p.settle();
    assert.match(p.text(), /Signed in as bob/);
    assert.doesNotMatch(p.text(), /ana-secret|ana_only|row · /);
    await p.unmount();
  });

  test('another experiment clears the result, and a query pending then is not shown', async () => {
    const p = await panel();
    await p.clickRun();
    p.queries[0]!.answer(resultOf('alpha-rows'));
    await p.settle();
    assert.match(p.text(), /alpha-rows$/);
    await React.act(async () => p.context.select(beta));
    assert.doesNotMatch(p.text(), /alpha-rows/, 'the former experiment\u2019s rows go');

    await p.clickRun();
    await React.act(async () => p.context.select(alpha));
    await React.act(async () => p.context.select(beta)); // and back, before it comes in
    p.queries[1]!.answer(resultOf('beta-rows'));
    await p.settle();
    assert.doesNotMatch(p.text(), /beta-rows|alpha-rows|row · /);
    assert.equal(shown(p.status()), '');
    await p.unmount();
  });
});

describe('data panel SQL: Stop', () => {
  test('Stop ends the running query; the status says so, with no alert', async () => {
    const p = await panel();
    await p.clickRun();
    const stop = button(p.container, 'Stop');
    assert.match(stop.getAttribute('title') ?? '', /Esc/);
    await React.act(async () => dispatch(stop, 'click'));
    assert.equal(p.queries[0]!.signal?.aborted, true, 'the engine was told to stop');
    await p.settle();
    assert.equal(shown(p.status()), 'The query was stopped.');
    assert.equal(findAll(p.container, (e) => e.getAttribute('role') === 'alert').length, 0);
    assert.equal(
      findAll(p.container, (e) => e.tagName === 'BUTTON' && shown(e) === 'Stop').length,
      0,
      'no Stop once nothing runs',
    );
    assert.equal(button(p.container, 'Run').getAttribute('aria-disabled'), null);
    await p.unmount();
  });

  test('Esc in the SQL box stops the query (and goes no further)', async () => {
    const p = await panel();
    const idle = await React.act(async () => dispatchKey(p.sqlBox(), 'Escape'));
    assert.equal(idle.defaultPrevented, false, 'with nothing running Esc is left alone');
    await p.clickRun();
    const key = await React.act(async () => dispatchKey(p.sqlBox(), 'Escape'));
    assert.equal(key.defaultPrevented, true);
    assert.equal(p.queries[0]!.signal?.aborted, true);
    await p.settle();
    assert.equal(shown(p.status()), 'The query was stopped.');
    await p.unmount();
  });

  test('a superseded run, and one still out at a sign-out, are stopped', async () => {
    const p = await panel();
    await p.clickRun();
    await p.preview('visits_masked');
    assert.equal(p.queries[0]!.signal?.aborted, true, 'superseded by the Preview');
    assert.equal(p.queries[1]!.signal?.aborted, false);
    await p.settle();
    assert.equal(shown(p.status()), 'Running…', 'the newer run still runs');
    await React.act(async () => p.session.signOut());
    assert.equal(p.queries[1]!.signal?.aborted, true, 'stopped at the sign-out');
    await p.unmount();
  });
});

describe('result table: scrollable by keyboard', () => {
  test('the scroll region is focusable, a region, and named with its row count', async () => {
    const p = await panel();
    await p.clickRun();
    p.queries[0]!.answer(resultOf('a', 'b'));
    await p.settle();
    const [region, ...more] = p.table();
    assert.ok(region, 'the result is shown');
    assert.equal(more.length, 0);
    assert.equal(region.getAttribute('tabindex'), '0');
    assert.equal(region.getAttribute('aria-label'), 'Query result, 2 rows');
    assert.equal(region.getAttribute('class'), 'jp-Privet-tableScroll');
    await p.unmount();
  });

  test('a result whose count stopped at the ceiling says so, and how to see the rest', () => {
    const result = { ...resultOf('a', 'b'), totalRows: 1_000_000, countStopped: true };
    const markup = html(ResultTable, { result });
    assert.match(markup, /first 2 of more than 1,000,000 rows · 1 ms · add LIMIT or aggregate/);
    assert.match(markup, /aria-label="Query result, first 2 of more than 1,000,000 rows"/);
  });

  test('rendered alone: one row is "1 row"', () => {
    const markup = html(ResultTable, { result: resultOf('x') });
    assert.match(
      markup,
      /<div class="jp-Privet-tableScroll" tabindex="0" role="region" aria-label="Query result, 1 row">/,
    );
  });
});
