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

const { LoadStatus } = await load<{ LoadStatus: Component }>('panel/LoadStatus.tsx');
interface Slot {
  of: readonly unknown[];
  load: { state: string };
}
const slots = await load<{
  shownLoad(slot: Slot | null, identity: readonly unknown[]): { state: string };
  retryingSlot(slot: Slot | null): Slot | null;
}>('panel/useGatewayLoad.ts');
const { RetryButton } = await load<{ RetryButton: Component }>('panel/RetryButton.tsx');
const { RecordView } = await load<{ RecordView: Component }>('record/RecordApp.tsx');
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
const loading = { state: 'loading' };
const failed = { state: 'failed', error: failure };
const ready = (value: unknown[]) => ({ state: 'ready', value });

/** The tags of the root element's children in `markup` (to check what keeps its place). */
function childTags(markup: string): string[] {
  const tags: string[] = [];
  let depth = 0;
  for (const [, close, name] of markup.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    if (close) depth -= 1;
    else {
      if (depth === 1) tags.push(name!);
      if (!['input', 'br', 'img'].includes(name!)) depth += 1;
    }
  }
  return tags;
}

describe('LoadStatus: one line for where a list is', () => {
  const shown = (l: unknown): string =>
    text(
      html(LoadStatus, { load: l, loading: 'Loading things…', empty: 'No things.', onRetry: noop }),
    );

  test('loading: only "Loading…"', () => {
    assert.equal(shown(loading), 'Loading things…');
  });
  test('failed: the error and its fix with Retry, neither "Loading…" nor "No …"', () => {
    assert.equal(
      shown(failed),
      'could not reach the Privet gateway at http://gw Fix: start it Retry',
    );
  });
  test('empty only after a successful load; nothing when there is something', () => {
    assert.equal(shown(ready([])), 'No things.');
    assert.equal(shown(ready([1])), '');
  });
  test('Retry drops the old error at once and says it is loading; Retry keeps its place', () => {
    const slot = { of: ['ana'], load: failed };
    const retrying = slots.retryingSlot(slot)!.load;
    assert.equal(shown(retrying), 'Loading things… Retrying…');
    const markup = (l: unknown): string =>
      html(LoadStatus, { load: l, loading: 'Loading things…', onRetry: noop });
    assert.deepEqual(childTags(markup(failed)), ['div', 'button']);
    assert.deepEqual(childTags(markup(retrying)), ['p', 'button'], 'the same button, focus kept');
  });
  test('a busy Retry stays focusable: aria-disabled, not disabled', () => {
    const busy = html(RetryButton, { busy: true, onClick: noop });
    assert.match(busy, /aria-disabled="true"/);
    assert.doesNotMatch(busy, / disabled=""/);
    assert.equal(text(busy), 'Retrying…');
  });
  test('a new user or experiment shows "Loading…" from its first render, not the last answer', () => {
    const before = { of: [null], load: ready([]) }; // the empty answer of the signed-out state
    assert.equal(slots.shownLoad(before, ['ana']).state, 'loading');
    assert.equal(slots.shownLoad(before, [null]), before.load);
    assert.equal(slots.shownLoad(null, ['ana']).state, 'loading');
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
  /** The picker's markup with no experiments, not loading, no error, overridden by `state`. */
  const markup = (state: Props): string =>
    html(ExperimentPicker, {
      experiments: [],
      selected: null,
      loading: false,
      error: null,
      onRefresh: noop,
      context: new ExperimentContext(),
      ...state,
    });
  const shown = (state: Props): string => text(markup(state));

  test('"no experiment yet" only after a load that found none; Refresh in every state', () => {
    assert.equal(shown({ loading: true }), 'Loading experiments… Refresh experiments');
    assert.equal(
      shown({ error: failure }),
      'could not reach the Privet gateway at http://gw Fix: start it Refresh experiments',
    );
    assert.match(shown({}), /^You are in no experiment yet\. .* Refresh experiments$/);
  });

  test('Refresh experiments keeps its place (and focus) while the list reloads', () => {
    const experiments = [{ id: 'e1', title: 'T', state: 'running' }];
    const listed = childTags(markup({ experiments }));
    assert.deepEqual(listed.slice(0, 2), ['div', 'button']);
    assert.deepEqual(childTags(markup({ experiments, loading: true })), ['p', 'button']);
    assert.deepEqual(childTags(markup({ experiments, error: failure })), ['div', 'button']);
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
  test('a failed review list says so with Retry, not "No review requests."', () => {
    const experiment = { id: 'exp1', purpose: 'p', state: 'running', views: [], title: 't' };
    const shown = text(
      html(RecordView, {
        experiment,
        audit: { state: 'ready', value: { entries: [], verified: 0 } },
        reviews: failed,
        retry: noop,
      }),
    );
    assert.match(
      shown,
      /Reviews could not reach the Privet gateway at http:\/\/gw Fix: start it Retry/,
    );
    assert.doesNotMatch(shown, /No review requests/);
    assert.match(shown, /No lifecycle changes are recorded yet\./);
    assert.match(shown, /No exports\./);
  });
  test('reviews listed with no audit entry: each section says what it lacks', () => {
    const experiment = { id: 'exp1', purpose: 'p', state: 'running', views: [], title: 't' };
    const review = { id: 'rev1abcdef', requester: 'ana', state: 'pending' };
    const shown = text(
      html(RecordView, {
        experiment,
        audit: { state: 'ready', value: { entries: [], verified: 0 } },
        reviews: ready([review]),
        retry: noop,
      }),
    );
    assert.doesNotMatch(shown, /Nothing is recorded/);
    assert.match(shown, /Reviews rev1abcd · ana · pending Exports No exports\./);
  });
  test('the record says it is loading, not that there are no reviews or exports', () => {
    const experiment = { id: 'exp1', purpose: 'p', state: 'running', views: [], title: 't' };
    const shown = text(html(RecordApp, { signedIn: signedIn(['analyst']), experiment, tick: 0 }));
    assert.match(shown, /Loading the experiment record…/);
    assert.doesNotMatch(shown, /No review requests|No exports/);
  });
});
