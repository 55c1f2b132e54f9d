/**
 * A row changed outside the gateway is refused by every service that reads it — the ledger
 * (reserve, commit, budget state), export (admission and signing) and the leak check — and each
 * refusal leaves exactly one audit entry naming the refusal, the actor, the experiment and the
 * service that refused, as the experiment service's own access check does.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AuditEntry } from '@privet/core/record/index';
import { ServiceError } from '../../gateway/src/audit/service-error.js';
import { ExportService, type ExportBodies } from '../../gateway/src/export/service.js';
import { LeakService } from '../../gateway/src/leak/service.js';
import { approve, ledgerEnv, who, type LedgerEnv } from './ledger/fixture.js';

let env: LedgerEnv;
beforeEach(() => {
  env = ledgerEnv();
  approve(env, 'x'); // alice owns it, bob is a member, sam approved it
});
afterEach(() => env.dispose());

/** Changes the row as someone with write access to the database file could. */
function tamper(id = 'x'): void {
  env.db.prepare(`UPDATE experiments SET purpose = 'something else' WHERE id = ?`).run(id);
}

/** Runs `act`, which must throw the record refusal; returns the audit entries it appended. */
function refusedWithEntries(act: () => unknown): AuditEntry[] {
  const from = (env.audit.head()?.seq ?? -1) + 1;
  assert.throws(act, (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.reason, 'experiment.record-mismatch');
    assert.match(e.message, /experiment "x" is refused/);
    assert.match(e.fix, /privet audit verify/);
    assert.doesNotMatch(e.message + e.fix, /something else/);
    return true;
  });
  return env.audit.entries({ fromSeq: from });
}

/** Asserts the one mismatch entry among `entries`: action, actor, experiment and service. */
function oneMismatchEntry(
  entries: AuditEntry[],
  action: string,
  actor: string,
  service: string,
  filedUnder: string | null = 'x',
): AuditEntry {
  const mismatch = entries.filter((e) => e.details['reason'] === 'experiment.record-mismatch');
  assert.equal(mismatch.length, 1, JSON.stringify(entries.map((e) => e.action)));
  const entry = mismatch[0]!;
  assert.equal(entry.action, action);
  assert.equal(entry.actor, actor);
  assert.equal(entry.experiment, filedUnder);
  assert.equal(entry.details['service'], service);
  assert.equal(entry.details['requested'], 'x');
  assert.doesNotMatch(JSON.stringify(entry), /something else/);
  return entry;
}

const query = (user = 'bob') => ({
  experiment: 'x',
  source: 'patients',
  user,
  epsilon: '0.1',
  query: 'SELECT COUNT(*) FROM patients_dp',
  planHash: 'plan-1',
});

describe('the ledger', () => {
  test('a reservation on a changed row is refused and audited once', () => {
    tamper();
    const entries = refusedWithEntries(() => env.ledger.reserve(query()));
    const entry = oneMismatchEntry(entries, 'query.refused', 'bob', 'ledger');
    assert.equal(entry.details['planHash'], 'plan-1');
    assert.equal(entries.length, 1);
  });

  test('a commit after the row changed is refused, audited once, and its budget refunded', async () => {
    const id = env.ledger.reserve(query());
    tamper();
    const entries = refusedWithEntries(() => env.ledger.commit(id, 'rel-1'));
    oneMismatchEntry(entries, 'query.refused', 'bob', 'ledger');
    const refund = entries.find((e) => e.action === 'query.refunded');
    assert.equal(refund?.details['reason'], 'access revoked: experiment.record-mismatch');
    assert.equal(entries.length, 2);
    // Nothing stays reserved: the value of a refused commit is never released.
    const charges = env.db
      .prepare<[], { status: string }>('SELECT status FROM ledger_reservations')
      .all();
    assert.deepEqual(charges, [{ status: 'refunded' }]);
  });

  test('a join committed after the row changed is one refusal, one entry', async () => {
    // Two charges of one release, as a join's sources are committed.
    const ids = [env.ledger.reserve(query()), env.ledger.reserve(query())];
    tamper();
    const from = env.audit.head()!.seq + 1;
    await assert.rejects(
      env.ledger.commitAllDurably(
        ids.map((reservationId, i) => ({ reservationId, releaseId: `r/${i}` })),
      ),
      /experiment "x" is refused/,
    );
    const entries = env.audit.entries({ fromSeq: from });
    oneMismatchEntry(entries, 'query.refused', 'bob', 'ledger');
    assert.equal(entries.filter((e) => e.action === 'query.refunded').length, 2);
  });

  test('the budget state of a changed row is refused and audited', () => {
    tamper();
    // Its callers check the caller first (and audit that); the ledger itself knows no caller, so
    // the entry is the gateway's, filed under no experiment (the id is in `requested`).
    const entry = oneMismatchEntry(
      refusedWithEntries(() => env.ledger.state('x')),
      'access.refused',
      'gateway',
      'ledger',
      null,
    );
    assert.equal(entry.subject, 'budget');
  });
});

