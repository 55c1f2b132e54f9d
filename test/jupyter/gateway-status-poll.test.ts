/**
 * The shared gateway status (jupyter-ext panel/gateway-status-model.ts) when the lists' answers
 * come in one by one: a refresh poll whose first failure arrives while other lists still wait
 * for their answers shows no note of that list before the one shared message (it waits for them,
 * as a failed first load does), but only for answers asked before it failed; and a list whose
 * first load is still under way while the shared message already says the gateway is unreachable
 * says it waits for the gateway (pointing to the message) instead of "Loading…" until its call's
 * time limit, and loads again with the shared Retry or the next poll. The fake gateway's calls
 * wait until the test answers them. Rendered with react-dom's client renderer on the fake DOM of
 * react-fake-dom.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as React from 'react';
import { Signal } from '@lumino/signaling';
import { load } from './render.js';
import {
  button,
  createRoot,
  dispatch,
  document,
  findAll,
  FakeElement,
  shown,
  type Component,
} from './react-fake-dom.js';

const { DataPanelApp } = await load<{ DataPanelApp: Component }>('panel/DataPanelApp.tsx');
const { ReviewQueueApp } = await load<{ ReviewQueueApp: Component }>('review/ReviewQueueApp.tsx');
const { ExperimentContext } = await load<{ ExperimentContext: new () => object }>('experiment.ts');
const { toldOf } = await load<{
  toldOf: (lists: readonly object[], list: object) => string;
}>('panel/gateway-problem.ts');

/** The gateway down, as core's client reports it. */
const downError = (): Error =>
  Object.assign(new Error('could not reach the Privet gateway at http://gw'), {
    fix: 'start the gateway (npm start)',
    code: 'unreachable',
  });

const alpha = { id: 'exp-alpha', title: 'Alpha study', state: 'running', views: ['people_masked'] };
const view = {
  name: 'people_masked',
  tier: 'masked',
  source: 'people',
  published: true,
  columns: [],
};

type Route = 'experiments' | 'views' | 'queue';
/** How a route answers a new call: at once, with the gateway down, or when the test says. */
type Mode = 'ok' | 'down' | 'hold';

/** A gateway whose routes answer as their mode says; held calls wait for answer(). */
function fakeGateway() {
  const values: Record<Route, unknown> = {
    experiments: { experiments: [alpha] },
    views: { views: [view] },
    queue: { reviews: [] },
  };
  const gw = {
    mode: { experiments: 'ok', views: 'ok', queue: 'ok' } as Record<Route, Mode>,
    calls: { experiments: 0, views: 0, queue: 0 } as Record<Route, number>,
    held: [] as { route: Route; resolve: (v: unknown) => void; reject: (e: Error) => void }[],
    /** Answers the held calls of `route`: with its value, or with the gateway down. */
    answer(route: Route, how: 'ok' | 'down') {
      for (const call of gw.held.filter((c) => c.route === route)) {
        if (how === 'ok') call.resolve(values[route]);
        else call.reject(downError());
      }
      gw.held = gw.held.filter((c) => c.route !== route);
    },
    /** Sets the mode of every route. */
    all(mode: Mode) {
      for (const route of Object.keys(gw.mode) as Route[]) gw.mode[route] = mode;
    },
  };
  const ask = (route: Route): Promise<unknown> => {
    gw.calls[route] += 1;
    const mode = gw.mode[route];
    if (mode === 'ok') return Promise.resolve(values[route]);
    if (mode === 'down') return Promise.reject(downError());
    return new Promise((resolve, reject) => gw.held.push({ route, resolve, reject }));
  };
  const client = {
    baseUrl: 'http://gw',
    listExperiments: () => ask('experiments'),
    listViews: () => ask('views'),
    listReviews: () => ask('queue'),
  };
  return { gw, client };
}

/** Lets the answers under way and the renders they cause run until `done` (a bounded wait). */
async function until(done: () => boolean, what: string, seen?: () => void): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn += 1) {
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
    seen?.();
  }
  assert.ok(done(), `waited for ${what}`);
}

/** Lets every answer already given and the renders it causes run (a few turns). */
async function settle(seen?: () => void): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) {
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
    seen?.();
  }
}

/** A panel's container and root. */
function mount() {
  const container = new FakeElement('div', document);
  return { container, root: createRoot(container), text: () => shown(container) };
}

