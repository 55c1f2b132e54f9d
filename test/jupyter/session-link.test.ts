/**
 * A sign-in link (`#privet-token=…`) and the JupyterLab tab's session (jupyter-ext session.ts):
 * a tab with no sign-in is signed in by the link directly only when it names the user this browser
 * last signed in as, and asks first otherwise; a tab signed in as someone else asks first (login
 * CSRF: a link carrying the sender's token must not sign anyone in silently), keeps its user unless
 * the answer is yes, and says so when the link's token is refused.
 * linkSettled (where the tab lands, plugins/link-landing.ts) names who is signed in once the link
 * is dealt with, whichever way.
 * Against a real gateway, with an in-memory sessionStorage standing in for the browser tab's.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fakeBrowserTab, TabStorage } from './fakes.js';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';

/** The parts of jupyter-ext's WhoAmIResponse and SignedIn this test reads. */
interface User {
  user: string;
  name: string;
  roles: string[];
}
interface SignedInLike {
  user: User;
  token: string;
  client: { baseUrl: string };
}
/** jupyter-ext session.ts's LinkSignInPrompt. */
interface Prompt {
  confirmSwitch(current: SignedInLike, link: User): Promise<boolean>;
  confirmFirst(link: User, lastUser: string | null): Promise<boolean>;
  refused(current: SignedInLike, error: unknown): Promise<void>;
}
/** jupyter-ext session.ts's PrivetSession, as far as used here. */
interface Session {
  readonly signedIn: SignedInLike | null;
  readonly changed: { connect(slot: (sender: unknown, value: SignedInLike | null) => void): void };
  readonly linkSettled: Promise<SignedInLike | null>;
  signIn(gatewayUrl: string, token: string): Promise<SignedInLike>;
  resume(gatewayUrl: string): Promise<SignedInLike | null>;
}

// session.ts and client.ts read these browser globals; set before they load.
const tab = fakeBrowserTab();
// Loaded by path: test/tsconfig.json has no JupyterLab types (see raw-value-gate.test.ts).
const { PrivetSession } = (await import(
  new URL('../../jupyter-ext/src/session.ts', import.meta.url).href
)) as { PrivetSession: new (pendingToken?: string | null, prompt?: Prompt) => Session };

/** A prompt that answers `accept` and records what it was asked and told. */
function recordingPrompt(accept: boolean) {
  const asked: { current: string; link: string }[] = [];
  const askedFirst: { link: string; lastUser: string | null }[] = [];
  const refused: { current: string; message: string }[] = [];
  const prompt: Prompt = {
    confirmSwitch: (current, link) => {
      asked.push({ current: current.user.user, link: link.user });
      return Promise.resolve(accept);
    },
    confirmFirst: (link, lastUser) => {
      askedFirst.push({ link: link.user, lastUser });
      return Promise.resolve(accept);
    },
    refused: (current, error) => {
      refused.push({ current: current.user.user, message: String(error) });
      return Promise.resolve();
    },
  };
  return { prompt, asked, askedFirst, refused };
}

