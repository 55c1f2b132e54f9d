/**
 * An approval binds what was approved: every entry that changes an experiment records the SHA-256
 * of its record, access checks refuse a row that no longer matches its last recorded hash, and
 * `privet audit verify` names such rows (and rows with no audited proposal). Databases from older
 * gateways are sealed once at start, only where the row agrees with the older entries; a prune
 * carries each experiment's last hash forward.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashExperimentRecord, type Experiment } from '@privet/core/record/index';
import {
  ServiceError,
  immediate,
  openDurableDb,
  verifyAuditDb,
} from '../../../gateway/src/audit/index.js';
import { pruneAuditLog } from '../../../gateway/src/audit/retention.js';
import {
  ExperimentService,
  directoryArtefactStore,
} from '../../../gateway/src/experiments/index.js';
import { SEAL_INDEX, lastSealSql } from '../../../gateway/src/experiments/seal.js';
import { insertExperiment, loadExperiment } from '../../../gateway/src/experiments/store.js';
import { approvedExperiment, makeEnv, proposal, who, type Env } from './fixture.js';
import { legacyExperiment, writeLegacyLifecycle } from './legacy-lifecycle.js';

const DAY = 86_400_000;

/** A refusal of the kind `reason` that names the experiment and echoes nothing of the row. */
function refusedAs(reason: string, id: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.reason, reason);
    assert.match(e.message, new RegExp(`experiment "${id}" is refused`));
    assert.match(e.fix, /privet audit verify/);
    assert.doesNotMatch(e.message + e.fix, /visits_masked|rita|something else/);
    return true;
  };
}

function editRow(env: Env, sql: string, ...params: string[]): void {
  env.db.prepare(sql).run(...params);
}

test('the entries record what was proposed and decided, bound by the record hash', async () => {
  const env = makeEnv();
  try {
    const alice = who(env.policy, 'alice');
    const sam = who(env.policy, 'sam');
    const p = env.experiments.propose(alice, proposal('e1'));
    env.experiments.approve(sam, 'e1', 'fine for the staffing report');
    env.experiments.start(alice, 'e1');
    await env.experiments.dissolve(alice, 'e1', 'report delivered');
    env.experiments.propose(alice, proposal('e2'));
    env.experiments.reject(sam, 'e2', 'purpose too vague');
    const of = (id: string) => env.audit.entries({ experiment: id });
    const proposed = of('e1')[0]!;
    assert.equal(proposed.action, 'experiment.proposed');
    assert.deepEqual(proposed.details, {
      title: p.title,
      purpose: p.purpose,
      dataCategories: p.dataCategories,
      views: p.views,
      members: p.members,
      analyses: p.analyses,
      expectedOutputs: p.expectedOutputs,
      recordHash: await hashExperimentRecord(p),
    });
    const approved = of('e1').find((e) => e.action === 'experiment.approved')!;
    assert.equal(approved.details['note'], 'fine for the staffing report');
    assert.match(String(approved.details['recordHash']), /^[0-9a-f]{64}$/);
    const dissolved = of('e1').find((e) => e.action === 'experiment.dissolved')!;
    assert.equal(dissolved.details['reason'], 'report delivered');
    const rejected = of('e2').find((e) => e.action === 'experiment.rejected')!;
    assert.equal(rejected.details['reason'], 'purpose too vague');
    assert.equal(
      rejected.details['recordHash'],
      await hashExperimentRecord(env.experiments.get(sam, 'e2')),
    );
    assert.equal((await verifyAuditDb(env.dbPath)).ok, true);
  } finally {
    env.close();
  }
});

