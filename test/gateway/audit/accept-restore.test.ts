/**
 * `privet audit accept-restore`: an older copy of privet.db restored on purpose is accepted as one
 * recorded step (the superseded markers kept under their own names, an `audit.restored` entry
 * naming how far the lost log went), while a changed copy, a folder without its master key and a
 * database not behind its markers are left as they are; a run that died after moving the markers
 * is completed by the next one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuditLog,
  auditVerdict,
  openDurableDb,
  verifyAuditDb,
} from '../../../gateway/src/audit/index.js';
import { AuditRollbackError, headMarkPath } from '../../../gateway/src/audit/head-mark.js';
import { keyedMarkerPath } from '../../../gateway/src/audit/keyed-marker.js';
import { supersededPath } from '../../../gateway/src/audit/accept-restore.js';
import { startGateway } from '../../../gateway/src/http/server.js';
import { privet } from '../run-cli.js';
import { rollbackState, type RollbackState } from './rollback-fixture.js';

interface Mark {
  seq: number;
  hash: string;
}

function readMark(st: RollbackState): Mark & { mac: string } {
  return JSON.parse(readFileSync(headMarkPath(st.dbPath), 'utf8')) as Mark & { mac: string };
}

/** The newest audit entry and every audit.restored entry's details (read-only). */
function readLog(path: string): { newest: Mark; restored: Record<string, unknown>[] } {
  const db = openDurableDb(path, { readonly: true });
  try {
    const newest = db
      .prepare<[], Mark>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get();
    assert.ok(newest);
    const restored = db
      .prepare<[], { details: string }>(
        "SELECT details FROM audit_log WHERE action = 'audit.restored' ORDER BY seq",
      )
      .all()
      .map((r) => JSON.parse(r.details) as Record<string, unknown>);
    return { newest, restored };
  } finally {
    db.close();
  }
}

/** The superseded marker files kept in the state folder. */
function kept(st: RollbackState): string[] {
  return readdirSync(st.stateDir)
    .filter((f) => f.includes('.superseded-'))
    .sort();
}

/** A state folder whose database was put back to a copy taken after 2 of 5 charges. */
function rolledBack(): { st: RollbackState; copyHead: Mark; lostMark: Mark & { mac: string } } {
  const st = rollbackState('privet-accept-restore-');
  st.charge(2);
  const t1 = st.copy('t1.db');
  const copyHead = readLog(t1).newest;
  st.charge(3);
  const lostMark = readMark(st);
  st.restore(t1);
  return { st, copyHead, lostMark };
}

function acceptRestore(st: RollbackState, ...extra: string[]): ReturnType<typeof privet> {
  return privet('audit', 'accept-restore', '--state', st.stateDir, ...extra);
}

