/**
 * The data panel (jupyter-ext panel/DataPanelApp.tsx) when the gateway, not one list, is the
 * problem (panel/gateway-problem.ts, panel/GatewayStatus.tsx): refreshes of the experiments and
 * the views that both could not reach it show one message with one Retry (not a red box per
 * list); a gateway that refuses the sign-in (401, e.g. restarted with re-issued tokens) says so
 * in the signed-in line and above the lists, with the sign-in form, instead of "Signed in as"
 * over "the bearer token is not valid". And Preview scrolls the SQL section (its query, status
 * and rows) into view. Rendered whole with react-dom's client renderer on the fake DOM.
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
const { ExperimentContext } = await load<{ ExperimentContext: new () => object }>('experiment.ts');
const { sharedGatewayProblem, gatewayCauseOf } = await load<{
  sharedGatewayProblem: (lists: { error: object | null; stale: boolean }[]) => unknown;
  gatewayCauseOf: (error: object | null) => string | null;
}>('panel/gateway-problem.ts');
const { toErrorInfo } = await load<{ toErrorInfo: (e: unknown) => object }>('panel/ErrorBox.tsx');

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
const view = (name: string) => ({
  name,
  tier: 'masked',
  source: 'people',
  published: true,
  columns: [],
});

/** A gateway whose answers follow `mode`, counting the calls. */
function fakeGateway() {
  const gw = {
    mode: 'ok' as 'ok' | 'down' | 'refused' | 'experimentsDown',
    calls: { experiments: 0, views: 0 },
  };
  const fail = (): Promise<never> =>
    Promise.reject(gw.mode === 'refused' ? refusedError() : downError());
  const client = {
    baseUrl: 'http://gw',
    listExperiments: () => {
      gw.calls.experiments += 1;
      return gw.mode === 'ok' ? Promise.resolve({ experiments: [alpha] }) : fail();
    },
    listViews: () => {
      gw.calls.views += 1;
      return gw.mode === 'ok' || gw.mode === 'experimentsDown'
        ? Promise.resolve({ views: [view('people_masked'), view('visits_masked')] })
        : fail();
    },
  };
  return { gw, client };
}

/** Lets the answers under way come in until `done`, or fails. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn += 1) {
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
  }
  assert.ok(done(), 'waited for the panel');
}

/** The panel signed in as ana over a fake gateway; `refresh` is a tick of the panel's poll. */
async function panel() {
  const { gw, client } = fakeGateway();
  const signIns: [string, string][] = [];
  const session = {
    signedIn: { client, token: 'pvt_ana', user: { user: 'ana', name: 'Ana', roles: ['analyst'] } },
    changed: new Signal<object, unknown>({}),
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
    signIn: (url: string, token: string) => {
      signIns.push([url, token]);
      return Promise.resolve();
    },
    signOut: () => undefined,
  };
  const context = new ExperimentContext();
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const noop = (): Promise<void> => Promise.resolve();
  let tick = 0;
  const render = () =>
    React.act(async () =>
      root.render(
        React.createElement(DataPanelApp, {
          session,
          engine: {
            isStarted: true,
            enterScope: () => Promise.resolve(),
            tablesIn: () => Promise.resolve([]),
            hasView: () => true,
            loadView: () => Promise.resolve(),
            query: () => new Promise(() => undefined),
          },
          gatewayUrl: 'http://settings-gw',
          context,
          onUseInNotebook: noop,
          onRelease: noop,
          tick,
        }),
      ),
    );
  await render();
  const text = () => shown(container);
  await until(() => /visits_masked/.test(text()) && /Alpha study/.test(text()));
  return {
    gw,
    container,
    signIns,
    text,
    errors: () => findAll(container, (e) => e.getAttribute('class') === 'jp-Privet-error'),
    buttons: (label: string) =>
      findAll(container, (e) => e.tagName === 'BUTTON' && shown(e) === label),
    refresh: async () => {
      tick += 1;
      await render();
    },
    until,
    unmount: () => React.act(async () => root.unmount()),
  };
}

describe('gateway problems: which are told once', () => {
  test('causes: a 401 refuses the sign-in; unreachable and timeout are the gateway; others not', () => {
    assert.equal(gatewayCauseOf(toErrorInfo(refusedError())), 'refused');
    assert.equal(gatewayCauseOf(toErrorInfo(downError())), 'unreachable');
    assert.equal(gatewayCauseOf({ message: 'x', code: 'timeout' }), 'unreachable');
    assert.equal(gatewayCauseOf({ message: 'x', code: 'forbidden', status: 403 }), null);
    assert.equal(gatewayCauseOf(toErrorInfo(new Error('no code'))), null);
  });

  test('unreachable when two or more lists could not reach it; a refusal from any list', () => {
    const down = toErrorInfo(downError());
    const refused = toErrorInfo(refusedError());
    const both = sharedGatewayProblem([
      { error: down, stale: true },
      { error: down, stale: true },
    ]) as { cause: string } | null;
    assert.equal(both?.cause, 'unreachable');
    assert.equal(
      sharedGatewayProblem([
        { error: down, stale: true },
        { error: null, stale: false },
      ]),
      null,
      'one list down: that list says so itself',
    );
    const firstLoads = sharedGatewayProblem([
      { error: down, stale: false },
      { error: down, stale: false },
    ]) as { cause: string; stale: boolean } | null;
    assert.equal(firstLoads?.cause, 'unreachable', 'two failed first loads: one message too');
    assert.equal(firstLoads?.stale, false);
    const mixed = sharedGatewayProblem([
      { error: down, stale: true },
      { error: refused, stale: true },
    ]) as { cause: string } | null;
    assert.equal(mixed?.cause, 'refused');
  });
});

