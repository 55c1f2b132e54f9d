// A dp view's `response_time_ms` (PRIVACY.md §8): every real DP query reading it is answered —
// released, refused after its reservation, or refunded after a failure — no sooner than N ms
// after the gateway admitted it, and at the next multiple of N when it ran longer; a join takes
// the largest N of its views. The wait comes before the charge is committed or the reservation
// refunded, so the ledger's closing time shows no more than the answer does. Dry runs, queries
// refused from their text, and views without the option are answered at once. The step clock is
// injected: the work between admission and the wait "takes" what each test says, and no test
// really waits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DpQueryResponse } from '@privet/core';
import { POLICY_YAML } from './fixture.js';
import { ANA, openDpService, type DpServiceFixture } from './service-fixture.js';
import { DpQueryService } from '../../../gateway/src/dp/service.js';
import type { StepClock } from '../../../gateway/src/dp/response-time.js';
import { HttpError } from '../../../gateway/src/http/errors.js';
import { ServiceError } from '../../../gateway/src/audit/service-error.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';

const EXPERIMENT = 'rt1';

/** The fixture policy with people_dp on a 1000 ms step, events_dp on 300 ms, people_open on none. */
function steppedPolicy(): string {
  const people = '    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }\n';
  const events = '    contribution: { max_rows_per_unit: 5, max_groups_per_unit: 2 }\n';
  const open = `  people_open:\n    tier: dp\n    source: people\n    columns: [pid, sex, income]\n${people}`;
  for (const needle of [people, events, '  people_masked:\n'])
    assert.equal(POLICY_YAML.split(needle).length, 2, `the fixture has ${needle} once`);
  return POLICY_YAML.replace(people, `${people}    response_time_ms: 1000\n`)
    .replace(events, `${events}    response_time_ms: 300\n`)
    .replace('  people_masked:\n', `${open}  people_masked:\n`);
}

/**
 * A step clock on which the work after the next admission takes `workMs` (the first `now()`, the
 * admission, returns the time and then moves it on), and each sleep moves it by its length. A held
 * clock keeps a sleep pending until `wake()`.
 */
class TestStepClock implements StepClock {
  t = 1_000_000;
  sleeps: number[] = [];
  hold = false;
  private workMs: number | undefined;
  private wakers: (() => void)[] = [];

  /** Starts a query whose work (admission to outcome) takes `workMs`; clears the sleeps. */
  next(workMs: number): number {
    this.workMs = workMs;
    this.sleeps = [];
    return this.t;
  }

