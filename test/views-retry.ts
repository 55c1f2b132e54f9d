/**
 * The retry schedule both hosts' output gates follow after a failed GET /views (core's ViewList):
 * checked with Node's mocked timers, one retry at a time, never early.
 */
import assert from 'node:assert/strict';
import { mock } from 'node:test';

/** The gate's retries after a failed load: 2 s, 4 s, 8 s, … at most 60 s. */
export const VIEWS_RETRY_DELAYS = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];

/** Lets pending promise callbacks run (setImmediate is not among the mocked timers). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Ticks through VIEWS_RETRY_DELAYS, asserting before each that the views are still unknown
 * (`isUnknown`) and that the gateway was asked (`calls`) exactly at each delay, not a tick before.
 */
export async function expectViewsRetries(calls: () => number, isUnknown: () => boolean) {
  for (const [i, delay] of VIEWS_RETRY_DELAYS.entries()) {
    assert.ok(isUnknown(), 'unknown until a load succeeds (fail closed)');
    mock.timers.tick(delay - 1);
    await settle();
    assert.equal(calls(), i + 1, `no retry before ${delay} ms`);
    mock.timers.tick(1);
    await settle();
    assert.equal(calls(), i + 2, `retry ${i + 1} after ${delay} ms`);
  }
}
