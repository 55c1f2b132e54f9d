/**
 * The data panel's view cards stay current without "Refresh views" (jupyter-ext
 * panel/DataPanelApp.tsx, panel/ViewList.tsx, panel/runSql.ts, panel/DataPanel.tsx): a query that
 * fetched a newer list from the gateway (a view re-published since) shows it in the cards, with no
 * further gateway call; the panel lists its views again each time it is shown and every
 * VIEWS_REFRESH_MS while shown (never while hidden or once disposed); such a refresh updates the
 * cards in place (no "Loading views…", the typed SQL and a running query untouched), and one that
 * fails keeps the cards with a note that they may be out of date; of a refresh and a query's own
 * listing, the one asked later is shown, whichever answers last (ask-order.ts). The panel is
 * rendered with react-dom's client renderer on the fake DOM (react-fake-dom.ts); the widget's
 * timer is Node's mock timer, so nothing waits on real time.
 */
import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import * as React from 'react';
import { Signal } from '@lumino/signaling';
import { load } from './render.js';

import {
  createRoot,
  dispatch,
  document,
  find,
  findAll,
  FakeElement,
  button,
  shown,
  type Component,
} from './react-fake-dom.js';

const { DataPanelApp } = await load<{ DataPanelApp: Component }>('panel/DataPanelApp.tsx');
/** The data panel widget as far as the test drives it (Lumino calls the hooks in JupyterLab). */
interface PanelWidget {
  readonly updates: number;
  render(): React.ReactElement;
  onAfterShow(msg: unknown): void;
  onAfterHide(msg: unknown): void;
  dispose(): void;
}
const { DataPanel, VIEWS_REFRESH_MS } = await load<{
  DataPanel: new (options: object) => PanelWidget;
  VIEWS_REFRESH_MS: number;
}>('panel/DataPanel.tsx');
/** The selection shared by the data panel and the budget sidebar (experiment.ts). */
interface Context {
  readonly selected: { id: string; state?: string } | null;
  select(experiment: object | null): void;
}
const { ExperimentContext } = await load<{ ExperimentContext: new () => Context }>('experiment.ts');
/** A slot of useGatewayLoad (useGatewayLoad.ts). */
interface Slot {
  of: readonly unknown[];
  load: { state: string; value?: unknown; refreshError?: unknown };
}
const slots = await load<{
  settledSlot(
    slot: Slot | null,
    of: readonly unknown[],
    load: object,
    keep: boolean,
    same?: (a: never, b: never) => boolean,
  ): Slot;
  adoptedSlot(slot: Slot | null, of: readonly unknown[], value: unknown): Slot | null;
  sameContent(a: unknown, b: unknown): boolean;
  takeNewerAnswer(
    shown: { of: readonly unknown[]; asked: number },
    current: readonly unknown[],
    of: readonly unknown[],
    asked: number,
  ): boolean;
}>('panel/useGatewayLoad.ts');
const { sameContent } = slots;
const { sameViewVersions } = await load<{
  sameViewVersions(a: object[], b: object[]): boolean;
}>('panel/runSql.ts');

const alpha = { id: 'exp-alpha', title: 'Alpha study', state: 'running', views: ['people_masked'] };

/** A published masked view whose Parquet file has the hash `hash` (the card shows 12 digits). */
const view = (name: string, hash: string, publishedAt: string) => ({
  name,
  tier: 'masked',
  source: 'people',
  published: true,
  columns: [],
  manifest: {
    view: name,
    tier: 'masked',
    source: 'people',
    sourceHash: 'source000000hash',
    policyHash: 'policy000000hash',
    parquetHash: hash,
    publishedAt,
    rows: 10,
    rowsSuppressed: 0,
    columns: [],
  },
});
const V1 = 'v1v1v1v1v1v1-first';
const V2 = 'v2v2v2v2v2v2-second';
const V3 = 'v3v3v3v3v3v3-third';
/** The gateway's list: people_masked at version `hash`, visits_masked as it always was. */
const listOf = (hash: string) => ({
  views: [
    view('people_masked', hash, hash === V1 ? '2024-05-01T10:00:00Z' : '2024-05-02T10:00:00Z'),
    view('visits_masked', 'visits000000hash', '2024-05-01T10:00:00Z'),
  ],
});