/** Ana (analyst and reviewer) signed in, with the data panel and (if `queue`) the review queue. */
async function panels(setUp: (gw: ReturnType<typeof fakeGateway>['gw']) => void, queue = false) {
  const { gw, client } = fakeGateway();
  setUp(gw);
  const session = {
    signedIn: {
      client,
      token: 'pvt_ana',
      user: { user: 'ana', name: 'Ana', roles: ['analyst', 'reviewer'] },
    },
    changed: new Signal<object, unknown>({}),
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
    signIn: () => Promise.reject(new Error('not in these tests')),
    signOut: () => undefined,
  };
  const data = mount();
  const reviews = mount();
  const noop = (): Promise<void> => Promise.resolve();
  const dataProps = {
    session,
    engine: { isStarted: true, query: () => new Promise(() => undefined) },
    gatewayUrl: 'http://settings-gw',
    context: new ExperimentContext(),
    onUseInNotebook: noop,
    onRelease: noop,
  };
  const ticks = { data: 0, queue: 0 };
  const render = () =>
    React.act(async () => {
      data.root.render(React.createElement(DataPanelApp, { ...dataProps, tick: ticks.data }));
      if (queue)
        reviews.root.render(React.createElement(ReviewQueueApp, { session, tick: ticks.queue }));
    });
  await render();
  const containers = [data.container, reviews.container];
  return {
    gw,
    data,
    reviews,
    /** Every error box in both panels. */
    errors: () =>
      containers.flatMap((c) => findAll(c, (e) => e.getAttribute('class') === 'jp-Privet-error')),
    /** A tick of the poll of the panels named (each panel polls on its own timer). */
    poll: async (...which: ('data' | 'queue')[]) => {
      for (const w of which) ticks[w] += 1;
      await render();
    },
    unmount: () =>
      React.act(async () => {
        data.root.unmount();
        reviews.root.unmount();
      }),
  };
}

/** The data panel's own note of a failed refresh of one list. */
const OWN_NOTE = /Could not refresh the (experiments|views|review requests):/;

describe('a refresh poll whose lists fail one by one: the shared message, no note before it', () => {
  test('the experiments fail first while the views still wait: no note, then one message', async () => {
    const p = await panels(() => undefined);
    await until(() => /people_masked/.test(p.data.text()), 'the views');
    p.gw.mode.experiments = 'down';
    p.gw.mode.views = 'hold';
    let ownNoteSeen = false;
    const look = (): void => {
      ownNoteSeen ||= OWN_NOTE.test(p.data.text());
    };
    await p.poll('data');
    await until(() => p.gw.calls.experiments === 2 && p.gw.held.length === 1, 'both asked', look);
    await settle(look); // the experiments' failure is in; the views still wait
    assert.equal(p.errors().length, 0, 'no error box while the views still wait');
    assert.equal(ownNoteSeen, false, 'no "Could not refresh the experiments" before the message');
    assert.match(p.data.text(), /Alpha study/, 'the experiments stay shown');

    p.gw.answer('views', 'down');
    await until(
      () => /Could not refresh the experiments and views/.test(p.data.text()),
      'the message',
      look,
    );
    assert.equal(ownNoteSeen, false, 'never a note of one list');
    assert.equal(p.errors().length, 1);
    assert.equal(
      findAll(p.data.container, (e) => e.tagName === 'BUTTON' && shown(e) === 'Retry').length,
      1,
    );
    await p.unmount();
  });

  test('the other list answers: the failed one then says so itself', async () => {
    const p = await panels(() => undefined);
    await until(() => /people_masked/.test(p.data.text()), 'the views');
    p.gw.mode.experiments = 'down';
    p.gw.mode.views = 'hold';
    await p.poll('data');
    await until(() => p.gw.held.length === 1, 'the views asked for');
    await settle();
    assert.doesNotMatch(p.data.text(), OWN_NOTE);
    p.gw.answer('views', 'ok');
    await until(() => /Could not refresh the experiments:/.test(p.data.text()), 'its own note');
    assert.doesNotMatch(p.data.text(), /Could not refresh the experiments and views/);
    await p.unmount();
  });

  test('the review queue fails first while the data panel still waits: no note in the queue', async () => {
    const p = await panels(() => undefined, true);
    await until(
      () =>
        /people_masked/.test(p.data.text()) && /No pending review requests/.test(p.reviews.text()),
      'both panels loaded',
    );
    p.gw.mode.experiments = 'hold';
    p.gw.mode.views = 'hold';
    p.gw.mode.queue = 'down';
    let ownNoteSeen = false;
    const look = (): void => {
      ownNoteSeen ||= OWN_NOTE.test(p.reviews.text() + p.data.text());
    };
    await p.poll('data', 'queue');
    await until(() => p.gw.calls.queue === 2 && p.gw.held.length === 2, 'every list asked', look);
    await settle(look);
    assert.equal(p.errors().length, 0);
    assert.equal(ownNoteSeen, false, 'no "Could not refresh the review requests" yet');

    p.gw.answer('experiments', 'down');
    await until(
      () => /Gateway unreachable — see the message/.test(p.reviews.text()),
      'the pointer',
      look,
    );
    assert.equal(ownNoteSeen, false, 'never a note of one list');
    assert.equal(p.errors().length, 1, 'one message, in the data panel');
    p.gw.answer('views', 'down');
    await settle(look);
    assert.match(p.data.text(), /Could not refresh the experiments, views and review requests/);
    assert.equal(ownNoteSeen, false);
    await p.unmount();
  });

  test('a failure waits only for answers asked before it: a later poll does not hide its note', async () => {
    const p = await panels(() => undefined, true);
    await until(
      () =>
        /people_masked/.test(p.data.text()) && /No pending review requests/.test(p.reviews.text()),
      'both panels loaded',
    );
    p.gw.mode.queue = 'down';
    await p.poll('queue');
    await until(() => /Could not refresh the review requests:/.test(p.reviews.text()), 'its note');
    // The data panel's poll comes later, while the queue still shows its note: the note stays.
    p.gw.all('hold');
    p.gw.mode.queue = 'down';
    await p.poll('data');
    await until(() => p.gw.held.length === 2, 'the data panel asked');
    await settle();
    assert.match(p.reviews.text(), /Could not refresh the review requests:/);
    p.gw.answer('experiments', 'ok');
    p.gw.answer('views', 'ok');
    await settle();
    await p.unmount();
  });
});

