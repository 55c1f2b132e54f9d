/**
 * One gateway outage is told once across every Privet panel (jupyter-ext panel/
 * gateway-status-model.ts, panel/GatewayStatusSlot.tsx): the data panel, the budget sidebar with
 * the experiment record, and the review queue share one message with one Retry, the other panels
 * only pointing to it (the next shown panel tells it while the data panel is hidden); two first
 * loads that fail (or one, while the other is still loading) show one message, not two errors;
 * and once Retry (or a new sign-in) works, focus goes to the panel's heading instead of the page
 * and the panel's live region says so. Rendered with react-dom's client renderer on the fake DOM
 * of react-fake-dom.ts.
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
  find,
  findAll,
  FakeElement,
  shown,
  type Component,
} from './react-fake-dom.js';

const { DataPanelApp } = await load<{ DataPanelApp: Component }>('panel/DataPanelApp.tsx');
const { BudgetApp } = await load<{ BudgetApp: Component }>('panel/BudgetApp.tsx');
const { ReviewQueueApp } = await load<{ ReviewQueueApp: Component }>('review/ReviewQueueApp.tsx');
const { DataPanel } = await load<{
  DataPanel: new (options: object) => { onAfterHide(msg: unknown): void; dispose(): void };
}>('panel/DataPanel.tsx');
const { ExperimentContext } = await load<{ ExperimentContext: new () => object }>('experiment.ts');

/** The gateway down, as core's client reports it. */
const downError = (): Error =>
  Object.assign(new Error('could not reach the Privet gateway at http://gw'), {
    fix: 'start the gateway (npm start)',
    code: 'unreachable',
  });
/** The gateway refusing the token (a 401), as core's client reports it. */
const refusedError = (): Error =>
  Object.assign(new Error('the bearer token is not valid'), {
    fix: 'sign out and sign in again (Privet data panel)',
    code: 'unauthenticated',
    status: 401,
  });

const alpha = { id: 'exp-alpha', title: 'Alpha study', state: 'running', views: ['people_masked'] };
const view = {
  name: 'people_masked',
  tier: 'masked',
  source: 'people',
  published: true,
  columns: [],
};

type Mode = 'ok' | 'down' | 'refused';

/** A gateway whose answers follow `mode` (when answered), counting the calls of each route. */
function fakeGateway(mode: Mode) {
  const gw = {
    mode,
    calls: {} as Record<string, number>,
    /** Routes whose answers wait for release(). */
    held: new Set<string>(),
    waiting: [] as { route: string; settle: () => void }[],
    /** Answers the held calls of `route` as the gateway is now. */
    release(route: string) {
      gw.held.delete(route);
      for (const w of gw.waiting.filter((x) => x.route === route)) w.settle();
      gw.waiting = gw.waiting.filter((x) => x.route !== route);
    },
  };
  const answer = (route: string, value: unknown): Promise<unknown> => {
    gw.calls[route] = (gw.calls[route] ?? 0) + 1;
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        if (gw.mode === 'ok') resolve(value);
        else reject(gw.mode === 'refused' ? refusedError() : downError());
      };
      if (gw.held.has(route)) gw.waiting.push({ route, settle });
      else settle();
    });
  };
  const client = {
    baseUrl: 'http://gw',
    listExperiments: () => answer('experiments', { experiments: [alpha] }),
    listViews: () => answer('views', { views: [view] }),
    budget: () => answer('budget', { experiment: alpha.id, budgets: [], charges: [] }),
    experimentAudit: () => answer('audit', { entries: [] }),
    listReviews: (filter: { experiment?: string }) =>
      answer(filter.experiment ? 'recordReviews' : 'queue', { reviews: [] }),
  };
  return { gw, client };
}

/** Lets the answers under way come in until `done`, or fails. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn += 1) {
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
  }
  assert.ok(done(), `waited for ${what}`);
}

/** A panel's container and root. */
function mount() {
  const container = new FakeElement('div', document);
  return { container, root: createRoot(container), text: () => shown(container) };
}

/**
 * Ana (analyst and reviewer) signed in over a fake gateway starting in `mode`, with the panels
 * `which` drawn: the data panel, the budget sidebar (with the record) and the review queue.
 */