/** One answer of the fake gateway to GET /views. */
type Answer = () => Promise<unknown>;
/** The list with people_masked at version `hash`. */
const listed =
  (hash: string): Answer =>
  () =>
    Promise.resolve(listOf(hash));
/** An answer held until `release()`; `answered` turns true once it has given its list. */
function held(hash: string) {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const state = { answered: false };
  const answer: Answer = () =>
    gate.then(() => {
      state.answered = true;
      return listOf(hash);
    });
  return { answer, release: () => release(), answered: () => state.answered };
}
/** The gateway down: its error with the fix (as GatewayError carries one). */
const down: Answer = () =>
  Promise.reject(
    Object.assign(new Error('could not reach the Privet gateway at http://gw'), {
      fix: 'start the gateway (npm start)',
    }),
  );

/**
 * A signed-in analyst whose view lists come from `answers`, in order; `calls` counts them. Her
 * experiment lists come from `experiments` in order (the last one stays; none given: alpha).
 */
function analyst(answers: Answer[], experiments: object[][] = [[alpha]]) {
  const gateway = { calls: 0, experimentCalls: 0 };
  const client = {
    listExperiments: () => {
      const list = experiments[Math.min(gateway.experimentCalls, experiments.length - 1)];
      gateway.experimentCalls += 1;
      return Promise.resolve({ experiments: list });
    },
    listViews: () => {
      gateway.calls += 1;
      return (answers.shift() ?? (() => Promise.reject(new Error('an unexpected call'))))();
    },
  };
  const signedIn = { token: 'pvt_ana', user: { user: 'ana', name: 'Ana', roles: ['analyst'] } };
  return { signedIn: { ...signedIn, client }, gateway };
}

/** A session as the panel reads it, signed in as `signedIn`. */
const sessionOf = (signedIn: object) => ({
  signedIn,
  changed: new Signal<object, unknown>({}),
  restoreProblem: null,
  restoreProblemChanged: new Signal<object, unknown>({}),
});

/** One query sent to the fake engine, answered when the test says. */
interface Pending {
  sql: string;
  signal: AbortSignal | undefined;
  answer(result: object): void;
}
/** An SQL engine that has every view loaded already; its queries wait for the test. */
function fakeEngine() {
  const queries: Pending[] = [];
  const engine = {
    isStarted: true,
    loadedViews: new Set<string>(['people_masked']),
    enterScope: () => Promise.resolve(),
    // The tables a statement reads, as DuckDB's parser would find them in these simple ones.
    tablesIn: (sql: string) =>
      Promise.resolve([...sql.matchAll(/FROM\s+"?(\w+)"?/gi)].map((m) => m[1]!)),
    hasView: () => true,
    loadView: () => Promise.resolve(),
    query: (sql: string, signal?: AbortSignal) =>
      new Promise<object>((resolve) => queries.push({ sql, signal, answer: resolve })),
  };
  return { engine, queries };
}

/** Lets the work under way (gateway answers, runSql's awaits) come in until `done`, or gives up. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn += 1) {
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
  }
  assert.ok(done(), `waited for ${what}`);
}

/** Asserts `now` are the very elements of `before` (updated in place, not drawn anew). */
function assertSameCards(now: FakeElement[], before: FakeElement[], message?: string): void {
  assert.equal(now.length, before.length, message);
  now.forEach((card, i) => assert.equal(card, before[i], message));
}

/** What the tests look at in a rendered panel (`container`). */
function screen(container: FakeElement) {
  const text = () => shown(container);
  const card = (name: string) => find(container, (e) => e.getAttribute('data-view') === name);
  return {
    text,
    card,
    cards: () => findAll(container, (e) => e.getAttribute('data-view') !== null),
    /** True when people_masked's card shows the Parquet hash `hash`. */
    shows: (hash: string) => shown(card('people_masked')).includes(hash.slice(0, 12)),
    sqlBox: () => find(container, (e) => e.tagName === 'TEXTAREA'),
    status: () => shown(find(container, (e) => e.getAttribute('class') === 'jp-Privet-status')),
    stale: () => /Could not refresh the views/.test(text()),
  };
}

