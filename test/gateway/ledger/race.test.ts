import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyAuditDb } from '../../../gateway/src/audit/index.js';
import { checkLedgerConsistency, openServices } from '../../../gateway/src/ledger/index.js';
import { approve, ledgerEnv } from './fixture.js';
import { inWorker } from './spawn.js';

test('50 worker threads, each with its own connection, race on one budget: spent is exactly the cap', async () => {
  const env = ledgerEnv([{ source: 'patients', epsilon: '3.0', scope: 'experiment' }]);
  try {
    approve(env, 'race');
    const tasks = Array.from({ length: 50 }, (_, i) => ({
      dbPath: env.dbPath,
      stateDir: env.dir,
      policy: env.policy,
      experiment: 'race',
      user: i % 2 === 0 ? 'alice' : 'bob',
      epsilon: i % 2 === 0 ? '0.1' : '0.2',
      maxAttempts: 400,
      executeMs: 3,
    }));
    const results = await Promise.all(tasks.map(inWorker));
    const s = openServices({ dbPath: env.dbPath, policy: env.policy, stateDir: env.dir });
    try {
      const state = s.ledger.state('race');
      const committed = state.charges.filter((c) => c.status === 'committed');
      const b = state.budgets[0];
      assert.equal(b?.spent.epsilon.exact, '3');
      assert.equal(b?.reserved.epsilon.exact, '0');
      assert.equal(state.charges.filter((c) => c.status === 'pending').length, 0);
      assert.equal(
        results.reduce((n, r) => n + r.released, 0),
        committed.length,
        'every release has exactly one committed charge',
      );
      assert.ok(
        results.some((r) => r.refused > 0),
        'clients were refused at the cap',
      );
      assert.deepEqual(checkLedgerConsistency(s.db, env.policy), []);
    } finally {
      s.close();
    }
    const audit = await verifyAuditDb(env.dbPath);
    assert.equal(audit.ok, true, audit.message);
  } finally {
    env.dispose();
  }
});
