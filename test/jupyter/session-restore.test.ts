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
  retryRestore(): Promise<unknown>;
}

const items = new Map<string, string>();
const storage = {
  getItem: (key: string) => items.get(key) ?? null,
  setItem: (key: string, value: string) => void items.set(key, value),
  removeItem: (key: string) => void items.delete(key),
};
// The gateway "down": the browser's fetch fails as it does when nothing listens.
const realFetch = globalThis.fetch;
let down = false;
Object.assign(globalThis, {
  window: { location: { origin: 'http://127.0.0.1:8888' }, sessionStorage: storage },
  fetch: (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    down ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init),
});
const { PrivetSession } = await load<{ PrivetSession: new () => Session }>('session.ts');
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
    assert.match(problem.fix, /start the gateway/);
    assert.match(problem.fix, /check the gateway URL/);
    assert.match(problem.fix, /Retry/);
    assert.deepEqual(told, [problem]);
    assert.deepEqual([...items.values()], [t.gateway.tokens.ana], 'the kept token stays');
  });

  test('Retry resumes the kept sign-in once the gateway answers, and clears the problem', async () => {
    const session = new PrivetSession();
    await session.resume(url);
    assert.equal(await session.retryRestore(), null, 'still down: still no sign-in');
    assert.ok(session.restoreProblem);
    down = false;
    await session.retryRestore();
    assert.equal(session.signedIn?.user.user, 'ana');
    assert.equal(session.restoreProblem, null);
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
