/**
 * Polling the review states of held outputs (jupyter-ext gate/approvals.ts): one poll at a time
 * (a hung gateway no longer gets a pile of requests), failed polls back off from 3 s to 60 s and
 * are logged once per streak, and a refused sign-in (401) stops polling and tells the held outputs
 * to sign in again (gate/held-text.ts) until the session changes. Fake timers: no real waiting.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { load } from './render.js';

interface Status {
  state: string;
  reviewId?: string;
}
interface Cache {
  status(experiment: string, hash: string): Promise<Status>;
  clear(): void;
  dispose(): void;
  changed: { connect(fn: () => void): void };
}
type Answer = 'pending' | 'approved' | 'hang' | 'fail' | 'refuse';
interface Body {
  experiment: string;
  contentHashes: string[];
}

const { ApprovalCache } = await load<{
  ApprovalCache: new (client: () => FakeGateway | null) => Cache;
}>('gate/approvals.ts');
const { heldStateText } = await load<{
  heldStateText(props: { state: string; findings: readonly unknown[]; reviewId?: string }): string;
}>('gate/held-text.ts');

/** A gateway answering POST /reviews/status from a script (the last answer repeats). */
class FakeGateway {
  /** Fake time (ms) of each request. */
  readonly calls: number[] = [];
  private settled = 0;
  constructor(private readonly script: readonly Answer[]) {}

  /** Requests still waiting for an answer. */
  get inFlight(): number {
    return this.calls.length - this.settled;
  }

  reviewStatus(body: Body): Promise<{ statuses: unknown[] }> {
    const answer = this.script[Math.min(this.calls.length, this.script.length - 1)];
    this.calls.push(now);
    if (answer === 'hang') return new Promise(() => undefined);
    this.settled += 1;
    if (answer === 'fail') return Promise.reject(gatewayError(503, 'internal'));
    if (answer === 'refuse') return Promise.reject(gatewayError(401, 'unauthenticated'));
    const statuses = body.contentHashes.map((h) => ({
      contentHash: h,
      state: answer,
      reviewId: 'r1',
    }));
    return Promise.resolve({ statuses });
  }
}

/** An error shaped like core's GatewayError (no token, no data in it). */
function gatewayError(status: number, code: string): Error {
  return Object.assign(new Error(`the gateway answered HTTP ${status}`), { status, code, fix: '' });
}

let now = 0;
let warnings: unknown[][] = [];
const caches: Cache[] = [];

/** Lets pending promise callbacks run (setImmediate is not faked). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Moves fake time on by `ms`, a second at a time, settling promises after each step. */
async function advance(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 1000) {
    const step = Math.min(1000, left);
    now += step;
    mock.timers.tick(step);
    await settle();
  }
}

/** A cache over `gateway` whose hash h1 in experiment exp was looked up (and is pending). */
async function pendingCache(gateway: () => FakeGateway | null): Promise<Cache> {
  const cache = new ApprovalCache(gateway);
  caches.push(cache);
  assert.equal((await cache.status('exp', 'h1')).state, 'pending');
  return cache;
}

/** Gaps between consecutive requests, in seconds. */
function gaps(calls: readonly number[]): number[] {
  return calls.slice(1).map((t, i) => (t - (calls[i] ?? 0)) / 1000);
}

beforeEach(() => {
  now = 0;
  warnings = [];
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  mock.method(console, 'warn', (...args: unknown[]) => void warnings.push(args));
});

afterEach(() => {
  for (const cache of caches.splice(0)) {
    cache.clear(); // as a sign-out does: also forgets a refused sign-in
    cache.dispose();
  }
  mock.timers.reset();
  mock.restoreAll();
});

describe('polling pending reviews of held outputs', () => {
  test('a hung gateway gets one poll at a time, not a new request every 3 s', async () => {
    const gateway = new FakeGateway(['pending', 'hang']);
    await pendingCache(() => gateway);
    await advance(60_000);
    assert.equal(gateway.calls.length, 2, 'the lookup, then one poll still waiting');
    assert.equal(gateway.inFlight, 1);
  });

  test('failed polls back off from 3 s, doubling to 60 s, and a success resets the pause', async () => {
    const script: Answer[] = ['pending', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail', 'pending'];
    const gateway = new FakeGateway(script);
    await pendingCache(() => gateway);
    await advance(230_000);
    assert.deepEqual(gaps(gateway.calls).slice(0, 8), [3, 6, 12, 24, 48, 60, 60, 3]);
  });

  test('a streak of failed polls is logged once, and again only after a poll succeeded', async () => {
    const script: Answer[] = ['pending', 'fail', 'fail', 'fail', 'fail', 'pending', 'fail'];
    const gateway = new FakeGateway(script);
    await pendingCache(() => gateway);
    await advance(3_000 + 6_000 + 12_000 + 24_000);
    assert.equal(gateway.calls.length, 5, 'four failed polls');
    assert.equal(warnings.length, 1);
    await advance(48_000 + 3_000);
    assert.equal(gateway.calls.length, 7, 'a poll succeeded, the next failed');
    assert.equal(warnings.length, 2);
    assert.match(String(warnings[0]?.[0]), /could not poll the review states.*Fix: /s);
  });

  test('a refused sign-in (401) stops polling and says to sign in again', async () => {
    const gateway = new FakeGateway(['pending', 'refuse']);
    const cache = await pendingCache(() => gateway);
    let changed = 0;
    cache.changed.connect(() => void (changed += 1));
    await advance(120_000);
    assert.equal(gateway.calls.length, 2, 'polling stopped after the refused poll');
    assert.equal(changed, 1, 'held outputs are told to decide again');
    assert.equal(warnings.length, 1);
    // Held outputs deciding again get the pending state without another refused request …
    assert.equal((await cache.status('exp', 'h1')).state, 'pending');
    assert.equal(gateway.calls.length, 2);
    // … and their state line says what happened and how to fix it.
    const line = heldStateText({ state: 'pending', reviewId: 'r1', findings: [] });
    assert.match(line, /your sign-in is no longer accepted\. Fix: sign out and sign in again/);
    assert.doesNotMatch(line, /appears here once approved/);
  });

  test('a new session is polled again, and held outputs no longer mention the sign-in', async () => {
    let gateway = new FakeGateway(['pending', 'refuse']);
    const cache = await pendingCache(() => gateway);
    await advance(3_000);
    assert.match(heldStateText({ state: 'pending', findings: [] }), /sign in again/);
    gateway = new FakeGateway(['pending']); // signed in again: what the gate does on the change
    cache.clear();
    assert.match(heldStateText({ state: 'pending', findings: [] }), /appears here once approved/);
    assert.equal((await cache.status('exp', 'h1')).state, 'pending');
    await advance(6_000);
    assert.deepEqual(gaps(gateway.calls), [3, 3]);
  });

  test('a lookup refused with 401 also marks the sign-in (the output could not be checked)', async () => {
    const gateway = new FakeGateway(['refuse']);
    const cache = new ApprovalCache(() => gateway);
    caches.push(cache);
    await assert.rejects(cache.status('exp', 'h1'), { status: 401 });
    const line = heldStateText({ state: 'unavailable', findings: [] });
    assert.match(line, /could not be asked whether this output was approved/);
    assert.match(line, /your sign-in is no longer accepted\. Fix: sign out and sign in again/);
  });
});