describe('data panel: one message for the gateway', () => {
  test('both refreshes could not reach it: one error, one Retry, the lists stay', async () => {
    const p = await panel();
    p.gw.mode = 'down';
    await p.refresh();
    await p.until(() => /Could not refresh the experiments and views/.test(p.text()));
    assert.equal(p.errors().length, 1, 'one error box, not one per list');
    assert.match(
      p.text(),
      /Could not refresh the experiments and views: could not reach the Privet gateway at http:\/\/gw Fix: start the gateway \(npm start\)/,
    );
    assert.equal(p.buttons('Retry').length, 1);
    assert.equal(p.buttons('Refresh now').length, 0);
    assert.doesNotMatch(p.text(), /is still selected as the last refresh/);
    assert.match(p.text(), /people_masked.*visits_masked/, 'the views stay shown');

    p.gw.mode = 'ok';
    const asked = { ...p.gw.calls };
    await React.act(async () => dispatch(p.buttons('Retry')[0]!, 'click'));
    await p.until(() => !/Could not refresh/.test(p.text()));
    assert.ok(p.gw.calls.experiments > asked.experiments, 'Retry reloads the experiments');
    assert.ok(p.gw.calls.views > asked.views, 'and the views');
    assert.equal(p.errors().length, 0);
    await p.unmount();
  });

  test('only the experiments down: that list says so itself (no shared message)', async () => {
    const p = await panel();
    p.gw.mode = 'experimentsDown';
    await p.refresh();
    await p.until(() => /Could not refresh the experiments:/.test(p.text()));
    assert.doesNotMatch(p.text(), /experiments and views/);
    assert.equal(p.errors().length, 1);
    await p.unmount();
  });

  test('a refused sign-in: the signed-in line and one message say so, with the sign-in form', async () => {
    const p = await panel();
    assert.match(p.text(), /Signed in as Ana \( ana \)/);
    p.gw.mode = 'refused';
    await p.refresh();
    await p.until(() => /no longer accepts this sign-in/.test(p.text()));
    const user = find(p.container, (e) => e.getAttribute('class') === 'jp-Privet-user');
    assert.match(shown(user), /^Sign-in no longer accepted: Ana \( ana \)/);
    assert.doesNotMatch(p.text(), /Signed in as/);
    assert.equal(p.errors().length, 1, 'not one "bearer token is not valid" per list');
    assert.match(
      p.text(),
      /The gateway no longer accepts this sign-in: .* Fix: paste a new token below, or open a new sign-in link/,
    );
    const url = find(p.container, (e) => e.getAttribute('name') === 'privet-gateway-url');
    assert.equal(url.value, 'http://gw', 'the form is for the gateway that refused it');
    const token = find(p.container, (e) => e.getAttribute('name') === 'privet-token');
    await React.act(async () => {
      token.value = 'pvt_new';
      dispatch(token, 'input');
    });
    await React.act(async () => {
      dispatch(
        find(p.container, (e) => e.tagName === 'FORM'),
        'submit',
      );
    });
    assert.deepEqual(p.signIns, [['http://gw', 'pvt_new']]);
    await p.unmount();
  });
});

describe('data panel: Preview shows where its query runs', () => {
  test('Preview scrolls the SQL section (query, status, rows) into view', async () => {
    const scrolled: { element: FakeElement; options: unknown }[] = [];
    const proto = FakeElement.prototype as unknown as Record<string, unknown>;
    proto.scrollIntoView = function (this: FakeElement, options: unknown) {
      scrolled.push({ element: this, options });
    };
    try {
      const p = await panel();
      const card = find(p.container, (e) => e.getAttribute('data-view') === 'people_masked');
      await React.act(async () => dispatch(button(card, 'Preview'), 'click'));
      assert.equal(scrolled.length, 1);
      const section = scrolled[0]!.element;
      assert.equal(section.getAttribute('class'), 'jp-Privet-sqlSection');
      assert.deepEqual(scrolled[0]!.options, { block: 'start', behavior: 'smooth' });
      const status = find(section, (e) => e.getAttribute('class') === 'jp-Privet-status');
      assert.equal(shown(status), 'Running…', 'the status line is in what is scrolled to');
      assert.equal(findAll(section, (e) => e.tagName === 'TEXTAREA').length, 1);
      await p.unmount();
    } finally {
      delete proto.scrollIntoView;
    }
  });
});
