/**
 * The data panel's experiment picker and views (jupyter-ext panel/ExperimentPicker.tsx,
 * panel/ViewList.tsx) and the experiment record (record/RecordApp.tsx) keep what they show when a
 * refresh fails (a gateway restart, a network blip): the same elements stay, with a note beside
 * them saying what happened, how to fix it and that they may be out of date, until a refresh
 * works. A first load that fails still shows the error with Retry, and another sign-in (user or
 * gateway), a sign-out or another experiment never shows the former one's data. Rendered with
 * react-dom's client renderer on a small fake DOM (react-fake-dom.ts), so effects, state and
 * events run as in JupyterLab.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as React from 'react';
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

/** An experiment as the gateway lists it. */
interface Exp {
  id: string;
  title: string;
  state: string;
}
/** The selection shared by the data panel and the budget sidebar (experiment.ts). */
interface Context {
  readonly selected: Exp | null;
  select(experiment: Exp | null): void;
}

const { ExperimentPicker, useExperiments } = await load<{
  ExperimentPicker: Component;
  useExperiments: (signedIn: object | null, context: Context) => Record<string, unknown>;
}>('panel/ExperimentPicker.tsx');
const { ViewList, useViews } = await load<{
  ViewList: Component;
  useViews: (signedIn: object | null, version: number) => [unknown, () => void];
}>('panel/ViewList.tsx');
const { RecordApp } = await load<{ RecordApp: Component }>('record/RecordApp.tsx');
const { ExperimentContext } = await load<{ ExperimentContext: new () => Context }>('experiment.ts');

/** The gateway's error when it is down, with its fix (as GatewayError carries one). */
const gatewayDown = (): Error =>
  Object.assign(new Error('could not reach the Privet gateway at http://gw'), {
    fix: 'start the gateway (npm start)',
  });
/** One answer of the fake gateway to one request. */
type Answer = () => Promise<unknown>;
/** An answer with `value`. */
const answer =
  (value: unknown): Answer =>
  () =>
    Promise.resolve(value);
/** The gateway down: its error with the fix. */
const down: Answer = () => Promise.reject(gatewayDown());
/** An answer that has not come yet (the gateway is slow). */
const never: Answer = () => new Promise(() => undefined);
/** The next of `answers`, or a failure the test did not expect. */
const next = (answers: Answer[]): Promise<unknown> =>
  (answers.shift() ?? (() => Promise.reject(new Error('unexpected call'))))();

/** A signed-in user (a new object per sign-in, as the session makes them) with `client`. */
const signedInAs = (user: string, client: object) => ({
  client,
  token: `pvt_${user}`,
  user: { user, name: user, roles: ['analyst'] },
});

/** A container with a root: renders an element into it (again: a re-render) and its text. */
function screen() {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  return {
    container,
    text: () => shown(container),
    render: (element: React.ReactElement) => React.act(async () => root.render(element)),
    click: (label: string) => React.act(async () => dispatch(button(container, label), 'click')),
    unmount: () => React.act(async () => root.unmount()),
  };
}

/** Any part of the note over what a failed refresh left shown. */
const STALE = /Could not refresh|out of date/;

/**
 * Lets the answers under way come in (a few turns of the event loop: the record's hashes are
 * recomputed with WebCrypto, which answers after React's act) until `done`, or gives up.
 */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn += 1) {
    await React.act(() => new Promise<void>((resolve) => setTimeout(resolve, 2)));
  }
}
/** How an error of `down` is shown: what happened, then the fix. */
const DOWN_WITH_FIX =
  'could not reach the Privet gateway at http://gw Fix: start the gateway (npm start)';

