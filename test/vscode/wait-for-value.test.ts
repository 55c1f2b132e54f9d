import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LateWatches,
  settleWithin,
  waitForValue,
  type OnChange,
} from '../../vscode-ext/src/shared/wait-for-value.js';

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

describe('LateWatches (a stream part placed after the host answered "hold")', () => {
  test('calls back once the thing appears, once per key, then stops watching', async () => {
    const c = changes();
    const watches = new LateWatches();
    let placed = false;
    let found = 0;
    const onFound = (): void => {
      found++;
    };
    watches.watch('part', () => placed, c.onChange, 5000, onFound);
    watches.watch('part', () => placed, c.onChange, 5000, onFound); // already watched
    assert.equal(watches.size, 1);
    assert.equal(c.live(), 1);
    c.fire();
    await new Promise((r) => setImmediate(r));
    assert.equal(found, 0, 'not there yet');
    placed = true;
    c.fire();
    await new Promise((r) => setImmediate(r));
    assert.equal(found, 1);
    assert.equal(watches.size, 0);
    assert.equal(c.live(), 0, 'unsubscribed');
  });

  test('a watch ends after its bound without calling back', async () => {
    const c = changes();
    const watches = new LateWatches();
    let found = 0;
    watches.watch(
      'part',
      () => false,
      c.onChange,
      30,
      () => found++,
    );
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(found, 0);
    assert.equal(watches.size, 0);
    assert.equal(c.live(), 0);
  });

  test('dispose stops every watch: nothing calls back afterwards', async () => {
    const c = changes();
    const watches = new LateWatches();
    let placed = false;
    let found = 0;
    watches.watch(
      'a',
      () => placed,
      c.onChange,
      5000,
      () => found++,
    );
    watches.watch(
      'b',
      () => placed,
      c.onChange,
      5000,
      () => found++,
    );
    watches.dispose();
    placed = true;
    c.fire();
    await new Promise((r) => setImmediate(r));
    assert.equal(found, 0);
    assert.equal(c.live(), 0);
  });
});

describe('settleWithin (an answer bounded in time)', () => {
  test('resolves with the work when it settles first, with undefined when the time runs out', async () => {
    assert.deepEqual(await settleWithin(Promise.resolve([true]), 1000), [true]);
    const never = new Promise<string>(() => undefined);
    assert.equal(await settleWithin(never, 20), undefined);
    // A deadline already passed still lets work that is already settled win.
    assert.equal(await settleWithin(Promise.resolve('done'), -5), 'done');
  });
  test('a failure of the work is passed on', async () => {
    await assert.rejects(settleWithin(Promise.reject(new Error('boom')), 1000), /boom/);
  });
});
