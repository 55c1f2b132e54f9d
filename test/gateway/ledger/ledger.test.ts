import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../gateway/src/audit/index.js';
import { checkLedgerConsistency } from '../../../gateway/src/ledger/index.js';
import { approve, ledgerEnv, req, who, type LedgerEnv } from './fixture.js';

let env: LedgerEnv;
afterEach(() => env.dispose());

const patients = (e: LedgerEnv, id: string) => {
  const b = e.ledger.state(id).budgets.find((x) => x.source === 'patients');
  assert.ok(b);
  return b;
};

function consistent(e: LedgerEnv): void {
  assert.deepEqual(checkLedgerConsistency(e.db, e.policy), []);
}

describe('ledger arithmetic', () => {
  test('0.1 + 0.2 charges sum to exactly 0.3 and use up a 0.3 budget', () => {
    env = ledgerEnv([{ source: 'patients', epsilon: '0.3', scope: 'experiment' }]);
    approve(env, 'x');
    env.ledger.commit(env.ledger.reserve(req('x', 0.1)), 'r1');
    env.ledger.commit(env.ledger.reserve(req('x', '0.2')), 'r2');
    const b = patients(env, 'x');
    assert.equal(b.spent.epsilon.exact, '3/10');
    assert.equal(b.remaining.epsilon.exact, '0');
    assert.equal(b.spent.epsilon.text, '0.3');
    assert.equal(b.spent.epsilon.value, 0.3);
    assert.throws(() => env.ledger.reserve(req('x', '1e-300')), /0 left of 0\.3/);
    consistent(env);
  });

  test('thirds stay exact: three charges of 1/3 fill a budget of 1', () => {
    env = ledgerEnv([{ source: 'patients', epsilon: 1, scope: 'experiment' }]);
    approve(env, 'x');
    for (let i = 0; i < 3; i++) env.ledger.commit(env.ledger.reserve(req('x', '1/3')), `r${i}`);
    assert.equal(patients(env, 'x').spent.epsilon.exact, '1');
    assert.throws(() => env.ledger.reserve(req('x', '1/1000000000000')), /budget|left/);
  });
});

describe('ledger refusals', () => {
  const bad: [string, unknown][] = [
    ['0', 0],
    ['-0', -0],
    ['subnormal', 5e-324],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['negative', -0.5],
    ['"0"', '0'],
    ['"-0"', '-0'],
    ['"NaN"', 'NaN'],
    ['"Infinity"', 'Infinity'],
    ['"5e-324"', '5e-324'],
    ['"-1"', '-1'],
    ['an object', { valueOf: () => 1 }],
  ];
  test('ε of 0, -0, subnormal, NaN, ±∞, negative (as numbers or text) is refused and costs nothing', () => {
    env = ledgerEnv();
    approve(env, 'x');
    for (const [name, eps] of bad) {
      assert.throws(
        () => env.ledger.reserve(req('x', eps as string)),
        (e: unknown) =>
          e instanceof ServiceError && e.code === 'bad_request' && /epsilon/.test(e.message),
        `ε=${name} must be refused`,
      );
    }
    assert.throws(() => env.ledger.reserve(req('x', 0.1, { delta: -1e-9 })), /delta/);
    assert.throws(() => env.ledger.reserve(req('x', 0.1, { delta: 1 })), /below 1/);
    assert.throws(() => env.ledger.reserve(req('x', 0.1, { rho: Number.NaN })), /rho/);
    assert.equal(patients(env, 'x').spent.epsilon.exact, '0');
    assert.equal(env.ledger.state('x').charges.length, 0);
    const refused = env.audit
      .entries({ experiment: 'x', limit: 10_000 })
      .filter((a) => a.action === 'query.refused');
    assert.equal(refused.length, bad.length + 3);
  });

  test('over-budget refusal names what is needed, what is left, the experiment and the dataset', () => {
    env = ledgerEnv();
    approve(env, 'x');
    env.ledger.commit(env.ledger.reserve(req('x', '2.8')), 'r1');
    assert.throws(
      () => env.ledger.reserve(req('x', '0.5')),
      (e: unknown) =>
        e instanceof ServiceError &&
        e.reason === 'budget.exhausted' &&
        e.code === 'budget_exhausted' &&
        e.message.includes('needs ε=0.5, 0.2 left of 3 for experiment "x" on dataset "patients"') &&
        /cost nothing/.test(e.message) &&
        e.fix.length > 0,
    );
    assert.equal(patients(env, 'x').spent.epsilon.exact, '14/5');
  });

  test('pending reservations count against the remaining budget', () => {
    env = ledgerEnv();
    approve(env, 'x');
    const r = env.ledger.reserve(req('x', 2));
    assert.throws(
      () => env.ledger.reserve(req('x', '1.5')),
      /1 left of 3.*2 of it held by queries still running/,
    );
    const b = patients(env, 'x');
    assert.deepEqual([b.reserved.epsilon.text, b.remaining.epsilon.text], ['2', '1']);
    env.ledger.refund(r, 'cancelled');
    env.ledger.commit(env.ledger.reserve(req('x', '1.5')), 'r2');
    assert.equal(patients(env, 'x').remaining.epsilon.exact, '3/2');
    consistent(env);
  });

  test('δ is capped by the policy and refused when the budget has none', () => {
    env = ledgerEnv([
      { source: 'patients', epsilon: '3', delta: '1e-6', scope: 'experiment' },
      { source: 'visits', epsilon: '2', scope: 'experiment' },
    ]);
    env.experiments.propose(who(env.policy, 'alice'), {
      ...reqProposal(),
      views: ['patients_dp', 'visits_dp'],
    });
    env.experiments.approve(who(env.policy, 'sam'), 'd');
    env.ledger.commit(env.ledger.reserve(req('d', 1, { delta: '1e-6' })), 'a');
    assert.throws(
      () => env.ledger.reserve(req('d', 1, { delta: '1e-12' })),
      /needs δ=.*0 left of 0\.000001/,
    );
    assert.throws(
      () => env.ledger.reserve(req('d', 1, { source: 'visits', delta: 1e-9 })),
      /needs δ/,
    );
    env.ledger.commit(env.ledger.reserve(req('d', 1, { source: 'visits', rho: '1/8' })), 'b');
    const charge = env.ledger.state('d').charges.find((c) => c.releaseId === 'b');
    assert.equal(charge?.rho, '1/8');
  });
});