describe('experiment picker: a failed refresh keeps the list and the selection', () => {
  const alpha = { id: 'exp-alpha', title: 'Alpha study', state: 'running', views: [] };
  const beta = { id: 'exp-beta', title: 'Beta study', state: 'proposed', views: [] };
  const listed = answer({ experiments: [alpha, beta] });
  /** A user whose experiment lists come from `answers`, in order. */
  const user = (name: string, answers: Answer[]) =>
    signedInAs(name, { listExperiments: () => next(answers) });

  /** The data panel's picker as DataPanelApp uses it. */
  function Picker(props: { signedIn: object | null; context: Context }): React.ReactElement {
    const state = useExperiments(props.signedIn, props.context);
    return React.createElement(ExperimentPicker, { ...state, context: props.context });
  }
  const picker = (signedIn: object | null, context: Context) =>
    React.createElement(Picker, { signedIn, context });
  const selectOf = (root: FakeElement) => find(root, (e) => e.tagName === 'SELECT');

  test('the list stays with the error, the kept selection says so; a refresh that works clears it', async () => {
    const s = screen();
    const context = new ExperimentContext();
    const ana = user('ana', [listed, down, listed]);
    await s.render(picker(ana, context));
    const select = selectOf(s.container);
    assert.equal(context.selected?.id, 'exp-alpha');
    assert.match(s.text(), /^Experiment Alpha study \(exp-alpha\) · running Beta study/);

    await s.click('Refresh experiments'); // while the gateway restarts
    assert.equal(selectOf(s.container), select, 'the same selector, not a new one');
    assert.equal(context.selected?.id, 'exp-alpha', 'the selection is kept');
    const text = s.text();
    assert.match(text, /Alpha study \(exp-alpha\) · running Beta study \(exp-beta\) · proposed/);
    assert.ok(
      text.includes(
        `Could not refresh the experiments: ${DOWN_WITH_FIX} The experiments shown may be out of date`,
      ),
      text,
    );
    const note = find(s.container, (e) => shown(e).startsWith('“Alpha study” is still selected'));
    assert.match(shown(note), /\(running\); it may have been closed or changed since/);
    assert.equal(select.getAttribute('aria-describedby'), note.getAttribute('id'));
    assert.equal(findAll(s.container, (e) => e.tagName === 'BUTTON').length, 1, 'one Refresh');

    await s.click('Refresh experiments'); // the gateway is back
    assert.doesNotMatch(s.text(), STALE);
    assert.doesNotMatch(s.text(), /still selected/);
    assert.equal(selectOf(s.container), select);
    assert.equal(select.getAttribute('aria-describedby'), null);
    await s.unmount();
  });

  test('a first load that fails shows the error in place of the list, not a stale note', async () => {
    const s = screen();
    await s.render(picker(user('ana', [down]), new ExperimentContext()));
    assert.equal(s.text(), `${DOWN_WITH_FIX} Refresh experiments`);
    await s.unmount();
  });

  test("another sign-in or a sign-out never shows the former user's experiments or selection", async () => {
    const s = screen();
    const context = new ExperimentContext();
    await s.render(picker(user('ana', [listed]), context));
    assert.equal(context.selected?.id, 'exp-alpha');

    await s.render(picker(user('bob', [never]), context)); // another user, the gateway slow
    assert.equal(s.text(), 'Loading experiments… Refresh experiments');
    assert.equal(context.selected, null, "Ana's selection is dropped");

    const carol = user('carol', [down]); // another gateway, which is down
    await s.render(picker(carol, context));
    assert.equal(s.text(), `${DOWN_WITH_FIX} Refresh experiments`);
    assert.equal(context.selected, null);

    await s.render(picker(null, context)); // signed out
    assert.doesNotMatch(s.text(), /Alpha|Beta|out of date/);
    assert.equal(context.selected, null);
    await s.unmount();
  });
});

