/**
 * The data panel's sign-in form (jupyter-ext panel/SignInForm.tsx over session.ts's signIn): a
 * pasted token the gateway refuses says to check what was pasted (the whole sign-in link or token
 * as `npm start` or `privet token issue` printed it) or to ask a steward, never to "sign out and
 * sign in again" (nobody is signed in yet); a pasted whole sign-in link signs in with its token.
 * Once signed in, a refused token still says to sign in again. Rendered with react-dom's client
 * renderer on the fake DOM of react-fake-dom.ts; against a real gateway.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as React from 'react';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';
import { TabStorage } from './fakes.js';
import { load } from './render.js';
import {
  createRoot,
  dispatch,
  document,
  find,
  FakeElement,
  shown,
  type Component,
} from './react-fake-dom.js';

// session.ts and client.ts read the tab's origin and sessionStorage from `window`.
const tab = new TabStorage();
Object.assign(window, { location: { origin: 'http://127.0.0.1:8888' }, sessionStorage: tab });

/** jupyter-ext session.ts's PrivetSession, as far as used here. */
interface Session {
  readonly signedIn: { user: { user: string } } | null;
  signIn(gatewayUrl: string, token: string): Promise<unknown>;
  signOut(): void;
}
const { PrivetSession } = await load<{ PrivetSession: new () => Session }>('session.ts');
const { GatewayClient } = await load<{
  GatewayClient: new (baseUrl: string, token: string) => { whoami(): Promise<unknown> };
}>('client.ts');
const { SignInForm } = await load<{ SignInForm: Component }>('panel/SignInForm.tsx');

describe('sign-in form: what a refused token says', () => {
  let t: TestGateway;
  let url: string;
  let ana: string;

  before(async () => {
    t = await startTestGateway();
    url = t.gateway.url;
    ana = t.gateway.tokens.ana!;
  });
  after(() => t.stop());

  /** Renders the form over `session`, pastes `pasted` as the token and submits; answers the page. */
  async function submit(session: Session, pasted: string): Promise<string> {
    const container = new FakeElement('div', document);
    const root = createRoot(container);
    const onSignIn = async (gatewayUrl: string, token: string): Promise<void> => {
      await session.signIn(gatewayUrl, token);
    };
    await React.act(async () =>
      root.render(React.createElement(SignInForm, { gatewayUrl: url, onSignIn })),
    );
    const input = find(container, (e) => e.getAttribute('name') === 'privet-token');
    await React.act(async () => {
      input.value = pasted;
      dispatch(input, 'input');
    });
    await React.act(async () => {
      dispatch(
        find(container, (e) => e.tagName === 'FORM'),
        'submit',
      );
    });
    // The gateway answers over HTTP: wait until the form is done with it.
    for (let i = 0; i < 100 && /Signing in…/.test(shown(container)); i++) {
      await React.act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    }
    const page = shown(container);
    await React.act(async () => root.unmount());
    return page;
  }

  test('a well-formed token the gateway refuses: check what was pasted, or ask a steward', async () => {
    const page = await submit(new PrivetSession(), 'pvt_not_a_token_of_anyone_0000');
    assert.match(page, /the bearer token is not valid/);
    assert.match(
      page,
      /Fix: check the token you pasted: paste the whole sign-in link or token as `npm start` or `privet token issue` printed it; if you have no current token, ask a steward/,
    );
    assert.doesNotMatch(page, /sign out/i, 'nobody is signed in to sign out');
    assert.doesNotMatch(page, /pvt_not_a_token/, 'the pasted token is not echoed');
  });

  test('something that is no token at all: the same advice, and no echo of it', async () => {
    const page = await submit(new PrivetSession(), 'my password 123!');
    assert.match(page, /that does not look like a Privet token/);
    assert.match(page, /Fix: check the token you pasted: paste the whole sign-in link or token/);
    assert.match(page, /or ask a steward for a new one/);
    assert.doesNotMatch(page, /sign out|my password/i);
  });

  test('a whole sign-in link pasted signs in with its token', async () => {
    const session = new PrivetSession();
    const page = await submit(session, ` http://127.0.0.1:8888/lab#privet-token=${ana} `);
    assert.doesNotMatch(page, /does not look like|not valid/);
    assert.equal(session.signedIn?.user.user, 'ana');
    session.signOut();
  });

  test('once signed in, a refused token still says to sign out and sign in again', async () => {
    const client = new GatewayClient(url, 'pvt_not_a_token_of_anyone_0000');
    await assert.rejects(client.whoami(), (error: Error & { fix?: string }) => {
      assert.match(error.fix ?? '', /^sign out and sign in again \(Privet data panel\)/);
      return true;
    });
  });
});