describe('JupyterLab session: a sign-in link never switches a signed-in tab silently', () => {
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
  });

  /** Signs ana in on this tab, as the data panel's form does, before the page is reloaded. */
  async function signedInAsAna(): Promise<void> {
    await new PrivetSession().signIn(url, ana);
    assert.deepEqual(tab.storage.values(), [ana]);
  }

  /** The page loaded again with `link` in its fragment; returns the session and what it emitted. */
  async function openLink(link: string, prompt?: Prompt) {
    const session = new PrivetSession(link, prompt);
    const emitted: (string | null)[] = [];
    session.changed.connect((_, value) => emitted.push(value?.user.user ?? null));
    const resumed = await session.resume(url);
    return { session, resumed, emitted };
  }

  test('a tab with no sign-in, in a browser where nobody signed in yet, asks first; yes signs in', async () => {
    const { prompt, asked, askedFirst, refused } = recordingPrompt(true);
    const { session, resumed } = await openLink(rev, prompt);
    assert.deepEqual(askedFirst, [{ link: 'rev', lastUser: null }]);
    assert.equal(resumed?.user.user, 'rev');
    assert.equal(session.signedIn?.user.user, 'rev');
    assert.equal((await session.linkSettled)?.user.user, 'rev');
    assert.deepEqual(tab.storage.values(), [rev]);
    assert.deepEqual(tab.browser.values(), ['rev'], 'the browser keeps the login, never a token');
    assert.deepEqual([asked, refused], [[], []]);
  });

  test('declining the first question signs nobody in and forgets the link', async () => {
    const { prompt, askedFirst } = recordingPrompt(false);
    const { session, resumed, emitted } = await openLink(rev, prompt);
    assert.deepEqual(askedFirst, [{ link: 'rev', lastUser: null }]);
    assert.equal(resumed, null);
    assert.equal(session.signedIn, null);
    assert.deepEqual(emitted, [], 'rev was never signed in, not even for a moment');
    assert.equal(await session.linkSettled, null);
    assert.deepEqual(tab.storage.values(), [], "the link's token is kept nowhere");
    assert.deepEqual(tab.browser.values(), []);
  });

  test("the browser's own last user's link signs a fresh tab in without asking", async () => {
    await signedInAsAna();
    tab.storage = new TabStorage(); // a new tab of the same browser
    const { prompt, asked, askedFirst } = recordingPrompt(false);
    const { session } = await openLink(ana, prompt);
    assert.equal(session.signedIn?.user.user, 'ana');
    assert.deepEqual([asked, askedFirst], [[], []]);
  });

  test("a link for someone else in a fresh tab asks, naming the browser's last user", async () => {
    await signedInAsAna();
    tab.storage = new TabStorage(); // a new tab of the same browser (login CSRF: a sent link)
    const { prompt, askedFirst } = recordingPrompt(false);
    const { session } = await openLink(rev, prompt);
    assert.deepEqual(askedFirst, [{ link: 'rev', lastUser: 'ana' }]);
    assert.equal(session.signedIn, null);
    assert.deepEqual(tab.storage.values(), []);
    assert.deepEqual(tab.browser.values(), ['ana'], 'still the last user of this browser');
  });

  test("another user's link asks; keeping leaves the user signed in and forgets the link", async () => {
    await signedInAsAna();
    const { prompt, asked, refused } = recordingPrompt(false);
    const { session, resumed, emitted } = await openLink(rev, prompt);
    assert.deepEqual(asked, [{ current: 'ana', link: 'rev' }]);
    assert.deepEqual(refused, []);
    assert.equal(resumed?.user.user, 'ana');
    assert.equal(session.signedIn?.user.user, 'ana');
    assert.deepEqual(emitted, ['ana'], 'rev was never signed in, not even for a moment');
    assert.equal(
      (await session.linkSettled)?.user.user,
      'ana',
      'the link settled on the kept user',
    );
    assert.deepEqual(tab.storage.values(), [ana], "the link's token is kept nowhere");
  });

  test("accepting the question signs in as the link's user", async () => {
    await signedInAsAna();
    const { prompt, asked } = recordingPrompt(true);
    const { session, resumed, emitted } = await openLink(rev, prompt);
    assert.deepEqual(asked, [{ current: 'ana', link: 'rev' }]);
    assert.equal(resumed?.user.user, 'rev');
    assert.equal(session.signedIn?.user.user, 'rev');
    assert.deepEqual(emitted, ['ana', 'rev']);
    assert.deepEqual(tab.storage.values(), [rev]);
    assert.equal((await session.linkSettled)?.user.user, 'rev');
  });

  test('a link whose token the gateway refuses keeps the signed-in user and says so', async () => {
    await signedInAsAna();
    for (const [link, why] of [
      ['pvt_not_a_token_of_anyone_0000', /not valid/],
      ['not a token!', /does not look like a Privet token/],
    ] as const) {
      const { prompt, asked, refused } = recordingPrompt(true);
      const { session } = await openLink(link, prompt);
      assert.deepEqual(asked, [], 'nothing to ask about');
      assert.equal(refused.length, 1);
      assert.equal(refused[0]!.current, 'ana');
      assert.match(refused[0]!.message, why);
      assert.equal(session.signedIn?.user.user, 'ana');
      assert.deepEqual(tab.storage.values(), [ana]);
    }
  });

  test("the tab's own token in the link changes nothing and asks nothing", async () => {
    await signedInAsAna();
    const { prompt, asked, refused } = recordingPrompt(true);
    const { session } = await openLink(ana, prompt);
    assert.equal(session.signedIn?.user.user, 'ana');
    assert.deepEqual([asked, refused], [[], []]);
  });

  test('a kept token the gateway no longer accepts is no sign-in: the link signs in', async () => {
    tab.storage.setItem(`privet:token:${url}`, 'pvt_revoked_long_ago_0000');
    tab.browser.setItem(`privet:last-user:${url}`, 'rev');
    const { prompt, asked, askedFirst } = recordingPrompt(false);
    const { session } = await openLink(rev, prompt);
    assert.equal(session.signedIn?.user.user, 'rev');
    assert.deepEqual([asked, askedFirst], [[], []]);
    assert.deepEqual(tab.storage.values(), [rev]);
  });

  test('linkSettled waits for the link: pending until resume() deals with it; null without one', async () => {
    const session = new PrivetSession(rev, recordingPrompt(true).prompt);
    let settled = false;
    void session.linkSettled.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(settled, false, 'no resume yet');
    await session.resume(url);
    assert.equal((await session.linkSettled)?.user.user, 'rev');
    assert.equal(await new PrivetSession().linkSettled, null, 'no link: settled at once');
    tab.storage = new TabStorage(); // a fresh tab: nobody signed in before the refused link
    const refusedLink = new PrivetSession('pvt_not_a_token_of_anyone_0000');
    await refusedLink.resume(url);
    assert.equal(await refusedLink.linkSettled, null, 'a refused link signs nobody in');
  });

  test('without a prompt to ask with, a link for another user is ignored', async () => {
    await signedInAsAna();
    const { session } = await openLink(rev);
    assert.equal(session.signedIn?.user.user, 'ana');
    assert.deepEqual(tab.storage.values(), [ana]);
    tab.storage = new TabStorage(); // a fresh tab: no one to keep, still nobody is signed in
    const fresh = await openLink(rev);
    assert.equal(fresh.session.signedIn, null);
    assert.deepEqual(tab.storage.values(), []);
  });
});
