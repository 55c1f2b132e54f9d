/**
 * A reader that arrives between the two renames of a publish's swap (no live folder, the previous
 * version aside as `.old-<view>-*`) waits for the new version instead of answering "not
 * published"; in every other case it does not wait, and a crash's leftover is waited on only
 * briefly. Node's mocked timers (setTimeout, Date): whether it waited is told by which timer ticks
 * it needed, not by the wall clock.
 */
import { afterEach, test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { settleSwap, viewsDir } from '../../../gateway/src/publish/layout.js';
import { freshStateDir } from './helpers.js';

/** Lets promise callbacks run (setImmediate is not among the mocked timers). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** settleSwap(...) started, with whether it has resolved yet. */
function started(...args: Parameters<typeof settleSwap>): { done: () => boolean } {
  let done = false;
  void settleSwap(...args).then(() => (done = true));
  return { done: () => done };
}

afterEach(() => mock.timers.reset());

test('a read between the two renames of a swap waits for the new version', async () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const state = freshStateDir();
  try {
    const root = viewsDir(state);
    mkdirSync(join(root, 'people_masked'), { recursive: true });
    const published = started(state, 'people_masked');
    await flush();
    assert.equal(published.done(), true, 'published: no wait');

    // Mid-swap: the live folder moved aside, the new one not yet renamed into place.
    renameSync(join(root, 'people_masked'), join(root, '.old-people_masked-abc'));
    mkdirSync(join(root, '.tmp-people_masked-1'));
    const midSwap = started(state, 'people_masked');
    for (let i = 0; i < 8; i++) {
      mock.timers.tick(5);
      await flush();
    }
    assert.equal(midSwap.done(), false, 'waits while the swap is under way');
    renameSync(join(root, '.tmp-people_masked-1'), join(root, 'people_masked'));
    mock.timers.tick(5);
    await flush();
    assert.equal(midSwap.done(), true, 'at the next look after the second rename');
    assert.ok(existsSync(join(root, 'people_masked')), 'the new version is in place');

    // A crash between the renames leaves only the `.old-` folder: waited on briefly, then not.
    rmSync(join(root, 'people_masked'), { recursive: true });
    const crashed = started(state, 'people_masked', 60);
    for (let i = 0; i < 11; i++) {
      mock.timers.tick(5);
      await flush();
    }
    assert.equal(crashed.done(), false, 'waited on for its 60 ms');
    mock.timers.tick(5);
    await flush();
    assert.equal(crashed.done(), true, 'then no longer');
    // Another view's swap is not this one's.
    const other = started(state, 'people');
    await flush();
    assert.equal(other.done(), true);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});
