/**
 * Where a tab opened through a sign-in link lands (jupyter-ext plugins/link-landing.ts): the data
 * panel once the layout is restored; the review queue for a reviewer who does not analyse data,
 * unless the user picked another sidebar before the sign-in came back; and the wait for the
 * link's sign-in (PrivetSession.linkSettled, tested in session-link.test.ts) is bounded. The shell
 * is a fake that records activateById and knows which left widget is shown.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load } from './render.js';

interface User {
  user: { user: string; roles: string[] };
}
const landing = await load<{
  landsOnReviewQueue(roles: readonly string[]): boolean;
  within<T>(promise: Promise<T>, ms: number): Promise<T | null>;
  landAfterLink(
    app: object,
    session: object,
    dataPanelId: string,
    reviewQueueId: string,
    waitMs?: number,
  ): Promise<void>;
}>('plugins/link-landing.ts');

/** A session whose link is dealt with when the test says (`settle`: who is signed in then). */
function sessionOf() {
  let settle = (_: User | null): void => undefined;
  const linkSettled = new Promise<User | null>((resolve) => (settle = resolve));
  return { session: { linkSettled }, settle };
}
/** A session whose link was dealt with already, leaving `user` signed in. */
const settledAs = (user: User | null) => ({ linkSettled: Promise.resolve(user) });
const who = (name: string, ...roles: string[]): User => ({ user: { user: name, roles } });

/** A JupyterLab app whose left sidebar shows one widget at a time; `restore()` ends its restore. */
function appOf() {
  let restore = (): void => undefined;
  const restored = new Promise<void>((resolve) => (restore = resolve));
  const shown = { id: 'filebrowser' };
  const activated: string[] = [];
  const widgets = ['filebrowser', 'privet-data-panel', 'privet-review-queue'].map((id) => ({
    id,
    get isVisible() {
      return shown.id === id;
    },
  }));
  const app = {
    restored,
    shell: {
      activateById: (id: string) => {
        activated.push(id);
        shown.id = id;
      },
      widgets: (area: string) => (area === 'left' ? widgets.values() : [].values()),
    },
  };
  return { app, activated, restore, pick: (id: string) => (shown.id = id) };
}

/** Lets pending promise callbacks run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('a sign-in link lands on a Privet sidebar', () => {
  test('the data panel, only once the layout is restored; it stays for an analyst', async () => {
    const { app, activated, restore } = appOf();
    const { session, settle } = sessionOf();
    const landed = landing.landAfterLink(app, session, 'privet-data-panel', 'privet-review-queue');
    await turn();
    assert.deepEqual(activated, [], 'nothing before the restored layout is in place');
    restore();
    await turn();
    assert.deepEqual(activated, ['privet-data-panel']);
    settle(who('alice', 'analyst'));
    await landed;
    assert.deepEqual(activated, ['privet-data-panel']);
  });

  test('a reviewer who does not analyse data then gets the review queue', async () => {
    const { app, activated, restore } = appOf();
    const { session, settle } = sessionOf();
    restore();
    const landed = landing.landAfterLink(app, session, 'privet-data-panel', 'privet-review-queue');
    await turn();
    assert.deepEqual(activated, ['privet-data-panel'], 'the data panel while the link is checked');
    settle(who('rita', 'reviewer'));
    await landed;
    assert.deepEqual(activated, ['privet-data-panel', 'privet-review-queue']);
  });

  test('a sidebar the user picked before the sign-in came back is kept', async () => {
    const { app, activated, restore, pick } = appOf();
    const { session, settle } = sessionOf();
    restore();
    const landed = landing.landAfterLink(app, session, 'privet-data-panel', 'privet-review-queue');
    await turn();
    pick('filebrowser');
    settle(who('rita', 'reviewer'));
    await landed;
    assert.deepEqual(activated, ['privet-data-panel'], 'the file browser the user chose stays');
  });

  test('a link that signed nobody in, or is not dealt with within the wait, leaves the panel', async () => {
    const refused = appOf();
    refused.restore();
    await landing.landAfterLink(
      refused.app,
      settledAs(null),
      'privet-data-panel',
      'privet-review-queue',
    );
    assert.deepEqual(refused.activated, ['privet-data-panel']);

    const never = appOf();
    never.restore();
    const { session } = sessionOf();
    await landing.landAfterLink(never.app, session, 'privet-data-panel', 'privet-review-queue', 20);
    assert.deepEqual(never.activated, ['privet-data-panel']);

    const reviewer = appOf();
    reviewer.restore();
    await landing.landAfterLink(
      reviewer.app,
      settledAs(who('raj', 'reviewer')),
      'privet-data-panel',
      'privet-review-queue',
    );
    assert.deepEqual(reviewer.activated, ['privet-data-panel', 'privet-review-queue']);
  });
});

describe('who lands on the review queue', () => {
  test('reviewers without the analyst role only', () => {
    assert.equal(landing.landsOnReviewQueue(['reviewer']), true);
    assert.equal(landing.landsOnReviewQueue(['reviewer', 'analyst']), false);
    assert.equal(landing.landsOnReviewQueue(['analyst']), false);
    assert.equal(landing.landsOnReviewQueue(['steward']), false);
    assert.equal(landing.landsOnReviewQueue([]), false);
  });

  test('within gives the value in time, else null (a rejection too)', async () => {
    assert.equal(await landing.within(Promise.resolve(7), 1000), 7);
    assert.equal(await landing.within(new Promise(() => undefined), 10), null);
    assert.equal(await landing.within(Promise.reject(new Error('down')), 1000), null);
  });
});