describe('per-query limits', () => {
  test('a query above max_query_epsilon is refused (audited, nothing held); one at the limit spends', () => {
    env = ledgerEnv([
      { source: 'patients', epsilon: '3', scope: 'experiment', max_query_epsilon: '0.3' },
    ]);
    approve(env, 'x');
    assert.throws(
      () => env.ledger.reserve(req('x', '0.31')),
      (e: unknown) =>
        e instanceof ServiceError &&
        e.reason === 'budget.per-query' &&
        e.code === 'dp_refused' &&
        e.message.includes(
          `needs ε=0.31, above the policy's limit of ε=0.3 per query on dataset "patients"`,
        ) &&
        /cost nothing/.test(e.message) &&
        /less ε in this query/.test(e.fix),
    );
    const refused = env.audit
      .entries({ experiment: 'x', limit: 100 })
      .filter((a) => a.action === 'query.refused');
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.details?.['reason'], 'budget.per-query');
    assert.deepEqual(
      [patients(env, 'x').reserved.epsilon.exact, env.ledger.state('x').charges.length],
      ['0', 0],
    );
    // Exactly at the limit (0.1 + 0.2 written as a sum of doubles would be above it): accepted.
    env.ledger.commit(env.ledger.reserve(req('x', '3/10')), 'r1');
    env.ledger.commit(env.ledger.reserve(req('x', 0.3)), 'r2');
    assert.equal(patients(env, 'x').spent.epsilon.exact, '3/5');
    assert.equal(patients(env, 'x').perQuery?.epsilon?.exact, '3/10');
    consistent(env);
  });

  test('max_query_delta refuses a query whose δ is above it, before the budget is looked at', () => {
    env = ledgerEnv([
      {
        source: 'patients',
        epsilon: '3',
        delta: '1e-6',
        scope: 'experiment',
        max_query_delta: '1e-8',
      },
    ]);
    approve(env, 'x');
    assert.throws(
      () => env.ledger.reserve(req('x', 0.1, { delta: '2e-8' })),
      (e: unknown) =>
        e instanceof ServiceError &&
        e.reason === 'budget.delta-per-query' &&
        /needs δ=≈2\.00e-8, above the policy's limit of δ=≈1\.00e-8 per query/.test(e.message),
    );
    env.ledger.commit(env.ledger.reserve(req('x', 0.1, { delta: '1e-8' })), 'r1');
    const b = patients(env, 'x');
    assert.equal(b.spent.delta.exact, '1/100000000');
    assert.deepEqual(Object.keys(b.perQuery ?? {}), ['delta']);
  });

  test('a budget without limits has no perQuery in its state', () => {
    env = ledgerEnv();
    approve(env, 'x');
    assert.equal(patients(env, 'x').perQuery, undefined);
  });
});

