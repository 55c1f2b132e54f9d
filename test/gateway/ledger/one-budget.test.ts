// Several budget entries for one source: policy loading refuses them (test/core/policy/
// duplicates.test.ts). Behind it, a policy object built another way must not have only its first
// entry enforced while the others are listed as caps: spending and publishing refuse instead.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceError } from '../../../gateway/src/audit/index.js';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { PublicationLedger } from '../../../gateway/src/publish/charge.js';
import { PublishError } from '../../../gateway/src/publish/errors.js';
import { approve, demoPolicy, ledgerEnv, req, type LedgerEnv } from './fixture.js';

let env: LedgerEnv | undefined;
afterEach(() => {
  env?.dispose();
  env = undefined;
});

test('a DP query on a source with two budgets is refused, and nothing is held', () => {
  env = ledgerEnv([
    { source: 'patients', epsilon: '3.0', scope: 'experiment' },
    { source: 'patients', epsilon: '0.2', scope: 'experiment_user' },
  ]);
  approve(env, 'x');
  const e = env;
  assert.throws(
    () => e.ledger.reserve(req('x', '0.3')),
    (error: unknown) =>
      error instanceof ServiceError &&
      error.reason === 'budget.ambiguous' &&
      /"patients" has 2 budgets in the policy and only one can be enforced/.test(error.message),
  );
  const held = e.db
    .prepare<[], { n: number }>('SELECT count(*) AS n FROM ledger_reservations')
    .get();
  assert.equal(held?.n, 0);
});

test('publishing a synthetic view of a source with two publication budgets is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-one-budget-'));
  const db = openDurableDb(join(dir, 'state.db'));
  try {
    const policy = demoPolicy();
    policy.publication_budgets = [
      { source: 'patients', epsilon: '0.1' },
      { source: 'patients', epsilon: '5.0' },
    ];
    const pub = new PublicationLedger(db, new AuditLog(db), policy);
    assert.throws(
      () =>
        pub.reserve({
          view: 'patients_synthetic',
          source: 'patients',
          epsilon: 1,
          delta: 1e-9,
          rho: '0.01',
          actor: 'sam',
          planHash: 'plan',
        }),
      (error: unknown) =>
        error instanceof PublishError &&
        /2 publication budgets and only one can be enforced/.test(error.what),
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
