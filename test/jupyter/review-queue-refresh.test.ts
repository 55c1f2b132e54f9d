/**
 * The review queue (jupyter-ext review/ReviewQueueApp.tsx) reloads every few seconds; a reload
 * that fails (the gateway restarting) must keep the cards shown, with the comment typed and the
 * whole output opened in them, and say beside them what happened, how to fix it and that the
 * list may be out of date, until a reload works. A first load that fails still shows the error
 * with Retry. A card lists each finding once, however many readings of the output found it. The
 * queue is rendered with react-dom's client renderer on a small fake DOM (react-fake-dom.ts:
 * only what react-dom touches), so effects, state and events run as in JupyterLab.
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
const { ReviewQueueApp } = await load<{ ReviewQueueApp: Component }>('review/ReviewQueueApp.tsx');

/** A pending request whose preview shows no picture: approving needs the whole output opened. */
const review = {
  id: 'rev-1',
  experiment: 'exp1',
  experimentPurpose: 'Readmission rates',
  requester: 'bob',
  state: 'pending',
  contentHash: 'h1',
  verdict: 'review',
  findings: [{ rule: 'image', severity: 'warn', mime: 'image/png', message: 'a picture' }],
  redactedPreview: 'a chart',
  justification: 'the chart for the paper',
  viewsUsed: ['people_masked'],
  createdAt: '2024-05-01T10:00:00Z',
  updatedAt: '2024-05-01T10:00:00Z',
  comments: [],
};
/** The gateway's error when it is down, with its fix (as GatewayError carries one). */
const gatewayDown = (): Error =>
  Object.assign(new Error('could not reach the Privet gateway at http://gw'), {
    fix: 'start the gateway (npm start)',
  });

/** A reviewer signed in with a client whose list answers come from `answers`, in order. */
function reviewer(answers: (() => Promise<unknown>)[]) {
  const client = {
    listReviews: () => (answers.shift() ?? (() => Promise.reject(new Error('unexpected'))))(),
    reviewOutput: () =>
      Promise.resolve({
        id: 'rev-1',
        contentHash: 'h1',
        output: { output_type: 'stream', name: 'stdout', text: 'the whole chart' },
      }),
    decideReview: () => Promise.resolve({}),
  };
  return {
    signedIn: {
      client,
      token: 'pvt_test',
      user: { user: 'rita', name: 'Rita', roles: ['reviewer'] },
    },
    changed: new Signal<object, unknown>({}),
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
  };
}
const listed = (): Promise<unknown> => Promise.resolve({ reviews: [review] });
const down = (): Promise<unknown> => Promise.reject(gatewayDown());

/** Renders the queue of `session` at `tick` into `container` (again: a reload). */
async function renderQueue(
  root: ReturnType<typeof createRoot>,
  session: ReturnType<typeof reviewer>,
  tick: number,
): Promise<void> {
  await React.act(async () => root.render(React.createElement(ReviewQueueApp, { session, tick })));
}