async function panels(mode: Mode, which: ('data' | 'budget' | 'queue')[], held: string[] = []) {
  const { gw, client } = fakeGateway(mode);
  for (const route of held) gw.held.add(route);
  const signIns: [string, string][] = [];
  const changed = new Signal<object, unknown>({});
  const session = {
    signedIn: {
      client,
      token: 'pvt_ana',
      user: { user: 'ana', name: 'Ana', roles: ['analyst', 'reviewer'] },
    } as object | null,
    changed,
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
    signIn: (url: string, token: string) => {
      signIns.push([url, token]);
      gw.mode = 'ok';
      session.signedIn = { ...(session.signedIn as object) }; // a new sign-in, the same user
      changed.emit(session.signedIn);
      return Promise.resolve(session.signedIn);
    },
    signOut: () => undefined,
  };
  const context = new ExperimentContext();
  const data = mount();
  const budget = mount();
  const queue = mount();
  const noop = (): Promise<void> => Promise.resolve();
  const dataProps = {
    session,
    engine: { isStarted: true, query: () => new Promise(() => undefined) },
    gatewayUrl: 'http://settings-gw',
    context,
    onUseInNotebook: noop,
    onRelease: noop,
  };
  let tick = 0;
  const render = () =>
    React.act(async () => {
      if (which.includes('data'))
        data.root.render(React.createElement(DataPanelApp, { ...dataProps, tick }));
      if (which.includes('budget'))
        budget.root.render(React.createElement(BudgetApp, { session, context, tick }));
      if (which.includes('queue'))
        queue.root.render(React.createElement(ReviewQueueApp, { session, tick }));
    });
  await render();
  const containers = [data, budget, queue].map((p) => p.container);
  const all = (keep: (e: FakeElement) => boolean) => containers.flatMap((c) => findAll(c, keep));
  return {
    gw,
    session,
    signIns,
    data,
    budget,
    queue,
    dataProps,
    /** Every error box in every panel. */
    errors: () => all((e) => e.getAttribute('class') === 'jp-Privet-error'),
    /** Every button labelled `label` in every panel. */
    buttons: (label: string) => all((e) => e.tagName === 'BUTTON' && shown(e) === label),
    /** A tick of every panel's poll. */
    refresh: async () => {
      tick += 1;
      await render();
    },
    unmount: () =>
      React.act(async () => {
        for (const p of [data, budget, queue]) p.root.unmount();
      }),
  };
}

/** The three panels loaded while the gateway answers. */
async function loadedPanels() {
  const p = await panels('ok', ['data', 'budget', 'queue']);
  await until(
    () =>
      /people_masked/.test(p.data.text()) &&
      /No privacy budget is used/.test(p.budget.text()) &&
      /No review requests\./.test(p.budget.text()) &&
      /No pending review requests/.test(p.queue.text()),
    'every panel loaded',
  );
  return p;
}

const active = (): unknown => (document as unknown as { activeElement: unknown }).activeElement;
const heading = (root: FakeElement) => find(root, (e) => e.tagName === 'H2');
/** The data panel's and the budget sidebar's screen-reader-only live region. */
const liveRegion = (root: FakeElement) =>
  find(
    root,
    (e) => e.getAttribute('class') === 'jp-Privet-srOnly' && e.getAttribute('role') === 'status',
  );