describe('data panel views: a failed refresh keeps the cards', () => {
  const view = (name: string) => ({ name, tier: 'masked', source: 'people', published: true });
  const twoViews = answer({ views: [view('people_masked'), view('visits_masked')] });
  /** A user whose view lists come from `answers`, in order. */
  const user = (name: string, answers: Answer[]) =>
    signedInAs(name, { listViews: () => next(answers) });

  /** The list as DataPanelApp uses it; `version` changes after a publish. */
  function Views(props: { signedIn: object | null; version: number }): React.ReactElement {
    const [viewsLoad, reload] = useViews(props.signedIn, props.version);
    return React.createElement(ViewList, {
      load: viewsLoad,
      onRetry: reload,
      renderView: (v: { name: string }) =>
        React.createElement('li', { key: v.name, 'data-view': v.name }, v.name),
    });
  }
  const views = (signedIn: object | null, version: number) =>
    React.createElement(Views, { signedIn, version });
  const cards = (root: FakeElement) => findAll(root, (e) => e.getAttribute('data-view') !== null);

  test('the views stay with the error and Refresh now; a refresh that works clears it', async () => {
    const s = screen();
    const ana = user('ana', [twoViews, down, twoViews]);
    await s.render(views(ana, 0));
    const before = cards(s.container);
    assert.equal(before.length, 2);

    await s.render(views(ana, 1)); // the reload after a publish, while the gateway restarts
    assert.deepEqual(cards(s.container), before, 'the same cards, not new ones');
    assert.equal(
      s.text(),
      `Could not refresh the views: ${DOWN_WITH_FIX} The views shown may be out of date: they are from the last refresh that worked. This note goes away once a refresh works again. Refresh now people_masked visits_masked`,
    );
    assert.doesNotMatch(s.text(), /Retry/, 'no Retry in place of the list');

    await s.click('Refresh now'); // the gateway is back
    assert.equal(s.text(), 'people_masked visits_masked');
    assert.deepEqual(cards(s.container), before);
    await s.unmount();
  });

  test('an empty list kept after a failed refresh offers one Refresh, not two', async () => {
    const s = screen();
    await s.render(views(user('ana', [answer({ views: [] }), down]), 0));
    await s.click('Refresh views');
    assert.match(s.text(), /^Could not refresh the views: .* No views are approved for you yet/);
    assert.equal(findAll(s.container, (e) => e.tagName === 'BUTTON').length, 1);
    button(s.container, 'Refresh views');
    await s.unmount();
  });

  test('a first load that fails shows the error with Retry, and Retry loads the views', async () => {
    const s = screen();
    await s.render(views(user('ana', [down, twoViews]), 0));
    assert.equal(s.text(), `${DOWN_WITH_FIX} Retry`);
    await s.click('Retry');
    assert.equal(s.text(), 'people_masked visits_masked');
    await s.unmount();
  });

  test("another sign-in or a sign-out never shows the former user's views", async () => {
    const s = screen();
    await s.render(views(user('ana', [twoViews]), 0));
    await s.render(views(user('bob', [down]), 0)); // another user or gateway, which is down
    assert.equal(s.text(), `${DOWN_WITH_FIX} Retry`);
    assert.equal(cards(s.container).length, 0);
    await s.render(views(null, 0)); // signed out
    assert.equal(s.text(), 'Loading views…');
    await s.render(views(user('carol', [never]), 0)); // signed in again, the gateway slow
    assert.equal(s.text(), 'Loading views…');
    await s.unmount();
  });
});

