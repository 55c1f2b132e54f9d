/**
 * The seal entry a row's trust rests on must be vouched for by the audit key at run time, as
 * `privet audit verify` checks it: someone who can write the database but not read master.key
 * edits a row and adds (or alters) a seal entry recording its hash; the running gateway refuses the
 * row as a changed one, with one audit entry naming the forged entry. Seal entries from before the
 * log was keyed (no MAC) and from a replaced master key (before this key's first entry) still work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, type AuditBody, type JsonValue } from '@privet/core/record/index';
import {
  AuditLog,
  ServiceError,
  hashEntrySync,
  openDurableDb,
  verifyAuditDb,
  type Db,
} from '../../../gateway/src/audit/index.js';
import { masterKeyPath } from '../../../gateway/src/keys.js';
import {
  ExperimentService,
  directoryArtefactStore,
} from '../../../gateway/src/experiments/index.js';
import { recordHashSync } from '../../../gateway/src/experiments/seal.js';
import { loadExperiment, readExperiment } from '../../../gateway/src/experiments/store.js';
import { approvedExperiment, demoPolicy, makeEnv, who, type Env } from './fixture.js';

/** What a writer without the key adds: an entry with a valid hash link, the head moved to it. */
function appendBehind(
  db: Db,
  action: string,
  experiment: string,
  details: { [key: string]: JsonValue },
  mac: (hash: string) => string | null,
): number {
  const last = db
    .prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    )
    .get()!;
  const body = {
    seq: last.seq + 1,
    at: '2026-03-01T10:00:00.000Z',
    actor: 'sam',
    action,
    experiment,
    subject: null,
    details,
    prevHash: last.hash,
  } as AuditBody;
  const hash = hashEntrySync(body);
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, experiment, subject, details, prev_hash, hash, mac)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
  ).run(
    body.seq,
    body.at,
    body.actor,
    action,
    experiment,
    canonicalJson(details),
    last.hash,
    hash,
    mac(hash),
  );
  db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 0').run(body.seq, hash);
  return body.seq;
}

/** Adds a view to e1's row, as a writer without the key would; returns the edited row's hash. */
function widen(env: Env): string {
  env.db
    .prepare(
      `UPDATE experiments SET views = '["patients_dp","patients_masked","visits_masked"]' WHERE id = 'e1'`,
    )
    .run();
  return recordHashSync(readExperiment(env.db, 'e1')!.experiment);
}

/** A refusal of e1 as a changed row that names the forged entry and echoes nothing of the row. */
function forgedRefusal(seq: number, problem: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.reason, 'experiment.record-mismatch');
    assert.match(e.message, new RegExp(`experiment "e1" is refused: audit entry #${seq}, `));
    assert.match(e.message, problem);
    assert.match(e.fix, /privet audit verify/);
    assert.doesNotMatch(e.message + e.fix, /visits_masked/);
    return true;
  };
}

/** An environment as makeEnv's, but its log written without MACs (as a gateway before keying). */
function unkeyedEnv(): Env {
  const dir = mkdtempSync(join(tmpdir(), 'privet-unkeyed-'));
  const dbPath = join(dir, 'state.db');
  const db = openDurableDb(dbPath);
  const now = { t: Date.parse('2026-03-01T09:00:00.000Z') };
  const policy = demoPolicy();
  const audit = new AuditLog(db, () => new Date(now.t), { masterKey: null });
  const artefacts = directoryArtefactStore(dir);
  const experiments = new ExperimentService({ audit, policy, artefacts });
  const close = (): void => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, dbPath, db, policy, audit, experiments, now, close };
}

/** The refusal entries (those naming a reason) appended from `fromSeq` on. */
function refusalsFrom(env: Env, fromSeq: number) {
  return env.audit.entries({ fromSeq }).filter((e) => e.details['reason'] !== undefined);
}

const bob = (env: Env) => who(env.policy, 'bob');

