/**
 * How `privet audit accept-restore` verifies: the restored copy's log alone through the explicit
 * `skipMarkers` option (which every other check leaves off, so the markers stay checked there),
 * and its report after recording by continuing that walk over the entries the run appended (each
 * entry is read once; a pruned log walked minutes before is walked again), which still reports a
 * state that is wrong after recording.
 */
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  auditExitCode,
  auditVerdict,
  continueAuditWalk,
  verifyAuditConnection,
  verifyAuditDb,
  verifyAuditWalk,
} from '../../../gateway/src/audit/verify.js';
import { AuditLog, openDurableDb } from '../../../gateway/src/audit/index.js';
import { headMarkPath } from '../../../gateway/src/audit/head-mark.js';
import { keyedMarkerPath } from '../../../gateway/src/audit/keyed-marker.js';
import { auditMacKeyForDb } from '../../../gateway/src/audit/mac.js';
import { acceptRestore } from '../../../gateway/src/audit/accept-restore.js';
import { pruneAuditLog } from '../../../gateway/src/audit/retention.js';
import { openClockedLog } from './fixture.js';
import {
  newestEntry,
  readMarkFile,
  rollbackState,
  type RollbackState,
} from './rollback-fixture.js';

/** A state folder whose database was put back to a copy taken after 2 of 5 charges. */
function rolledBack(): { st: RollbackState; lostMark: Buffer } {
  const st = rollbackState('privet-accept-verify-');
  st.charge(2);
  const copy = st.copy('t1.db');
  st.charge(3);
  const lostMark = readFileSync(headMarkPath(st.dbPath));
  st.restore(copy);
  return { st, lostMark };
}

/**
 * Counts the audit entries read by the verifier's page query while `run` runs (better-sqlite3's
 * prepare is wrapped on its prototype, which every connection of this process shares).
 */
async function countEntriesRead<T>(run: () => Promise<T>): Promise<{ value: T; read: number }> {
  const proto = Database.prototype as unknown as {
    prepare: (this: Database.Database, sql: string) => Database.Statement;
  };
  const prepare = proto.prepare;
  let read = 0;
  proto.prepare = function (this: Database.Database, sql: string): Database.Statement {
    const stmt = prepare.call(this, sql);
    if (!/^SELECT \* FROM audit_log WHERE seq > \?/.test(sql)) return stmt;
    const all = stmt.all.bind(stmt);
    Object.assign(stmt, {
      all: (...args: unknown[]): unknown[] => {
        const rows = all(...args);
        read += rows.length;
        return rows;
      },
    });
    return stmt;
  };
  try {
    return { value: await run(), read };
  } finally {
    proto.prepare = prepare;
  }
}

test('skipMarkers checks the log alone, explicitly; without it a head mark the log is behind is TAMPERED', async () => {
  const { st } = rolledBack();
  try {
    const full = await verifyAuditDb(st.dbPath);
    assert.equal(auditVerdict(full), 'tampered', full.message);
    assert.match(full.message, /older than the newest audit head this gateway recorded/);

    const alone = await verifyAuditDb(st.dbPath, [], { skipMarkers: true });
    assert.equal(alone.ok, true, alone.message);
    assert.match(alone.message, /the head mark and keyed-log marker beside the database were not/);

    // The same through a connection, as accept-restore calls it (with the real path, no trick).
    const key = auditMacKeyForDb(st.dbPath, false);
    assert.ok(key);
    const db = openDurableDb(st.dbPath, { readonly: true });
    try {
      const skipped = await verifyAuditConnection(db, [], st.dbPath, { key, skipMarkers: true });
      assert.equal(skipped.ok, true, skipped.message);
      const checked = await verifyAuditConnection(db, [], st.dbPath, { key });
      assert.equal(auditVerdict(checked), 'tampered', checked.message);
    } finally {
      db.close();
    }
  } finally {
    st.remove();
  }
});

test('skipMarkers leaves out a keyed-log marker that disagrees; without it the log is TAMPERED', async () => {
  const st = rollbackState('privet-accept-verify-');
  try {
    st.charge(1);
    const markerPath = keyedMarkerPath(st.dbPath);
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as Record<string, unknown>;
    // The marker says the log was keyed from an entry it does not reach.
    writeFileSync(markerPath, `${JSON.stringify({ ...marker, seq: 10_000 })}\n`, { mode: 0o600 });
    const full = await verifyAuditDb(st.dbPath);
    assert.equal(auditVerdict(full), 'tampered', full.message);
    assert.match(full.message, /audit-keyed-privet\.db\.json records that the gateway keyed/);
    const alone = await verifyAuditDb(st.dbPath, [], { skipMarkers: true });
    assert.equal(alone.ok, true, alone.message);
  } finally {
    st.remove();
  }
});

test('a continued walk reads only the appended entries and reports what a full check reports', async () => {
  const st = rollbackState('privet-accept-verify-');
  try {
    st.charge(2);
    const before = newestEntry(st.dbPath).seq + 1;
    const db = openDurableDb(st.dbPath, { readonly: true });
    const first = await verifyAuditWalk(db, st.dbPath, {}).finally(() => db.close());
    assert.equal(first.report.ok, true, first.report.message);
    const walk = first.walk;
    assert.ok(walk);
    assert.equal(walk.entriesRead, before);

    st.charge(3);
    const after = newestEntry(st.dbPath).seq + 1;
    assert.ok(after > before);
    const { value: continued, read } = await countEntriesRead(() =>
      continueAuditWalk(st.dbPath, walk),
    );
    assert.equal(read, after - before, 'only the appended entries are read');
    assert.equal(walk.entriesRead, after, 'each entry read once over both walks');
    assert.deepEqual(continued, await verifyAuditDb(st.dbPath));
  } finally {
    st.remove();
  }
});

