/**
 * A sign-in link (`#privet-token=…`) opened where JupyterLab reloads the tab at once (jupyter-ext
 * plugins/services.ts and link-token.ts): when the default workspace is in use in another tab,
 * JupyterLab reloads this one at /lab/workspaces/auto-… with the fragment as it is then, which
 * the page has removed by then. The token is carried over that one reload in the tab's
 * sessionStorage and signs in once: the reload removes it at once, a page whose layout was
 * restored (not reloaded) removes it, and one older than a minute is ignored. A tab signed in as
 * someone else is still asked before switching. Each page load imports services.ts afresh (the
 * module state of a new page) in the fake browser tab of fakes.ts (the same sessionStorage);
 * against a real gateway. JupyterLab's dialogs are the fake of fixtures/apputils-dialog.ts.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { after, before, beforeEach, describe, mock, test } from 'node:test';
import { fakeBrowserTab, TabStorage } from './fakes.js';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';

const DIALOGS = new URL('./fixtures/apputils-dialog.ts', import.meta.url).href;
register(
  `data:text/javascript,${encodeURIComponent(`export async function resolve(specifier, context, next) {
  return next(specifier === '@jupyterlab/apputils' ? ${JSON.stringify(DIALOGS)} : specifier, context);
}`)}`,
);

/** jupyter-ext's SignedIn, as far as read here. */
interface SignedInLike {
  user: { user: string };
  token: string;
}
/** jupyter-ext's PrivetSession, as far as used here. */
interface Session {
  readonly signedIn: SignedInLike | null;
  readonly linkSettled: Promise<SignedInLike | null>;
  signIn(gatewayUrl: string, token: string): Promise<SignedInLike>;
  resume(gatewayUrl: string): Promise<SignedInLike | null>;
  signOut(): void;
}
/** The plugin of plugins/services.ts, as far as used here. */
interface ServicesModule {
  servicesPlugin: {
    activate(app: { restored: Promise<void> }): { session: Session; openedWithLink: boolean };
  };
}

// session.ts, client.ts and services.ts read these browser globals; set before they load.
const tab = fakeBrowserTab();
const { dialogs } = (await import(DIALOGS)) as {
  dialogs: { shown: string[]; answers: { accept: boolean }[] };
};
const { PrivetSession } = (await import(
  new URL('../../jupyter-ext/src/session.ts', import.meta.url).href
)) as { PrivetSession: new () => Session };

let loads = 0;
/**
 * Loads the page at `url` in the tab: its modules run afresh (services.ts takes the link's token
 * at load), then its plugin activates. `restored`: JupyterLab restored this page's layout (false:
 * it reloads the tab instead, and the page never gets that far).
 */
async function loadPage(url: string, restored: boolean) {
  tab.open(url);
  loads += 1;
  const module = (await import(
    new URL(`../../jupyter-ext/src/plugins/services.ts?load=${loads}`, import.meta.url).href
  )) as ServicesModule;
  const stashAfterLoad = tab.storage.keys().includes('privet:link-token');
  const never = new Promise<void>(() => undefined);
  const services = module.servicesPlugin.activate({
    restored: restored ? Promise.resolve() : never,
  });
  await new Promise<void>((resolve) => setImmediate(resolve)); // app.restored's callbacks run
  return { ...services, stashAfterLoad };
}

describe('a sign-in link survives the reload JupyterLab does when its workspace is in use', () => {
  let t: TestGateway;
  let url: string;
  let ana: string;
  let rev: string;

  before(async () => {
    t = await startTestGateway();
    url = t.gateway.url;
    ana = t.gateway.tokens.ana!;
    rev = t.gateway.tokens.rev!;
  });
  after(() => t.stop());
  beforeEach(() => {
    tab.storage = new TabStorage();
    tab.browser = new TabStorage();
    dialogs.shown.length = 0;
    dialogs.answers.length = 0;
  });

  /** Opens rev's link and lets JupyterLab reload the tab at a workspace of its own. */
  async function openLinkReloaded(): Promise<void> {
    const first = await loadPage(`/lab#privet-token=${rev}`, false);
    assert.equal(tab.location.hash, '', 'the token left the address bar at once');
    assert.equal(first.openedWithLink, true);
    assert.equal(first.stashAfterLoad, true, 'kept for the reload');
    // JupyterLab's resolver: the same page at a new workspace, the fragment as it is now.
    assert.equal(tab.location.pathname + tab.location.hash, '/lab');
  }

  test('the reloaded page signs in with the link once; the next reload does not', async () => {
    await openLinkReloaded();
    const reloaded = await loadPage('/lab/workspaces/auto-x?reset=1', true);
    assert.equal(reloaded.stashAfterLoad, false, 'read once and removed at once');
    assert.equal(reloaded.openedWithLink, true, 'lands as a page opened with the link does');
    dialogs.answers.push({ accept: true }); // "Sign in as …": nobody signed in here before
    assert.equal((await reloaded.session.resume(url))?.user.user, 'rev');
    assert.equal((await reloaded.session.linkSettled)?.user.user, 'rev');
    assert.deepEqual(dialogs.shown, ['Sign in to Privet?'], 'asked once, after the reload');

    reloaded.session.signOut();
    assert.deepEqual(tab.storage.values(), [], 'signed out: no token kept anywhere');
    const again = await loadPage('/lab/workspaces/auto-x', true);
    assert.equal(again.openedWithLink, false);
    assert.equal(await again.session.resume(url), null, 'the link does not sign in twice');
  });

  test('a tab signed in as someone else is asked first after the reload, and keeps its user', async () => {
    await new PrivetSession().signIn(url, ana);
    await openLinkReloaded();
    const reloaded = await loadPage('/lab/workspaces/auto-x?reset=1', true);
    dialogs.answers.push({ accept: false }); // "Keep ana"
    assert.equal((await reloaded.session.resume(url))?.user.user, 'ana');
    assert.deepEqual(dialogs.shown, ['Switch Privet user?']);
    assert.deepEqual(tab.storage.values(), [ana], "rev's token is kept nowhere");
  });

  test('a page that was not reloaded drops the kept token once its layout is restored', async () => {
    const page = await loadPage(`/lab#privet-token=${rev}`, true);
    assert.deepEqual(
      tab.storage.keys().filter((k) => k === 'privet:link-token'),
      [],
      'dropped once restored',
    );
    tab.browser.setItem(`privet:last-user:${url}`, 'rev'); // rev signed in here before: no question
    assert.equal((await page.session.resume(url))?.user.user, 'rev');
    assert.deepEqual(dialogs.shown, []);
    page.session.signOut();
    const reloaded = await loadPage('/lab', true);
    assert.equal(reloaded.openedWithLink, false);
    assert.equal(await reloaded.session.resume(url), null);
  });

  test('a kept token older than a minute is ignored and removed', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      await openLinkReloaded();
      mock.timers.tick(61_000);
      const late = await loadPage('/lab/workspaces/auto-x?reset=1', true);
      assert.equal(late.stashAfterLoad, false);
      assert.equal(late.openedWithLink, false);
    } finally {
      mock.timers.reset();
    }
    assert.deepEqual(tab.storage.values(), [], 'nothing kept');
  });

  test('another tab (its own sessionStorage) never gets the token', async () => {
    await openLinkReloaded();
    const mine = tab.storage;
    tab.storage = new TabStorage();
    const other = await loadPage('/lab', true);
    assert.equal(other.openedWithLink, false);
    assert.equal(await other.session.resume(url), null);
    assert.deepEqual(tab.storage.values(), []);
    tab.storage = mine;
  });
});