test('a seal entry added without a MAC after keying does not vouch for an edited row', async () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'e1');
    const hash = widen(env);
    const forged = appendBehind(
      env.db,
      'experiment.record-sealed',
      'e1',
      { recordHash: hash },
      () => null,
    );
    const from = forged + 1;
    assert.throws(
      () => env.experiments.assertCanUseView(bob(env), 'e1', 'patients_dp'),
      forgedRefusal(forged, /carries no MAC, though the audit log is keyed from entry #\d+ on/),
    );
    const recorded = refusalsFrom(env, from);
    assert.equal(recorded.length, 1, JSON.stringify(recorded));
    assert.equal(recorded[0]!.action, 'access.refused');
    assert.equal(recorded[0]!.details['reason'], 'experiment.record-mismatch');
    assert.equal(recorded[0]!.details['sealEntry'], forged);
    assert.equal(recorded[0]!.details['service'], 'experiments');
    assert.doesNotMatch(JSON.stringify(recorded), /visits_masked/);
    // GET of the experiment, and every reader through loadExperiment, refuse it too.
    assert.throws(() => env.experiments.get(bob(env), 'e1'), forgedRefusal(forged, /no MAC/));
    assert.throws(() => loadExperiment(env.db, 'e1'), forgedRefusal(forged, /no MAC/));
    // The gateway's own entries since (audit.keyed after the unkeyed one) change nothing, nor does
    // a restart (a fresh connection learns the log's keying again).
    const db = openDurableDb(env.dbPath);
    try {
      new AuditLog(db);
      assert.throws(() => loadExperiment(db, 'e1'), forgedRefusal(forged, /no MAC/));
    } finally {
      db.close();
    }
    // What audit verify says of the same entry.
    const r = await verifyAuditDb(env.dbPath);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.index, forged);
  } finally {
    env.close();
  }
});

test('a seal entry with a wrong MAC, a copied MAC or another key id does not vouch for it', () => {
  for (const [what, mac, problem] of [
    [
      'zero tag',
      (keyId: string) => `${keyId}:${'0'.repeat(64)}`,
      /a MAC that does not match this gateway's audit key/,
    ],
    ['malformed', () => 'not-a-mac', /a malformed MAC/],
    [
      'another key id',
      () => `0123456789abcdef:${'1'.repeat(64)}`,
      /a MAC of another key \(id 0123456789abcdef\)/,
    ],
  ] as const) {
    const env = makeEnv();
    try {
      approvedExperiment(env, 'e1');
      const keyId = env.audit.keyId!;
      const hash = widen(env);
      const forged = appendBehind(env.db, 'experiment.started', 'e1', { recordHash: hash }, () =>
        mac(keyId),
      );
      for (let i = 0; i < 2; i++) {
        // Twice: the gateway's audit.keyed entry after the foreign one vouches for nothing before it.
        assert.throws(
          () => env.experiments.assertCanUseView(bob(env), 'e1', 'patients_dp'),
          forgedRefusal(forged, problem),
          what,
        );
      }
      assert.equal(refusalsFrom(env, forged + 1).length, 2, what);
    } finally {
      env.close();
    }
  }
  // The MAC of a genuine entry, copied onto a forged one with another hash.
  const env = makeEnv();
  try {
    approvedExperiment(env, 'e1');
    const genuine = env.db
      .prepare<[], { mac: string }>('SELECT mac FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get()!.mac;
    const forged = appendBehind(
      env.db,
      'experiment.record-sealed',
      'e1',
      { recordHash: widen(env) },
      () => genuine,
    );
    assert.throws(
      () => loadExperiment(env.db, 'e1'),
      forgedRefusal(forged, /a MAC that does not match this gateway's audit key/),
    );
  } finally {
    env.close();
  }
});

test('a genuine seal entry altered in place (its MAC kept) does not vouch for the edited row', () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'e1');
    const last = env.audit.entries({ experiment: 'e1' }).at(-1)!;
    assert.equal(last.action, 'experiment.started');
    const hash = widen(env);
    env.db.exec('DROP TRIGGER audit_log_no_update');
    // Its recorded hash rewritten to the edited row's, and the entry's own hash recomputed.
    const details = { ...last.details, recordHash: hash };
    const body = { ...last, details } as AuditBody & { hash?: string };
    delete body.hash;
    env.db
      .prepare('UPDATE audit_log SET details = ?, hash = ? WHERE seq = ?')
      .run(canonicalJson(details), hashEntrySync(body), last.seq);
    assert.throws(
      () => loadExperiment(env.db, 'e1'),
      forgedRefusal(last.seq, /a MAC that does not match this gateway's audit key/),
    );
    // Or only its text changed (a duplicated key json_extract reads first, JSON.parse last).
    const original = canonicalJson(last.details);
    env.db
      .prepare('UPDATE audit_log SET details = ?, hash = ? WHERE seq = ?')
      .run(`{"recordHash":"${hash}",${original.slice(1)}`, last.hash, last.seq);
    assert.throws(
      () => loadExperiment(env.db, 'e1'),
      forgedRefusal(last.seq, /details not in the canonical form the gateway writes/),
    );
  } finally {
    env.close();
  }
});

