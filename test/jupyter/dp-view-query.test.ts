/**
 * A DP view's card in the data panel has a "DP query" button (jupyter-ext panel/ViewCard.tsx):
 * it puts a count of that view into the DP query box (DataPanelApp.tsx → DpQueryBox.tsx),
 * replacing the text and the dry run of the old text, so the next step is a free dry run. Views
 * with rows keep Preview and Use in notebook instead; a DP view the experiment did not request gets
 * no button. The panel is rendered whole on the fake DOM with a fake gateway client.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as React from 'react';
import { Signal } from '@lumino/signaling';
import { countSql } from '@privet/core/client/view-query';
import { countDryRun } from './dry-run-fixture.js';
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
const { DpQueryBox } = await load<{ DpQueryBox: Component }>('panel/DpQueryBox.tsx');
const { ExperimentContext } = await load<{ ExperimentContext: new () => object }>('experiment.ts');

const experiment = {
  id: 'exp-alpha',
  title: 'Alpha study',
  state: 'running',
  views: ['people_masked', 'people_dp', 'visits_dp'],
};
const view = (name: string, tier: string, published: boolean) => ({
  name,
  tier,
  source: name.startsWith('visits') ? 'visits' : 'people',
  published,
  columns: [],
});
const VIEWS = [
  view('people_masked', 'masked', true),
  view('people_dp', 'dp', false),
  view('visits_dp', 'dp', false),
  view('other_dp', 'dp', false), // not requested by the experiment
];

/** Lets the panel's awaits run until `done`, or gives up. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn += 1)
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
  assert.ok(done(), 'waited for the panel');
}

/** The panel signed in as an analyst whose dry runs are answered at once. */
async function panel() {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const dryRuns: string[] = [];
  const signedIn = {
    token: 'pvt_ana_token',
    user: { user: 'ana', name: 'Ana', roles: ['analyst'] },
    client: {
      listExperiments: () => Promise.resolve({ experiments: [experiment] }),
      listViews: () => Promise.resolve({ views: VIEWS }),
      budget: () => Promise.reject(new Error('no budget in this test')),
      dpQuery: (body: { sql: string }) => {
        dryRuns.push(body.sql);
        return Promise.resolve(countDryRun('3', true));
      },
    },
  };
  const session = {
    signedIn,
    changed: new Signal<object, unknown>({}),
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
    signIn: () => undefined,
    signOut: () => undefined,
  };
  const noop = (): Promise<void> => Promise.resolve();
  const engine = { isStarted: true, enterScope: noop, tablesIn: () => Promise.resolve([]) };
  await React.act(async () =>
    root.render(
      React.createElement(DataPanelApp, {
        session,
        engine,
        gatewayUrl: 'http://gw',
        context: new ExperimentContext(),
        onUseInNotebook: noop,
        onRelease: noop,
      }),
    ),
  );
  const card = (name: string) => find(container, (e) => e.getAttribute('data-view') === name);
  const dpBox = () =>
    find(
      container,
      (e) => e.tagName === 'TEXTAREA' && e.getAttribute('aria-label') === 'DP SQL query',
    );
  await until(
    () => findAll(container, (e) => e.getAttribute('data-view') === 'visits_dp').length > 0,
  );
  await until(
    () => findAll(container, (e) => e.getAttribute('aria-label') === 'DP SQL query').length > 0,
  );
  const buttons = (name: string) =>
    findAll(card(name), (e) => e.tagName === 'BUTTON').map((b) => shown(b));
  const click = async (root: FakeElement, label: string) => {
    await React.act(async () => dispatch(button(root, label), 'click'));
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
  };
  return {
    container,
    card,
    dpBox,
    buttons,
    click,
    dryRuns,
    unmount: () => React.act(async () => root.unmount()),
  };
}

describe('data panel: a DP view’s “DP query”', () => {
  test('puts a count of the view into the DP box, replacing the text and its dry run', async () => {
    const p = await panel();
    assert.equal(p.dpBox().value, countSql('people_dp'), 'the box starts with the first DP view');
    await p.click(p.container, 'Dry run');
    assert.deepEqual(p.dryRuns, [countSql('people_dp')]);
    const priced = () =>
      findAll(p.container, (e) => e.getAttribute('class') === 'jp-Privet-dryRun');
    assert.ok(priced().length > 0, 'the dry run is shown');

    await p.click(p.card('visits_dp'), 'DP query');
    assert.equal(p.dpBox().value, countSql('visits_dp'));
    assert.equal(priced().length, 0, 'the old text’s dry run is gone: Run cannot spend it');
    await p.click(p.container, 'Dry run');
    assert.deepEqual(p.dryRuns, [countSql('people_dp'), countSql('visits_dp')]);

    await p.click(p.card('people_dp'), 'DP query');
    assert.equal(p.dpBox().value, countSql('people_dp'));
    await p.unmount();
  });

  test('only usable DP views have the button; views with rows keep theirs', async () => {
    const p = await panel();
    assert.deepEqual(p.buttons('people_dp'), ['DP query']);
    assert.deepEqual(p.buttons('people_masked'), ['Preview', 'Use in notebook']);
    assert.deepEqual(p.buttons('other_dp'), [], 'not requested by the experiment');
    await p.unmount();
  });
});

describe('DP box: a price that comes back for text no longer in the box', () => {
  test('is dropped: nothing shown, Run stays disabled (it would spend the old query)', async () => {
    const container = new FakeElement('div', document);
    const root = createRoot(container);
    const answers: ((value: unknown) => void)[] = [];
    const client = {
      budget: () => Promise.reject(new Error('no budget in this test')),
      dpQuery: () => new Promise((resolve) => answers.push(resolve)),
    };
    const props = (ask: object | null) => ({
      client,
      experiment: 'exp-alpha',
      views: ['people_dp', 'visits_dp'],
      onRelease: () => Promise.resolve(),
      ask,
    });
    const settle = () => React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 1)));
    await React.act(async () => root.render(React.createElement(DpQueryBox, props(null))));
    await React.act(async () => dispatch(button(container, 'Dry run'), 'click'));
    assert.equal(answers.length, 1, 'the dry run of the people_dp count is out');
    const ask = { sql: countSql('visits_dp'), seq: 1 };
    await React.act(async () => root.render(React.createElement(DpQueryBox, props(ask))));
    const box = find(container, (e) => e.tagName === 'TEXTAREA');
    assert.equal(box.value, countSql('visits_dp'));
    answers[0]!(countDryRun('3', true));
    await settle();
    const dryRuns = findAll(container, (e) => e.getAttribute('class') === 'jp-Privet-dryRun');
    assert.equal(dryRuns.length, 0, 'the old text’s price is not shown');
    assert.notEqual(button(container, 'Run').getAttribute('disabled'), null, 'Run is disabled');
    await React.act(async () => dispatch(button(container, 'Dry run'), 'click'));
    answers[1]!(countDryRun('3', true));
    await settle();
    assert.equal(
      findAll(container, (e) => e.getAttribute('class') === 'jp-Privet-dryRun').length,
      1,
      'the box’s own text is priced',
    );
    assert.equal(button(container, 'Run').getAttribute('disabled'), null);
    await React.act(async () => root.unmount());
  });
});