/** The data panel app rendered for an analyst with `answers`; `tick` re-renders it at a tick. */
async function panel(answers: Answer[], experiments?: object[][]) {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const { signedIn, gateway } = analyst(answers, experiments);
  const context = new ExperimentContext();
  const { engine, queries } = fakeEngine();
  const noop = (): Promise<void> => Promise.resolve();
  const props = { session: sessionOf(signedIn), engine, gatewayUrl: 'http://gw', context };
  const draw = (tick: number) =>
    React.act(async () =>
      root.render(
        React.createElement(DataPanelApp, {
          ...props,
          onUseInNotebook: noop,
          onRelease: noop,
          tick,
        }),
      ),
    );
  await draw(0);
  const s = screen(container);
  await until(() => /people_masked/.test(s.text()) && s.sqlBox().value !== '', 'the views');
  await React.act(async () => context.select(alpha));
  return {
    ...s,
    context,
    gateway,
    queries,
    tick: draw,
    /** Clicks Run (the run may still be listing or loading views). */
    pressRun: () => React.act(async () => dispatch(button(container, 'Run'), 'click')),
    /** Clicks Run and waits for the query to reach the engine. */
    clickRun: async () => {
      const sent = queries.length;
      await React.act(async () => dispatch(button(container, 'Run'), 'click'));
      await until(() => queries.length > sent, 'the query');
    },
    /** Types `sql` into the SQL box (as an input event). */
    type: (sql: string) =>
      React.act(async () => {
        const box = s.sqlBox();
        box.value = sql;
        dispatch(box, 'input');
      }),
    unmount: () => React.act(async () => root.unmount()),
  };
}

describe('a query that fetched a newer list of views shows it in the cards', () => {
  test('a view re-published since the panel listed it: its card shows the new version', async () => {
    const p = await panel([listed(V1), listed(V2), listed(V2)]);
    const before = p.cards();
    assert.ok(p.shows(V1));
    await p.clickRun(); // SELECT * FROM people_masked LIMIT 20: the run asks for the views
    assert.equal(p.queries[0]!.sql, 'SELECT * FROM people_masked LIMIT 20');
    await until(() => p.shows(V2), 'the card of the new version');
    assert.equal(p.gateway.calls, 2, 'the list the query fetched, not one more call');
    assertSameCards(p.cards(), before, 'the same cards, updated in place');
    assert.equal(p.status(), 'Running…', 'the query runs on');
    p.queries[0]!.answer({
      columns: [],
      rows: [],
      totalRows: 0,
      countStopped: false,
      elapsedMs: 1,
    });
    await until(() => p.status() === '', 'the first run to end');

    await p.clickRun(); // the same list again: nothing to adopt
    assert.equal(p.gateway.calls, 3, 'only the run\u2019s own call');
    assert.ok(p.shows(V2));
    assertSameCards(p.cards(), before);
    assert.equal(p.stale(), false);
    await p.unmount();
  });
});

