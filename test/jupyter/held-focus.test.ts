/**
 * A held output's placeholder keeps keyboard focus when the control that had it goes away
 * (jupyter-ext gate/HeldOutput.tsx): after "Request review" is sent, the button is disabled and
 * then gone (the review is pending), and focus moves to the state line, which says so, instead
 * of falling to the page. Focus the user put elsewhere stays there. Rendered with react-dom's
 * client renderer on the fake DOM of react-fake-dom.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as React from 'react';
import { load } from './render.js';
import {
  button,
  createRoot,
  document,
  find,
  FakeElement,
  type Component,
} from './react-fake-dom.js';

const { HeldOutput } = await load<{ HeldOutput: Component }>('gate/HeldOutput.tsx');

const finding = { rule: 'small-cell', severity: 'flag', mime: 'text/plain', message: 'a count' };
const props = (state: string, busy: boolean) => ({
  verdict: 'flag',
  findings: [finding],
  state,
  busy,
  onRequestReview: () => undefined,
  onClear: () => undefined,
});
const active = (): unknown => (document as unknown as { activeElement: unknown }).activeElement;

/** Renders the placeholder in `state`; answers its container and how to re-render it. */
async function placeholder() {
  const container = new FakeElement('div', document);
  const root = createRoot(container);
  const show = (state: string, busy = false) =>
    React.act(async () => root.render(React.createElement(HeldOutput, props(state, busy))));
  await show('none');
  return { container, show, unmount: () => React.act(async () => root.unmount()) };
}
const stateLine = (container: FakeElement) =>
  find(container, (e) => e.getAttribute('role') === 'status');

test('after Request review is sent, focus moves to the state line, not the page', async () => {
  const { container, show, unmount } = await placeholder();
  button(container, 'Request review').focus();
  await show('none', true); // sending: the button is disabled
  await show('pending'); // sent: the button is gone
  assert.equal(active(), stateLine(container));
  assert.equal(stateLine(container).getAttribute('tabindex'), '-1');
  await unmount();
});

test('focus the user moved elsewhere stays there', async () => {
  const { container, show, unmount } = await placeholder();
  const elsewhere = new FakeElement('button', document);
  elsewhere.focus();
  await show('pending');
  assert.equal(active(), elsewhere);
  assert.notEqual(active(), stateLine(container));
  await unmount();
});
