/**
 * After Approve, Reject or Request changes in the review queue (jupyter-ext
 * review/ReviewQueueApp.tsx), a polite status line says what was decided for whose request (never
 * any of its output), and once the list is reloaded focus moves to the next card's heading, or to
 * the queue's heading when no other card is left, instead of falling to the page; focus the
 * reviewer moved elsewhere meanwhile stays there. Rendered with react-dom's client renderer on the
 * fake DOM of react-fake-dom.ts (focus as browsers keep it: an element that leaves the page loses
 * it).
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
  FakeElement,
  type FakeNode,
  shown,
  type Component,
} from './react-fake-dom.js';
const { ReviewQueueApp } = await load<{ ReviewQueueApp: Component }>('review/ReviewQueueApp.tsx');

/** A pending request of `requester` whose preview shows all of its output. */
const request = (id: string, requester: string, state = 'pending') => ({
  id,
  experiment: 'exp1',
  experimentPurpose: 'Readmission rates',
  requester,
  state,
  contentHash: `h-${id}`,
  verdict: 'review',
  findings: [{ rule: 'small_cell', severity: 'flag', mime: 'text/plain', message: 'a count' }],
  redactedPreview: `secret figure of ${id}`,
  justification: 'for the paper',
  viewsUsed: ['people_masked'],
  createdAt: '2024-05-01T10:00:00Z',
  updatedAt: '2024-05-01T10:00:00Z',
  comments: [],
});
type Request = ReturnType<typeof request>;

/** Rita signed in; each listing answers the next of `lists`; decisions wait for `gate` if set. */
function reviewer(lists: Request[][]) {
  const decided: { id: string; body: unknown }[] = [];
  let gate: Promise<void> | null = null;
  const client = {
    listReviews: () => Promise.resolve({ reviews: lists.length > 1 ? lists.shift() : lists[0] }),
    reviewOutput: () => Promise.reject(new Error('not used')),
    decideReview: async (id: string, body: unknown) => {
      decided.push({ id, body });
      if (gate) await gate;
      return {};
    },
  };
  const session = {
    signedIn: {
      client,
      token: 'pvt_test',
      user: { user: 'rita', name: 'Rita', roles: ['reviewer'] },
    },
    changed: new Signal<object, unknown>({}),
    restoreProblem: null,
    restoreProblemChanged: new Signal<object, unknown>({}),
  };
  return { session, decided, hold: (next: Promise<void>) => (gate = next) };
}

/** Lets the gateway's (resolved) answers and the renders they cause run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await React.act(() => new Promise<void>((resolve) => setImmediate(resolve)));
  }
}
const card = (root: FakeNode, id: string) =>
  find(root, (e) => e.getAttribute('data-review') === id);
const heading = (root: FakeNode) => find(root, (e) => e.tagName === 'H3');
const status = (root: FakeNode) =>
  find(
    root,
    (e) => e.getAttribute('role') === 'status' && e.getAttribute('aria-live') === 'polite',
  );
const active = (): unknown => (document as unknown as { activeElement: unknown }).activeElement;

/** Renders the queue of `session`; answers its container and a way to unmount it. */
async function renderQueue(session: ReturnType<typeof reviewer>['session']) {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  await React.act(async () =>
    root.render(React.createElement(ReviewQueueApp, { session, tick: 0 })),
  );
  await settle();
  return { container, unmount: () => React.act(async () => root.unmount()) };
}

/** Clicks `label` on the card `id`, with focus on that button as a click or a key press leaves it. */
async function decideOn(container: FakeElement, id: string, label: string): Promise<void> {
  const pressed = button(card(container, id), label);
  pressed.focus();
  await React.act(async () => dispatch(pressed, 'click'));
  await settle();
}

describe('review queue: after a decision, say so and keep focus in the queue', () => {
  test('approve: announced politely, focus on the next card’s heading', async () => {
    const { session, decided } = reviewer([
      [request('r-1', 'bob'), request('r-2', 'cara')],
      [request('r-2', 'cara')],
    ]);
    const { container, unmount } = await renderQueue(session);
    assert.equal(shown(status(container)), '', 'nothing said before a decision');
    await decideOn(container, 'r-1', 'Approve');
    assert.deepEqual(decided, [{ id: 'r-1', body: { decision: 'approve' } }]);
    assert.equal(shown(status(container)), "Approved bob's request r-1.");
    assert.doesNotMatch(shown(status(container)), /secret figure/, 'no output content');
    const next = heading(card(container, 'r-2'));
    assert.equal(active(), next, 'focus on the next card’s heading, not the page');
    assert.equal(next.getAttribute('tabindex'), '-1');
    assert.match(shown(next), /^cara · exp1/);
    await unmount();
  });

  test('the last card rejected: announced, focus on the queue’s heading', async () => {
    const { session } = reviewer([[request('r-2', 'cara')], []]);
    const { container, unmount } = await renderQueue(session);
    const comment = find(card(container, 'r-2'), (e) => e.tagName === 'TEXTAREA');
    await React.act(async () => {
      comment.value = 'not aggregated enough';
      dispatch(comment, 'input');
    });
    await decideOn(container, 'r-2', 'Reject');
    assert.equal(shown(status(container)), "Rejected cara's request r-2.");
    const title = find(container, (e) => e.tagName === 'H2');
    assert.equal(shown(title), 'Review queue');
    assert.equal(active(), title);
    assert.equal(title.getAttribute('tabindex'), '-1');
    assert.match(shown(container), /No pending review requests/);
    await unmount();
  });

  test('the last of several cards: focus on the card now last', async () => {
    const { session } = reviewer([
      [request('r-1', 'bob'), request('r-2', 'cara')],
      [request('r-1', 'bob')],
    ]);
    const { container, unmount } = await renderQueue(session);
    await decideOn(container, 'r-2', 'Approve');
    assert.equal(active(), heading(card(container, 'r-1')));
    await unmount();
  });

  test('focus the reviewer moved elsewhere while the decision was sent stays there', async () => {
    const { session, hold } = reviewer([
      [request('r-1', 'bob'), request('r-2', 'cara')],
      [request('r-2', 'cara')],
    ]);
    let release = (): void => undefined;
    hold(new Promise<void>((resolve) => (release = resolve)));
    const { container, unmount } = await renderQueue(session);
    await decideOn(container, 'r-1', 'Approve');
    const typing = find(card(container, 'r-2'), (e) => e.tagName === 'TEXTAREA');
    typing.focus();
    release();
    await settle();
    assert.equal(shown(status(container)), "Approved bob's request r-1.");
    assert.equal(active(), typing, 'not taken from the comment being typed');
    await unmount();
  });
});