describe('a first load still under way while the shared message is shown', () => {
  test('the queue waits for the gateway (pointing to the message), then loads with Retry', async () => {
    const p = await panels((gw) => {
      gw.mode.experiments = 'down';
      gw.mode.views = 'down';
      gw.mode.queue = 'hold';
    }, true);
    await until(
      () => /Could not load the experiments and views/.test(p.data.text()),
      'the message',
    );
    await settle();
    const queue = p.reviews.text();
    assert.doesNotMatch(queue, /Loading review requests…/, 'not "Loading…" until the time limit');
    assert.match(
      queue,
      /The review requests will load once the gateway answers: see the message above\./,
    );
    assert.match(
      queue,
      /Gateway unreachable — see the message and Retry in the Privet data panel\./,
    );
    assert.equal(p.errors().length, 1, 'one message');
    const status = findAll(p.reviews.container, (e) => e.getAttribute('role') === 'status');
    assert.ok(
      status.every((e) => !/will load once/.test(shown(e))),
      'the shared message is announced; the waiting line is not announced again',
    );

    p.gw.all('ok');
    await React.act(async () => dispatch(button(p.data.container, 'Retry'), 'click'));
    await until(() => /No pending review requests/.test(p.reviews.text()), 'the queue loaded');
    assert.equal(p.gw.calls.queue, 2, 'Retry asked the queue again (its first call still waits)');
    assert.match(p.data.text(), /people_masked/);
    assert.doesNotMatch(
      p.reviews.text() + p.data.text(),
      /Gateway unreachable|will load once|Could not/,
    );
    // The first call's late answer changes nothing.
    p.gw.answer('queue', 'down');
    await settle();
    assert.equal(p.errors().length, 0);
    await p.unmount();
  });

  test('the views still loading in the data panel wait too; a poll then loads every list', async () => {
    const p = await panels((gw) => {
      gw.mode.experiments = 'down';
      gw.mode.queue = 'down';
      gw.mode.views = 'hold';
    }, true);
    await until(
      () => /Could not load the experiments and review requests/.test(p.data.text()),
      'the message',
    );
    await settle();
    assert.doesNotMatch(p.data.text(), /Loading views…/);
    assert.match(
      p.data.text(),
      /The views will load once the gateway answers: see the message above\./,
    );

    p.gw.all('ok');
    await p.poll('data', 'queue');
    await until(() => /people_masked/.test(p.data.text()), 'the views loaded');
    await until(() => /No pending review requests/.test(p.reviews.text()), 'the queue loaded');
    assert.equal(p.errors().length, 0);
    assert.doesNotMatch(p.data.text(), /will load once/);
    await p.unmount();
  });

  test('the experiments still loading say so in the picker', async () => {
    const p = await panels((gw) => {
      gw.mode.experiments = 'hold';
      gw.mode.views = 'down';
      gw.mode.queue = 'down';
    }, true);
    await until(
      () => /Could not load the views and review requests/.test(p.data.text()),
      'the message',
    );
    await settle();
    assert.doesNotMatch(p.data.text(), /Loading experiments…/);
    assert.match(
      p.data.text(),
      /The experiments will load once the gateway answers: see the message above\./,
    );
    p.gw.answer('experiments', 'ok');
    await until(() => /Alpha study/.test(p.data.text()), 'the experiments');
    await p.unmount();
  });
});

describe('which answers a failed list waits for (gateway-problem.ts toldOf)', () => {
  const down = { message: 'could not reach the Privet gateway', code: 'unreachable' };
  test('asked before it failed: waits; asked after: its own; loading with a message: blocked', () => {
    const failed = { error: down, stale: true, what: 'views', answeredAt: 5 };
    assert.equal(toldOf([failed, { error: null, stale: true, awaited: 4 }], failed), 'waiting');
    assert.equal(toldOf([failed, { error: null, stale: true, awaited: 5.5 }], failed), 'own');
    assert.equal(toldOf([failed, { error: null, stale: true }], failed), 'own', 'none awaited');
    const first = { error: down, stale: false, answeredAt: 5 };
    assert.equal(toldOf([first, { error: null, stale: false, loading: true }], first), 'waiting');
    const loading = { error: null, stale: false, loading: true, awaited: 2 };
    const lists = [failed, { error: down, stale: false, answeredAt: 6 }, loading];
    assert.equal(toldOf(lists, loading), 'blocked');
    assert.equal(toldOf(lists, failed), 'above');
  });
});