test('entries appended after a rewrite of the verified head do not link to it: the continued walk fails', async () => {
  const st = rollbackState('privet-accept-verify-');
  try {
    st.charge(2);
    const head = newestEntry(st.dbPath);
    const db = openDurableDb(st.dbPath, { readonly: true });
    const { walk } = await verifyAuditWalk(db, st.dbPath).finally(() => db.close());
    assert.ok(walk);
    // Between the walks, the last verified entry is given another hash, and a writer appends to it.
    const raw = new Database(st.dbPath);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run('0'.repeat(64), head.seq);
    raw.close();
    rmSync(headMarkPath(st.dbPath));
    const writer = openDurableDb(st.dbPath);
    new AuditLog(writer).append({ actor: 'ana', action: 'view.access', subject: 'v1' });
    writer.close();

    const continued = await continueAuditWalk(st.dbPath, walk);
    assert.equal(auditVerdict(continued), 'tampered', continued.message);
    assert.match(continued.message, new RegExp(`audit entry #${head.seq + 1}: does not link`));
  } finally {
    st.remove();
  }
});

test('a pruned log walked minutes before is walked again, so its time check does not fail the new entries', async () => {
  const fx = openClockedLog('privet-accept-verify-pruned-');
  try {
    fx.fill(9);
    pruneAuditLog(fx.log, 3, new Date(fx.now.t));
    const start = Date.now();
    mock.timers.enable({ apis: ['Date'], now: start });
    const db = openDurableDb(fx.path, { readonly: true });
    const { report, walk } = await verifyAuditWalk(db, fx.path).finally(() => db.close());
    assert.equal(report.ok, true, report.message);
    assert.ok(walk);
    // Six minutes later (beyond the time check's five of slack) an entry is appended, dated then.
    mock.timers.tick(6 * 60_000);
    fx.now.t = Date.now();
    fx.log.append({ actor: 'ana', action: 'view.access', subject: 'late' });
    const continued = await continueAuditWalk(fx.path, walk);
    assert.equal(continued.ok, true, continued.message);
    assert.deepEqual(continued, await verifyAuditDb(fx.path));
  } finally {
    mock.timers.reset();
    fx.close();
  }
});

test('accept-restore reads each entry once: its report continues the first check, no second full pass', async () => {
  const { st } = rolledBack();
  try {
    const restored = newestEntry(st.dbPath).seq + 1;
    const { value: result, read } = await countEntriesRead(() =>
      acceptRestore({ stateDir: st.stateDir, reason: 'restored nightly backup' }),
    );
    assert.equal(result.accepted, true);
    assert.equal(result.exitCode, 0, result.lines.join('\n'));
    assert.match(result.lines.at(-1) ?? '', /^OK .*\naudit log intact: /);
    assert.match(result.lines.at(-1) ?? '', /the gateway's head mark \(#\d+\) matched/);
    const total = newestEntry(st.dbPath).seq + 1;
    assert.ok(total > restored, 'the run appended its entry');
    // The old code read the restored log twice: restored + total entries.
    assert.equal(read, total, `read ${read} entries for a log of ${total}`);
    assert.equal((await verifyAuditDb(st.dbPath)).ok, true);
  } finally {
    st.remove();
  }
});

/** Runs accept-restore with `spoil` called while the run appends its entry (its clock). */
function acceptSpoiled(st: RollbackState, spoil: () => void): ReturnType<typeof acceptRestore> {
  let calls = 0;
  return acceptRestore({
    stateDir: st.stateDir,
    reason: 'restored nightly backup',
    now: () => {
      // The first call names the kept files; the next ones date the appended entries.
      if (++calls === 2) spoil();
      return new Date();
    },
  });
}

test('a keyed-log marker damaged while the run records makes its report TAMPERED (exit 1)', async () => {
  const { st } = rolledBack();
  try {
    const result = await acceptSpoiled(st, () =>
      writeFileSync(keyedMarkerPath(st.dbPath), 'not a marker\n', { mode: 0o600 }),
    );
    assert.equal(result.accepted, true);
    assert.equal(result.exitCode, 1, result.lines.join('\n'));
    const report = result.lines.at(-1) ?? '';
    assert.match(report, /^TAMPERED /);
    assert.match(report, /the keyed-log marker .* is not in the form the gateway writes/);
    assert.equal(auditExitCode(await verifyAuditDb(st.dbPath)), 1);
  } finally {
    st.remove();
  }
});

test('the superseded head mark put back while the run records makes its report TAMPERED (exit 1)', async () => {
  const { st, lostMark } = rolledBack();
  try {
    const result = await acceptSpoiled(st, () =>
      writeFileSync(headMarkPath(st.dbPath), lostMark, { mode: 0o600 }),
    );
    assert.equal(result.accepted, true);
    // The keeper does not move a mark back, so the lost log's mark stays.
    assert.ok(readMarkFile(st.dbPath).seq > newestEntry(st.dbPath).seq);
    assert.equal(result.exitCode, 1, result.lines.join('\n'));
    const report = result.lines.at(-1) ?? '';
    assert.match(report, /^TAMPERED /);
    assert.match(report, /older than the newest audit head this gateway recorded/);
    assert.equal(auditVerdict(await verifyAuditDb(st.dbPath)), 'tampered');
  } finally {
    st.remove();
  }
});
