/**
 * Lists fetched from the gateway in the JupyterLab panels say where they are: "Loading…" only
 * while nothing is known, the error with Retry only after a failure, and "No …" only after a load
 * that succeeded (LoadStatus.tsx); the data panel's views (ViewList.tsx) and experiments
 * (ExperimentPicker.tsx, whose Refresh is always there), the review queue and the experiment
 * record. Rendered to HTML in Node (render.ts): first renders, and each state given as props.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Signal } from '@lumino/signaling';
import { html, load, text } from './render.js';

/** A signed-in user as the panels read it (the client is never called in a first render). */
const signedIn = (roles: string[]) => ({
  client: {},
  token: 'pvt_test_token_0000',
  user: { user: 'ana', name: 'Ana', roles },
});
/** A session that stays signed in as `user`. */
const sessionOf = (user: ReturnType<typeof signedIn>) => ({
  signedIn: user,
  changed: new Signal<object, unknown>({}),
  restoreProblem: null,
  restoreProblemChanged: new Signal<object, unknown>({}),
});
type Props = Record<string, unknown>;
type Component = (props: Props) => unknown;

const { LoadStatus, loadOf } = await load<{
  LoadStatus: Component;
  loadOf(value: unknown, error: unknown): { state: string };
}>('panel/LoadStatus.tsx');
const { ViewList, NO_VIEWS_TEXT } = await load<{ ViewList: Component; NO_VIEWS_TEXT: string }>(
  'panel/ViewList.tsx',
);
const { ExperimentPicker } = await load<{ ExperimentPicker: Component }>(
  'panel/ExperimentPicker.tsx',
);
const { DataPanelApp } = await load<{ DataPanelApp: Component }>('panel/DataPanelApp.tsx');
const { ExperimentContext } = await load<{ ExperimentContext: new () => unknown }>('experiment.ts');
const { ReviewQueueApp } = await load<{ ReviewQueueApp: Component }>('review/ReviewQueueApp.tsx');
const { RecordApp } = await load<{ RecordApp: Component }>('record/RecordApp.tsx');

const failure = { message: 'could not reach the Privet gateway at http://gw', fix: 'start it' };
const noop = (): void => undefined;

describe('LoadStatus: one line for where a list is', () => {
  const shown = (l: unknown): string =>
    text(
      html(LoadStatus, { load: l, loading: 'Loading things…', empty: 'No things.', onRetry: noop }),
    );

  test('loading: only "Loading…"', () => {
    assert.equal(shown(loadOf(null, null)), 'Loading things…');
  });
  test('failed: the error and its fix with Retry, neither "Loading…" nor "No …"', () => {
    assert.equal(
      shown(loadOf(null, failure)),
      'could not reach the Privet gateway at http://gw Fix: start it Retry',
    );
    assert.equal(shown(loadOf([], failure)), shown(loadOf(null, failure)), 'a stale empty list');
  });
  test('empty only after a successful load; nothing when there is something', () => {
    assert.equal(shown(loadOf([], null)), 'No things.');
    assert.equal(shown(loadOf([1], null)), '');
  });
});

describe('data panel: the views list', () => {
  const view = { name: 'people_masked', tier: 'masked' };
  const shown = (l: unknown): string =>
    text(html(ViewList, { load: l, onRetry: noop, renderView: (v: typeof view) => v.name }));

  test('says it is loading, then what an empty list means and what to do', () => {
    assert.equal(shown({ state: 'loading' }), 'Loading views…');
    const empty = shown({ state: 'ready', value: [] });
    assert.ok(empty.startsWith(NO_VIEWS_TEXT), empty);
    assert.match(NO_VIEWS_TEXT, /^No views are approved for you yet\. Ask your data steward/);
    assert.match(empty, /Refresh views$/);
    assert.equal(shown({ state: 'ready', value: [view] }), 'people_masked');
  });
  test('a failure shows the error with Retry instead of an empty list', () => {
    assert.equal(
      shown({ state: 'failed', error: failure }),
      'could not reach the Privet gateway at http://gw Fix: start it Retry',
    );
  });
  test('right after sign-in the panel says both lists are loading, not that there are none', () => {
    const shownPanel = text(
      html(DataPanelApp, {
        session: sessionOf(signedIn(['analyst'])),
        engine: {},
        gatewayUrl: 'http://gw',
        context: new ExperimentContext(),
        onUseInNotebook: noop,
        onRelease: noop,
      }),
    );
    assert.match(shownPanel, /Loading experiments…/);
    assert.match(shownPanel, /Loading views…/);
    assert.doesNotMatch(shownPanel, /no experiment yet/);
    assert.match(shownPanel, /Refresh experiments/);
  });
});

describe('data panel: the experiment picker', () => {
  const shown = (state: Props): string =>
    text(
      html(ExperimentPicker, {
        experiments: [],
        selected: null,
        loading: false,
        error: null,
        onRefresh: noop,
        context: new ExperimentContext(),
        ...state,
      }),
    );

  test('"no experiment yet" only after a load that found none; Refresh in every state', () => {
    assert.equal(shown({ loading: true }), 'Loading experiments… Refresh experiments');
    assert.equal(
      shown({ error: failure }),
      'could not reach the Privet gateway at http://gw Fix: start it Refresh experiments',
    );
    assert.match(shown({}), /^You are in no experiment yet\. .* Refresh experiments$/);
  });
});

describe('review queue and experiment record: no "No …" while loading', () => {
  test('the review queue says it is loading review requests', () => {
    const shown = text(
      html(ReviewQueueApp, { session: sessionOf(signedIn(['reviewer'])), tick: 0 }),
    );
    assert.match(shown, /Loading review requests…/);
    assert.doesNotMatch(shown, /No (pending )?review requests/);
  });
  test('the record says it is loading, not that there are no reviews or exports', () => {
    const experiment = { id: 'exp1', purpose: 'p', state: 'running', views: [], title: 't' };
    const shown = text(html(RecordApp, { signedIn: signedIn(['analyst']), experiment, tick: 0 }));
    assert.match(shown, /Loading the experiment record…/);
    assert.doesNotMatch(shown, /No review requests|No exports/);
  });
});
