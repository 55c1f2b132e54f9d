/**
 * The VS Code session (vscode-ext/src/session.ts) sends a stored token only to the gateway that
 * issued it: tokens are stored per gateway URL, a changed `privet.gatewayUrl` signs out of the
 * old gateway (and restores the token kept for the new one), and the language server is given the
 * token's own gateway URL. It sets the context keys menus and the welcome view read (signed in,
 * token stored, restoring), and Retry of the "unreachable" warning says what really happened (no
 * "restored" for a sign-in by hand; no silence after a sign-out). Against a real gateway, with an
 * in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { OPEN_SETTINGS, RETRY, Session, tokenKey } = await import('../../vscode-ext/src/session.js');
const { sessionFields } = await import('../../vscode-ext/src/client/session-fields.js');

/** An extension context with in-memory secrets and workspace state. */
function fakeContext(secrets: Map<string, string>): unknown {
  const state = new Map<string, unknown>();
  return {
    secrets: {
      get: (key: string) => Promise.resolve(secrets.get(key)),
      store: (key: string, value: string) => Promise.resolve(void secrets.set(key, value)),
      delete: (key: string) => Promise.resolve(void secrets.delete(key)),
    },
    workspaceState: {
      get: (key: string) => state.get(key),
      update: (key: string, value: unknown) => Promise.resolve(void state.set(key, value)),
    },
  };
}

/**
 * A proxy in front of `target` that drops connections while `up` is false, and holds the next
 * request after `hold()` until the returned release is called.
 */