describe('review queue: a failed reload keeps the cards', () => {
  test('the typed comment and the opened output survive a failed reload, beside its error', async () => {
    const container = new FakeElement('div', document);
    const root = createRoot(container);
    const session = reviewer([listed, down, listed]);
    await renderQueue(root, session, 0);
    const card = find(container, (e) => e.getAttribute('data-review') === 'rev-1');
    const comment = find(card, (e) => e.tagName === 'TEXTAREA');
    await React.act(async () => {
      comment.value = 'Axis labels are fine';
      dispatch(comment, 'input');
    });
    const details = find(card, (e) => e.tagName === 'DETAILS');
    await React.act(async () => {
      details.open = true;
      dispatch(details, 'toggle');
    });
    assert.match(shown(card), /the whole chart/);
    assert.doesNotMatch(shown(card), /open “Whole output” before approving/);

    await renderQueue(root, session, 1); // the 5 s reload, while the gateway restarts
    const after = find(container, (e) => e.getAttribute('data-review') === 'rev-1');
    assert.equal(after, card, 'the same card, not a new one');
    assert.equal(comment.value, 'Axis labels are fine');
    assert.match(shown(after), /the whole chart/);
    assert.doesNotMatch(shown(after), /before approving/);
    assert.equal(button(after, 'Approve').hasAttribute('disabled'), false);
    const page = shown(container);
    assert.match(
      page,
      /Could not refresh the review requests: could not reach the Privet gateway at http:\/\/gw Fix: start the gateway \(npm start\)/,
    );
    assert.match(page, /may be out of date/);
    assert.doesNotMatch(page, /Retry/, 'no Retry in place of the list');

    await renderQueue(root, session, 2); // the gateway is back
    assert.doesNotMatch(shown(container), /Could not refresh|out of date/);
    assert.equal(
      find(container, (e) => e.getAttribute('data-review') === 'rev-1'),
      card,
    );
    assert.equal(comment.value, 'Axis labels are fine');
    await React.act(async () => root.unmount());
  });

  test('a first load that fails shows the error with Retry, and Retry loads the list', async () => {
    const container = new FakeElement('div', document);
    const root = createRoot(container);
    const session = reviewer([down, listed]);
    await renderQueue(root, session, 0);
    const page = shown(container);
    assert.match(page, /could not reach the Privet gateway at http:\/\/gw Fix: start the gateway/);
    assert.doesNotMatch(page, /Could not refresh|out of date/);
    await React.act(async () => dispatch(button(container, 'Retry'), 'click'));
    assert.equal(findAll(container, (e) => e.getAttribute('data-review') === 'rev-1').length, 1);
    assert.doesNotMatch(shown(container), /could not reach/);
    await React.act(async () => root.unmount());
  });

  test('another filter that fails shows its error with Retry, not the other list', async () => {
    const container = new FakeElement('div', document);
    const root = createRoot(container);
    const session = reviewer([listed, down]);
    await renderQueue(root, session, 0);
    const pendingOnly = find(container, (e) => e.tagName === 'INPUT');
    await React.act(async () => {
      pendingOnly.checked = false;
      dispatch(pendingOnly, 'click');
    });
    assert.equal(findAll(container, (e) => e.getAttribute('data-review') === 'rev-1').length, 0);
    assert.match(shown(container), /could not reach the Privet gateway at http:\/\/gw .* Retry/);
    assert.doesNotMatch(shown(container), /out of date/);
    await React.act(async () => root.unmount());
  });
});

/** A slot of useGatewayLoad as settledSlot takes and gives it. */
interface Slot {
  of: readonly unknown[];
  load: { state: string; value?: unknown; refreshError?: unknown };
}
const { settledSlot } = await load<{
  settledSlot(slot: Slot | null, of: readonly unknown[], load: object, keep: boolean): Slot;
}>('panel/useGatewayLoad.ts');

describe('review card: findings', () => {
  test('one sentence found by three readings of an SVG is one line naming them, ×3', async () => {
    const stated = 'a count stated in text below the threshold of 10';
    const finding = (mime: string) => ({
      rule: 'small-cell',
      severity: 'flag',
      mime,
      message: stated,
    });
    const svgReview = {
      ...review,
      findings: [
        finding('image/svg+xml'),
        finding('image/svg+xml (SVG text)'),
        finding('image/svg+xml (as written)'),
        {
          rule: 'email',
          severity: 'block',
          mime: 'text/plain',
          message: 'email k***@e***.org found',
        },
      ],
    };
    const container = new FakeElement('div', document);
    const root = createRoot(container);
    await renderQueue(root, reviewer([() => Promise.resolve({ reviews: [svgReview] })]), 0);
    const lines = findAll(container, (e) => e.tagName === 'LI' && e.hasAttribute('data-rule'));
    assert.deepEqual(
      lines.map((li) => shown(li)),
      [
        // shown() joins the rendered text nodes with spaces.
        `small-cell ( flag ) in image/svg+xml (text, SVG text, as written) : ${stated} ×3`,
        'email ( block ) in text/plain : email k***@e***.org found',
      ],
    );
    await React.act(async () => root.unmount());
  });
});

describe('useGatewayLoad: which failures keep the value shown', () => {
  const error = { message: 'could not reach the Privet gateway at http://gw' };
  const before: Slot = { of: ['rita', true], load: { state: 'ready', value: ['rev-1'] } };
  const failed = { state: 'failed', error };

  test('kept only when asked, for the same identity, after a value', () => {
    assert.deepEqual(settledSlot(before, ['rita', true], failed, true).load, {
      state: 'ready',
      value: ['rev-1'],
      refreshError: error,
    });
    assert.deepEqual(settledSlot(before, ['rita', false], failed, true).load, failed);
    assert.deepEqual(settledSlot(before, ['rita', true], failed, false).load, failed);
    assert.deepEqual(settledSlot(null, ['rita', true], failed, true).load, failed);
  });
  test('a refresh that works drops the error', () => {
    const kept = settledSlot(before, ['rita', true], failed, true);
    const ready = { state: 'ready', value: ['rev-1', 'rev-2'] };
    assert.deepEqual(settledSlot(kept, ['rita', true], ready, true).load, ready);
  });
});