function reqProposal() {
  return {
    id: 'd',
    title: 't',
    purpose: 'p',
    dataCategories: ['health'],
    views: ['patients_dp'],
    analyses: ['dp_count'],
    expectedOutputs: ['table'],
  };
}

describe('ledger lifecycle of a charge', () => {
  test('a failed query costs 0 and its result is never committed', async () => {
    env = ledgerEnv();
    approve(env, 'x');
    await assert.rejects(
      env.ledger.run(req('x', 1), async () => {
        throw new Error('DuckDB: out of memory');
      }),
      /out of memory/,
    );
    const ok = await env.ledger.run(req('x', '0.25'), async () => 42, 'release-1');
    assert.equal(ok.value, 42);
    assert.equal(ok.charge.releaseId, 'release-1');
    const s = env.ledger.state('x');
    assert.deepEqual(
      s.charges.map((c) => [c.status, c.epsilon, c.refundReason ?? c.releaseId]),
      [
        ['refunded', '1', 'query failed'],
        ['committed', '1/4', 'release-1'],
      ],
    );
    assert.equal(s.budgets.find((b) => b.source === 'patients')?.spent.epsilon.exact, '1/4');
    assert.equal(s.charges[1]?.query, 'SELECT avg(income) FROM patients_dp GROUP BY sex');
    consistent(env);
  });

  test('commit is exactly-once: idempotent per release, final after refund, no refund after commit', () => {
    env = ledgerEnv();
    approve(env, 'x');
    const a = env.ledger.reserve(req('x', 1));
    const c1 = env.ledger.commit(a, 'rel-a');
    assert.deepEqual(env.ledger.commit(a, 'rel-a'), c1);
    assert.throws(() => env.ledger.commit(a, 'rel-other'), /already committed/);
    assert.throws(() => env.ledger.refund(a, 'oops'), /cannot be refunded/);
    const b = env.ledger.reserve(req('x', 1));
    env.ledger.refund(b, 'user cancelled');
    env.ledger.refund(b, 'again');
    assert.throws(
      () => env.ledger.commit(b, 'rel-b'),
      /refunded \(user cancelled\); its value must not be released/,
    );
    const c = env.ledger.reserve(req('x', 1));
    assert.throws(() => env.ledger.commit(c, 'rel-a'), /UNIQUE|release/);
    assert.throws(() => env.ledger.commit('res-nope', 'r'), /no reservation/);
    assert.equal(patients(env, 'x').spent.epsilon.exact, '1');
    consistent(env);
  });

  test('a reservation not committed in time is refunded and cannot be committed', () => {
    env = ledgerEnv(undefined, 1000);
    approve(env, 'x');
    const a = env.ledger.reserve(req('x', 3));
    env.now.t += 999;
    assert.throws(() => env.ledger.reserve(req('x', 1)), /0 left/);
    env.now.t += 1;
    const b = env.ledger.reserve(req('x', 1)); // sweeps the expired one
    assert.throws(() => env.ledger.commit(a, 'late'), /expired before commit/);
    env.ledger.commit(b, 'on-time');
    assert.equal(patients(env, 'x').spent.epsilon.exact, '1');
    consistent(env);
  });

  test('a join commits all its charges or none: one expired source refunds the other', async () => {
    env = ledgerEnv(undefined, 1000);
    approve(env, 'x');
    const early = env.ledger.reserve(req('x', 1));
    env.now.t += 600;
    const late = env.ledger.reserve(req('x', 1));
    env.now.t += 500; // `early` has expired, `late` has not
    await assert.rejects(
      env.ledger.commitAllDurably([
        { reservationId: late, releaseId: 'join-1/a' },
        { reservationId: early, releaseId: 'join-1/b' },
      ]),
      /expired before commit/,
    );
    const charges = env.ledger.state('x').charges;
    assert.deepEqual(
      charges.map((c) => [c.reservationId, c.status]).sort(),
      [
        [early, 'refunded'],
        [late, 'refunded'],
      ].sort(),
    );
    assert.match(
      charges.find((c) => c.reservationId === late)?.refundReason ?? '',
      /another source of the query was refused/,
    );
    assert.equal(patients(env, 'x').spent.epsilon.exact, '0');
    // Both in time: both committed, and committing again is idempotent.
    const a = env.ledger.reserve(req('x', 1));
    const b = env.ledger.reserve(req('x', '1/2'));
    const items = [
      { reservationId: a, releaseId: 'join-2/a' },
      { reservationId: b, releaseId: 'join-2/b' },
    ];
    const committed = await env.ledger.commitAllDurably(items);
    assert.deepEqual(
      committed.map((c) => c.status),
      ['committed', 'committed'],
    );
    assert.deepEqual(
      (await env.ledger.commitAllDurably(items)).map((c) => c.releaseId),
      ['join-2/a', 'join-2/b'],
    );
    assert.equal(patients(env, 'x').spent.epsilon.exact, '3/2');
    consistent(env);
  });

  test('access: members only, approved/running only, approved sources only; dissolution revokes pending commits', async () => {
    env = ledgerEnv();
    env.experiments.propose(who(env.policy, 'alice'), {
      ...reqProposal(),
      id: 'p',
      members: ['bob'],
    });
    assert.throws(() => env.ledger.reserve(req('p', 1)), /still a proposal/);
    env.experiments.approve(who(env.policy, 'sam'), 'p');
    assert.throws(
      () => env.ledger.reserve(req('p', 1, { user: 'rita' })),
      /may not run DP queries/,
    );
    assert.throws(() => env.ledger.reserve(req('p', 1, { user: 'sue' })), /not a member/);
    assert.throws(
      () => env.ledger.reserve(req('p', 1, { source: 'visits' })),
      /no approved view of dataset "visits"/,
    );
    assert.throws(
      () => env.ledger.reserve(req('nope', 1)),
      /not a member of any experiment "nope"/,
    );
    const pending = env.ledger.reserve(req('p', 1, { user: 'bob' }));
    await env.experiments.dissolve(who(env.policy, 'sam'), 'p', 'revoked');
    assert.throws(() => env.ledger.commit(pending, 'r'), /access revoked/);
    assert.throws(() => env.ledger.reserve(req('p', 1)), /dissolved/);
    assert.equal(patients(env, 'p').spent.epsilon.exact, '0');
    consistent(env);
  });

  test('a source without a policy budget cannot be spent on', () => {
    env = ledgerEnv([{ source: 'visits', epsilon: '2', scope: 'experiment' }]);
    approve(env, 'x');
    assert.throws(() => env.ledger.reserve(req('x', 1)), /no privacy budget/);
  });

  test('experiment_user scope gives every member their own budget', () => {
    env = ledgerEnv([{ source: 'patients', epsilon: '1', scope: 'experiment_user' }]);
    approve(env, 'x');
    env.ledger.commit(env.ledger.reserve(req('x', 1)), 'a');
    assert.throws(() => env.ledger.reserve(req('x', '0.1')), /0 left of 1 for alice/);
    env.ledger.commit(env.ledger.reserve(req('x', '0.4', { user: 'bob' })), 'b');
    const rows = env.ledger
      .state('x')
      .budgets.map((b) => [b.user, b.spent.epsilon.text, b.remaining.epsilon.text]);
    assert.deepEqual(rows, [
      ['alice', '1', '0'],
      ['bob', '0.4', '0.6'],
    ]);
  });

  test('many async callers on one budget spend exactly the cap, never more', async () => {
    env = ledgerEnv([{ source: 'patients', epsilon: '3', scope: 'experiment' }]);
    approve(env, 'x');
    let failures = 0;
    /** One caller: waits a little, then tries until released or the budget is truly used up. */
    async function caller(i: number): Promise<boolean> {
      for (let attempt = 0; attempt < 100; attempt++) {
        for (let k = 0; k < (i * 7 + attempt) % 5; k++) await new Promise((r) => setImmediate(r));
        try {
          await env.ledger.run(req('x', '0.1'), async () => {
            await new Promise((r) => setImmediate(r));
            if ((i + attempt) % 13 === 0) {
              failures++;
              throw new Error('query failed');
            }
            return i;
          });
          return true;
        } catch (e) {
          if (e instanceof ServiceError && e.reason === 'budget.exhausted') {
            const b = patients(env, 'x');
            if (b.reserved.epsilon.exact === '0') return false;
          }
        }
      }
      throw new Error('caller did not finish');
    }
    const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => caller(i)));
    assert.equal(outcomes.filter(Boolean).length, 30);
    assert.ok(failures > 0, 'some queries failed and were refunded');
    assert.equal(patients(env, 'x').spent.epsilon.exact, '3');
    consistent(env);
    assert.equal((await env.audit.verify()).ok, true);
  });
});