async function gatewayProxy(target: string): Promise<{
  url: string;
  up: boolean;
  hold(): () => void;
  close(): Promise<void>;
}> {
  let held: Promise<void> | undefined;
  const proxy = createServer((req, res) => {
    if (!control.up) return void req.socket.destroy();
    const wait = held ?? Promise.resolve();
    held = undefined;
    void wait.then(() => {
      const forward = request(
        `${target}${req.url ?? ''}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const control = {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    up: false,
    hold: () => {
      let release: () => void = () => undefined;
      held = new Promise<void>((r) => (release = r));
      return () => release();
    },
    close: () => new Promise<void>((r) => proxy.close(() => r())),
  };
  return control;
}

/** Resolves once `check` holds, polling every 10 ms for at most 2 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

describe('VS Code session: a token goes only to its own gateway', () => {
  let t: TestGateway;
  let other: Server;
  let otherUrl: string;
  const otherSaw: (string | undefined)[] = [];

  before(async () => {
    t = await startTestGateway();
    // Another server, as a workspace's settings could name: it records what it was sent.
    other = createServer((req, res) => {
      otherSaw.push(req.headers.authorization);
      res.writeHead(401).end();
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  after(async () => {
    await t.stop();
    await new Promise((r) => other.close(r));
    fake.settings.clear();
  });

  it('signs out when the gateway setting changes, and never sends the token elsewhere', async () => {
    const secrets = new Map<string, string>();
    fake.settings.set('privet.gatewayUrl', t.gateway.url);
    const session = new Session(fakeContext(secrets) as never);
    try {
      const signedIn = await session.signIn(t.gateway.tokens.ana!);
      assert.equal(signedIn.user, 'ana');
      assert.deepEqual([...secrets.keys()], [tokenKey(t.gateway.url)]);
      assert.equal(sessionFields(session, '/wasm').gatewayUrl, t.gateway.url);

      // VS Code reports the setting as changed when settings files load: the same URL is no change.
      fake.setSetting('privet.gatewayUrl', `${t.gateway.url}/`);
      assert.equal(session.signedIn?.user, 'ana', 'the same gateway: still signed in');

      fake.setSetting('privet.gatewayUrl', otherUrl);
      assert.equal(session.signedIn, undefined, 'signed out of the old gateway at once');
      // The language server keeps the token's own gateway or nothing, never the new setting.
      assert.deepEqual(sessionFields(session, '/wasm').token, undefined);

      // Back to the first gateway: its stored token signs in again.
      fake.setSetting('privet.gatewayUrl', t.gateway.url);
      await until(() => session.signedIn?.user === 'ana', 'restored for its own gateway');
      assert.deepEqual(otherSaw, [], 'the other server was sent nothing');
    } finally {
      session.dispose();
    }
  });

  it("keeps the gateway policy's review settings (whoami's exportRules) for the display checks", async () => {
    fake.settings.set('privet.gatewayUrl', t.gateway.url);
    const session = new Session(fakeContext(new Map()) as never);
    try {
      const signedIn = await session.signIn(t.gateway.tokens.ana!);
      const { exportRules } = await signedIn.client.whoami();
      assert.equal(typeof exportRules.small_cell_threshold, 'number');
      assert.deepEqual(signedIn.exportRules, exportRules);
      assert.deepEqual(session.signedIn?.exportRules, exportRules);
    } finally {
      session.dispose();
    }
  });

  it("ignores a workspace's gateway URL: only the user settings count", async () => {
    const secrets = new Map([[tokenKey(t.gateway.url), t.gateway.tokens.ana!]]);
    fake.settings.set('privet.gatewayUrl', t.gateway.url);
    // A cloned repository's .vscode/settings.json pointing elsewhere.
    fake.workspaceSettings.set('privet.gatewayUrl', otherUrl);
    const logged: string[] = [];
    const session = new Session(fakeContext(secrets) as never, (m) => logged.push(m));
    try {
      assert.equal(session.gatewayUrl(), t.gateway.url);
      await session.restore();
      assert.equal(session.signedIn?.client.baseUrl, t.gateway.url);
      assert.deepEqual(otherSaw, [], 'the other server was sent nothing');
      assert.ok(logged.some((m) => /workspace sets privet\.gatewayUrl: ignored/.test(m)));
    } finally {
      fake.workspaceSettings.clear();
      session.dispose();
    }
  });

  it('warns when the gateway is unreachable at start; Retry restores, Open Settings opens the URL', async () => {
    // A gateway that is down, then up: a proxy in front of the test gateway that drops connections.
    const proxy = await gatewayProxy(t.gateway.url);
    const proxyUrl = proxy.url;
    const secrets = new Map([[tokenKey(proxyUrl), t.gateway.tokens.ana!]]);
    fake.settings.set('privet.gatewayUrl', proxyUrl);
    const answers: string[] = [];
    fake.messageAnswer.pick = (shown) => {
      const answer = shown.items.length > 0 ? answers.shift() : undefined;
      // The user starts the gateway, then clicks Retry.
      if (answer === RETRY) proxy.up = true;
      return answer;
    };
    const session = new Session(fakeContext(secrets) as never);
    try {
      fake.shownMessageDetails.length = 0;
      answers.push(OPEN_SETTINGS);
      await session.restore();
      assert.equal(session.signedIn, undefined);
      const [warning] = fake.shownMessageDetails;
      assert.equal(warning?.severity, 'warning');
      assert.match(
        warning!.message,
        new RegExp(`^Privet gateway at ${proxyUrl} unreachable: .*Fix: start the gateway`),
      );
      assert.deepEqual(warning!.items, [RETRY, OPEN_SETTINGS]);
      await until(
        () => fake.executedCommands.some((c) => c.command === 'workbench.action.openSettings'),
        'Open Settings opens the settings at the gateway URL',
      );
      assert.deepEqual(fake.executedCommands.at(-1)?.args, ['privet.gatewayUrl']);

      // Warned again at the next start; started meanwhile: Retry restores the saved sign-in.
      fake.shownMessageDetails.length = 0;
      answers.push(RETRY);
      await session.restore();
      assert.equal(session.signedIn, undefined, 'down when restored');
      assert.match(fake.shownMessageDetails[0]?.message ?? '', /unreachable/);
      await until(() => session.signedIn?.user === 'ana', 'Retry restored the saved sign-in');
      await until(
        () => fake.shownMessageDetails.some((m) => /saved sign-in restored/.test(m.message)),
        'told it is restored',
      );
    } finally {
      fake.messageAnswer.pick = () => undefined;
      session.dispose();
      await proxy.close();
    }
  });

  it('restores no token at start for a gateway that did not issue it', async () => {
    // A token stored for the test gateway, and one stored the old way (bound to no gateway).
    const secrets = new Map([
      [tokenKey(t.gateway.url), t.gateway.tokens.ana!],
      ['privet.token', t.gateway.tokens.ana!],
    ]);
    fake.settings.set('privet.gatewayUrl', otherUrl);
    const session = new Session(fakeContext(secrets) as never);
    try {
      await session.restore();
      assert.equal(session.signedIn, undefined);
      assert.deepEqual(otherSaw, [], 'no request reached the other server');
      assert.ok(!secrets.has('privet.token'), 'the unbound token is removed');
      assert.ok(secrets.has(tokenKey(t.gateway.url)), 'the bound one is kept for its gateway');
      await session.signOut();
      assert.ok(secrets.has(tokenKey(t.gateway.url)), 'signing out elsewhere keeps it');
    } finally {
      session.dispose();
    }
  });
  it('sets the context keys of menus and the welcome view on sign-in and sign-out', async () => {
    const secrets = new Map<string, string>();
    fake.settings.set('privet.gatewayUrl', t.gateway.url);
    fake.contextKeys.clear();
    const session = new Session(fakeContext(secrets) as never);
    const key = (name: string) => fake.contextKeys.get(name);
    try {
      await until(() => key('privet.tokenChecked') === true, 'whether a token is stored is known');
      assert.equal(key('privet.tokenStored'), false);

      await session.signIn(t.gateway.tokens.ana!);
      await until(() => key('privet.tokenStored') === true, 'the token is stored');
      assert.equal(key('privet.signedIn'), true);
      assert.equal(key('privet.inExperiment'), false, 'no experiment picked yet');
      assert.equal(key('privet.steward'), false);
      assert.equal(key('privet.reviewer'), false);
      await session.useExperiment('exp-1');
      assert.equal(key('privet.inExperiment'), true);

      assert.equal(await session.signOut(), true, 'signed out of something');
      await until(() => key('privet.tokenStored') === false, 'the token is forgotten');
      assert.equal(key('privet.signedIn'), false);
      assert.equal(key('privet.inExperiment'), false);
      // Nothing left: "Privet: Sign Out" then says there was nothing to sign out of.
      assert.equal(await session.signOut(), false);
    } finally {
      session.dispose();
    }
  });

  it('sets privet.restoring while a stored token is checked, so the welcome offers no Sign In', async () => {
    const proxy = await gatewayProxy(t.gateway.url);
    proxy.up = true;
    const secrets = new Map([[tokenKey(proxy.url), t.gateway.tokens.ana!]]);
    fake.settings.set('privet.gatewayUrl', proxy.url);
    fake.contextKeys.clear();
    const session = new Session(fakeContext(secrets) as never);
    try {
      const release = proxy.hold();
      const restoring = session.restore();
      await until(() => fake.contextKeys.get('privet.restoring') === true, 'restoring');
      assert.equal(session.signedIn, undefined);
      release();
      assert.deepEqual(await restoring, { kind: 'restored', user: 'ana' });
      assert.equal(fake.contextKeys.get('privet.restoring'), false);
      assert.equal(fake.contextKeys.get('privet.signedIn'), true);
    } finally {
      session.dispose();
      await proxy.close();
    }
  });

  it('Retry says "restored" only for the saved sign-in, and answers after a sign-out', async () => {
    const proxy = await gatewayProxy(t.gateway.url);
    const secrets = new Map([[tokenKey(proxy.url), t.gateway.tokens.ana!]]);
    fake.settings.set('privet.gatewayUrl', proxy.url);
    /** The warning's answer, given when the test says so. */
    let answer: (choice: string) => void = () => undefined;
    fake.messageAnswer.pick = (shown) =>
      shown.items.includes(RETRY)
        ? new Promise<string | undefined>((r) => (answer = r))
        : undefined;
    const session = new Session(fakeContext(secrets) as never);
    const said = () => fake.shownMessageDetails.map((m) => m.message);
    try {
      // 1. Signed in by hand while the Retry's restore waits for the gateway.
      fake.shownMessageDetails.length = 0;
      assert.equal((await session.restore()).kind, 'failed');
      proxy.up = true;
      const release = proxy.hold();
      answer(RETRY);
      await new Promise((r) => setTimeout(r, 50));
      await session.signIn(t.gateway.tokens.ana!);
      release();
      await until(() => said().length === 2, 'Retry answered');
      assert.doesNotMatch(said()[1]!, /saved sign-in restored/);
      assert.match(said()[1]!, /^Privet: signed in as ana \(you signed in while/);

      // 2. Signed out (the saved sign-in forgotten) before clicking Retry.
      await session.signOut();
      secrets.set(tokenKey(proxy.url), t.gateway.tokens.ana!);
      proxy.up = false;
      fake.shownMessageDetails.length = 0;
      assert.equal((await session.restore()).kind, 'failed');
      await session.signOut();
      answer(RETRY);
      await until(() => said().length === 2, 'Retry answered');
      assert.match(
        said()[1]!,
        /^Privet: no saved sign-in is left to restore .*Fix: run "Privet: Sign In"/,
      );
      assert.equal(session.signedIn, undefined);

      // 3. Signed in by hand before clicking Retry.
      secrets.set(tokenKey(proxy.url), t.gateway.tokens.ana!);
      fake.shownMessageDetails.length = 0;
      assert.equal((await session.restore()).kind, 'failed');
      proxy.up = true;
      await session.signIn(t.gateway.tokens.ana!);
      answer(RETRY);
      await until(() => said().length === 2, 'Retry answered');
      assert.equal(said()[1], 'Privet: already signed in as ana: nothing to restore.');
    } finally {
      fake.messageAnswer.pick = () => undefined;
      session.dispose();
      await proxy.close();
    }
  });
});