describe('one outage, one message: every panel shares it', () => {
  test('the gateway down: one error and one Retry in the data panel, pointers elsewhere', async () => {
    const p = await loadedPanels();
    p.gw.mode = 'down';
    await p.refresh();
    await until(() => /Could not refresh/.test(p.data.text()), 'the shared message');

    assert.equal(p.errors().length, 1, 'one error box over the three panels');
    assert.match(
      p.data.text(),
      /Could not refresh the experiments, views, review requests, experiment record and privacy budget: could not reach the Privet gateway at http:\/\/gw Fix: start the gateway \(npm start\)/,
    );
    assert.equal(p.buttons('Retry').length, 1, 'one Retry');
    assert.equal(p.buttons('Refresh now').length, 0, 'no Refresh now of each list');
    for (const side of [p.budget, p.queue]) {
      assert.match(
        side.text(),
        /Gateway unreachable — see the message and Retry in the Privet data panel\. What is shown here may be out of date\./,
      );
      assert.doesNotMatch(side.text(), /could not reach|Could not refresh/);
    }

    p.gw.mode = 'ok';
    const asked = { ...p.gw.calls };
    await React.act(async () => dispatch(p.buttons('Retry')[0]!, 'click'));
    await until(() => !/Could not refresh/.test(p.data.text()), 'the message to go');
    for (const route of ['experiments', 'views', 'budget', 'audit', 'recordReviews', 'queue']) {
      assert.ok(p.gw.calls[route]! > asked[route]!, `Retry reloads ${route}`);
    }
    assert.equal(p.errors().length, 0);
    assert.doesNotMatch(p.budget.text() + p.queue.text(), /Gateway unreachable/);
    await p.unmount();
  });

  test('the data panel hidden: the review queue tells it, the budget sidebar points there', async () => {
    const p = await loadedPanels();
    const widget = new DataPanel(p.dataProps);
    await React.act(async () => widget.onAfterHide({ type: 'after-hide' }));
    p.gw.mode = 'down';
    await p.refresh();
    await until(() => /Could not refresh/.test(p.queue.text()), 'the message in the queue');
    assert.equal(p.errors().length, 1);
    assert.equal(findAll(p.queue.container, (e) => shown(e) === 'Retry').length, 1);
    assert.match(
      p.budget.text(),
      /Gateway unreachable — see the message and Retry in the Privet review queue\./,
    );
    widget.dispose();
    await p.unmount();
  });

  test('a refused sign-in: one message with the sign-in form, pointers elsewhere', async () => {
    const p = await loadedPanels();
    p.gw.mode = 'refused';
    await p.refresh();
    await until(() => /no longer accepts this sign-in/.test(p.data.text()), 'the message');
    assert.equal(p.errors().length, 1, 'not one "bearer token is not valid" per list');
    for (const side of [p.budget, p.queue]) {
      assert.match(
        side.text(),
        /Sign-in no longer accepted — see the message in the Privet data panel\./,
      );
      assert.doesNotMatch(side.text(), /bearer token/);
    }
    await p.unmount();
  });
});

describe('first loads that fail show one message', () => {
  test('signed in while the gateway is down: one error and one Retry, not one per list', async () => {
    const p = await panels('down', ['data']);
    await until(() => /Could not load/.test(p.data.text()), 'the shared message');
    assert.equal(p.errors().length, 1);
    assert.equal(p.buttons('Retry').length, 1);
    const text = p.data.text();
    assert.match(
      text,
      /Could not load the experiments and views: could not reach the Privet gateway at http:\/\/gw Fix: start the gateway/,
    );
    assert.match(text, /The experiments could not be loaded: see the message above\./);
    assert.match(text, /The views could not be loaded: see the message above\./);

    p.gw.mode = 'ok';
    await React.act(async () => dispatch(p.buttons('Retry')[0]!, 'click'));
    await until(() => /people_masked/.test(p.data.text()), 'Retry loads both lists');
    assert.equal(p.errors().length, 0);
    assert.match(p.data.text(), /Alpha study/);
    await p.unmount();
  });

  test('one list failed while the other still loads: no error yet, then one (or its own)', async () => {
    const p = await panels('down', ['data'], ['views']);
    await until(() => p.gw.calls.experiments === 1, 'the experiments asked for');
    await until(() => p.gw.waiting.length === 1, 'the views asked for');
    assert.equal(p.errors().length, 0, 'no error of the experiments alone before the views answer');
    assert.match(p.data.text(), /Loading experiments…/);
    p.gw.release('views');
    await until(() => /Could not load/.test(p.data.text()), 'the shared message');
    assert.equal(p.errors().length, 1);
    await p.unmount();

    // The other list loads fine: the one that failed tells its own error after all.
    const q = await panels('down', ['data'], ['views']);
    await until(() => q.gw.waiting.length === 1, 'the views asked for');
    q.gw.mode = 'ok';
    q.gw.release('views');
    await until(() => q.errors().length === 1, "the experiments' own error");
    assert.doesNotMatch(q.data.text(), /Could not load the|see the message above/);
    assert.match(q.data.text(), /could not reach the Privet gateway at http:\/\/gw/);
    await q.unmount();
  });
});

