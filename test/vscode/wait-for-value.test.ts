import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForValue, type OnChange } from '../../vscode-ext/src/shared/wait-for-value.js';

/** A change source the test fires by hand, counting live subscriptions. */
function changes(): { onChange: OnChange; fire: () => void; live: () => number } {
  const listeners = new Set<() => void>();
  return {
    onChange: (listener) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    fire: () => [...listeners].forEach((l) => l()),
    live: () => listeners.size,
  };
}

describe('waitForValue (an output reaching the host after the renderer asks)', () => {
  test('answers at once when the value is already there, without subscribing', async () => {
    const c = changes();
    assert.equal(await waitForValue(() => 'here', c.onChange, 1000), 'here');
    assert.equal(c.live(), 0);
  });

  test('looks again on every change and resolves with the first value found', async () => {
    const c = changes();
    let doc: string[] = [];
    const waiting = waitForValue(
      () => (doc.length > 1 ? doc.join('+') : undefined),
      c.onChange,
      5000,
    );
    doc = ['header'];
    c.fire(); // not yet: keeps waiting
    doc = ['header', 'small row'];
    c.fire();
    assert.equal(await waiting, 'header+small row');
    assert.equal(c.live(), 0, 'unsubscribed');
  });

  test('gives up with undefined after the timeout (the caller then holds the item)', async () => {
    const c = changes();
    const started = Date.now();
    assert.equal(await waitForValue(() => undefined, c.onChange, 50), undefined);
    assert.ok(Date.now() - started >= 45);
    assert.equal(c.live(), 0, 'unsubscribed');
  });
});