describe('export', () => {
  /** Bodies that open a notebook of experiment x and run `during` while it is being filtered. */
  function bodies(during: () => void = () => {}): ExportBodies {
    return {
      open: async () =>
        ({
          handle: 1,
          opened: { experiment: 'x', name: 'nb.ipynb', lookups: 0, releaseClaims: [] },
        }) as never,
      filter: async () => {
        during();
        return {
          lines: { notebookHash: 'h', outputs: [], withheldSources: [] },
          notebookJson: new TextEncoder().encode('{}'),
        } as never;
      },
      close() {},
    };
  }
  const exportsWith = (b: ExportBodies) =>
    new ExportService({
      services: env,
      policy: env.policy,
      policyHash: 'h',
      stateDir: env.dir,
      bodies: b,
    });

  test('an export from a changed row is refused before its lookups and audited once', async () => {
    tamper();
    const from = env.audit.head()!.seq + 1;
    await assert.rejects(
      exportsWith(bodies()).createFromBody(who(env.policy, 'bob'), new Uint8Array()),
      /experiment "x" is refused/,
    );
    const entries = env.audit.entries({ fromSeq: from });
    oneMismatchEntry(entries, 'export.refused', 'bob', 'export');
    assert.equal(entries.length, 1);
  });

  test('a row changed while the notebook was filtered: refused at signing, audited once', async () => {
    const from = env.audit.head()!.seq + 1;
    await assert.rejects(
      exportsWith(bodies(() => tamper())).createFromBody(who(env.policy, 'bob'), new Uint8Array()),
      /experiment "x" is refused/,
    );
    const entries = env.audit.entries({ fromSeq: from });
    assert.equal(
      oneMismatchEntry(entries, 'export.refused', 'bob', 'export').details['attempted'],
      'sign',
    );
    assert.ok(!entries.some((e) => e.action === 'export'), 'nothing signed or filed as exported');
  });
});

describe('the leak check', () => {
  test('a leak check in a changed row is refused and audited once', async () => {
    const leaks = new LeakService({
      audit: env.audit,
      policy: env.policy,
      policyDir: join(env.dir, 'no-policy'),
      stateDir: env.dir,
    });
    try {
      tamper();
      const from = env.audit.head()!.seq + 1;
      await assert.rejects(
        leaks.check(who(env.policy, 'bob'), { experiment: 'x', candidates: ['a'] }),
        /experiment "x" is refused/,
      );
      await assert.rejects(
        leaks.checkOutputs(who(env.policy, 'bob'), {
          experiment: 'x',
          outputs: [{ output: { output_type: 'stream', name: 'stdout', text: 'n 4\n' } }],
        }),
        /experiment "x" is refused/,
      );
      const entries = env.audit.entries({ fromSeq: from });
      assert.equal(entries.length, 2);
      for (const entry of entries) {
        assert.equal(entry.action, 'access.refused');
        assert.equal(entry.subject, 'leak-check');
        oneMismatchEntry([entry], 'access.refused', 'bob', 'leak');
      }
    } finally {
      await leaks.close();
    }
  });
});