  now(): number {
    const t = this.t;
    if (this.workMs !== undefined) {
      this.t += this.workMs;
      this.workMs = undefined;
    }
    return t;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  /** Ends the pending sleeps. */
  wake(): void {
    for (const resolve of this.wakers.splice(0)) resolve();
  }

  /** Resolves once a sleep is pending (fails the test after 20 s of real time). */
  async sleeping(): Promise<void> {
    const until = Date.now() + 20_000;
    while (this.wakers.length === 0) {
      assert.ok(Date.now() < until, 'the query never waited for its step');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

let f: DpServiceFixture;
let clock: TestStepClock;
let dp: DpQueryService;

/** A DP query service over the stepped policy with the test clock (its own engine). */
const steppedService = (): DpQueryService =>
  new DpQueryService(loadPolicyFile(join(f.fx.dir, 'policy.yaml')), f.services, {
    stepClock: clock,
  });

before(async () => {
  f = await openDpService(steppedPolicy(), {
    id: EXPERIMENT,
    title: 'Response time',
    purpose: 'Answers on a fixed time step',
    dataCategories: ['people'],
    views: ['people_dp', 'events_dp', 'people_open'],
  });
  clock = new TestStepClock();
  dp = steppedService();
});

after(async () => {
  await dp.close();
  await f.close();
});

/** A real (or dry-run) query of `sql` for 0.1 ε in the experiment. */
const body = (sql: string, dryRun = false, epsilon = '0.1') => ({
  experiment: EXPERIMENT,
  sql,
  epsilon,
  dryRun,
});
const COUNT_PEOPLE = 'SELECT count(*) AS n FROM people_dp';
const COUNT_EVENTS = 'SELECT count(*) AS n FROM events_dp';
const JOIN_SQL =
  'SELECT p.sex, count(*) AS n FROM people_dp p JOIN events_dp e ON p.pid = e.pid GROUP BY p.sex';

/** The status of the experiment's newest reservation (and its refund reason). */
function newest(): { status: string; refundReason?: string } {
  const charge = f.services.ledger.state(EXPERIMENT).charges.at(-1);
  assert.ok(charge, 'a reservation was made');
  return {
    status: charge.status,
    ...(charge.refundReason !== undefined ? { refundReason: charge.refundReason } : {}),
  };
}

describe('response_time_ms', () => {
  test('a fast query is released one step after admission, committed after the wait', async () => {
    const admitted = clock.next(20);
    clock.hold = true;
    try {
      let answered = false;
      const answer = dp.query(ANA, body(COUNT_PEOPLE)).then((r) => {
        answered = true;
        return r as DpQueryResponse;
      });
      await clock.sleeping();
      assert.deepEqual(clock.sleeps, [980], 'the rest of the 1000 ms step');
      assert.equal(answered, false, 'not answered while the step runs');
      assert.deepEqual(newest(), { status: 'pending' }, 'not committed before the wait');
      clock.wake();
      const result = await answer;
      assert.equal(result.dryRun, false);
      assert.equal(clock.t - admitted, 1000, 'answered on the first step');
      assert.deepEqual(newest(), { status: 'committed' });
    } finally {
      clock.hold = false;
      clock.wake();
    }
  });

  test('a query that runs past the step is answered at the next multiple', async () => {
    let admitted = clock.next(1300);
    await dp.query(ANA, body(COUNT_PEOPLE));
    assert.deepEqual(clock.sleeps, [700]);
    assert.equal(clock.t - admitted, 2000);
    // One that ends on a step boundary is answered there, not a step later.
    admitted = clock.next(3000);
    await dp.query(ANA, body(COUNT_PEOPLE));
    assert.deepEqual(clock.sleeps, []);
    assert.equal(clock.t - admitted, 3000);
  });

  test('a join is answered on the largest step of its views', async () => {
    let admitted = clock.next(20);
    await dp.query(ANA, body(COUNT_EVENTS));
    assert.equal(clock.t - admitted, 300, 'events_dp alone: its own 300 ms step');
    admitted = clock.next(20);
    await dp.query(ANA, body(JOIN_SQL));
    assert.equal(clock.t - admitted, 1000, 'people_dp ⋈ events_dp: the larger 1000 ms step');
    admitted = clock.next(1100);
    await dp.query(ANA, body(JOIN_SQL));
    assert.equal(clock.t - admitted, 2000, 'past it: the next multiple of 1000, not of 300');
  });

  test('a failure refunded after its reservation is answered on the step, refunded after the wait', async () => {
    // A fresh service opens its own engine, so the broken file is what it loads.
    const path = join(f.fx.dir, 'people.csv');
    const good = readFileSync(path, 'utf8');
    const lines = good.trimEnd().split('\n');
    lines[3] = lines[3]!.replace(/^(([^,]*,){4})[^,]*/, '$1not-an-age');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const broken = steppedService();
    clock.hold = true;
    try {
      const admitted = clock.next(40);
      const answer = broken.query(ANA, body(COUNT_PEOPLE));
      answer.catch(() => undefined); // awaited below
      await clock.sleeping();
      assert.deepEqual(clock.sleeps, [960]);
      assert.deepEqual(newest(), { status: 'pending' }, 'not refunded before the wait');
      clock.wake();
      await assert.rejects(
        answer,
        (e: unknown) =>
          e instanceof HttpError &&
          e.status === 500 &&
          /could not load the source data/.test(e.message),
      );
      assert.equal(clock.t - admitted, 1000);
      assert.deepEqual(newest(), {
        status: 'refunded',
        refundReason: 'the source data could not be loaded',
      });
    } finally {
      clock.hold = false;
      clock.wake();
      writeFileSync(path, good);
      await broken.close();
    }
  });

  test('a query over the budget is refused on the step too', async () => {
    const admitted = clock.next(20);
    await assert.rejects(
      dp.query(ANA, body(COUNT_PEOPLE, false, '11')),
      (e: unknown) => e instanceof ServiceError && e.code === 'budget_exhausted',
    );
    assert.deepEqual(clock.sleeps, [980]);
    assert.equal(clock.t - admitted, 1000);
  });

  test('a client that leaves during the wait is refunded, not charged', async () => {
    clock.hold = true;
    const gone = new AbortController();
    try {
      clock.next(20);
      const answer = dp.query(ANA, body(COUNT_PEOPLE), gone.signal);
      answer.catch(() => undefined); // awaited below
      await clock.sleeping();
      gone.abort();
      clock.wake();
      await assert.rejects(
        answer,
        (e: unknown) => e instanceof HttpError && /closed the connection/.test(e.message),
      );
      assert.deepEqual(newest(), {
        status: 'refunded',
        refundReason: 'the client left before the release',
      });
    } finally {
      clock.hold = false;
      clock.wake();
    }
  });

  test('dry runs, refusals from the query text and views without a step are not delayed', async () => {
    const reservations = f.services.ledger.state(EXPERIMENT).charges.length;
    clock.next(20);
    const dry = await dp.query(ANA, body(COUNT_PEOPLE, true));
    assert.equal(dry.dryRun, true);
    assert.deepEqual(clock.sleeps, [], 'a dry run reads no rows and is answered at once');
    clock.next(20);
    await assert.rejects(
      dp.query(ANA, body('SELECT name FROM people_dp')),
      (e: unknown) => e instanceof ServiceError && e.code === 'dp_refused',
    );
    assert.deepEqual(clock.sleeps, [], 'refused from the policy and the query text');
    assert.equal(
      f.services.ledger.state(EXPERIMENT).charges.length,
      reservations,
      'neither reserved anything',
    );
    clock.next(20);
    await dp.query(ANA, body('SELECT count(*) AS n FROM people_open'));
    assert.deepEqual(clock.sleeps, [], 'people_open declares no response_time_ms');
    assert.deepEqual(newest(), { status: 'committed' });
  });
});