describe('the panel lists its views again on its own', () => {
  test('a tick updates the cards in place: no Loading, typed SQL and the run untouched', async () => {
    const p = await panel([listed(V1), listed(V2)]);
    const before = p.cards();
    const box = p.sqlBox();
    await p.type('SELECT 42');
    await p.clickRun(); // names no view: the run does not list them
    assert.equal(p.gateway.calls, 1);

    await p.tick(1);
    assert.doesNotMatch(p.text(), /Loading views/, 'the cards stay while the list is fetched');
    assertSameCards(p.cards(), before);
    await until(() => p.shows(V2), 'the refreshed card');
    assert.equal(p.gateway.calls, 2);
    assertSameCards(p.cards(), before, 'the same cards, updated in place');
    assert.equal(p.sqlBox(), box, 'the same SQL box');
    assert.equal(p.sqlBox().value, 'SELECT 42', 'the typed SQL stays');
    assert.equal(p.status(), 'Running…', 'the run goes on');
    assert.equal(p.queries[0]!.signal?.aborted, false, 'and is not stopped');
    await p.unmount();
  });

  test('a refresh that fails keeps the cards with a note; the next one that works clears it', async () => {
    const p = await panel([listed(V1), down, listed(V2)]);
    const before = p.cards();
    await p.tick(1);
    await until(p.stale, 'the note of the failed refresh');
    assert.match(p.text(), /start the gateway \(npm start\)/, 'how to fix it');
    assert.doesNotMatch(p.text(), /Loading views/);
    assertSameCards(p.cards(), before, 'the cards stay');
    assert.ok(p.shows(V1));

    await p.tick(2);
    await until(() => !p.stale(), 'the note to go');
    assert.ok(p.shows(V2));
    assertSameCards(p.cards(), before);
    await p.unmount();
  });

  test('a tick lists the experiments again: an approval made meanwhile shows', async () => {
    const proposed = { ...alpha, state: 'proposed' };
    const approved = { ...alpha, state: 'approved' };
    const p = await panel([listed(V1), listed(V1)], [[proposed], [approved]]);
    await React.act(async () => p.context.select(proposed));
    assert.match(p.text(), /Alpha study \(exp-alpha\) · proposed/);
    assert.match(p.text(), /Unavailable: experiment "exp-alpha" is proposed/);
    const calls = p.gateway.experimentCalls;
    await p.tick(1);
    await until(() => p.context.selected?.state === 'approved', 'the approval');
    assert.equal(p.gateway.experimentCalls, calls + 1, 'one more list per tick');
    assert.match(p.text(), /Alpha study \(exp-alpha\) · approved/);
    assert.doesNotMatch(p.text(), /is proposed/, 'the views follow the approval');
    assert.doesNotMatch(p.text(), /Loading experiments/);
    await p.unmount();
  });

  test('a newer list never refills an SQL box the user emptied', async () => {
    const p = await panel([listed(V1), listed(V2)]);
    await p.type('');
    await p.tick(1);
    await until(() => p.shows(V2), 'the refreshed card');
    assert.equal(p.sqlBox().value, '');
    await p.unmount();
  });
});

describe('an answer asked earlier never replaces one asked later', () => {
  /** Lets answers already given reach the panel (a few turns; nothing else is pending). */
  const settle = async (): Promise<void> => {
    for (let turn = 0; turn < 5; turn += 1) {
      await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
    }
  };

  test('a refresh sent before a query listed the views answers last: the query\u2019s list stays', async () => {
    const refresh = held(V1);
    const p = await panel([listed(V1), refresh.answer, listed(V2)]);
    await p.tick(1); // the poll asks; its answer (the old list) is held
    await until(() => p.gateway.calls === 2, 'the refresh to be sent');
    await p.clickRun(); // the run asks later and gets the re-published view
    await until(() => p.shows(V2), 'the list the query fetched');
    refresh.release();
    await until(refresh.answered, 'the held refresh to answer');
    await settle();
    assert.ok(p.shows(V2), 'the refresh asked before the query does not bring back V1');
    assert.equal(p.stale(), false);
    await p.unmount();
  });

  test('a query\u2019s listing sent before a refresh answers last: the refreshed list stays', async () => {
    const listing = held(V2);
    const p = await panel([listed(V1), listing.answer, listed(V3)]);
    await p.pressRun(); // the run asks for the views; its answer (V2) is held
    await until(() => p.gateway.calls === 2, 'the run\u2019s listing to be sent');
    await p.tick(1); // the poll asks later and gets V3
    await until(() => p.shows(V3), 'the refreshed list');
    listing.release();
    await until(() => p.queries.length === 1, 'the run to reach the engine');
    await settle();
    assert.ok(p.shows(V3), 'the query\u2019s older list is not adopted');
    assert.equal(p.status(), 'Running…', 'the run itself goes on');
    await p.unmount();
  });
});

