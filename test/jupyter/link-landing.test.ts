/**
 * Where a tab opened through a sign-in link lands (jupyter-ext plugins/link-landing.ts): the data
 * panel once the layout is restored; the review queue for a reviewer who does not analyse data,
 * unless the user picked another sidebar before the sign-in came back; and the wait for the
 * sign-in is bounded. The shell is a fake that records activateById and knows which left widget
 * is shown; the session is a Lumino signal as PrivetSession has.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Signal } from '@lumino/signaling';
import { load } from './render.js';

interface User {
  user: { user: string; roles: string[] };
}
const landing = await load<{
  landsOnReviewQueue(roles: readonly string[]): boolean;
  nextSignIn(session: object, waitMs: number): Promise<User | null>;
  landAfterLink(
    app: object,
    session: object,
    dataPanelId: string,
    reviewQueueId: string,
    waitMs?: number,
  ): Promise<void>;
}>('plugins/link-landing.ts');

/** A session signed in as `signedIn` now; `signIn(user)` signs in later. */
function sessionOf(signedIn: User | null = null) {
  const session = { signedIn, changed: new Signal<object, User | null>({}) };
  return {
    session,
    signIn: (user: User | null) => {
      session.signedIn = user;
      session.changed.emit(user);
    },
  };
}
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
    const { session, signIn } = sessionOf();
    const landed = landing.landAfterLink(app, session, 'privet-data-panel', 'privet-review-queue');
    await turn();
    assert.deepEqual(activated, [], 'nothing before the restored layout is in place');
    restore();
    await turn();
    assert.deepEqual(activated, ['privet-data-panel']);
    signIn(who('alice', 'analyst'));
    await landed;
    assert.deepEqual(activated, ['privet-data-panel']);
  });

  test('a reviewer who does not analyse data then gets the review queue', async () => {
    const { app, activated, restore } = appOf();
    const { session, signIn } = sessionOf();
    restore();
    const landed = landing.landAfterLink(app, session, 'privet-data-panel', 'privet-review-queue');
    await turn();
    signIn(null); // a sign-out on the way does not count
    signIn(who('rita', 'reviewer'));
    await landed;
    assert.deepEqual(activated, ['privet-data-panel', 'privet-review-queue']);
  });

  test('a sidebar the user picked before the sign-in came back is kept', async () => {
    const { app, activated, restore, pick } = appOf();
    const { session, signIn } = sessionOf();
    restore();
    const landed = landing.landAfterLink(app, session, 'privet-data-panel', 'privet-review-queue');
    await turn();
    pick('filebrowser');
    signIn(who('rita', 'reviewer'));
    await landed;
    assert.deepEqual(activated, ['privet-data-panel'], 'the file browser the user chose stays');
  });

  test('a session already signed in decides at once; no sign-in within the wait leaves the panel', async () => {
    const signedIn = appOf();
    signedIn.restore();
    await landing.landAfterLink(
      signedIn.app,
      sessionOf(who('raj', 'reviewer')).session,
      'privet-data-panel',
      'privet-review-queue',
    );
    assert.deepEqual(signedIn.activated, ['privet-data-panel', 'privet-review-queue']);

    const never = appOf();
    never.restore();
    const { session } = sessionOf();
    await landing.landAfterLink(never.app, session, 'privet-data-panel', 'privet-review-queue', 20);
    assert.deepEqual(never.activated, ['privet-data-panel']);
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

  test('nextSignIn stops listening once it answers', async () => {
    const { session, signIn } = sessionOf();
    let listeners = 0;
    const changed = session.changed;
    const counting = {
      signedIn: null,
      changed: {
        connect: (fn: (s: unknown, u: User | null) => void) => {
          listeners += 1;
          return changed.connect(fn);
        },
        disconnect: (fn: (s: unknown, u: User | null) => void) => {
          listeners -= 1;
          return changed.disconnect(fn);
        },
      },
    };
    const next = landing.nextSignIn(counting, 10_000);
    assert.equal(listeners, 1);
    signIn(who('bob', 'analyst'));
    assert.deepEqual(await next, who('bob', 'analyst'));
    assert.equal(listeners, 0);
    assert.equal(await landing.nextSignIn(counting, 5), null, 'timed out');
    assert.equal(listeners, 0);
  });
});