test('a restored older copy is accepted: the markers kept, the rollback recorded, the gateway opens it again', async () => {
  const { st, copyHead, lostMark } = rolledBack();
  try {
    // The refusal names the command (not a manual move) as the fix for a restore on purpose.
    const before = await verifyAuditDb(st.dbPath);
    assert.equal(auditVerdict(before), 'tampered');
    assert.ok(
      before.message.includes(`privet audit accept-restore --state ${st.stateDir}`),
      before.message,
    );
    assert.throws(() => st.open().close(), AuditRollbackError);

    const run = acceptRestore(st, '--reason', 'disk failure, restored nightly backup');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^accepted the restore of /);
    assert.ok(run.stdout.includes(`went to entry #${lostMark.seq} ${lostMark.hash}`), run.stdout);
    assert.match(run.stdout, /lower the affected budgets in the policy/);
    assert.match(run.stdout, /take a fresh anchor with `privet audit verify --state /);
    assert.match(run.stdout, /^OK .*\naudit log intact: /m);

    // The superseded mark is kept, byte for byte, under its kept name; a fresh mark replaces it.
    const files = kept(st);
    assert.equal(files.length, 1, files.join());
    assert.match(files[0] ?? '', /^audit-head-privet\.db\.superseded-.+\.json$/);
    const keptMark = JSON.parse(readFileSync(join(st.stateDir, files[0] ?? ''), 'utf8')) as Mark;
    assert.deepEqual(
      { seq: keptMark.seq, hash: keptMark.hash },
      { seq: lostMark.seq, hash: lostMark.hash },
    );

    // The rollback is on the record: how far the lost log went, the restored head, reason, user.
    const log = readLog(st.dbPath);
    assert.equal(log.restored.length, 1);
    const details = log.restored[0] ?? {};
    assert.deepEqual(details['superseded'], { seq: lostMark.seq, hash: lostMark.hash });
    assert.deepEqual(details['restored'], copyHead);
    assert.deepEqual(details['supersededFiles'], files);
    assert.equal(details['reason'], 'disk failure, restored nightly backup');
    assert.equal(typeof details['osUser'], 'string');
    assert.deepEqual({ seq: readMark(st).seq, hash: readMark(st).hash }, log.newest);

    // Writers open it again, the log verifies intact, and the ledger is the copy's.
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
    assert.equal(st.spent(), '0.2');
    const gw = await startGateway({ policyPath: st.policyPath, stateDir: st.stateDir, port: 0 });
    await gw.close();
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);

    // Accepted once: a second run has nothing to accept.
    const again = acceptRestore(st);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /^nothing to accept/);
    assert.equal(readLog(st.dbPath).restored.length, 1);
  } finally {
    st.remove();
  }
});

test('a restored copy whose own log was changed is refused, and nothing is moved or written', () => {
  const { st, lostMark } = rolledBack();
  try {
    const db = new Database(st.dbPath);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.exec(`UPDATE audit_log SET details = '{"forged":true}' WHERE seq = 1`);
    db.close();
    const dbBefore = readFileSync(st.dbPath);

    const run = acceptRestore(st);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /accept-restore refused, nothing was changed: the audit log of .* does not verify on its own/,
    );
    assert.match(run.stderr, /Fix: restore an untouched backup/);
    assert.deepEqual(kept(st), []);
    assert.equal(readMark(st).seq, lostMark.seq);
    assert.deepEqual(readFileSync(st.dbPath), dbBefore);
  } finally {
    st.remove();
  }
});

test('a database not behind its markers has nothing to accept and is left as it is', () => {
  const st = rollbackState('privet-accept-restore-');
  try {
    st.charge(2);
    const mark = readFileSync(headMarkPath(st.dbPath));
    const dbBefore = readFileSync(st.dbPath);
    const run = acceptRestore(st, '--reason', 'just checking');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^nothing to accept: .* nothing was changed/);
    assert.deepEqual(kept(st), []);
    assert.deepEqual(readFileSync(headMarkPath(st.dbPath)), mark);
    assert.deepEqual(readFileSync(st.dbPath), dbBefore);
  } finally {
    st.remove();
  }
});

test('without master.key the restore is refused, naming the key file and the fix; no key is created', () => {
  const { st, lostMark } = rolledBack();
  try {
    const keyPath = join(st.stateDir, 'master.key');
    renameSync(keyPath, join(st.dir, 'master.key.away'));
    const run = acceptRestore(st);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.ok(run.stderr.includes(`there is no master key at ${keyPath}`), run.stderr);
    assert.match(run.stderr, /Fix: put the gateway's master\.key back/);
    assert.equal(existsSync(keyPath), false);
    assert.deepEqual(kept(st), []);
    assert.equal(readMark(st).seq, lostMark.seq);
  } finally {
    st.remove();
  }
});

test('a run that died after moving the mark aside is completed by the next, even after a gateway start', async () => {
  for (const startedBetween of [false, true]) {
    const { st, copyHead, lostMark } = rolledBack();
    try {
      // The crash: the mark is under its kept name, the entry was never appended.
      const moved = supersededPath(headMarkPath(st.dbPath), '2026-01-02T03-04-05.678Z');
      renameSync(headMarkPath(st.dbPath), moved);
      if (startedBetween) st.open().close();

      const run = acceptRestore(st, '--reason', 'restore after crash');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /completing an earlier run/);
      const log = readLog(st.dbPath);
      assert.equal(log.restored.length, 1);
      assert.deepEqual(log.restored[0]?.['superseded'], { seq: lostMark.seq, hash: lostMark.hash });
      assert.deepEqual(log.restored[0]?.['supersededFiles'], [moved.split('/').pop()]);
      // With no start between, the restored head is the copy's; after one, the gateway's own.
      if (!startedBetween) assert.deepEqual(log.restored[0]?.['restored'], copyHead);
      assert.ok(existsSync(moved), 'the superseded mark is kept');
      assert.equal((await verifyAuditDb(st.dbPath)).ok, true);

      const again = acceptRestore(st);
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /^nothing to accept/);
    } finally {
      st.remove();
    }
  }
});

test('a database deleted to start a new state folder is accepted; the refusal names the command', async () => {
  const st = rollbackState('privet-accept-restore-');
  try {
    st.charge(2);
    const lostMark = readMark(st);
    for (const f of ['', '-wal', '-shm']) rmSync(`${st.dbPath}${f}`, { force: true });
    assert.throws(
      () => st.open().close(),
      (e: unknown) =>
        e instanceof AuditRollbackError &&
        /the same command accepts that \(it moves .*audit-head-privet\.db\.json aside too/.test(
          e.message,
        ) &&
        e.message.includes('privet audit accept-restore --state'),
    );
    const run = acceptRestore(st, '--reason', 'new state folder');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const log = readLog(st.dbPath);
    assert.deepEqual(log.restored[0]?.['superseded'], { seq: lostMark.seq, hash: lostMark.hash });
    assert.equal(log.restored[0]?.['restored'], null);
    st.open().close();
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
  } finally {
    st.remove();
  }
});

test('a copy from before the gateway keyed its log: the keyed-log marker is superseded too', async () => {
  const st = rollbackState('privet-accept-restore-');
  try {
    // A log no keyed gateway has opened: its entries carry no MAC.
    for (const f of ['', '-wal', '-shm']) rmSync(`${st.dbPath}${f}`, { force: true });
    for (const f of [headMarkPath(st.dbPath), keyedMarkerPath(st.dbPath)]) rmSync(f);
    const plain = openDurableDb(st.dbPath);
    const unkeyed = new AuditLog(plain, undefined, { masterKey: null });
    for (let i = 0; i < 3; i++)
      unkeyed.append({ actor: 'ana', action: 'view.access', subject: `v${i}` });
    plain.close();
    const t0 = st.copy('t0.db');
    st.open().close(); // keys the log (its audit.keyed entry and the marker at #3), marks the head
    const keyedMarker = readFileSync(keyedMarkerPath(st.dbPath), 'utf8');
    st.restore(t0);
    assert.equal(auditVerdict(await verifyAuditDb(st.dbPath)), 'tampered');

    const run = acceptRestore(st, '--reason', 'pre-upgrade backup');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const files = kept(st);
    assert.equal(files.length, 2, files.join());
    const keyedKept = files.find((f) => f.startsWith('audit-keyed-')) ?? '';
    assert.equal(readFileSync(join(st.stateDir, keyedKept), 'utf8'), keyedMarker);
    const details = readLog(st.dbPath).restored[0] ?? {};
    assert.deepEqual(details['supersededFiles'], files);
    assert.equal((details['keyedMarker'] as { seq?: number } | undefined)?.seq, 3);
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
    st.open().close();
  } finally {
    st.remove();
  }
});