test('a row edited after approval is refused everywhere and named by audit verify', async () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'e1');
    const bob = who(env.policy, 'bob');
    const rita = who(env.policy, 'rita');
    env.experiments.assertCanUseView(bob, 'e1', 'patients_dp');
    const before = env.audit.head()!.seq;
    editRow(
      env,
      `UPDATE experiments SET views = '["patients_dp","patients_masked","visits_masked"]',
       members = '["bob","rita"]', purpose = 'something else' WHERE id = 'e1'`,
    );
    // The access check refuses (and audits the refusal), for an old member and the added one.
    assert.throws(
      () => env.experiments.assertCanUseView(bob, 'e1', 'visits_masked'),
      refusedAs('experiment.record-mismatch', 'e1'),
    );
    const refusal = env.audit.entries({ fromSeq: before + 1 }).at(-1);
    assert.equal(refusal?.action, 'access.refused');
    assert.equal(refusal?.details['reason'], 'experiment.record-mismatch');
    assert.throws(
      () => env.experiments.assertCanUseView(bob, 'e1', 'patients_dp'),
      refusedAs('experiment.record-mismatch', 'e1'),
    );
    // rita is no analyst: the rule refuses her first, as before.
    assert.throws(() => env.experiments.assertCanUseView(rita, 'e1', 'visits_masked'));
    // Every other reader of the row (ledger, review, export, leak check) goes through this.
    assert.throws(
      () => loadExperiment(env.db, 'e1'),
      refusedAs('experiment.record-mismatch', 'e1'),
    );
    assert.throws(
      () => env.experiments.get(bob, 'e1'),
      refusedAs('experiment.record-mismatch', 'e1'),
    );
    // No decision seals the change.
    assert.throws(
      () => env.experiments.evaluate(who(env.policy, 'alice'), 'e1'),
      refusedAs('experiment.record-mismatch', 'e1'),
    );
    const r = await verifyAuditDb(env.dbPath);
    assert.equal(r.ok, false);
    const approvedAt = env.audit
      .entries({ experiment: 'e1' })
      .findLast((e) => e.action === 'experiment.started')!.seq;
    assert.equal(r.firstBad?.index, approvedAt);
    assert.match(
      r.message,
      new RegExp(
        `experiment "e1": its row differs from the state audit entry #${approvedAt} \\(experiment.started\\) recorded for it — the row was changed outside the gateway`,
      ),
    );
    assert.match(r.message, /Fix: restore each named experiment row/);
    assert.doesNotMatch(r.message, /visits_masked|something else/);
  } finally {
    env.close();
  }
});

test('a tail cut that takes an approval away is caught without an anchor', async () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'e1', false);
    const approval = env.audit.head()!;
    const raw = openDurableDb(env.dbPath);
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq = ?').run(approval.seq);
    const prev = raw
      .prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?')
      .get(approval.seq - 1)!;
    raw.prepare('UPDATE audit_head SET seq = ?, hash = ?').run(approval.seq - 1, prev.hash);
    raw.close();
    const r = await verifyAuditDb(env.dbPath);
    assert.equal(r.ok, false);
    assert.match(
      r.message,
      /experiment "e1": its row differs from the state audit entry #\d+ \(experiment.proposed\)/,
    );
  } finally {
    env.close();
  }
});

test('an experiment inserted as approved is refused and named by audit verify', async () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'real');
    const at = '2026-03-01T09:00:00.000Z';
    const ghost: Experiment = {
      ...proposal('ghost'),
      id: 'ghost',
      members: [],
      owner: 'bob',
      state: 'approved',
      createdAt: at,
      updatedAt: at,
      decidedBy: 'sue',
    };
    insertExperiment(env.db, ghost);
    assert.throws(
      () => env.experiments.assertCanUseView(who(env.policy, 'bob'), 'ghost', 'patients_masked'),
      refusedAs('experiment.record-unaudited', 'ghost'),
    );
    // A retention run that pruned nothing (it still makes the checkpoint table) changes nothing.
    assert.equal(pruneAuditLog(env.audit, 30, new Date(env.now.t)).pruned, 0);
    const r = await verifyAuditDb(env.dbPath);
    assert.equal(r.ok, false);
    assert.match(
      r.message,
      /experiment "ghost": no audit entry records its state \(none carries its record hash\), and the log holds no proposal of it — the row was inserted outside the gateway/,
    );
    // The experiment next to it is unaffected.
    env.experiments.assertCanUseView(who(env.policy, 'bob'), 'real', 'patients_dp');
  } finally {
    env.close();
  }
});

