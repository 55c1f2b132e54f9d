/**
 * The VS Code gate's list of the gateway's views (vscode-ext/src/notebook/views-context.ts): one
 * failed GET /views is retried after 2 s, 4 s, 8 s, … at most every 60 s until it loads (then
 * `onDidChange` fires, so what was held while they were unknown is checked again), and no longer
 * after a session change or sign-out; meanwhile the views stay unknown (the gate fails closed) and
 * the user is told once what happened and how to fix it, instead of being left to request reviews
 * that could not release the held tables. With an in-memory VS Code API and Node's mocked timers.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { GatewayError } from '@privet/core/client/index';
import type * as Fake from './fake-vscode/index.js';
import { expectViewsRetries, settle } from '../views-retry.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { GatewayViews, RETRY_VIEWS } =
  await import('../../vscode-ext/src/notebook/views-context.js');

/** A view as GET /views lists it. */
const VISITS = {
  name: 'visits_masked',
  tier: 'masked' as const,
  source: 'visits',
  published: true,
  columns: [{ name: 'clinic', type: 'VARCHAR', operator: 'keep' }],
};

/** A gateway whose GET /views fails `failures` times (HTTP 503), then lists `state.views`. */
function fakeGateway(failures: number) {
  const state = { failures, calls: 0, views: [VISITS] };
  const client = {
    async listViews() {
      state.calls += 1;
      await Promise.resolve();
      if (state.failures > 0) {
        state.failures -= 1;
        throw new GatewayError('the gateway answered HTTP 503', 'start the gateway', 'http', 503);
      }
      return { views: [...state.views] };
    },
  };
  return { client, state };
}

/** A session signed in with `client` (undefined: signed out) that the test changes. */
function fakeSession(client: unknown) {
  const changed = new fake.EventEmitter<void>();
  const session = {
    signedIn: client
      ? { client, user: 'alice', roles: ['analyst'], experiment: 'exp-1' }
      : undefined,
    onDidChange: changed.event,
    whenRestored: () => Promise.resolve(),
  };
  return {
    session,
    change(next: unknown): void {
      session.signedIn = next
        ? { client: next, user: 'alice', roles: ['analyst'], experiment: 'exp-1' }
        : undefined;
      changed.fire();
    },
  };
}

/** Views over a session signed in to a gateway failing `failures` times. */
function setUp(failures: number) {
  const gateway = fakeGateway(failures);
  const fakeSess = fakeSession(gateway.client);
  const views = new GatewayViews(fakeSess.session as never);
  let known = 0;
  views.onDidChange(() => void (known += 1));
  return { gateway, fakeSess, views, knownEvents: () => known };
}

const warn = console.warn;
afterEach(() => {
  console.warn = warn;
  mock.timers.reset();
  fake.messageAnswer.pick = () => undefined;
  fake.shownMessages.length = 0;
});

describe('VS Code gate views: a failed GET /views is retried', () => {
  it('after 2 s, 4 s, 8 s, … at most every 60 s, until it loads', async () => {
    console.warn = () => undefined;
    mock.timers.enable({ apis: ['setTimeout'] });
    const { gateway, views, knownEvents } = setUp(7);
    await settle();
    await expectViewsRetries(
      () => gateway.state.calls,
      () => views.current() === null,
    );
    assert.deepEqual(
      views.current()?.map((v) => v.name),
      ['visits_masked'],
    );
    assert.equal(knownEvents(), 1, 'what was held meanwhile is checked again');
    mock.timers.tick(600_000);
    await settle();
    assert.equal(gateway.state.calls, 8, 'no retries once loaded');
    views.dispose();
  });

  it('stops on sign-out, and a new session starts again from 2 s', async () => {
    console.warn = () => undefined;
    mock.timers.enable({ apis: ['setTimeout'] });
    const { gateway, fakeSess, views } = setUp(1_000);
    await settle();
    for (const delay of [2_000, 4_000]) {
      mock.timers.tick(delay);
      await settle();
    }
    assert.equal(gateway.state.calls, 3);

    fakeSess.change(gateway.client); // e.g. another experiment: loaded now, retried from 2 s
    await settle();
    assert.equal(gateway.state.calls, 4);
    mock.timers.tick(2_000);
    await settle();
    assert.equal(gateway.state.calls, 5);

    fakeSess.change(undefined);
    mock.timers.tick(600_000);
    await settle();
    assert.equal(gateway.state.calls, 5, 'no retries after sign-out');
    views.dispose();
  });

  it('tells the user once why tables stay held and how to fix it; Retry Now loads at once', async () => {
    console.warn = () => undefined;
    mock.timers.enable({ apis: ['setTimeout'] });
    let retryNow: (pick: string | undefined) => void = () => undefined;
    fake.messageAnswer.pick = () => new Promise((resolve) => (retryNow = resolve));
    const { gateway, views } = setUp(2);
    await settle();
    mock.timers.tick(2_000); // the first retry fails too: no second message
    await settle();
    assert.equal(gateway.state.calls, 2);
    const told = fake.shownMessages.filter((m) => /list of views/.test(m));
    assert.equal(told.length, 1);
    assert.match(
      told[0]!,
      /the gateway's list of views could not be loaded \(the gateway answered HTTP 503\)/,
    );
    assert.match(told[0]!, /stay held/);
    assert.match(told[0]!, /Fix: start the gateway; Privet tries again on its own\./);
    assert.match(views.problem() ?? '', /list of views/);

    retryNow(RETRY_VIEWS);
    await settle();
    assert.equal(gateway.state.calls, 3, 'loaded at once, before the 4 s retry');
    assert.deepEqual(
      views.current()?.map((v) => v.name),
      ['visits_masked'],
    );
    assert.equal(views.problem(), null);
    mock.timers.tick(600_000);
    await settle();
    assert.equal(gateway.state.calls, 3, 'the planned retry was dropped');
    views.dispose();
  });
});

describe('VS Code gate views: a list older than 30 s is loaded again', () => {
  it('by the next check, keeping the list known meanwhile; a new view then counts', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const { gateway, views, knownEvents } = setUp(0);
    await settle();
    assert.equal(gateway.state.calls, 1);
    assert.equal(knownEvents(), 1);

    mock.timers.tick(29_999);
    views.current();
    await settle();
    assert.equal(gateway.state.calls, 1, 'not before 30 s');

    gateway.state.views = [VISITS, { ...VISITS, name: 'people_masked', source: 'people' }];
    mock.timers.tick(1);
    assert.deepEqual(
      views.current()?.map((v) => v.name),
      ['visits_masked'],
      'the check goes on with the known list while it loads',
    );
    views.current(); // a second check meanwhile: still one load
    await settle();
    assert.equal(gateway.state.calls, 2);
    assert.deepEqual(
      views.current()?.map((v) => v.name),
      ['visits_masked', 'people_masked'],
      'a view published since sign-in is known to the gate',
    );
    assert.equal(knownEvents(), 2, 'what was held is checked again with the new list');

    mock.timers.tick(30_000);
    views.current();
    await settle();
    assert.equal(gateway.state.calls, 3);
    assert.equal(knownEvents(), 2, 'an unchanged list fires nothing');
    views.dispose();
  });
});