describe('the data panel widget polls while shown', () => {
  test('shown: lists at once and every VIEWS_REFRESH_MS; hidden or disposed: never', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const container = new FakeElement('div', document);
      const root = createRoot(container);
      const { signedIn, gateway } = analyst([listed(V1), listed(V1), listed(V2), listed(V2)]);
      const { engine } = fakeEngine();
      const noop = (): Promise<void> => Promise.resolve();
      const widget = new DataPanel({
        session: sessionOf(signedIn),
        engine,
        gatewayUrl: 'http://gw',
        context: new ExperimentContext(),
        onUseInNotebook: noop,
        onRelease: noop,
      });
      /** Renders the widget again, as its update request does in JupyterLab. */
      const draw = () => React.act(async () => root.render(widget.render()));
      const s = screen(container);
      await draw();
      await until(() => /people_masked/.test(s.text()), 'the views');
      assert.equal(gateway.calls, 1);

      widget.onAfterShow({ type: 'after-show' });
      assert.equal(widget.updates, 1, 'shown: an update at once');
      await draw();
      await until(() => gateway.calls === 2, 'the list on show');

      mock.timers.tick(VIEWS_REFRESH_MS);
      assert.equal(widget.updates, 2, 'one update per interval while shown');
      await draw();
      await until(() => gateway.calls === 3 && s.shows(V2), 'the list of the poll');

      widget.onAfterHide({ type: 'after-hide' });
      mock.timers.tick(VIEWS_REFRESH_MS * 3);
      assert.equal(widget.updates, 2, 'no update while hidden');

      widget.onAfterShow({ type: 'after-show' }); // shown again
      await draw();
      await until(() => gateway.calls === 4, 'the list on showing again');

      widget.dispose();
      mock.timers.tick(VIEWS_REFRESH_MS * 3);
      assert.equal(widget.updates, 3, 'none after disposal');
      await React.act(async () => root.unmount());
    } finally {
      mock.timers.reset();
    }
  });
});

describe('what counts as a new list', () => {
  const ana = { user: 'ana' };
  const shownSlot = (): Slot => ({ of: [ana], load: { state: 'ready', value: listOf(V1).views } });

  test('an unchanged list keeps the very slot (no re-render); a changed one replaces it', () => {
    const slot = shownSlot();
    const same = { state: 'ready', value: listOf(V1).views };
    assert.equal(slots.settledSlot(slot, [ana], same, true, sameContent), slot);
    const newer = { state: 'ready', value: listOf(V2).views };
    assert.equal(slots.settledSlot(slot, [ana], newer, true, sameContent).load, newer);
    // After a failed refresh the same list clears the note but keeps the very array shown.
    const stale = { ...slot, load: { ...slot.load, refreshError: { message: 'down' } } };
    const cleared = slots.settledSlot(stale, [ana], same, true, sameContent);
    assert.deepEqual(cleared.load, { state: 'ready', value: slot.load.value });
    assert.equal(cleared.load.value, slot.load.value);
  });

  test('a list a query fetched is adopted for its own sign-in only', () => {
    const slot = shownSlot();
    const fresh = listOf(V2).views;
    assert.deepEqual(slots.adoptedSlot(slot, [ana], fresh), {
      of: [ana],
      load: { state: 'ready', value: fresh },
    });
    assert.equal(slots.adoptedSlot(slot, [{ user: 'ana' }], fresh), slot, 'another sign-in');
    assert.equal(slots.adoptedSlot(null, [ana], fresh), null, 'signed out meanwhile');
  });

  test('an answer is taken only for the identity shown, and not when asked before the one shown', () => {
    const shownAsk = { of: [ana] as readonly unknown[], asked: 5 };
    assert.equal(slots.takeNewerAnswer(shownAsk, [ana], [ana], 4), false, 'asked before');
    assert.equal(shownAsk.asked, 5, 'nothing recorded');
    assert.equal(slots.takeNewerAnswer(shownAsk, [ana], [ana], 7), true, 'asked after');
    assert.equal(shownAsk.asked, 7);
    assert.equal(slots.takeNewerAnswer(shownAsk, [ana], [ana], 6), false, 'asked between');
    const bea = { user: 'bea' };
    assert.equal(slots.takeNewerAnswer(shownAsk, [bea], [ana], 9), false, 'a former sign-in');
    assert.equal(shownAsk.asked, 7, 'a dropped answer records nothing');
    assert.equal(slots.takeNewerAnswer(shownAsk, [bea], [bea], 3), true, 'a new sign-in: any');
    assert.deepEqual(shownAsk, { of: [bea], asked: 3 });
  });

  test('a query adopts a list that differs by a view, its version or its publication time', () => {
    const list = listOf(V1).views;
    assert.equal(sameViewVersions(list, listOf(V1).views), true);
    assert.equal(sameViewVersions(list, listOf(V2).views), false, 're-published');
    assert.equal(sameViewVersions(list, list.slice(1)), false, 'withdrawn');
    const republished = [{ ...list[0]!, manifest: { ...list[0]!.manifest, publishedAt: 'later' } }];
    assert.equal(sameViewVersions(list.slice(0, 1), republished), false, 'same data, new time');
  });
});
