/**
 * A JupyterLab tab reloaded while the gateway is down (jupyter-ext session.ts and the data
 * panel's RestoreProblemBox): the kept sign-in is not lost silently behind an empty sign-in form.
 * The session says the gateway at its URL is unreachable and how to fix it, keeps the token, and
 * its Retry resumes the kept sign-in once the gateway answers. Against a real gateway, with the
 * browser's fetch failing while it is "down" and an in-memory sessionStorage for the tab's.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';
import { html, load, text } from './render.js';

/** jupyter-ext session.ts's RestoreProblem. */
interface Problem {
  gatewayUrl: string;
  message: string;
  fix: string;
}
/** jupyter-ext session.ts's PrivetSession, as far as used here. */
interface Session {
  readonly signedIn: { user: { user: string } } | null;
  readonly restoreProblem: Problem | null;
  readonly restoreProblemChanged: {
    connect(slot: (sender: unknown, value: Problem | null) => void): void;
  };
  signIn(gatewayUrl: string, token: string): Promise<unknown>;
  resume(gatewayUrl: string): Promise<unknown>;
  retryRestore(gatewayUrl: string): Promise<unknown>;
}

const items = new Map<string, string>();
const storage = {
  getItem: (key: string) => items.get(key) ?? null,
  setItem: (key: string, value: string) => void items.set(key, value),
  removeItem: (key: string) => void items.delete(key),
};
// The gateway "down": the browser's fetch fails as it does when nothing listens (always at
// DEAD_URL, a gateway URL the settings named by mistake). While `paused`, requests wait for
// release() (an answer that comes late).
const realFetch = globalThis.fetch;
const DEAD_URL = 'http://127.0.0.1:9';
let down = false;
let paused: Promise<void> | null = null;
let release = (): void => undefined;
/** Holds every request made from now on until release(). */
function pause(): void {
  paused = new Promise((resolve) => (release = resolve));
}
Object.assign(globalThis, {
  window: { location: { origin: 'http://127.0.0.1:8888' }, sessionStorage: storage },
  fetch: async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    if (paused) await paused;
    if (down || String(input).startsWith(DEAD_URL)) throw new TypeError('Failed to fetch');
    return realFetch(input, init);
  },
});
const { PrivetSession } = await load<{
  PrivetSession: new (pendingToken?: string | null) => Session;
}>('session.ts');
const { RestoreProblemBox } = await load<{
  RestoreProblemBox: (props: { session: Session }) => unknown;
}>('panel/RestoreProblemBox.tsx');

describe('JupyterLab session: a reload while the gateway is down', () => {
  let t: TestGateway;
  let url: string;

  before(async () => {
    t = await startTestGateway();
    url = t.gateway.url;
  });
  after(() => t.stop());
  beforeEach(async () => {
    items.clear();
    down = false;
    paused = null;
    await new PrivetSession().signIn(url, t.gateway.tokens.ana!); // signed in before the reload
    down = true;
  });

  test('says the gateway at its URL is unreachable and how to fix it, and keeps the token', async () => {
    const session = new PrivetSession();
    const told: (Problem | null)[] = [];
    session.restoreProblemChanged.connect((_, p) => told.push(p));
    assert.equal(await session.resume(url), null);
    assert.equal(session.signedIn, null);
    const problem = session.restoreProblem;
    assert.ok(problem, 'a problem is reported, not an empty form');
    assert.equal(problem.gatewayUrl, url);
    assert.match(problem.message, new RegExp(`gateway at ${url} is unreachable`));
    assert.equal(
      problem.fix,
      // the browser transport's hint (the CORS origin to allow) is kept
      'start the gateway (npm start) and check that its CORS origins include http://127.0.0.1:8888, or check the gateway URL in Settings → Privet, then choose Retry',
    );
    assert.deepEqual(told, [problem]);
    assert.deepEqual([...items.values()], [t.gateway.tokens.ana], 'the kept token stays');
  });

  test('Retry resumes the kept sign-in once the gateway answers, and clears the problem', async () => {
    const session = new PrivetSession();
    await session.resume(url);
    assert.equal(await session.retryRestore(url), null, 'still down: still no sign-in');
    assert.ok(session.restoreProblem);
    down = false;
    await session.retryRestore(url);
    assert.equal(session.signedIn?.user.user, 'ana');
    assert.equal(session.restoreProblem, null);
  });

  test('the problem stays while a Retry runs and after one that fails (the box stays)', async () => {
    const session = new PrivetSession();
    await session.resume(url);
    const told: (Problem | null)[] = [];
    session.restoreProblemChanged.connect((_, p) => told.push(p));
    const retry = session.retryRestore(url);
    assert.ok(session.restoreProblem, 'not cleared when the Retry starts');
    await retry;
    assert.ok(session.restoreProblem);
    assert.ok(!told.includes(null), 'never cleared between');
  });

  test('Retry uses the gateway URL the settings name now, not the one at page load', async () => {
    items.set(`privet:token:${DEAD_URL}`, t.gateway.tokens.ana!);
    down = false;
    const session = new PrivetSession();
    assert.equal(await session.resume(DEAD_URL), null);
    assert.equal(session.restoreProblem?.gatewayUrl, DEAD_URL);
    await session.retryRestore(url); // the URL corrected in Settings → Privet
    assert.equal(session.signedIn?.user.user, 'ana');
    assert.equal(session.restoreProblem, null);
  });

  test('Retry at a URL with no kept sign-in clears the problem: the form is all there is', async () => {
    items.set(`privet:token:${DEAD_URL}`, t.gateway.tokens.ana!);
    items.delete(`privet:token:${url}`);
    down = false;
    const session = new PrivetSession();
    await session.resume(DEAD_URL);
    assert.ok(session.restoreProblem);
    assert.equal(await session.retryRestore(url), null);
    assert.equal(session.restoreProblem, null);
  });

  test('a malformed link token while the gateway is down keeps the stored sign-in', async () => {
    const session = new PrivetSession('not a token!');
    assert.equal(await session.resume(url), null);
    assert.ok(session.restoreProblem);
    assert.deepEqual([...items.values()], [t.gateway.tokens.ana], 'the kept token stays');
    down = false;
    await session.retryRestore(url);
    assert.equal(session.signedIn?.user.user, 'ana');
  });

  test('a late Retry does not replace the user who signed in through the form meanwhile', async () => {
    const session = new PrivetSession();
    await session.resume(url);
    down = false;
    pause();
    const retry = session.retryRestore(url); // its requests wait
    paused = null; // the form's requests go through
    await session.signIn(url, t.gateway.tokens.rev!);
    release(); // the Retry's answers come in now
    await retry;
    assert.equal(session.signedIn?.user.user, 'rev');
    assert.equal(session.restoreProblem, null);
    assert.deepEqual([...items.values()], [t.gateway.tokens.rev]);
  });

  test('a token the gateway refuses is no restore problem: the form is all there is', async () => {
    down = false;
    items.set(`privet:token:${url}`, 'pvt_revoked_long_ago_0000');
    const session = new PrivetSession();
    assert.equal(await session.resume(url), null);
    assert.equal(session.restoreProblem, null);
    assert.deepEqual([...items.values()], []);
  });

  test('the data panel shows the problem and its fix with a Retry button', async () => {
    const session = new PrivetSession();
    await session.resume(url);
    const shown = text(html(RestoreProblemBox, { session }));
    assert.match(shown, /is unreachable, so your sign-in in this tab could not be restored/);
    assert.match(shown, /Fix: start the gateway/);
    assert.match(shown, /Retry$/);
    assert.equal(html(RestoreProblemBox, { session: new PrivetSession() }), '');
  });
});
