/**
 * LoadedViews (core/src/client/loaded-views.ts): views fetched for one sign-in and experiment are
 * dropped before another sign-in or experiment can query them, and a failed drop is retried.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadedViews } from '@privet/core/client/index';

describe('LoadedViews', () => {
  const ana = {};
  const anaAgain = {};

  it('keeps views while the sign-in and experiment stay, and drops them when either changes', async () => {
    const views = new LoadedViews();
    const dropped: string[] = [];
    const drop = (name: string): void => void dropped.push(name);
    await views.enter(ana, 'exp1', drop);
    views.add('people_masked');
    views.add('visits_masked');
    await views.enter(ana, 'exp1', drop);
    assert.deepEqual(dropped, [], 'same owner: nothing dropped');
    assert.deepEqual([...views.loaded], ['people_masked', 'visits_masked']);

    await views.enter(ana, 'exp2', drop);
    assert.deepEqual(dropped, ['people_masked', 'visits_masked'], 'another experiment');
    assert.equal(views.loaded.size, 0);

    views.add('people_masked');
    await views.enter(anaAgain, 'exp2', drop);
    assert.deepEqual(dropped.slice(2), ['people_masked'], 'a new sign-in, same experiment');
  });

  it('retries a drop that failed, keeping the views it could not drop', async () => {
    const views = new LoadedViews();
    await views.enter(ana, 'exp1', () => undefined);
    views.add('a');
    views.add('b');
    let fail = true;
    const dropped: string[] = [];
    const drop = async (name: string): Promise<void> => {
      if (name === 'b' && fail) throw new Error('engine busy');
      dropped.push(name);
    };
    await assert.rejects(views.enter(ana, 'exp2', drop), /engine busy/);
    assert.deepEqual([...views.loaded], ['b'], 'the view not dropped is still known');
    fail = false;
    await views.enter(ana, 'exp2', drop);
    assert.deepEqual(dropped, ['a', 'b'], 'the next call drops the rest');
    assert.equal(views.loaded.size, 0);
  });
});