test('a database from an older gateway: rows that match their entries are sealed once, others stay refused', async () => {
  const env = makeEnv();
  try {
    // What an older gateway wrote: rows, and entries without record hashes.
    for (const id of ['old-ok', 'old-edited']) writeLegacyLifecycle(env, id);
    insertExperiment(env.db, legacyExperiment('old-ghost'));
    // Edited under the old gateway, before the upgrade: a view added.
    editRow(
      env,
      `UPDATE experiments SET views = '["patients_dp","patients_masked"]' WHERE id = 'old-edited'`,
    );
    const unsealed = await verifyAuditDb(env.dbPath);
    assert.equal(unsealed.ok, false);
    assert.match(unsealed.message, /3 experiment rows do not match the audit log/);
    assert.match(
      unsealed.message,
      /experiment "old-ok": no audit entry records its state \(none carries its record hash\): the database was last opened by a gateway without record hashes/,
    );
    assert.match(unsealed.message, /open it once with the current one/);

    const start = () =>
      new ExperimentService({
        audit: env.audit,
        policy: env.policy,
        artefacts: directoryArtefactStore(env.dir),
      });
    const upgraded = start();
    const sealed = env.audit.entries().filter((e) => e.action === 'experiment.record-sealed');
    assert.deepEqual(
      sealed.map((e) => e.experiment),
      ['old-ok'],
    );
    assert.equal(
      sealed[0]?.details['recordHash'],
      await hashExperimentRecord(legacyExperiment('old-ok')),
    );
    const bob = who(env.policy, 'bob');
    upgraded.assertCanUseView(bob, 'old-ok', 'patients_dp');
    assert.throws(
      () => upgraded.assertCanUseView(bob, 'old-edited', 'patients_masked'),
      refusedAs('experiment.record-unaudited', 'old-edited'),
    );
    assert.throws(
      () => upgraded.assertCanUseView(bob, 'old-ghost', 'patients_dp'),
      refusedAs('experiment.record-unaudited', 'old-ghost'),
    );
    const head = env.audit.head()!.seq;
    start(); // once: the next start seals nothing again
    assert.equal(
      env.audit
        .entries({ fromSeq: head + 1 })
        .filter((e) => e.action === 'experiment.record-sealed').length,
      0,
    );
    const r = await verifyAuditDb(env.dbPath);
    assert.match(r.message, /2 experiment rows do not match the audit log/);
    assert.match(
      r.message,
      /experiment "old-edited": .* its row differs from its audited entries in views — the row was changed outside the gateway/,
    );
    assert.match(r.message, /experiment "old-ghost": .* the row was inserted outside the gateway/);
  } finally {
    env.close();
  }
});

test('a prune carries each experiment’s last recorded hash forward; access and verify go on', async () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'long');
    env.now.t += 40 * DAY;
    env.experiments.assertCanUseView(who(env.policy, 'bob'), 'long', 'patients_dp');
    const report = pruneAuditLog(env.audit, 30, new Date(env.now.t));
    assert.ok(report.pruned > 0);
    const kept = env.audit.entries({ experiment: 'long' });
    assert.ok(!kept.some((e) => e.action === 'experiment.started'), 'its entries were pruned');
    const carried = kept.find((e) => e.action === 'experiment.record-sealed');
    assert.equal(
      carried?.details['recordHash'],
      await hashExperimentRecord(env.experiments.get(who(env.policy, 'sam'), 'long')),
    );
    env.experiments.assertCanUseView(who(env.policy, 'bob'), 'long', 'patients_dp');
    const ok = await verifyAuditDb(env.dbPath, [], { retentionDays: 30, now: env.now.t });
    assert.equal(ok.ok, true, ok.message);
    // A row edited after the prune is still caught.
    editRow(env, `UPDATE experiments SET members = '["bob","sue"]' WHERE id = 'long'`);
    const r = await verifyAuditDb(env.dbPath, [], { retentionDays: 30, now: env.now.t });
    assert.match(r.message, /experiment "long": its row differs .* \(experiment.record-sealed\)/);
  } finally {
    env.close();
  }
});

test('the access check reads the last recorded hash through its index, not the whole history', () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'busy');
    const bob = who(env.policy, 'bob');
    env.experiments.assertCanUseView(bob, 'busy', 'patients_dp');
    immediate(env.db, () => {
      for (let i = 0; i < 20_000; i++)
        env.audit.append({ actor: 'bob', action: 'view.access', experiment: 'busy', subject: 'v' });
    });
    // The statement store.ts prepares: the row and its last hash in one snapshot.
    const sql = `SELECT e.*, ${lastSealSql('e.id', true)} AS sealed_hash FROM experiments e WHERE e.id = 'busy'`;
    const plan = env.db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all();
    assert.ok(
      plan.some((p) => p.detail.includes(SEAL_INDEX)),
      JSON.stringify(plan),
    );
    const runs = 2_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) loadExperiment(env.db, 'busy');
    const perCall = Number(process.hrtime.bigint() - t0) / runs / 1000;
    // A few µs in practice; generous for slow CI machines (the history scan took far longer).
    assert.ok(perCall < 500, `${perCall.toFixed(1)} µs per checked read`);
    console.log(`# checked experiment read: ${perCall.toFixed(1)} µs after 20,000 accesses`);
  } finally {
    env.close();
  }
});
