/**
 * The browser's gateway transport (jupyter-ext client.ts) gives up on a gateway that does not
 * answer: 60 s for a call, longer for a DP query (the gateway stops one after 120 s), and the
 * error says the gateway did not answer in time and how to fix it, unlike "could not reach" of a
 * gateway that is down. Fake timers and a fake `fetch`: no network, no real waiting.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { load } from './render.js';

interface Client {
  viewArrow(name: string, experiment: string, options?: { signal?: AbortSignal }): Promise<unknown>;
  reviewStatus(body: { experiment: string; contentHashes: string[] }): Promise<unknown>;
  dpQuery(body: { experiment: string; sql: string; dryRun: boolean }): Promise<unknown>;
}
interface Failure {
  name: string;
  code: string;
  message: string;
  fix: string;
}

const { GatewayClient } = await load<{
  GatewayClient: new (baseUrl: string, token: string) => Client;
}>('client.ts');

const TOKEN = 'tok_secret_do_not_echo';
const realFetch = globalThis.fetch;
/** Requests the fake fetch was given. */
let requests: { url: string; init: RequestInit }[] = [];

/** The error `signal` aborts with (as fetch rejects once its signal aborts). */
function abortedBy(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const abort = (): void => reject(new DOMException('aborted', 'AbortError'));
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort);
  });
}

/** A gateway that accepts connections but never answers (only the abort signal ends a call). */
const hungFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
  requests.push({ url: String(url), init: init ?? {} });
  return abortedBy(init?.signal);
};

/** A gateway that sends its status line, then never the body. */
const stalledBodyFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
  requests.push({ url: String(url), init: init ?? {} });
  const body = (): Promise<never> => abortedBy(init?.signal);
  return Promise.resolve({
    ok: true,
    status: 200,
    json: body,
    arrayBuffer: body,
  } as unknown as Response);
};

/** Tracks a call: whether it settled, and how it failed. */
function track(call: Promise<unknown>): { settled: boolean; error: Failure | undefined } {
  const state: { settled: boolean; error: Failure | undefined } = {
    settled: false,
    error: undefined,
  };
  call.then(
    () => void (state.settled = true),
    (error: Failure) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

/** Moves fake time on by `ms` and lets promise callbacks run. */
async function advance(ms: number): Promise<void> {
  mock.timers.tick(ms);
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A client of a fake gateway, as the data panel makes one. */
function client(fetchImpl: typeof fetch): Client {
  globalThis.fetch = fetchImpl;
  return new GatewayClient('http://localhost:8765', TOKEN);
}

beforeEach(() => {
  requests = [];
  Object.assign(globalThis, { window: { location: { origin: 'http://localhost:8888' } } });
  mock.timers.enable({ apis: ['setTimeout'] });
});

afterEach(() => {
  mock.timers.reset();
  globalThis.fetch = realFetch;
  Reflect.deleteProperty(globalThis, 'window');
});

describe('browser gateway calls have a time limit', () => {
  test('a call the gateway does not answer fails after 60 s, saying so and how to fix it', async () => {
    const call = track(client(hungFetch).reviewStatus({ experiment: 'e1', contentHashes: ['h'] }));
    await advance(59_000);
    assert.equal(call.settled, false, 'still waiting before 60 s');
    await advance(1_000);
    assert.equal(call.settled, true, 'gave up after 60 s');
    assert.equal(call.error?.name, 'GatewayError');
    assert.equal(call.error?.code, 'timeout');
    assert.match(call.error?.message ?? '', /did not answer within 60 s/);
    assert.doesNotMatch(call.error?.message ?? '', /could not reach/);
    assert.match(call.error?.fix ?? '', /check that the gateway is running.*try again/);
    assert.doesNotMatch(`${call.error?.message} ${call.error?.fix}`, new RegExp(TOKEN));
    assert.equal(requests[0]?.init.credentials, 'omit', 'still without cookies');
  });

  test('a DP query has 180 s (the gateway stops one after 120 s) and warns of a charge', async () => {
    const dp = client(hungFetch).dpQuery({ experiment: 'e1', sql: 'SELECT 1', dryRun: false });
    const call = track(dp);
    await advance(120_000);
    assert.equal(call.settled, false, 'a DP query may take the gateway 120 s');
    await advance(60_000);
    assert.equal(call.error?.code, 'timeout');
    assert.match(call.error?.message ?? '', /did not answer within 180 s/);
    assert.match(call.error?.fix ?? '', /may have been charged: check the experiment's budget/);
  });

  test('a body that stops arriving times out too', async () => {
    const call = track(
      client(stalledBodyFetch).reviewStatus({ experiment: 'e1', contentHashes: [] }),
    );
    await advance(60_000);
    assert.equal(call.settled, true);
    assert.equal(call.error?.code, 'timeout');
  });

  test("the caller's stop ends a download at once, with the stop's reason, not as a timeout", async () => {
    const stop = new AbortController();
    const call = track(client(hungFetch).viewArrow('people_masked', 'e1', { signal: stop.signal }));
    await advance(1_000);
    assert.equal(call.settled, false);
    const reason = Object.assign(new Error('the query was stopped'), { fix: 'add a LIMIT' });
    stop.abort(reason);
    await advance(0);
    assert.equal(call.settled, true, 'ended without waiting for the time limit');
    assert.equal(call.error as unknown, reason);
    // A body that stops arriving ends at the stop too.
    const later = new AbortController();
    const body = track(
      client(stalledBodyFetch).viewArrow('people_masked', 'e1', { signal: later.signal }),
    );
    await advance(1_000);
    later.abort(reason);
    await advance(0);
    assert.equal(body.error as unknown, reason);
  });

  test('a gateway that is down still reads as "could not reach"', async () => {
    const down = (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch'));
    const call = track(client(down).reviewStatus({ experiment: 'e1', contentHashes: [] }));
    await advance(0);
    assert.equal(call.error?.code, 'unreachable');
    assert.match(call.error?.message ?? '', /could not reach the Privet gateway/);
  });
});
