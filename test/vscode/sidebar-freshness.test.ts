/**
 * The sidebar stays current without the Refresh button (vscode-ext/src/sidebar/freshness.ts): it
 * re-reads when VS Code's window gets the focus back and on a timer while it has the focus, never
 * while the window is in the background, and stops when disposed. With an in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { SidebarFreshness, SIDEBAR_REFRESH_MS } =
  await import('../../vscode-ext/src/sidebar/freshness.js');

/** Sets the fake window's focus and tells listeners. */
const focus = (focused: boolean): void => fake.windowStates.fire({ focused });

/** Waits (bounded) until `done()`. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await sleep(5);
  assert.ok(done(), 'waited for the refresh');
}

describe('sidebar freshness', () => {
  it('re-reads every minute by default', () => {
    assert.equal(SIDEBAR_REFRESH_MS, 60_000);
  });

  it('re-reads on a timer while focused, not in the background, and at once on regaining focus', async () => {
    focus(true);
    let reads = 0;
    const freshness = new SidebarFreshness(() => reads++, 10);
    try {
      assert.equal(reads, 0, 'nothing read at start (the session reads on its own)');
      await until(() => reads >= 2);
      focus(false);
      const atBlur = reads;
      await sleep(60);
      assert.equal(reads, atBlur, 'no reads while the window is in the background');
      focus(true);
      assert.equal(reads, atBlur + 1, 'read at once when the focus comes back');
      await until(() => reads >= atBlur + 3);
      const focused = reads;
      focus(true);
      assert.equal(reads, focused, 'a focus event while focused reads nothing more');
    } finally {
      freshness.dispose();
    }
    const atDispose = reads;
    await sleep(60);
    focus(false);
    focus(true);
    assert.equal(reads, atDispose, 'nothing after dispose');
  });

  it('started in the background, it waits for the focus', async () => {
    focus(false);
    let reads = 0;
    const freshness = new SidebarFreshness(() => reads++, 10);
    try {
      await sleep(60);
      assert.equal(reads, 0);
      focus(true);
      assert.equal(reads, 1);
    } finally {
      freshness.dispose();
      focus(true);
    }
  });
});