describe('experiment record: a failed refresh keeps the record', () => {
  const experiment = (id: string, title: string) => ({
    id,
    title,
    purpose: `${title} purpose`,
    state: 'running',
    views: [],
  });
  const alpha = experiment('exp-alpha', 'Alpha study');
  const beta = experiment('exp-beta', 'Beta study');
  const entry = {
    seq: 0,
    at: '2024-05-01T10:00:00Z',
    actor: 'steward',
    action: 'experiment.approved',
    experiment: 'exp-alpha',
    subject: null,
    details: { note: 'ok for the paper' },
    prevHash: '0',
    hash: 'h0',
  };
  const audit = answer({ entries: [entry] });
  const review = { id: 'rev1abcdef', requester: 'ana', state: 'pending' };
  const reviews = answer({ reviews: [review] });
  /** A user whose audits and review lists come from the two lists of answers, in order. */
  const user = (name: string, audits: Answer[], lists: Answer[]) =>
    signedInAs(name, {
      experimentAudit: () => next(audits),
      listReviews: () => next(lists),
    });
  const record = (signedIn: object, exp: object, tick: number) =>
    React.createElement(RecordApp, { signedIn, experiment: exp, tick });
  const lines = (root: FakeElement) =>
    findAll(root, (e) => /^jp-Privet-record(Entry|Review)$/.test(e.getAttribute('class') ?? ''));
  const ALPHA_RECORD = /steward · experiment\.approved — ok for the paper .* rev1abcd · ana/;

  test('the entries and reviews stay under the error and fix; a refresh that works clears it', async () => {
    const s = screen();
    const ana = user('ana', [audit, down, audit], [reviews, down, reviews]);
    await s.render(record(ana, alpha, 0));
    await until(() => ALPHA_RECORD.test(s.text()));
    const before = lines(s.container);
    assert.equal(before.length, 2);
    assert.match(s.text(), ALPHA_RECORD);

    await s.render(record(ana, alpha, 1)); // the sidebar's timer, while the gateway restarts
    assert.deepEqual(lines(s.container), before, 'the same lines, not new ones');
    assert.match(
      s.text(),
      /^Experiment record Purpose: Alpha study purpose State: running Could not refresh the history, review requests and exports: could not reach the Privet gateway at http:\/\/gw Fix: start the gateway \(npm start\) The history, review requests and exports shown may be out of date: .* Refresh now 0 of 1 audit entries verified/,
    );
    assert.match(s.text(), ALPHA_RECORD);
    assert.doesNotMatch(s.text(), /Retry/, 'no Retry in place of the sections');

    await s.click('Refresh now'); // the gateway is back
    await until(() => !STALE.test(s.text()));
    assert.doesNotMatch(s.text(), STALE);
    assert.deepEqual(lines(s.container), before);
    await s.unmount();
  });

  test('only the reviews failing to refresh: the note names the review requests', async () => {
    const s = screen();
    const ana = user('ana', [audit, audit, audit], [reviews, down, reviews]);
    await s.render(record(ana, alpha, 0));
    await until(() => ALPHA_RECORD.test(s.text()));
    await s.render(record(ana, alpha, 1));
    assert.match(
      s.text(),
      new RegExp(`Could not refresh the review requests: ${esc(DOWN_WITH_FIX)}`),
    );
    assert.match(s.text(), ALPHA_RECORD);
    await s.render(record(ana, alpha, 2));
    await until(() => !STALE.test(s.text()));
    assert.doesNotMatch(s.text(), STALE);
    await s.unmount();
  });

  test('a first load that fails shows the error with Retry, not a stale note', async () => {
    const s = screen();
    await s.render(record(user('ana', [down, audit], [down, reviews]), alpha, 0));
    const text = s.text();
    assert.match(text, new RegExp(`State: running ${esc(DOWN_WITH_FIX)} Retry History`));
    assert.match(text, new RegExp(`Reviews ${esc(DOWN_WITH_FIX)} Retry Exports`));
    assert.doesNotMatch(text, STALE);
    const [retry] = findAll(s.container, (e) => e.tagName === 'BUTTON' && shown(e) === 'Retry');
    await React.act(async () => dispatch(retry!, 'click')); // either Retry loads both again
    await until(() => ALPHA_RECORD.test(s.text()));
    assert.match(s.text(), ALPHA_RECORD);
    assert.doesNotMatch(s.text(), /could not reach/);
    await s.unmount();
  });

  test("another experiment or user never shows the former one's record", async () => {
    const s = screen();
    const ana = user('ana', [audit, down], [reviews, down]);
    await s.render(record(ana, alpha, 0));
    await until(() => ALPHA_RECORD.test(s.text()));
    await s.render(record(ana, beta, 0)); // another experiment, which cannot be loaded
    let text = s.text();
    assert.match(text, /^Experiment record Purpose: Beta study purpose .* could not reach/);
    assert.doesNotMatch(text, /ok for the paper|rev1abcd|out of date/);
    assert.equal(lines(s.container).length, 0);

    await s.render(record(user('bob', [never], [never]), alpha, 0)); // another user
    text = s.text();
    assert.match(text, /Loading the experiment record…/);
    assert.doesNotMatch(text, /ok for the paper|rev1abcd|out of date/);
    await s.unmount();
  });
});

/** `text` as a regular expression matching it literally. */
function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