describe('after Retry or a new sign-in works, focus and an announcement', () => {
  test('data panel: focus on its heading, "Reloaded …" in its live region', async () => {
    const p = await panels('ok', ['data']);
    await until(() => /people_masked/.test(p.data.text()), 'the views');
    p.gw.mode = 'down';
    await p.refresh();
    await until(() => /Could not refresh/.test(p.data.text()), 'the shared message');
    p.gw.mode = 'ok';
    p.gw.held.add('views');
    const retry = p.buttons('Retry')[0]!;
    retry.focus();
    await React.act(async () => dispatch(retry, 'click'));
    await until(() => p.buttons('Retrying…').length === 1, 'Retrying…');
    assert.equal(p.errors().length, 1, 'the message stays while a list still reloads');
    assert.equal(active(), retry, 'focus stays on Retry meanwhile');

    p.gw.release('views');
    await until(() => p.errors().length === 0, 'the message to go');
    assert.equal(active(), heading(p.data.container), 'focus on the panel heading, not the page');
    assert.equal(heading(p.data.container).getAttribute('tabindex'), '-1');
    assert.equal(
      shown(liveRegion(p.data.container)),
      'Reloaded the experiments and views: the Privet gateway answers again.',
    );
    await p.unmount();
  });

  test('budget sidebar and review queue: the same when they tell the message', async () => {
    for (const which of ['budget', 'queue'] as const) {
      const p = await panels('ok', ['data', which]);
      const panel = which === 'budget' ? p.budget : p.queue;
      await until(() => /people_masked/.test(p.data.text()), 'the data panel loaded');
      const widget = new DataPanel(p.dataProps);
      await React.act(async () => widget.onAfterHide({ type: 'after-hide' }));
      p.gw.mode = 'down';
      await p.refresh();
      await until(() => /Could not refresh/.test(panel.text()), `the message in the ${which}`);
      p.gw.mode = 'ok';
      const retry = find(panel.container, (e) => e.tagName === 'BUTTON' && shown(e) === 'Retry');
      retry.focus();
      await React.act(async () => dispatch(retry, 'click'));
      await until(() => !/Could not refresh/.test(panel.text()), 'the message to go');
      assert.equal(active(), heading(panel.container), `${which}: focus on its heading`);
      const live = find(
        panel.container,
        (e) => e.getAttribute('role') === 'status' && /answers again/.test(shown(e)),
      );
      assert.match(shown(live), /^Reloaded the .*: the Privet gateway answers again\.$/);
      widget.dispose();
      await p.unmount();
    }
  });

  test('a new sign-in after a refusal: focus on the heading, "Signed in again"', async () => {
    const p = await loadedPanels();
    p.gw.mode = 'refused';
    await p.refresh();
    await until(() => /no longer accepts this sign-in/.test(p.data.text()), 'the message');
    const token = find(p.data.container, (e) => e.getAttribute('name') === 'privet-token');
    token.focus();
    await React.act(async () => {
      token.value = 'pvt_new_token';
      dispatch(token, 'input');
    });
    await React.act(async () => {
      dispatch(
        find(p.data.container, (e) => e.tagName === 'FORM'),
        'submit',
      );
    });
    await until(() => !/no longer accepts/.test(p.data.text()), 'the message to go');
    assert.deepEqual(p.signIns, [['http://gw', 'pvt_new_token']]);
    assert.equal(active(), heading(p.data.container));
    assert.equal(shown(liveRegion(p.data.container)), 'Signed in again as Ana.');
    await p.unmount();
  });

  test('a poll brings the gateway back: focus on Retry goes to the heading, elsewhere stays', async () => {
    const p = await loadedPanels();
    p.gw.mode = 'down';
    await p.refresh();
    await until(() => /Could not refresh/.test(p.data.text()), 'the message');
    p.buttons('Retry')[0]!.focus();
    p.gw.mode = 'ok';
    await p.refresh();
    await until(() => p.errors().length === 0, 'the message to go');
    assert.equal(active(), heading(p.data.container), 'not the page');
    assert.equal(shown(liveRegion(p.data.container)), '', 'no Retry of the user worked');
    await p.unmount();

    // Focus elsewhere (the user went on): it stays there.
    const q = await loadedPanels();
    q.gw.mode = 'down';
    await q.refresh();
    await until(() => /Could not refresh/.test(q.data.text()), 'the message');
    const elsewhere = button(q.data.container, 'Sign out');
    elsewhere.focus();
    q.gw.mode = 'ok';
    await q.refresh();
    await until(() => q.errors().length === 0, 'the message to go');
    assert.equal(active(), elsewhere);
    assert.equal(shown(liveRegion(q.data.container)), '');
    await q.unmount();
  });
});
