/**
 * Answering DP queries on a fixed time step (a dp view's `response_time_ms`, PRIVACY.md §8): a
 * query is answered no sooner than N ms after the gateway admitted it, and one that ran longer at
 * the next multiple of N, so how long it took shows only as how many steps it took. The wait is a
 * timer awaited after the work (no engine connection, DB transaction or lock is held meanwhile);
 * the clock and the timer are injectable, so tests need no real waiting.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Policy } from '@privet/core';

/** The clock and the timer of the response-time step. */
export interface StepClock {
  /** Milliseconds on a monotonic clock (wall-clock changes must not shorten a wait). */
  now(): number;
  /** Resolves after about `ms` milliseconds without holding the event loop. */
  sleep(ms: number): Promise<void>;
}

/** The process's monotonic clock and a plain timer. */
export const systemStepClock: StepClock = {
  now: () => performance.now(),
  sleep: (ms) => delay(ms),
};

/**
 * The step of a query over `tables`: the largest `response_time_ms` of the dp views it reads (a
 * join is as slow to answer as its slowest-stepped view), or undefined when none declares one.
 */
export function responseStepMs(
  policy: Policy,
  tables: readonly { view: string }[],
): number | undefined {
  let step: number | undefined;
  for (const { view } of tables) {
    const declared = policy.views[view];
    const ms = declared?.tier === 'dp' ? declared.response_time_ms : undefined;
    if (ms !== undefined && (step === undefined || ms > step)) step = ms;
  }
  return step;
}

/** When a query admitted at `admittedAt` and done at `now` is answered: the first step boundary not before `now` (at least one step). */
export function stepDeadline(admittedAt: number, now: number, stepMs: number): number {
  const steps = Math.max(1, Math.ceil((now - admittedAt) / stepMs));
  return admittedAt + steps * stepMs;
}

/**
 * Waits until the step boundary after now (nothing when `stepMs` is undefined). Call it once per
 * query, when its outcome is known: called again after the boundary it would wait a whole step
 * more. A timer may fire a little early by the monotonic clock, so the wait is checked again.
 */
export async function waitForStep(
  clock: StepClock,
  admittedAt: number,
  stepMs: number | undefined,
): Promise<void> {
  if (stepMs === undefined) return;
  const due = stepDeadline(admittedAt, clock.now(), stepMs);
  for (let left = due - clock.now(); left > 0; left = due - clock.now())
    await clock.sleep(Math.ceil(left));
}
