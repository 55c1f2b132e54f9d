/**
 * A reader that arrives between the two renames of a publish's swap (no live folder, the previous
 * version aside as `.old-<view>-*`) waits for the new version instead of answering "not
 * published"; in every other case it does not wait, and a crash's leftover is waited on only
 * briefly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { settleSwap, viewsDir } from '../../../gateway/src/publish/layout.js';
import { freshStateDir } from './helpers.js';

test('a read between the two renames of a swap waits for the new version', async () => {
  const state = freshStateDir();
  try {
    const root = viewsDir(state);
    mkdirSync(join(root, 'people_masked'), { recursive: true });
    let started = Date.now();
    await settleSwap(state, 'people_masked');
    assert.ok(Date.now() - started < 50, 'published: no wait');

    // Mid-swap: the live folder moved aside, the new one not yet renamed into place.
    renameSync(join(root, 'people_masked'), join(root, '.old-people_masked-abc'));
    mkdirSync(join(root, '.tmp-people_masked-1'));
    setTimeout(
      () => renameSync(join(root, '.tmp-people_masked-1'), join(root, 'people_masked')),
      40,
    );
    started = Date.now();
    await settleSwap(state, 'people_masked');
    assert.ok(existsSync(join(root, 'people_masked')), 'the new version is in place');
    assert.ok(Date.now() - started < 500, `waited ${Date.now() - started} ms`);

    // A crash between the renames leaves only the `.old-` folder: waited on briefly, then not.
    rmSync(join(root, 'people_masked'), { recursive: true });
    started = Date.now();
    await settleSwap(state, 'people_masked', 60);
    const waited = Date.now() - started;
    assert.ok(waited >= 55 && waited < 1000, `waited ${waited} ms`);
    // Another view's swap is not this one's.
    started = Date.now();
    await settleSwap(state, 'people');
    assert.ok(Date.now() - started < 50);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});