test('seal entries from before keying (no MAC) still vouch for their rows; one added after does not', async () => {
  // What a gateway with record hashes but without MACs wrote (no master.key yet).
  const env = unkeyedEnv();
  try {
    approvedExperiment(env, 'old');
    approvedExperiment(env, 'e1');
    const macs = env.db
      .prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log WHERE mac IS NOT NULL')
      .get()!.n;
    assert.equal(macs, 0);
  } finally {
    env.db.close();
  }
  // The gateway of this version opens it (keying the log) and serves both experiments.
  const db = openDurableDb(env.dbPath);
  try {
    const audit = new AuditLog(db, () => new Date(env.now.t));
    const experiments = new ExperimentService({
      audit,
      policy: env.policy,
      artefacts: directoryArtefactStore(env.dir),
    });
    experiments.assertCanUseView(bob(env), 'old', 'patients_dp');
    experiments.assertCanUseView(bob(env), 'e1', 'patients_dp');
    const ok = await verifyAuditDb(env.dbPath);
    assert.equal(ok.ok, true, ok.message);
    // An unkeyed seal entry added after keying is refused, the older ones still stand.
    db.prepare(
      `UPDATE experiments SET views = '["patients_dp","patients_masked","visits_masked"]' WHERE id = 'e1'`,
    ).run();
    const hash = recordHashSync(readExperiment(db, 'e1')!.experiment);
    const forged = appendBehind(
      db,
      'experiment.record-sealed',
      'e1',
      { recordHash: hash },
      () => null,
    );
    assert.throws(
      () => experiments.assertCanUseView(bob(env), 'e1', 'visits_masked'),
      forgedRefusal(forged, /carries no MAC/),
    );
    experiments.assertCanUseView(bob(env), 'old', 'patients_dp');
  } finally {
    db.close();
    env.close();
  }
});

test('after master.key is replaced, seals of the old key still vouch; a forged one of another key does not', () => {
  const env = makeEnv();
  try {
    approvedExperiment(env, 'e1');
    approvedExperiment(env, 'e2');
    const oldKey = env.audit.keyId!;
    env.db.close();
    writeFileSync(masterKeyPath(env.dir), randomBytes(32), { mode: 0o600 });
    // The restarted gateway records the new key; both experiments' seals are the old key's.
    env.db = openDurableDb(env.dbPath);
    env.audit = new AuditLog(env.db, () => new Date(env.now.t));
    assert.notEqual(env.audit.keyId, oldKey);
    env.experiments = new ExperimentService({
      audit: env.audit,
      policy: env.policy,
      artefacts: directoryArtefactStore(env.dir),
    });
    env.experiments.assertCanUseView(bob(env), 'e1', 'patients_dp');
    env.experiments.assertCanUseView(bob(env), 'e2', 'patients_dp');
    // A seal entry "of the old key" added now cannot have been written by it.
    const forged = appendBehind(
      env.db,
      'experiment.record-sealed',
      'e1',
      { recordHash: widen(env) },
      () => `${oldKey}:${'2'.repeat(64)}`,
    );
    assert.throws(
      () => env.experiments.assertCanUseView(bob(env), 'e1', 'visits_masked'),
      forgedRefusal(
        forged,
        new RegExp(
          `a MAC of another key \\(id ${oldKey}\\) though this gateway's key MACs the log from entry #\\d+ on`,
        ),
      ),
    );
    env.experiments.assertCanUseView(bob(env), 'e2', 'patients_dp');
  } finally {
    if (env.db.open) env.db.close(); // the restarted gateway's connection
    env.close();
  }
});
